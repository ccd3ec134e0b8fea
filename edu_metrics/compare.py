"""Across years and across runs: the wide comparison table, and the diff of two extractions.

`compare` lines up one indicator of one place year by year, computes the latest change and
sets it beside the change the reports state, so a reader sees at once whether the figures
agree. Two reports that disagree on the same year are shown side by side, never dropped.
`diff` keys rows by document and overlapping span, so a rule edit reads as a short list of
rows added, removed or changed.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from .errors import EduMetricsError
from .numerals import format_decimal

if TYPE_CHECKING:  # pandas costs a third of a second to import; only compare and diff need it
    import pandas as pd

    from .extract import Quantity

DEFAULT_BY = ("region", "indicator")
# Agreement between a stated change and the computed one allows for rounding in the reports.
_TOLERANCE = Decimal("0.015")


def compare(frame: "pd.DataFrame", by: Sequence[str] = DEFAULT_BY, status: str = "actual") -> "pd.DataFrame":
    """One row per (by…, unit), one column per year, then latest, stated and agree columns."""
    import pandas as pd

    unknown = [column for column in by if column not in frame.columns]
    if unknown:
        raise EduMetricsError(f"--by: no column {', '.join(unknown)} (use columns of the table)")
    rows = frame[frame["year"] != ""]
    if status != "all":
        rows = rows[rows["status"] == status]
    levels = rows[rows["kind"] != "change"]
    changes = rows[rows["kind"] == "change"]
    key = [*by, "unit"]
    years = sorted({int(y) for y in levels["year"]})
    stated = _stated_changes(changes, list(by))
    out = []
    for group, part in levels.groupby(key, sort=True):
        record = dict(zip(key, group, strict=True))
        series: dict[int, Decimal] = {}
        present = []
        for year in years:
            cell, value = _year_cell(part[part["year"] == str(year)])
            record[str(year)] = cell
            if cell:
                present.append(year)
            if value is not None:
                series[year] = value
        record.update(_latest(series, max(present), record["unit"], stated.get(tuple(group[:-1]), {})))
        out.append(record)
    columns = [*key, *map(str, years), "latest_change", "stated_change", "agree"]
    return pd.DataFrame(out, columns=columns)


def _year_cell(part: "pd.DataFrame") -> tuple[str, Decimal | None]:
    """A year's value; conflicting values are listed with their documents."""
    values = sorted({(Decimal(v), doc) for v, doc in zip(part["value"], part["doc"], strict=True)})
    distinct = sorted({v for v, _ in values})
    if not distinct:
        return "", None
    if len(distinct) == 1:
        return format_decimal(distinct[0]), distinct[0]
    return " | ".join(f"{format_decimal(v)} ({doc})" for v, doc in values), None


def _stated_changes(changes: "pd.DataFrame", by: list[str]) -> dict[tuple, dict[int, list[tuple[Decimal, str]]]]:
    stated: dict[tuple, dict[int, list[tuple[Decimal, str]]]] = {}
    for _, row in changes.iterrows():
        try:
            value = Decimal(row["value"])
        except InvalidOperation:
            continue
        group = tuple(row[column] for column in by)
        stated.setdefault(group, {}).setdefault(int(row["year"]), []).append((value, row["unit"]))
    return stated


def _latest(
    series: dict[int, Decimal], latest_year: int, unit: str, stated: dict[int, list[tuple[Decimal, str]]]
) -> dict[str, str]:
    """The change into the latest year from the year before it, and the change the reports state.

    A latest year whose reports disagree has no computed change; its stated change still shows.
    """
    result = {"latest_change": "", "stated_change": "", "agree": ""}
    computed = None
    earlier = [year for year in series if year < latest_year]
    if latest_year in series and earlier:
        last, before = latest_year, max(earlier)
        computed = (series[last], series[before])
        change_unit = "pp" if unit == "%" else unit
        result["latest_change"] = f"{format_decimal(series[last] - series[before])} {change_unit}".strip()
    said = stated.get(latest_year, [])
    if said:
        result["stated_change"] = "; ".join(f"{format_decimal(v)} {u}".strip() for v, u in said)
    if computed and said:
        result["agree"] = "yes" if any(_agrees(v, u, *computed, unit) for v, u in said) else "no"
    return result


