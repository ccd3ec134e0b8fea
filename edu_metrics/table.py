"""The tidy table: one row per quantity, written the same way every time, and read back.

Numbers are written from exact decimals with no exponent and no float artefacts, rows come
in document and offset order, and lines end in `\\n`, so two runs diff byte for byte.
CSV and JSON lines stream row by row; .xlsx and .parquet (optional extras) are built whole.
"""

import csv
import io
import json
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from operator import attrgetter
from pathlib import Path
from typing import TextIO

from .errors import EduMetricsError, OutputError
from .extract import COLUMNS, Quantity
from .numerals import format_decimal

STREAM_FORMATS = ("csv", "jsonl", "table")
FILE_FORMATS = ("csv", "jsonl", "xlsx", "parquet")
NUMERIC = frozenset({"year", "value", "value_max", "start", "end"})
# A text cell starting with one of these runs as a formula in Excel, WPS and LibreOffice.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_EXTRAS = {"xlsx": ("openpyxl", "xlsx"), "parquet": ("pyarrow", "parquet")}
# The columns a person reads first; the rich table shows only these.
KEY_COLUMNS = ("doc", "region", "year", "status", "indicator", "kind", "value", "value_max", "unit", "qualifier", "text")


def format_for(path: Path) -> str:
    """The output format named by a file's extension."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix in FILE_FORMATS:
        return suffix
    raise OutputError(f"{path}: unknown output format '.{suffix}' (use one of: .csv, .jsonl, .xlsx, .parquet)")


def require_extra(fmt: str) -> None:
    """Fail before any work when an output format's optional dependency is missing."""
    if fmt in _EXTRAS:
        module, extra = _EXTRAS[fmt]
        try:
            __import__(module)
        except ImportError:
            raise OutputError(f"writing .{fmt} needs the {extra} extra: pip install 'edu-metrics[{extra}]'") from None


_VALUES = attrgetter(*COLUMNS)
_NUMERIC_COLUMNS = tuple(column in NUMERIC for column in COLUMNS)


def cell_values(quantity: Quantity) -> list[str]:
    """A row as text cells in column order, the form every writer starts from."""
    return [_cell_text(value) for value in _VALUES(quantity)]


def cells(quantity: Quantity) -> dict[str, str]:
    """A row as text cells by column name."""
    return dict(zip(COLUMNS, cell_values(quantity)))


def neutralise(row: dict[str, str]) -> dict[str, str]:
    """Quote text cells a spreadsheet would run as formulas; numbers stay numbers."""
    return {column: _neutral(cell, column in NUMERIC) for column, cell in row.items()}


def _neutral(cell: str, numeric: bool) -> str:
    """A lone `=` (the qualifier "exact") cannot run, so it stays as the column contract says."""
    return "'" + cell if not numeric and len(cell) > 1 and cell.startswith(_FORMULA_START) else cell


class TableWriter:
    """Writes rows as they come, so a long run never holds the whole table in memory."""

    def __init__(self, stream: TextIO, fmt: str = "csv", *, bom: bool = False) -> None:
        if fmt not in STREAM_FORMATS:
            raise OutputError(f"unknown format '{fmt}' (use one of: {', '.join(STREAM_FORMATS)})")
        self.stream = stream
        self.fmt = fmt
        self.rows = 0
        self._held: list[dict[str, str]] = []
        if bom and fmt == "csv":  # a BOM is for spreadsheets reading CSV; JSON readers reject it
            stream.write("\ufeff")
        if fmt == "csv":
            self._csv = csv.writer(stream, lineterminator="\n")
            self._csv.writerow(COLUMNS)

    def write(self, quantities: Iterable[Quantity]) -> None:
        for quantity in quantities:
            if self.fmt == "csv":
                self._csv.writerow(map(_neutral, cell_values(quantity), _NUMERIC_COLUMNS))
            elif self.fmt == "jsonl":
                self.stream.write(json.dumps(typed(cells(quantity)), ensure_ascii=False) + "\n")
            else:
                self._held.append(cells(quantity))
            self.rows += 1
        if self._held:
            self._show()  # a table per call (per document): rows appear as they come, memory stays flat

    def close(self) -> None:
        if self._held:
            self._show()

    def _show(self) -> None:
        from .show import print_rows

        print_rows(self._held, KEY_COLUMNS, self.stream)
        self._held = []


def typed(row: dict[str, str]) -> dict[str, object]:
    """Numbers as numbers, empty cells as null: what JSON, Excel and Parquet should hold."""
    out: dict[str, object] = {}
    for column, cell in row.items():
        if cell == "":
            out[column] = None
        elif column in NUMERIC:
            out[column] = int(cell) if cell.lstrip("-").isdigit() else float(cell)
        else:
            out[column] = cell
    return out


def write_frame(rows: list[dict[str, str]], path: Path, fmt: str) -> None:
    """Write a whole table as .xlsx or .parquet (their writers need it at once)."""
    import pandas as pd

    columns = list(rows[0]) if rows else list(COLUMNS)
    if fmt == "xlsx":
        _write_xlsx(rows, columns, path)
        return
    frame = pd.DataFrame([typed(row) for row in rows], columns=columns)
    frame.to_parquet(path, index=False, engine="pyarrow")


