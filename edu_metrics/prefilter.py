"""One pass that finds where rules can match, so each rule's exact pattern scans only there.

Scanning a text once per rule costs about 17 ms a MB each: the `regex` module tries every rule at
every numeral. With the `fast` extra, the rules are compiled into one hyperscan database in
prefilter mode, a superset of each pattern, so no match is lost. One pass reports where each rule
may end; its exact pattern then scans only a window around each end, as wide as the pattern can
reach (reach.py) and widened over numeral runs (which have no bound). A rule may declare an
`anchor` (literal words every match stands near) where hyperscan cannot see what makes it
selective (a lookbehind). A rule whose ends crowd a text, or that hyperscan cannot take, is
scanned whole. The claims are the same with and without hyperscan; `edu-metrics check` compares
them on every rule's examples and on the seeds.
"""

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import regex

from . import kept
from .cache import cache_folder, key_of, store
from .reach import NUMERALS, method, unnamed, window

DENSE = 24  # more than one reported end per this many characters: scanning whole is cheaper
MIN_CHARS = 2_000  # a shorter text (a sentence, an example) is scanned whole: not worth loading hyperscan
_NUMERAL = regex.escape("".join(sorted(NUMERALS)), special_only=True)
_UNICODE_ESCAPE = kept.compiled(r"\\u([0-9a-fA-F]{4})")


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
        self.patterns = [None if getattr(rule, "anchor", None) else rule.pattern for rule in rules]
        self._compiled: Compiled | None = None

    def windows(self, clean: str) -> dict[int, list[tuple[int, int]]]:
        """Rule index → (start, end) windows of `clean`; a rule not in it is scanned whole."""
        compiled = self.compiled
        hits = self._ends(compiled.database, clean)
        windows: dict[int, list[tuple[int, int]]] = {index: [] for index in compiled.usable}  # no end: nothing to scan
        # Rules end at the same places (a unit after a numeral): each bound is found once.
        bounds: dict[tuple[int, int, bool], int] = {}
        for index, ends in hits.items():
            if len(ends) * DENSE > len(clean):
                del windows[index]
                continue
            back, forward = compiled.reaches[index]
            groups: list[list[int]] = []
            for end in ends:  # sorted
                if groups and end - back <= groups[-1][1] + forward:
                    groups[-1][1] = end
                else:
                    groups.append([end, end])
            merged: list[tuple[int, int]] = []
            for first, last in groups:
                if (low := bounds.get((first, back, True))) is None:
                    low = bounds[first, back, True] = _bound(back, True).match(clean, 0, first).start()
                if (high := bounds.get((last, forward, False))) is None:
                    high = bounds[last, forward, False] = _bound(forward, False).match(clean, last).end()
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
    def compiled(self) -> "Compiled":
        if self._compiled is None:
            self._compiled = _compiled_pass(self.expressions, self.patterns)
        return self._compiled


class Compiled(NamedTuple):
    """The one pass, the indexes of the rules in it, and how far each rule's window reaches back
    from a reported end and on past it (characters besides numerals)."""

    database: Any
    usable: frozenset[int]
    reaches: tuple[tuple[int, int], ...]


def _expression(rule: Any) -> bytes | None:
    """What hyperscan compiles for a rule: its anchor, else its pattern without group names."""
    if getattr(rule, "anchor", None):
        return rule.anchor.encode("utf-8")
    pattern = _UNICODE_ESCAPE.sub(lambda m: regex.escape(chr(int(m[1], 16))), unnamed(rule.pattern))
    return pattern.encode("utf-8")


@cache
def _bound(characters: int, backwards: bool) -> regex.Pattern:
    """Over `characters` characters besides numerals, numeral runs free: from an end back to
    where a window must start, or from an end on to where it must end."""
    return kept.compiled(rf"{'(?r)' if backwards else ''}(?:[{_NUMERAL}]*[^{_NUMERAL}]){{0,{characters}}}[{_NUMERAL}]*")


def _compiled_pass(expressions: list[bytes | None], patterns: list[str | None]) -> Compiled:
    """The compiled pass, from the cache when these rules were compiled before (a cache file is a
    line of JSON with the usable indexes and the reaches, then the database)."""
    hyperscan = hyperscan_module()
    cached = cache_folder() / f"prefilter-{key_of(_version(), method(), expressions, patterns)}.hsdb"
    try:
        database, usable, reaches = _read(cached, hyperscan, len(patterns))
    except (OSError, ValueError, KeyError, TypeError, hyperscan.error):
        items = [(index, e) for index, e in enumerate(expressions) if e is not None]
        try:
            database = _database(hyperscan, items)
        except hyperscan.error:  # some pattern it cannot take: find it, scan its rule whole
            items = [item for item in items if _compiles(hyperscan, item)]
            database = _database(hyperscan, items)
        usable = frozenset(index for index, _ in items)
        reaches = tuple(map(window, patterns))
        head = json.dumps({"usable": sorted(usable), "reaches": reaches}).encode()
        store(cached, head + b"\n" + hyperscan.dumpb(database))
    database.scratch = hyperscan.Scratch(database)
    return Compiled(database, usable, reaches)


def _read(cached: Path, hyperscan: Any, rules: int) -> Compiled:
    """A cached pass, or ValueError when the file does not hold one for this many rules."""
    head, _, body = cached.read_bytes().partition(b"\n")
    known = json.loads(head)
    usable, reaches = frozenset(known["usable"]), tuple(tuple(pair) for pair in known["reaches"])
    well_formed = lambda pair: len(pair) == 2 and all(type(n) is int and n >= 0 for n in pair)  # noqa: E731
    if len(reaches) != rules or not all(map(well_formed, reaches)) or not usable <= set(range(rules)):
        raise ValueError(f"{cached}: not a pass for these rules")
    return Compiled(hyperscan.loadb(body, hyperscan.HS_MODE_BLOCK), usable, reaches)


_FLAGS = ("HS_FLAG_PREFILTER", "HS_FLAG_UTF8", "HS_FLAG_UCP", "HS_FLAG_ALLOWEMPTY")


def _database(hyperscan: Any, usable: list[tuple[int, bytes]]) -> Any:
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
        _database(hyperscan, [item])
        return True
    except hyperscan.error:
        return False


def _version() -> str:
    """hyperscan's own version (importlib.metadata would add 0.03 s to every start)."""
    return str(getattr(hyperscan_module(), "__version__", ""))
