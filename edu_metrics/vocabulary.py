"""Standard indicator names: one measure, one name, in every report, year and place.

Statistics write a measure as a stage and a standard measure: `小学在校生数`, `学前教育在园幼儿数`,
`初中学校数`. Reports write the same thing many ways (`在校生人数`, `在校幼儿`, `校数`, `幼儿教育`,
`中职`), or leave the stage to a heading or the clause before (`——小学。校数3308所`). The
packs' `[[stages]]` and `[[measures]]` give the standard terms and their variants; this module
turns a phrase name into the standard one, taking the stage from the surrounding structure
when the phrase names none. Full names listed as `[[indicators]]` are replaced first.
"""

from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import regex

from . import kept
from .indicators import Indicator, canonicalise

_BRACKET = kept.compiled(r"（[^（）]*）$")
# Units that count schools, so `初中3945所` is a count of 初中学校.
SCHOOL_UNITS = ("所", "个", "家", "座")


@dataclass(frozen=True)
class Stage:
    """An education stage or type (学前教育, 小学, 中等职业教育) and the other ways reports write it.

    `renames` gives the stage's own word for a standard measure: 学前教育's 在校生数 is 在园幼儿数.
    A stage that does not `lend` its scope (各级各类学校, a total) names only its own figures; a
    school type may lend the stage it belongs to instead (`lends_to`: 普通小学 lends 小学).
    """

    name: str
    synonyms: tuple[str, ...] = ()
    renames: tuple[tuple[str, str], ...] = ()
    lends: bool = True
    lends_to: str = ""
    examples: tuple[dict, ...] = ()
    source: str = ""
    line: int = 0


@dataclass(frozen=True)
class Measure:
    """A standard measure (在校生数, 毛入学率) and its variants; `stage` when it implies one (在园幼儿数).

    `after_stage` variants name the measure only right after a stage the phrase itself names
    (普通高中人数, 技工学校学生数): alone, 人数 says nothing of what is counted.
    """

    name: str
    synonyms: tuple[str, ...] = ()
    stage: str = ""
    after_stage: tuple[str, ...] = ()
    examples: tuple[dict, ...] = ()
    source: str = ""
    line: int = 0


class Named(NamedTuple):
    """A standard name, the stage it is of, and whether it counts that stage's schools."""

    name: str
    stage: str = ""
    schools: bool = False


