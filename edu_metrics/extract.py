"""Extraction: (document, rules) → quantities. Pure: no I/O, no printing.

Every rule proposes claims (spans with a reading); the claims are resolved so that each
stretch of text yields at most one row: the highest priority wins, then the longer span,
then the earlier start, then the rule declared first. Exclusions take part in the same
resolution and yield nothing, which is how `第三批` keeps `三批` from becoming a count.
"""

import re
import time
from collections.abc import Iterator, Sequence
from typing import NamedTuple
from dataclasses import dataclass, fields, replace
from decimal import Decimal

import regex

from . import kept
from .cues import Cues
from .documents import ACTUAL, SENTENCE_ENDS, TARGET, Document, Section, parse_document, status_of_heading
from .indicators import clause_begins, namer_for
from .errors import DocumentError, EduMetricsError
from .numerals import NumeralError, parse_number
from .prefilter import MIN_CHARS
from .rules import INDICATOR_FIELD, Rule, builtin_cues
from .tables import column_of, kind_of
from .vocabulary import Vocabulary

UNIT_ALIASES = {"个百分点": "pp", "百分点": "pp", "平米": "平方米"}
# Plain patterns are the standard library's `re` (faster to call than `regex`, and read alike);
# the ones with \p{Han}, \s (whose class differs between the two) or a variable lookbehind are
# `regex`. Table columns whose numbers are labels, not measures:
_NOT_A_MEASURE = re.compile(r"序号|编号|代码|年份|年度(?!目标|计划|任务)|排名|名次|邮编|电话")

# Status cues (plan, present, done) are pack data: the `target`, `target-after`, `present` and
# `done` cues of the document's rule packs, read from the start of the quantity's clause group
# (a sentence, or the part after the last ；) up to the quantity.
_CUE_SCOPE = "；;"
# 至少/不超过 before a verb (not before a number, which the rule reads) bounds every figure the
# verb takes in its clause; a list with 、 stays one clause, so 市级20项、区级10项 are both bound.
_NOT_A_NUMBER = r"(?![0-9零一二两三四五六七八九十百千万几数近约])"
_AT_LEAST_DOING = re.compile(r"(?:至少|不少于|不低于)" + _NOT_A_NUMBER)
_AT_MOST_DOING = re.compile(r"(?:不超过|最多|不多于|不高于)" + _NOT_A_NUMBER)
_CLAUSE_SCOPE = "，,；;：:"
_CLAUSE_BREAK = kept.compiled(r"[，,；;：:、（）()“”\s]")
# A year of the quantity's own sentence; a baseline (较2021年) or a period (2023—2025年) is not one.
# A school year (2021~2022学年, 2021/2022学年) is its first year.
_YEAR_IN_CLAUSE = kept.compiled(
    r"(?<![0-9零一二三四五六七八九较比与—–\-~至/])(20[0-9]{2}|二零[零一二三四五六七八九]{2})"
    r"(?:年(?!度|以来|底前|[—–\-~至])|(?=\s*[~～\-—–/至]\s*20[0-9]{2}\s*学年))"
)
# A named period as a time (“十三五”期间, 十四五末), not in a name (“十四五”重点学科).
_DURING = re.compile(r"[”\"]?(?:期间|时期|末)")
_RELATIVE_YEAR = {"今年": 0, "本年": 0, "当年": 0, "去年": -1, "上年": -1}


@dataclass(frozen=True)
class Quantity:
    """One row of the tidy table; field order is the column order."""

    doc: str
    region: str
    year: int | None
    status: str
    section: str
    indicator: str
    kind: str
    value: Decimal
    value_max: Decimal | None
    unit: str
    qualifier: str
    baseline: str
    text: str
    sentence: str
    start: int
    end: int
    rule: str


COLUMNS = tuple(f.name for f in fields(Quantity))


class Claim(NamedTuple):
    """A span one rule wants, with the match that explains it (a tuple: there are many)."""

    rule: Rule
    order: int
    start: int
    end: int
    match: regex.Match


