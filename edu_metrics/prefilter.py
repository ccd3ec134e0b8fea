"""One pass that finds where rules can match, so each rule's exact pattern scans only there.

Scanning a text once per rule costs about 17 ms a MB each: the `regex` module tries every rule at
every numeral. With the `fast` extra, the rules are compiled into one hyperscan database in
prefilter mode, a superset of each pattern, so no match is lost. One pass reports where each rule
may end; its exact pattern then scans only a window before each end, widened over numeral runs
(which have no bound). A rule may declare an `anchor` (literal words every match stands near)
where hyperscan cannot see what makes it selective (a lookbehind). A rule whose ends crowd a
text, or that hyperscan cannot take, is scanned whole. The claims are the same with and without
hyperscan; `edu-metrics check` compares them on every rule's examples and on the seeds.
"""

from collections.abc import Sequence
from typing import Any

import regex

from .cache import cache_folder, key_of, store

# A match reaches at most this many characters besides numerals back from its end (the longest
# on the seeds and dev set is 11); lookaheads read at most AFTER characters past it.
REACH = 64
AFTER = 32
DENSE = 24  # more than one reported end per this many characters: scanning whole is cheaper
MIN_CHARS = 2_000  # a shorter text (a sentence, an example) is scanned whole: not worth loading hyperscan
_NUMERAL = "0-9零〇一二两三四五六七八九十百千万亿,.，．"
# From a window's start, back over REACH characters, numeral runs free.
_BACK = regex.compile(rf"(?r)(?:[{_NUMERAL}]*[^{_NUMERAL}]){{0,{REACH}}}[{_NUMERAL}]*")
_FORWARD = regex.compile(rf"(?:[{_NUMERAL}]*[^{_NUMERAL}]){{0,{AFTER}}}[{_NUMERAL}]*")
_NAMED_GROUP = regex.compile(r"\(\?P<\w+>")
_UNICODE_ESCAPE = regex.compile(r"\\u([0-9a-fA-F]{4})")


def hyperscan_module() -> Any | None:
    try:
        import hyperscan
    except ImportError:
        return None
    return hyperscan


class Prefilter:
    """The compiled pass for a set of rules; `windows` says where each rule is to be scanned."""

    def __init__(self, rules: Sequence[Any]) -> None:
        self.expressions = [_expression(rule) for rule in rules]
        self._database: Any = None

    def windows(self, clean: str) -> dict[int, list[tuple[int, int]]]:
        """Rule index → (start, end) windows of `clean`; a rule not in it is scanned whole."""
        database, usable = self.database
        hits = self._ends(database, clean)
        windows: dict[int, list[tuple[int, int]]] = {index: [] for index in usable}  # no end: nothing to scan
        # Rules end at the same places (a unit after a numeral): each bound is found once.
        backs: dict[int, int] = {}
        forwards: dict[int, int] = {}
        for index, ends in hits.items():
            if len(ends) * DENSE > len(clean):
                del windows[index]
                continue
            groups: list[list[int]] = []
            for end in ends:  # sorted
                if groups and end - REACH <= groups[-1][1] + AFTER:
                    groups[-1][1] = end
                else:
                    groups.append([end, end])
            merged: list[tuple[int, int]] = []
            for first, last in groups:
                if (low := backs.get(first)) is None:
                    low = backs[first] = _back(clean, first)
                if (high := forwards.get(last)) is None:
                    high = forwards[last] = _forward(clean, last)
                if merged and low <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], high))
                else:
                    merged.append((low, high))
            windows[index] = merged
        return windows

    @staticmethod
    def _ends(database: Any, clean: str) -> dict[int, list[int]]:
        """Character offsets where each rule's prefilter reports an end (or its anchor ends)."""
        data = clean.encode("utf-8", "surrogatepass")
        found: dict[int, set[int]] = {}

        def on_match(index: int, start: int, end: int, flags: int, context: object) -> None:
            found.setdefault(index, set()).add(end)

        database.scan(data, match_event_handler=on_match)
        offsets: dict[int, int] = {}
        at = chars = 0
        for end in sorted(set().union(*found.values())):  # bytes to characters, decoding once in order
            chars += len(data[at:end].decode("utf-8", "surrogatepass"))
            offsets[end], at = chars, end
        return {index: sorted(offsets[end] for end in ends) for index, ends in found.items()}

    @property
    def database(self) -> tuple[Any, frozenset[int]]:
        """The compiled pass and the indexes of the rules in it."""
        if self._database is None:
            self._database = _database(self.expressions)
        return self._database


def _expression(rule: Any) -> bytes | None:
    """What hyperscan compiles for a rule: its anchor, else its pattern without group names."""
    if getattr(rule, "anchor", None):
        return rule.anchor.encode("utf-8")
    pattern = _UNICODE_ESCAPE.sub(lambda m: regex.escape(chr(int(m[1], 16))), _NAMED_GROUP.sub("(?:", rule.pattern))
    return pattern.encode("utf-8")


def _back(clean: str, end: int) -> int:
    """Where a window must start for a match ending at `end` to begin in it."""
    return _BACK.match(clean, 0, end).start()


def _forward(clean: str, end: int) -> int:
    """Where a window must end for what a match after an anchor at `end`, and its lookahead, reads."""
    return _FORWARD.match(clean, end).end()


def _database(expressions: list[bytes | None]) -> tuple[Any, frozenset[int]]:
    """The compiled pass and the rules in it, from the cache when these expressions were
    compiled before (a cache file is the indexes in it, a newline, then the database)."""
    hyperscan = hyperscan_module()
    cached = cache_folder() / f"prefilter-{key_of(_version(), expressions)}.hsdb"
    try:
        head, _, body = cached.read_bytes().partition(b"\n")
        usable = frozenset(int(index) for index in head.split(b",") if index)
        database = hyperscan.loadb(body, hyperscan.HS_MODE_BLOCK)
    except (OSError, ValueError, hyperscan.error):
        items = [(index, e) for index, e in enumerate(expressions) if e is not None]
        try:
            database = _compiled(hyperscan, items)
        except hyperscan.error:  # some pattern it cannot take: find it, scan its rule whole
            items = [item for item in items if _compiles(hyperscan, item)]
            database = _compiled(hyperscan, items)
        usable = frozenset(index for index, _ in items)
        store(cached, ",".join(map(str, sorted(usable))).encode() + b"\n" + hyperscan.dumpb(database))
    database.scratch = hyperscan.Scratch(database)
    return database, usable


_FLAGS = ("HS_FLAG_PREFILTER", "HS_FLAG_UTF8", "HS_FLAG_UCP", "HS_FLAG_ALLOWEMPTY")


def _compiled(hyperscan: Any, usable: list[tuple[int, bytes]]) -> Any:
    flags = 0
    for name in _FLAGS:
        flags |= getattr(hyperscan, name)
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(
        expressions=[e for _, e in usable], ids=[i for i, _ in usable], elements=len(usable), flags=[flags] * len(usable),
    )
    return database


def _compiles(hyperscan: Any, item: tuple[int, bytes]) -> bool:
    try:
        _compiled(hyperscan, [item])
        return True
    except hyperscan.error:
        return False


def _version() -> str:
    """hyperscan's own version (importlib.metadata would add 0.03 s to every start)."""
    return str(getattr(hyperscan_module(), "__version__", ""))
