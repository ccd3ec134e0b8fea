"""Cues: the words that decide a document's structure, a figure's status and its year.

Which lines are page furniture, which markers open a heading, which words make a part a
plan or a figure a target: these are facts of the language of reports, so they live in the
rule packs as `[[cues]]`, each with the texts it must and must not find. Python only asks
for a role and gets one compiled pattern, so a report expert extends the roles without
touching Python and `edu-metrics check` proves every cue on its own examples.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import regex

from . import kept
from .errors import RulePackError

# Every role the code reads, and what a cue of that role means. A pack may add cues to any of
# them; a role not listed here would be read by nobody, so the loader refuses it.
ROLES = {
    "noise": "text removed from the clean view that rules and names read (pinyin glosses, symbol runs, footnote marks, spaces inside a figure)",
    "furniture": "a short line of page furniture: navigation, share buttons, page counters, download prompts",
    "spam": "a short line of mirror-site spam",
    "meta-label": "a metadata label whose value stands on the next line (发布日期 / 2024-04-10)",
    "heading": "a heading marker at the start of a line or run into one after a sentence; `level` orders them",
    "not-heading": "a short line without punctuation that is no heading (同志们, 附件)",
    "not-place": "words before 市/县/区 that name no place (全市, 承办市政府)",
    "title": "words that make a line the report's title",
    "scope-verb": "a verb before a stage in a name that leaves the measure as it is (就读普通高中人数)",
    "not-title": "a line that mentions such words but is no title (关于…, 附件)",
    "review": "heading words of a part that reviews what was done: its figures are actual",
    "plan": "heading words of a part that plans: its figures are targets",
    "kind": "title words that say what kind of report it is; `value` names the kind",
    "speech": "wording of a speech anywhere near the top (同志们)",
    "period": "a named plan period; `value` is its first and last year (十四五 → 2021-2025)",
    "same-measure": "a sentence opening that makes its figures the same measure as the rate before (在2015年85%的基础上提升了1个百分点)",
    "baseline": "wording right after a year that makes it a baseline, not the figure's year (…的基础上)",
    "target": "wording before a figure, in its clause, that makes it a target (力争, 计划新建, 将)",
    "target-after": "wording right after a figure that makes it a target (的既定目标)",
    "present": "wording that states a present fact, even inside a plan (目前, 已)",
    "done": "wording that cancels a target cue in its own clause (完成, 实现)",
}
# The naming roles (rules/naming.toml): each cue's description says what it means there.
NAMING_ROLES = (
    "name-added", "name-aside", "name-amount-noun", "name-amount-suffix", "name-awarded", "name-bare-rate",
    "name-change-suffix", "name-change-verb", "name-compare", "name-change-words", "name-conjunction", "name-count-suffix",
    "name-degree", "name-done-to", "name-each", "name-event", "name-event-slogan", "name-event-word", "name-examples",
    "name-going", "name-head", "name-items", "name-labelled-verb", "name-leading", "name-light-verb",
    "name-levels", "name-list-join", "name-mask", "name-measure-suffix", "name-mobilise", "name-noun-end", "name-of-target", "name-ordinal",
    "name-owns", "name-paid", "name-people", "name-per", "name-per-unit", "name-person-noun", "name-place",
    "name-praise", "name-published", "name-qualifier-after", "name-rank-scope", "name-rank-verb",
    "name-rate-noun", "name-reaches", "name-review", "name-share-scope", "name-time", "name-topic-start", "name-trailing",
    "name-unit-suffix", "name-verb", "name-won-in", "name-word",
)
ROLES.update({role: "indicator naming (see the cue's description in rules/naming.toml)" for role in NAMING_ROLES})
# Roles whose cues carry a `value` (kind: the report kind; period: YYYY-YYYY; the naming roles
# that map a unit to a name's ending, or a head to the units that count it).
VALUED = {"kind", "period", "name-head", "name-unit-suffix", "name-amount-suffix", "name-change-suffix"}
# Roles read where they stand (a heading at a line's start, wording right after a figure or a
# year); their examples must match from their first character. The others are searched for.
ANCHORED = {"heading", "target-after", "baseline", "same-measure"}
NEVER = kept.compiled(r"(?!)")


def compiled_when_used(pattern: str, where: str) -> regex.Pattern:
    """A pattern of a pack checked before, compiled now (or rebuilt from the kept patterns);
    it failing means a cache file lied."""
    try:
        return kept.compiled(pattern)
    except regex.error as exc:
        raise RulePackError(f"{where}: key 'pattern': {exc}") from None


@dataclass(frozen=True)
class Cue:
    """One pattern of one role, with the texts that prove it."""

    id: str
    role: str
    pattern: str
    level: int = 0
    value: str = ""
    examples: tuple[str, ...] = ()
    counterexamples: tuple[str, ...] = ()
    source: str = ""
    line: int = 0

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}: cue '{self.id.split('.', 1)[-1]}'"

    @cached_property
    def compiled(self) -> regex.Pattern:
        """Compiled when first used: most roles are read through their one joined pattern."""
        return compiled_when_used(self.pattern, self.where)


class Cues:
    """The loaded cues, one compiled pattern per role (the alternation of its cues, in load order)."""

    def __init__(self, cues: Iterable[Cue] = ()) -> None:
        self.cues = tuple(cues)

    def __getitem__(self, role: str) -> regex.Pattern:
        """The role's cues as one pattern, compiled when the role is first asked for."""
        if role not in self._patterns:
            if role not in ROLES:
                raise KeyError(role)
            bodies = [f"(?:{cue.pattern})" for cue in self.of(role)]
            self._patterns[role] = kept.compiled("|".join(bodies)) if bodies else NEVER
        return self._patterns[role]

    def of(self, role: str) -> tuple[Cue, ...]:
        return self._by_role.get(role, ())

    @cached_property
    def _by_role(self) -> dict[str, tuple[Cue, ...]]:
        by_role: dict[str, list[Cue]] = {}
        for cue in self.cues:
            by_role.setdefault(cue.role, []).append(cue)
        return {role: tuple(cues) for role, cues in by_role.items()}

    @cached_property
    def _patterns(self) -> dict[str, regex.Pattern]:
        return {}

    def __getstate__(self) -> dict:
        return {"cues": self.cues}  # compiled per process, so workers receive only the cues

    def __setstate__(self, state: dict) -> None:
        self.cues = state["cues"]


def check_cue(cue: Cue) -> str | None:
    """None when the cue finds each of its examples and none of its counterexamples."""
    for n, text in enumerate(cue.examples, 1):
        if not _finds(cue, text):
            return f"{cue.where} example {n} {text!r}: the pattern finds nothing"
    for n, text in enumerate(cue.counterexamples, 1):
        if m := _finds(cue, text):
            return f"{cue.where} counterexample {n} {text!r}: the pattern finds {m[0]!r}"
    return None


def _finds(cue: Cue, text: str) -> regex.Match | None:
    """The cue's first non-empty match in `text` (from its start for an anchored role)."""
    if cue.role in ANCHORED:
        m = cue.compiled.match(text)
        return m if m and m.end() > m.start() else None
    return next((m for m in cue.compiled.finditer(text) if m.end() > m.start()), None)