def extract_text(text: str, rules: Sequence[Rule], doc: str = "") -> list[Quantity]:
    """Quantities in a plain string; the convenience entry for notebooks and tests."""
    return extract_document(parse_document(text, doc, cues=getattr(rules, "cues", None)), rules)


# Every rule's scan of a document runs under a time limit that grows with the document: normal
# text needs about 0.02 s per MB per rule, a pathological one (ten million digits) about 0.15.
RULE_SECONDS_BASE = 5.0
RULE_SECONDS_PER_MB = 2.0
# Building the rows of a document runs under a time limit too (normal text: about 1 s per MB).
ROW_SECONDS_BASE = 30.0
ROW_SECONDS_PER_MB = 30.0
_CLOCK_EVERY = 256  # rows between looks at the clock


class RuleTimeout(EduMetricsError):
    """A rule's scan of one text ran out of time: a pathological input or pattern."""


def extract_document(document: Document, rules: Sequence[Rule]) -> list[Quantity]:
    """Quantities in a parsed document, in reading order.

    A rule that runs out of time fails this document with a message that names the rule; it
    never hangs or stops the run. A span whose numerals read as no number (十百个) gives no
    row; `edu-metrics check` catches a rule that does this to its own examples.
    """
    vocabulary = getattr(rules, "vocabulary", None)  # a plain list of rules has no names
    try:
        claims = claims_of(document, rules)
    except RuleTimeout as exc:
        raise DocumentError(f"{document.name}: {exc}") from None
    budget = ROW_SECONDS_BASE + ROW_SECONDS_PER_MB * len(document.text) / 1e6
    deadline = time.monotonic() + budget
    rows = []
    for n, (_, row, _) in enumerate(quantities_of(document, claims, vocabulary)):
        if n % _CLOCK_EVERY == 0 and time.monotonic() > deadline:
            raise DocumentError(f"{document.name}: gave up building its rows after {budget:.0f} s (a pathological input)")
        if row is not None:
            rows.append(row)
    return rows


def claims_of(document: Document, rules: Sequence[Rule]) -> list[Claim]:
    """The winning claims in the document's clean view, exclusions included, in reading order."""
    return resolve(find_claims(document.clean, rules), len(document.clean))


NO_NUMBER, NOT_A_CELL = "reads as no number", "is no table cell"


def quantities_of(
    document: Document, claims: Sequence[Claim], vocabulary: Vocabulary | None = None, traces: list | None = None
) -> Iterator[tuple[Claim, Quantity | None, str | None]]:
    """Each quantity claim with its row, or with the reason it gives none.

    The one path from claims to rows: extraction keeps the rows, `check` also reads the reasons,
    and `explain` the decisions (`traces` receives one dict per row).
    """
    previous = None
    scopes = Scopes(vocabulary or Vocabulary(), document.cues)
    for claim in claims:
        if claim.rule.kind == "exclude" or document.in_boilerplate(claim.start):
            continue
        trace: dict | None = {} if traces is not None else None
        try:
            row = to_quantity(claim, document, previous, scopes, trace)
        except NumeralError:
            yield claim, None, NO_NUMBER  # 十百个: numerals that read as no number
            continue
        if claim.rule.unit_from == "column":
            row = _from_column(row, claim, document, scopes.vocabulary)
            if row is None:
                yield claim, None, NOT_A_CELL
                continue
        previous = Previous(claim.start, claim.end, row.indicator)
        if (own := scopes.vocabulary.stage_part(row.indicator)) != row.indicator:
            # the row is named as the stage's own measure; the next item of the list still reads the breakdown
            row = replace(row, indicator=own)
            if trace is not None:
                trace["indicator"] += f"; a stage's part of it: {own!r}"
        if traces is not None:
            traces.append(trace)
        yield claim, row, None