@dataclass(frozen=True)
class Vocabulary:
    """`scope_verbs` (the `scope-verb` cues) are dropped before a stage: 就读普通高中人数."""

    indicators: tuple[Indicator, ...] = ()
    stages: tuple[Stage, ...] = ()
    measures: tuple[Measure, ...] = ()
    scope_verbs: regex.Pattern | None = None
    _cache: dict = field(default_factory=dict, repr=False, compare=False, hash=False)

    @cached_property
    def _stage_of(self) -> dict[str, Stage]:
        return {word: stage for stage in self.stages for word in (stage.name, *stage.synonyms)}

    @cached_property
    def _measure_of(self) -> dict[str, Measure]:
        return {word: measure for measure in self.measures for word in (measure.name, *measure.synonyms)}

    @cached_property
    def _measure_words(self) -> list[str]:
        return sorted(self._measure_of, key=len, reverse=True)

    @cached_property
    def _after_stage(self) -> list[tuple[str, Measure]]:
        pairs = [(word, measure) for measure in self.measures for word in measure.after_stage]
        return sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)

    @cached_property
    def _stage_finder(self) -> regex.Pattern:
        words = sorted(self._stage_of, key=len, reverse=True)
        return kept.compiled("|".join(map(regex.escape, words)) or r"(?!)")

    def stage_in(self, text: str) -> str:
        """The one stage a heading or clause names (the last one named), else ""."""
        found = [self._stage_of[m[0]].name for m in self._stage_finder.finditer(text)]
        return found[-1] if found else ""

    @property
    def stage_words(self) -> dict[str, Stage]:
        """Every word that names a stage, with its stage."""
        return self._stage_of

    def stage_part(self, name: str) -> str:
        """A breakdown by stage of a wider stage's measure is the narrower stage's measure:
        义务教育随迁子女在校生数（小学） is 小学随迁子女在校生数; other names are returned as they are."""
        bracket = _BRACKET.search(name)
        part = bracket[0][1:-1] if bracket else ""
        if not part or part not in self._stage_of or self._stage_of[part].name != part:
            return name
        head = name[:bracket.start()]
        wider = max((word for word in self._stage_of if head.startswith(word)), key=len, default="")
        return part + head[len(wider):] if wider and len(head) > len(wider) else name

    def stage_ending(self, text: str) -> str:
        """The stage whose word `text` ends with (全市普通高中 → 普通高中), else ""."""
        word = max((word for word in self._stage_of if text.endswith(word)), key=len, default="")
        return self._stage_of[word].name if word else ""

    def stage_heading(self, heading: str) -> str:
        """The stage a heading is about, when it opens with one: 学前教育, 小学招生人数…, not 打好高等教育…战."""
        m = self._stage_finder.match(heading)
        return self._stage_of[m[0]].name if m else ""

    def standard(self, phrase: str, unit: str = "", scope: str = "") -> Named:
        """The standard name of a phrase name; `scope` is the stage its surroundings give."""
        key = (phrase, unit, scope)
        if key not in self._cache:
            if len(self._cache) > 50_000:
                self._cache.clear()  # bounded, however many distinct names a corpus has
            self._cache[key] = self._standard(phrase, unit, scope)
        return self._cache[key]

    def _standard(self, phrase: str, unit: str, scope: str) -> Named:
        bracket = _BRACKET.search(phrase)
        head = phrase[:bracket.start()] if bracket else phrase
        tail = bracket[0] if bracket else ""
        if tail[1:-1] in self._measure_of:  # 教职工数（专任教师）: a breakdown that is a measure of its own
            own = self._measure_at_end(head, unit)[1]
            return self._standard(own + tail[1:-1] if own in self._stage_of else tail[1:-1], unit, scope)
        # 中小学数（小学）: schools of a stage, named by the stage's own name, are that stage's schools
        # (民办 in 高中学校数（民办） is a kind of the schools; a share of another measure keeps its bracket)
        share = tail[1:-1]
        if unit == "所" and head.endswith("数") and share in self._stage_of and self._stage_of[share].name == share:
            return self._standard(share + "数", unit, scope)
        full = canonicalise(head, self.indicators)
        if full != head or any(full == indicator.name for indicator in self.indicators):
            return Named(full + tail, self.stage_in(full))
        head = self.scope_verbs.sub("", head, count=1) if self.scope_verbs else head
        measure, prefix = self._measure_at_end(head, unit)
        if measure is None:
            return Named(phrase, self._stage_of[head].name if head in self._stage_of else "")
        stage = self._stage_of.get(prefix)
        if stage is None and prefix:
            return Named(phrase, self.stage_in(prefix))  # 服务学生数, 普惠性幼儿园在园幼儿数: a scope of its own
        stage_name = stage.name if stage else (measure.stage or scope)
        stage = self._stage_of.get(stage_name)
        name = dict(stage.renames).get(measure.name, measure.name) if stage else measure.name
        lent = stage_name if stage is None or stage.lends else stage.lends_to
        return Named(_joined(stage_name, name) + tail, lent, measure.name == "学校数")

    def _measure_at_end(self, head: str, unit: str) -> tuple[Measure | None, str]:
        """The longest measure word the phrase ends with, and what stands before it.

        A stage counted in schools is its schools: 初中 + 3945所 → 初中学校数, and 普通高等学校 +
        5所 is 普通高校's, not a 普通高等 kind of 学校.
        """
        if unit in SCHOOL_UNITS and head.endswith("数") and head[:-1] in self._stage_of:
            return self._measure_of.get("学校数"), head[:-1]
        for word in self._measure_words:
            if head.endswith(word):
                return self._measure_of[word], head[:-len(word)]
        for word, measure in self._after_stage:
            if head.endswith(word) and self._stage_of.get(head[:-len(word)]):
                return measure, head[:-len(word)]
        return None, ""


def _joined(stage: str, measure: str) -> str:
    """各级各类学校 + 学校数 is 各级各类学校数: a word they share is written once (小学 + 学校数 shares none)."""
    overlap = next((k for k in range(min(len(stage), len(measure)), 1, -1) if stage.endswith(measure[:k])), 0)
    return stage + measure[overlap:]


def check_vocabulary(vocabulary: Vocabulary) -> list[str]:
    """Every stage's and measure's examples: the phrase, with its unit and scope, gives the name."""
    problems = []
    names = {stage.name for stage in vocabulary.stages}
    for stage in vocabulary.stages:
        if stage.lends_to and stage.lends_to not in names:
            problems.append(f"{stage.source}:{stage.line}: stage '{stage.name}' lends_to '{stage.lends_to}', which is no stage")
    for entry in (*vocabulary.stages, *vocabulary.measures):
        kind = "stage" if isinstance(entry, Stage) else "measure"
        for n, example in enumerate(entry.examples, 1):
            got = vocabulary.standard(example["text"], example.get("unit", ""), example.get("scope", "")).name
            if got != example["name"]:
                problems.append(
                    f"{entry.source}:{entry.line}: {kind} '{entry.name}' example {n} {example['text']!r}: "
                    f"named {got!r}, expected {example['name']!r}"
                )
    return problems