def _agrees(stated: Decimal, stated_unit: str, new: Decimal, old: Decimal, unit: str) -> bool:
    """A stated change agrees if it is the difference (in points or units) or the relative change."""
    difference = new - old
    candidates = [difference] if stated_unit in ("pp", unit) or (unit == "%" and stated_unit == "%") else []
    if stated_unit == "%" and old:
        candidates.append(difference * 100 / old)
    return any(abs(abs(stated) - abs(c)) <= _TOLERANCE * max(1, abs(c)) and (stated >= 0) == (c >= 0) for c in candidates)


@dataclass(frozen=True)
class Difference:
    """One line of a diff: `+` added, `-` removed, `~` changed (with the fields that changed)."""

    sign: str
    doc: str
    start: int
    text: str
    detail: str

    def __str__(self) -> str:
        return f"{self.sign} {self.doc}:{self.start} {self.text}  {self.detail}"


_DESCRIBE = ("kind", "value", "unit", "qualifier", "indicator", "rule")


def diff(old: "pd.DataFrame", new: "pd.DataFrame") -> list[Difference]:
    """Rows added, removed or changed; a row keeps its identity while its span overlaps."""
    differences = []
    compared = [c for c in new.columns if c in old.columns and c not in ("start", "end", "text")]
    for doc in sorted(set(old["doc"]) | set(new["doc"])):
        before = _spans(old[old["doc"] == doc])
        after = _spans(new[new["doc"] == doc])
        matched_old = set()
        for start, end, row in after:
            twin = next(
                (i for i, (s, e, _) in enumerate(before) if i not in matched_old and s < end and start < e), None
            )
            if twin is None:
                differences.append(Difference("+", doc, start, row["text"], _summary(row)))
                continue
            matched_old.add(twin)
            was = before[twin][2]
            changed = [f"{c} {was[c]!r} → {row[c]!r}" for c in compared if was[c] != row[c]]
            if was["text"] != row["text"]:
                changed.insert(0, f"text {was['text']!r} → {row['text']!r}")
            if changed:
                differences.append(Difference("~", doc, start, row["text"], "; ".join(changed)))
        for i, (start, _, row) in enumerate(before):
            if i not in matched_old:
                differences.append(Difference("-", doc, start, row["text"], _summary(row)))
    return sorted(differences, key=lambda d: (d.doc, d.start, d.sign))


def _spans(part: "pd.DataFrame") -> list[tuple[int, int, dict[str, str]]]:
    rows = ((int(r["start"]), int(r["end"]), r) for r in part.to_dict("records"))
    return sorted(rows, key=lambda item: (item[0], item[1]))


def _summary(row: dict[str, str]) -> str:
    return " ".join(f"{c}={row[c]}" for c in _DESCRIBE if row.get(c))


@dataclass(frozen=True)
class Collision:
    """Figures of one document that share a name though they differ: two measures, one column."""

    doc: str
    indicator: str
    year: str
    status: str
    unit: str
    texts: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.doc}: '{self.indicator}' ({self.year}, {self.status}, {self.unit or '-'}) names {', '.join(self.texts)}"


def collisions(rows: Iterable["Quantity"]) -> tuple[list[Collision], int, int]:
    """Names shared by level rows (not changes or ranks) of one document with the same year,
    status and unit but different values; with the number of such rows and of all level rows.

    `由176家压减至2家` is one measure at two times and is listed too: the list is for a rule
    author to read, not a verdict.
    """
    values: dict[tuple, dict[str, str]] = {}
    counts: dict[tuple, int] = {}
    for row in rows:
        if row.kind in ("change", "rank"):
            continue
        key = (row.doc, row.indicator, "" if row.year is None else str(row.year), row.status, row.unit)
        values.setdefault(key, {}).setdefault(format_decimal(row.value), row.text)
        counts[key] = counts.get(key, 0) + 1
    shared = [key for key, seen in values.items() if len(seen) > 1]
    found = [Collision(*key, tuple(values[key].values())) for key in shared]
    return found, sum(counts[key] for key in shared), sum(counts.values())