def _from_column(row: Quantity, claim: Claim, document: Document, vocabulary: Vocabulary) -> Quantity | None:
    """A table cell takes its unit, scale, year and name from its column header.

    A column headed as a plan or as its completion (目标任务, 完成情况) gives its cells that
    status, and names no measure: the row label does. The name is standard as in prose
    (小学 under 在校生（万人） is 小学在校生数), so a table lines up with a text of another year.
    """
    column = column_of(document.clean, claim.start)
    if column is None or _NOT_A_MEASURE.search(column.label):
        return None  # a header's own numbers, or a column of serial numbers and years
    unit = column.unit or row.unit
    status = status_of_heading(column.label, document.cues or builtin_cues())
    if column.year and document.meta.period and not status:
        # a plan's table: the base year's column holds facts, the later ones targets
        status = ACTUAL if column.year < int(document.meta.period[:4]) else TARGET
    label = "" if status and column.row_label else column.label
    named = column.row_label + label
    unit = UNIT_ALIASES.get(unit, unit)
    return replace(
        row,
        unit=unit,
        kind=kind_of(unit, row.kind),
        value=row.value * column.scale,
        value_max=row.value_max * column.scale if row.value_max is not None else None,
        year=column.year or row.year,
        status=status or row.status,
        indicator=vocabulary.standard(named, unit).name if named else row.indicator,
    )


def find_claims(clean: str, rules: Sequence[Rule], prefiltered: bool | None = None) -> list[Claim]:
    """Every rule's matches. With hyperscan (prefilter.py), a long text is scanned by each rule only
    where the one pass says it can match; `prefiltered` True or False forces the choice."""
    claims = []
    budget = RULE_SECONDS_BASE + RULE_SECONDS_PER_MB * len(clean) / 1e6
    prefilter = getattr(rules, "prefilter", None)
    use = prefilter is not None and (len(clean) >= MIN_CHARS if prefiltered is None else prefiltered)
    windows = prefilter.windows(clean) if use else {}
    for order, rule in enumerate(rules):
        spans = windows.get(order)
        if spans == []:
            continue  # the prefilter saw no place this rule can match: it is not even compiled
        try:
            if spans is None:
                matches = list(rule.compiled.finditer(clean, timeout=budget))
            else:
                matches = [m for low, high in spans for m in rule.compiled.finditer(clean, low, high, timeout=budget)]
        except TimeoutError:
            raise RuleTimeout(f"rule '{rule.id}' gave up after {budget:.0f} s (a pathological input or pattern)") from None
        span = "q" if "q" in rule.compiled.groupindex else 0
        for m in matches:
            start, end = m.span(span)
            if start < 0:
                start, end = m.span()
            if end > start:
                claims.append(Claim(rule, order, start, end, m))
    return claims


def resolve(claims: list[Claim], length: int) -> list[Claim]:
    """Keep the winning claim of every overlapping group, in reading order."""
    ranked = sorted(claims, key=lambda c: (-c.rule.priority, c.start - c.end, c.start, c.order))
    taken: list[Claim] = []
    used = bytearray(length)  # one byte a character: cheap even for a 100 MB document
    for claim in ranked:
        if not any(used[claim.start:claim.end]):
            used[claim.start:claim.end] = b"\x01" * (claim.end - claim.start)
            taken.append(claim)
    return sorted(taken, key=lambda c: (c.start, c.end, c.order))


_SAME_MEASURE_REACH = 40
# A name is words: bullets, symbols, spaces and footnote marks that reach a phrase are dropped.
_NOT_IN_A_NAME = kept.compiled(r"[^\p{Han}0-9A-Za-z（）()、+%—–\-~]")


_LABEL = kept.compiled(r"\s*(\p{Han}{2,8})[：:]")


