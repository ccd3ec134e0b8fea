# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install check update-snapshot bench fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,docx,pdf,xlsx,parquet,dask,fast]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/edu-metrics extract seeds/

test: install
	$(BIN)/python -m pytest

# The property tests with thousands of examples each (make test runs a short sample).
fuzz: install
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_fuzz.py tests/test_fuzz_containers.py tests/test_numerals.py -q

# Throughput, memory and rule scaling on a generated corpus (default 50 MB); writes benchmarks/results.json.
bench: install
	$(BIN)/python benchmarks/bench.py

# The pre-commit guard: rule packs parse, compile, keep their examples and the seeds snapshot.
check: install
	$(BIN)/edu-metrics check

# After reviewing what `make check` reports, accept the new extraction as the snapshot.
update-snapshot: install
	$(BIN)/edu-metrics check --update

clean:
	rm -rf $(VENV) build *.egg-info