_XLSX_WIDEST = 60  # characters; a sentence column wider than this wraps out of sight anyway
# Control characters that XML 1.0, and so .xlsx, cannot hold (ESC, VT, …): dropped from cells.
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _write_xlsx(rows: list[dict[str, str]], columns: list[str], path: Path) -> None:
    """A sheet a person can read at once: a frozen, filterable header and columns wide enough
    for Chinese text. Text cells are written as text, never as formulas, so they need no `'`."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "quantities"
    sheet.append(columns)
    widths = [_display_width(column) for column in columns]
    for row in rows:
        values = typed(row)
        sheet.append([_XLSX_ILLEGAL.sub("", v) if isinstance(v, str) else v for v in (values[c] for c in columns)])
        for n, column in enumerate(columns):
            widths[n] = max(widths[n], _display_width(row[column]))
    for cells_ in sheet.iter_rows(min_row=2):
        for cell in cells_:
            if cell.data_type == "f":
                cell.data_type = "s"  # =1+1 in a report's text stays the text it is
    for n, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(n)].width = min(width + 2, _XLSX_WIDEST)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    book.save(path)


def _display_width(text: str) -> int:
    """Columns a text takes on screen: a Chinese character takes two."""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    return format_decimal(value) if isinstance(value, Decimal) else str(value)


def read_table(path: Path) -> "pd.DataFrame":  # noqa: F821 - pandas is imported lazily
    """A table written by `extract`: CSV (UTF-8, with or without BOM, or GBK after Excel) or JSON lines.

    Every cell stays text, so values compare exactly as written.
    """
    import pandas as pd

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EduMetricsError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if path.suffix.lower() in (".xlsx", ".parquet"):
        return _checked(_binary_table(path, data), path)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise EduMetricsError(f"{path}: not UTF-8 or GBK text")
    if path.suffix.lower() in (".jsonl", ".json"):
        records = []
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    record = json.loads(line, parse_float=Decimal)
                except json.JSONDecodeError:
                    raise EduMetricsError(f"{path}: line {number}: not JSON") from None
                if not isinstance(record, dict):
                    raise EduMetricsError(f"{path}: line {number}: not a JSON object (one row per line)")
                records.append({k: _cell_text(v) for k, v in record.items()})
        frame = pd.DataFrame(records, dtype=str)
    else:
        try:
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        except pd.errors.EmptyDataError:
            raise EduMetricsError(f"{path}: empty, not an edu-metrics table") from None
        except pd.errors.ParserError as exc:
            raise EduMetricsError(f"{path}: not a well-formed CSV ({str(exc).strip()})") from None
    frame = _numbers_as_written(_checked(frame, path), path)
    text_columns = [c for c in frame.columns if c not in NUMERIC]
    frame[text_columns] = frame[text_columns].map(_unquote)
    return frame


_MAX_EXPONENT = 24  # no figure of a report has more digits; 1e999999999 would print a billion


def _numbers_as_written(frame: "pd.DataFrame", path: Path) -> "pd.DataFrame":  # noqa: F821
    """Numeric cells as `extract` writes them, also after a spreadsheet round trip (2022.0, 6,210);
    a cell that is no finite number is refused with its row and column."""
    for column in [c for c in frame.columns if c in NUMERIC]:
        frame[column] = [_number_text(cell, column, row, path) for row, cell in enumerate(frame[column], 1)]
    return frame


def _number_text(cell: object, column: str, row: int, path: Path) -> str:
    text = "" if cell is None else str(cell).strip().replace(",", "")
    if text == "":
        return ""
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or (number and abs(number.adjusted()) > _MAX_EXPONENT):
        raise EduMetricsError(f"{path}: row {row}: column '{column}': {str(cell)[:40]!r} is not a number")
    if column in ("year", "start", "end"):
        if number != number.to_integral_value():
            raise EduMetricsError(f"{path}: row {row}: column '{column}': {str(cell)[:40]!r} is not a whole number")
        return str(int(number))
    return format_decimal(number)


def _checked(frame: "pd.DataFrame", path: Path) -> "pd.DataFrame":  # noqa: F821
    missing = [c for c in ("doc", "region", "year", "status", "indicator", "kind", "value", "unit", "start", "end") if c not in frame.columns]
    if missing:
        raise EduMetricsError(f"{path}: not an edu-metrics table (missing column {', '.join(missing)})")
    return frame


def _binary_table(path: Path, data: bytes) -> "pd.DataFrame":  # noqa: F821
    """The .xlsx or .parquet that `extract -o` wrote, every cell back to the text the CSV holds."""
    import pandas as pd

    fmt = path.suffix.lower().lstrip(".")
    require_extra(fmt)
    try:
        if fmt == "xlsx":
            frame = pd.read_excel(io.BytesIO(data), dtype=object, engine="openpyxl")
        else:
            frame = pd.read_parquet(io.BytesIO(data), engine="pyarrow")
    except Exception as exc:  # the readers raise many types for a damaged file
        raise EduMetricsError(f"{path}: not a readable .{fmt} file ({type(exc).__name__})") from None
    return frame.astype(object).map(_text_of)


def _text_of(value: object) -> str:
    """A cell of a typed table as the CSV writes it: no 2022.0 for a year, no 'nan' for nothing."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return format_decimal(Decimal(repr(value)))
    return str(value)


def _unquote(cell: str) -> str:
    """Undo `neutralise`, so a table read back holds what was extracted."""
    return cell[1:] if cell.startswith("'") and cell[1:2] and cell[1] in "=+-@\t\r" else cell