class Scopes:
    """Standard names, with the stage a bare measure takes from where it stands.

    A bare measure (`招生3.2万人`, `校数3308所`) takes the stage that owns it in its clause
    (`普通高中共有专任教师…`), else of its clause group (up to `；`) if a figure there named one,
    else of its sentence if a figure there counted a stage's schools (`全市共有小学210所，招生…；
    在校生…`) or the sentence is labelled with one (`小学：学校128所，招生…`), else of the sentences
    before it in its section if one counted one stage's schools, else of its headings, nearest first.
    """

    def __init__(self, vocabulary: Vocabulary, cues: Cues | None = None) -> None:
        self.vocabulary = vocabulary
        cues = cues or builtin_cues()
        self.same_measure, self.mask, self.owns = cues["same-measure"], cues["name-mask"], cues["name-owns"]
        self.sentence, self.sentence_stage = -1, ""
        # The last stage whose schools were counted, in which section and sentence.
        self.schools_stage, self.schools_section, self.schools_sentence = "", None, -1
        self.group, self.group_stage = -1, ""
        self.last_rate = ""
        self._headings: dict[int, str] = {}

    def name(
        self, phrase: str, unit: str, clean: str, sentence_start: int, start: int, section: Section | None,
        trace: dict | None = None,
    ) -> str:
        if unit in ("%", "pp") and self.last_rate and self.same_measure.match(clean, sentence_start, start + _SAME_MEASURE_REACH):
            if trace is not None:
                trace["indicator"] = f"the base of a change: the rate before it, {self.last_rate!r}"
            return self.last_rate  # 在2015年85.07%的基础上提升了近1个百分点: the rate before it
        name = self._named(phrase, unit, clean, sentence_start, start, section, trace)
        if unit == "%":
            self.last_rate = name
        return name

    def _named(
        self, phrase: str, unit: str, clean: str, sentence_start: int, start: int, section: Section | None,
        trace: dict | None,
    ) -> str:
        group = max(clean.rfind("；", sentence_start, start), clean.rfind(";", sentence_start, start), sentence_start)
        if sentence_start != self.sentence:
            self.sentence, self.sentence_stage = sentence_start, self._label(clean, sentence_start)
        if group != self.group:
            self.group, self.group_stage = group, ""
        carried = self.schools_stage if self.schools_section == (section.start if section else -1) else ""
        scope = self._owner(clean, sentence_start, start) or self.group_stage or self.sentence_stage or carried \
            or self._heading_stage(section)
        named = self.vocabulary.standard(_NOT_IN_A_NAME.sub("", self.mask.sub("", phrase)), unit, scope)
        if trace is not None:
            given = f", the stage around it {scope!r}" if scope else ""
            trace["indicator"] = f"phrase {phrase!r} from its clause{given}; standard name {named.name!r}"
        if named.stage:
            self.group_stage = named.stage
            if named.schools:
                self.sentence_stage = named.stage
                # 全市共有普通高中23所。招生1.2万人…: the next sentences go on about those schools, unless
                # the sentence counted the schools of two stages (小学128所、初中65所。专任教师…)
                here = section.start if section else -1
                two = self.schools_sentence == sentence_start and self.schools_stage != named.stage
                self.schools_stage = "" if two else named.stage
                self.schools_section, self.schools_sentence = here, sentence_start
        return named.name

    def _label(self, clean: str, sentence_start: int) -> str:
        """The stage a sentence is labelled with (`小学：学校128所，招生…`)."""
        label = _LABEL.match(clean, sentence_start)
        stage = self.vocabulary.stage_words.get(label[1]) if label else None
        return stage.name if stage else ""

    def _owner(self, clean: str, sentence_start: int, start: int) -> str:
        """The stage that owns the figure (普通高中共有专任教师…), which its phrase leaves out."""
        low = clause_begins(clean, max(sentence_start, start - _SAME_MEASURE_REACH), start)
        owns = self.owns.search(clean, low, start)
        return self.vocabulary.stage_ending(clean[low:owns.start()]) if owns else ""

    def _heading_stage(self, section: Section | None) -> str:
        if section is None:
            return ""
        if section.start not in self._headings:
            headings = (*section.parents, section.heading)
            self._headings[section.start] = next(
                (stage for heading in reversed(headings) if (stage := self.vocabulary.stage_heading(heading))), ""
            )
        return self._headings[section.start]


