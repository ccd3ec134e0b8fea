"""Row filters shared by `extract` and `compare`: keep the indicators, kinds, years and statuses asked for."""

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import EduMetricsError

KINDS = ("rate", "count", "amount", "change", "rank")
STATUSES = ("actual", "target")


@dataclass(frozen=True)
class RowFilter:
    """Each field is a list of accepted values; an empty list accepts every value.

    An indicator is matched whole, or as a glob when it has `*` or `?` (`*在校生数`).
    """

    indicators: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    years: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()

    @classmethod
    def of(cls, indicators: Sequence[str] = (), kinds: Sequence[str] = (), years: Sequence[str] = (),
           statuses: Sequence[str] = ()) -> "RowFilter":
        for name, given, allowed in (("--kind", kinds, KINDS), ("--status", statuses, STATUSES)):
            for value in given:
                if value not in allowed:
                    raise EduMetricsError(f"{name}: unknown value '{value}' (use one of: {', '.join(allowed)})")
        for year in years:
            if not year.isdigit():
                raise EduMetricsError(f"--year: '{year}' is not a year")
        return cls(tuple(indicators), tuple(kinds), tuple(str(int(y)) for y in years), tuple(statuses))

    def __bool__(self) -> bool:
        return bool(self.indicators or self.kinds or self.years or self.statuses)

    def accepts(self, indicator: str, kind: str, year: object, status: str) -> bool:
        """True for a row that every given field accepts (`year` as an int, a text cell or None)."""
        return (
            (not self.indicators or any(_named(indicator, pattern) for pattern in self.indicators))
            and (not self.kinds or kind in self.kinds)
            and (not self.years or ("" if year is None else str(year)) in self.years)
            and (not self.statuses or status in self.statuses)
        )


def _named(indicator: str, pattern: str) -> bool:
    return fnmatch.fnmatchcase(indicator, pattern) if any(c in pattern for c in "*?[") else indicator == pattern
