# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,docx,pdf,xlsx,parquet]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/edu-metrics extract seeds/

test: install
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build *.egg-info