class Previous(NamedTuple):
    """The quantity before a claim, in clean-view offsets: a change or rank is about it."""

    start: int
    end: int
    indicator: str


def to_quantity(
    claim: Claim, document: Document, previous: Previous | None = None, scopes: Scopes | None = None,
    trace: dict | None = None,
) -> Quantity:
    """The row for one claim; `previous` is the quantity before it, which a change or rank is about.

    `trace`, when given, receives why the indicator, year and status came out as they did.
    """
    m, rule = claim.match, claim.rule
    scale = parse_number("一" + magnitude) if (magnitude := _group_text(m, "scale")) else 1
    value = parse_number(m["num"]) * scale
    value_max = parse_number(maximum) * scale if (maximum := _group_text(m, "max")) else None
    if _group_text(m, "down"):
        value = -value
        value_max = -value_max if value_max is not None else None
    written_unit = rule.unit or _group_text(m, "unit")
    unit = UNIT_ALIASES.get(written_unit, written_unit)
    sentence_start, sentence_end = document.sentence_at(claim.start)
    section = document.section_at(claim.start)
    same_sentence = previous is not None and previous.start >= sentence_start
    # Names and cue words are read in the clean view: 佔比, 學(xué)位 and 計劃 as 占比, 学位 and 计划.
    clean = document.clean
    if rule.indicator:
        indicator = _filled(rule.indicator, m)
        if trace is not None:
            trace["indicator"] = f"the rule's own indicator {rule.indicator!r}"
    else:
        phrase = namer_for(document.cues or builtin_cues()).name(
            clean,
            claim.start,
            claim.end,
            kind=rule.kind,
            unit=unit,
            sentence_start=sentence_start,
            clause_start=previous.end if same_sentence else sentence_start,
            previous=previous.indicator if same_sentence else None,
        )
        scopes = scopes or Scopes(Vocabulary(), document.cues)
        indicator = scopes.name(phrase, unit, clean, sentence_start, claim.start, section, trace)
    before = clean[sentence_start:claim.start]
    status, status_reason = _status(before, clean[claim.start:claim.end], clean[claim.end:sentence_end], section, document)
    year, year_reason = _year(before, section, status, document)
    if trace is not None:
        trace.update(status=status_reason, year=year_reason)
    start, end = document.original_span(claim.start, claim.end)
    first, last = document.original_span(sentence_start, sentence_end)
    return Quantity(
        doc=document.name,
        region=document.meta.region,
        year=year,
        status=status,
        section=section.heading if section else "",
        indicator=indicator,
        kind=rule.kind,
        value=value,
        value_max=value_max,
        unit=unit,
        qualifier=_qualifier(m, before),
        baseline=(_group_text(m, "base") or rule.baseline or "") if rule.kind == "change" else "",
        text=document.text[start:end],
        sentence=_windowed(document.text[first:last].strip(), clean, sentence_start, sentence_end),
        start=start,
        end=end,
        rule=rule.id,
    )


def _windowed(sentence: str, clean: str, start: int, end: int) -> str:
    """A sentence cut to its window around the figure (a text without sentence breaks) says so
    with … where it was cut, so the column stays bounded and honest."""
    if start > 0 and clean[start - 1] not in SENTENCE_ENDS:
        sentence = "…" + sentence
    if end < len(clean) and clean[end] not in SENTENCE_ENDS:
        sentence += "…"
    return sentence


def _filled(template: str, m: regex.Match) -> str:
    """A rule's own indicator, its `{group}` fields filled from the match."""
    return INDICATOR_FIELD.sub(lambda field: _group_text(m, field[1]), template)


def _group_text(m: regex.Match, name: str) -> str:
    """The group's text, or "" when the pattern has no such group or it did not take part."""
    return (m[name] or "") if name in m.re.groupindex else ""


