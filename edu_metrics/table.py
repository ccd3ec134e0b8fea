"""The tidy table: one row per quantity, written the same way every time.

Numbers are written from exact decimals with no exponent and no float artefacts, rows come
in document and offset order, and lines end in `\\n`, so two runs diff byte for byte.
"""

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from .errors import OutputError
from .extract import COLUMNS, Quantity
from .numerals import format_decimal

FORMATS = ("csv", "jsonl")


def format_for(path: Path) -> str:
    """The output format named by a file's extension."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise OutputError(f"{path}: unknown output format '.{suffix}' (use one of: .csv, .jsonl)")


def cells(quantity: Quantity) -> dict[str, str]:
    """A row as text cells, the form both writers share."""
    row = {}
    for column in COLUMNS:
        value = getattr(quantity, column)
        if value is None:
            row[column] = ""
        elif column in ("value", "value_max"):
            row[column] = format_decimal(value)
        else:
            row[column] = str(value)
    return row


class TableWriter:
    """Writes rows as they come, so a long run never holds the whole table in memory."""

    def __init__(self, stream: TextIO, fmt: str = "csv") -> None:
        if fmt not in FORMATS:
            raise OutputError(f"unknown format '{fmt}' (use one of: {', '.join(FORMATS)})")
        self.stream = stream
        self.fmt = fmt
        self.rows = 0
        if fmt == "csv":
            self._csv = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\n")
            self._csv.writeheader()

    def write(self, quantities: Iterable[Quantity]) -> None:
        for quantity in quantities:
            row = cells(quantity)
            if self.fmt == "csv":
                self._csv.writerow(row)
            else:
                self.stream.write(json.dumps(_typed(row), ensure_ascii=False) + "\n")
            self.rows += 1


def _typed(row: dict[str, str]) -> dict[str, object]:
    """JSON keeps numbers as numbers; empty cells become null."""
    typed: dict[str, object] = {}
    for column, cell in row.items():
        if cell == "":
            typed[column] = None
        elif column in ("year", "start", "end"):
            typed[column] = int(cell)
        elif column in ("value", "value_max"):
            typed[column] = int(cell) if cell.lstrip("-").isdigit() else float(cell)
        else:
            typed[column] = cell
    return typed
