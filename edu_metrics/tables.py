"""Flattened tables: what a number in a tab-separated row takes from its column header.

Statistics releases and web pages give figures as tables; as text (and as our HTML reader
writes them) each row is a line of tab-separated cells, and the unit, the year or the name
stand in the header: `学校类别\t学校数（所）\t在校生（万人）` / `小学\t320\t32.1`.
"""

from dataclasses import dataclass
from decimal import Decimal

from . import kept
from .numerals import fold

_UNIT = kept.compiled(r"[（(]\s*(?P<magnitude>万|亿)?(?P<unit>[^()（）\d]{1,4})\s*[)）]")
_YEAR = kept.compiled(r"((?:19|20)[0-9]{2})\s*年?")
_MAGNITUDE = {"万": Decimal(10) ** 4, "亿": Decimal(10) ** 8}
_MONEY = ("元",)


@dataclass(frozen=True)
class Column:
    """What a column header says of the numbers below it."""

    label: str = ""
    unit: str = ""
    scale: Decimal = Decimal(1)
    year: int | None = None
    row_label: str = ""


def column_of(text: str, start: int) -> Column | None:
    """The header facts for the cell at `start`, or None when it stands in no table."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    if "\t" not in line:
        return None
    index = text.count("\t", line_start, start)
    header = _header_line(text, line_start)
    cells = header.split("\t")
    if line.count("\t") == len(cells):
        index -= 1  # the header leaves out the row labels' column: 学校数\t在校生 over 小学\t45\t38620
    if header == line or not 0 <= index < len(cells):
        return None
    cell = fold(cells[index]).strip()
    row_label = fold(line.split("\t", 1)[0]).strip()
    # The unit stands in the column header, or in the row label when the columns are years:
    # 学前三年毛入园率（%） over 2020年 and 2025年.
    unit = _UNIT.search(cell) or _UNIT.search(row_label)
    year = _YEAR.search(cell)
    label = _UNIT.sub("", _YEAR.sub("", cell)).strip()
    return Column(
        label=label,
        unit=unit["unit"].strip() if unit else "",
        scale=_MAGNITUDE[unit["magnitude"]] if unit and unit["magnitude"] else Decimal(1),
        year=int(year[1]) if year else None,
        row_label=_UNIT.sub("", row_label).strip(),
    )


def kind_of(unit: str, default: str) -> str:
    """A percentage column holds rates and a money column amounts; other columns keep the rule's kind."""
    if unit == "%":
        return "rate"
    if unit.endswith(_MONEY):
        return "amount"
    return default


def _header_line(text: str, line_start: int) -> str:
    """The first line of the block of tab-separated lines that holds `line_start`."""
    start = line_start
    while start > 0:
        previous_start = text.rfind("\n", 0, start - 1) + 1
        previous = text[previous_start:start - 1]
        if "\t" not in previous:
            break
        start = previous_start
    end = text.find("\n", start)
    return text[start:end if end >= 0 else len(text)]