def _after_last(text: str, marks: str) -> str:
    """The text after the last of these marks (all of it when none is there)."""
    return text[max(map(text.rfind, marks)) + 1:]


def _qualifier(m: regex.Match, before: str) -> str:
    """The match's own qualifier, else one said of the clause's verb: 每年至少举办市级20项、区级10项."""
    for group, symbol in (("approx", "~"), ("atleast", ">="), ("atmost", "<=")):
        if group in m.re.groupindex and m.captures(group):
            return symbol
    clause = _after_last(before, _CLAUSE_SCOPE)
    for words, symbol in ((_AT_LEAST_DOING, ">="), (_AT_MOST_DOING, "<=")):
        if words.search(clause):
            return symbol
    return "="


def _year(before: str, section: Section | None, status: str, document: Document) -> tuple[int | None, str]:
    """A year named in the quantity's own sentence beats its section's, which beats the report's;
    with the reason, which `explain` shows.

    A plan period named in the sentence (“十三五”期间) gives its last year. A fact stated in a
    plan for a period is of the year before the period (its base year); one stated inside a
    plan section (目前已有…) belongs to the report's own year.
    """
    cues = document.cues or builtin_cues()
    for m in reversed(list(_YEAR_IN_CLAUSE.finditer(before))):
        if not cues["baseline"].match(before, m.end()):
            return int(parse_number(m[1])), f"named in its sentence: {m[0]!r}"  # 二〇二三年 digit by digit
    for cue in cues.of("period"):
        for m in cue.compiled.finditer(before):
            if _DURING.match(before, m.end()):
                return int(cue.value[-4:]), f"the last year of the period {m[0]!r}"
    report_year = document.meta.year
    section_year = section.year if section else None
    if status == ACTUAL and document.meta.kind == "plan" and document.meta.period and not section_year:
        return int(document.meta.period[:4]) - 1, f"a fact in a plan for {document.meta.period}: its base year"
    if status == ACTUAL and section and section.status == TARGET and report_year:
        section_year = min(section_year or report_year, report_year)
    year = section_year or report_year
    clause = _after_last(before, _CUE_SCOPE)
    for word, shift in _RELATIVE_YEAR.items():
        if word in clause and year and not regex.search(rf"(?:较|比|与|同){word}", clause):
            return (report_year or year) + shift, f"{word!r} counted from the report's year {report_year or year}"
    if section and section.year and year == section.year:
        return year, f"its heading {section.heading!r} (or one above it)"
    return year, f"the report's year (from {document.meta.year_source or 'nothing'})"


def _status(before: str, quantity: str, after: str, section: Section | None, document: Document) -> tuple[str, str]:
    """Plan wording around the quantity decides; else its section; else the kind of report.
    With the reason, which `explain` shows."""
    cues = document.cues if document.cues is not None else builtin_cues()
    if m := cues["target-after"].match(after):
        return TARGET, f"target wording after it: {m[0]!r}"
    scope = _after_last(before, _CUE_SCOPE)
    # The quantity is appended so that 计划205名 is seen as the verb it is.
    targets = [m for m in cues["target"].finditer(scope + quantity) if m.start() < len(scope)]
    if targets:
        cue = targets[-1].start()
        clause = max((m.end() for m in _CLAUSE_BREAK.finditer(scope, 0, cue)), default=0)
        cancelled = cues["present"].search(scope, cue) or cues["done"].search(scope, clause, cue)
        if cancelled:
            return ACTUAL, f"target wording {targets[-1][0]!r} cancelled by {cancelled[0]!r}"
        return TARGET, f"target wording in its clause: {targets[-1][0]!r}"
    if m := cues["present"].search(scope):
        return ACTUAL, f"present-fact wording in its clause: {m[0]!r}"
    if section and section.status:
        return section.status, f"its heading {section.heading!r} (or one above it)"
    if document.meta.kind == "plan":
        return TARGET, "the report is a plan"
    return ACTUAL, "no plan wording: a fact"
