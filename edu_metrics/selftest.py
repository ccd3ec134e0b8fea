"""The checks behind `edu-metrics check`, shared with pytest so a failure reads the same.

Each example runs through the whole rule set, as a real document would, so an example
also proves the rule wins (or loses) the precedence it should. A failure reads the same
in the terminal and in pytest.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .compare import collisions, diff
from .cues import check_cue
from .vocabulary import check_vocabulary
from .documents import parse_document
from .errors import EduMetricsError, RulePackError
from .extract import NO_NUMBER, Quantity, claims_of, find_claims, quantities_of
from .numerals import format_decimal
from .pipeline import extract_paths
from .rules import Example, Rule, load_rules
from .table import TableWriter, read_table


@dataclass(frozen=True)
class ExampleCase:
    """One example of one rule; `id` is what pytest shows, such as `core.percent[2]`."""

    rule: Rule
    index: int
    example: Example

    @property
    def id(self) -> str:
        return f"{self.rule.id}[{self.index}]"


def example_cases(rules: Sequence[Rule]) -> list[ExampleCase]:
    return [ExampleCase(rule, n, example) for rule in rules for n, example in enumerate(rule.examples, 1)]


def check_example(case: ExampleCase, rules: Sequence[Rule]) -> str | None:
    """None when the example holds, else a one-line explanation."""
    document = parse_document(case.example.text, "example", cues=getattr(rules, "cues", None))
    claims = claims_of(document, rules)
    where = f"{case.rule.where} example {case.index} {case.example.text!r}"
    got: list[dict[str, object]] = []
    if case.rule.kind == "exclude":
        got = [{"text": document.original_text(c.start, c.end)} for c in claims if c.rule.id == case.rule.id]
    for claim, row, reason in quantities_of(document, claims, getattr(rules, "vocabulary", None)):
        if claim.rule.id != case.rule.id:
            continue
        if reason == NO_NUMBER:
            return f"{where}: matched {document.original_text(claim.start, claim.end)!r}, which {NO_NUMBER}"
        if row is not None:
            got.append(_fields(row))
    expected = case.example.expect
    if not expected:
        if got:
            return f"{where}: must match nothing but matched {_show(got)}"
        return None
    if len(got) != len(expected):
        return f"{where}: expected {len(expected)} match(es) {_show(expected)}, got {_show(got)}"
    for want, have in zip(expected, got, strict=True):
        for key, value in want.items():
            if _cell(have.get(key)) != _cell(value):
                return f"{where}: {want['text']!r}: {key} is {_cell(have.get(key))!r}, expected {_cell(value)!r}"
    return None


def _fields(quantity: Quantity) -> dict[str, object]:
    return {key: getattr(quantity, key) for key in
            ("text", "value", "value_max", "unit", "kind", "qualifier", "indicator", "baseline")}


def _cell(value: object) -> str:
    if isinstance(value, Decimal):
        return format_decimal(value)
    return "" if value is None else str(value)


def _show(rows: Sequence[dict[str, object]]) -> str:
    return "[" + ", ".join(repr(_cell(r.get("text"))) for r in rows) + "]"


# Inputs that make a badly written pattern backtrack for ever, or rescan a run once per
# character (quadratic): long runs of what numbers, measure words and qualifiers are made of,
# each ending where a match must fail. Short runs are also tried before the rule's own
# examples, because the regex module skips a text that lacks a pattern's required words (颗星)
# before it ever backtracks.
_RUNS = ("1" * 3000, "1," * 1500, "1." * 1500, "一二" * 1500, "第" * 3000)
_ADVERSARIAL = (
    "1" * 40000 + "x",
    "1," * 20000 + "x",
    "1." * 20000 + "x",
    "一二三" * 15000 + "x",
    "第" * 40000 + "x",
    "“" + "两个" * 20000,
    "增加" * 20000 + "1",
    ("12345%" * 5 + "。") * 1000,
)
BACKTRACK_SECONDS = 1.0


def check_backtracking(rule: Rule, seconds: float = BACKTRACK_SECONDS) -> str | None:
    """A pattern that cannot finish within `seconds` on adversarial input would hang a run."""
    own = [run + "x" + example.text for example in rule.examples if example.expect for run in _RUNS]
    for text in (*_ADVERSARIAL, *own):
        try:
            for _ in rule.compiled.finditer(text, timeout=seconds):
                pass
        except TimeoutError:
            return f"{rule.where}: key 'pattern': backtracks catastrophically (no result within {seconds:g}s on {text[:12]!r}…)"
    return None


def claim_counts(texts: Sequence[str], rules: Sequence[Rule]) -> dict[str, int]:
    """How many winning claims each rule makes over these texts."""
    counts = {rule.id: 0 for rule in rules}
    for text in texts:
        for claim in claims_of(parse_document(text, "", cues=getattr(rules, "cues", None)), rules):
            counts[claim.rule.id] += 1
    return counts


def check_dead_rules(rules: Sequence[Rule], seed_texts: Sequence[str]) -> list[str]:
    """A rule that never wins a claim in the seeds or in its own examples does nothing."""
    counts = claim_counts([*seed_texts, *(e.text for r in rules for e in r.examples if e.expect)], rules)
    return [f"{rule.where}: never matches in the seeds or its examples (a dead rule)" for rule in rules if not counts[rule.id]]


def check_collisions(rules: Sequence[Rule], seed_texts: Sequence[str]) -> list[str]:
    """Two quantity rules that claim the very same span at the same priority: only load order decides."""
    pairs: dict[tuple[str, str], str] = {}
    for text in seed_texts:
        spans: dict[tuple[int, int], list[Rule]] = {}
        clean = parse_document(text, "", cues=getattr(rules, "cues", None)).clean
        for claim in find_claims(clean, rules):
            if claim.rule.kind != "exclude":
                spans.setdefault((claim.start, claim.end), []).append(claim.rule)
        for (start, end), claimants in spans.items():
            for i, first in enumerate(claimants):
                for second in claimants[i + 1:]:
                    if first.id != second.id and first.priority == second.priority:
                        pairs.setdefault((first.id, second.id), clean[start:end])
    return [
        f"{first} and {second} both claim {text!r} at priority "
        f"{next(r.priority for r in rules if r.id == first)}: declare a different priority for one"
        for (first, second), text in sorted(pairs.items())
    ]


def check_prefilter(rules: Sequence[Rule], texts: Sequence[tuple[str, str]]) -> list[str]:
    """The prefilter changes no claim: each (where, text) scanned whole and prefiltered."""
    problems = []
    for where, text in texts:
        clean = parse_document(text, "", cues=getattr(rules, "cues", None)).clean
        whole = {(c.rule.id, c.start, c.end) for c in find_claims(clean, rules, prefiltered=False)}
        fast = {(c.rule.id, c.start, c.end) for c in find_claims(clean, rules, prefiltered=True)}
        for rule_id, start, end in sorted(whole ^ fast):
            found = "only prefiltered" if (rule_id, start, end) in fast else "only scanned whole"
            problems.append(f"{where}: rule '{rule_id}' claims {clean[start:end]!r} at {start} {found}: widen its anchor")
    return problems


@dataclass(frozen=True)
class Report:
    """What `edu-metrics check` found: problems fail the check, notes only inform."""

    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def seed_table(seeds: Path, rules: Sequence[Rule]) -> tuple[str, list[str], list[Quantity]]:
    """The extraction over the seeds as CSV text (what the snapshot holds), their texts and rows."""
    buffer = io.StringIO()
    writer = TableWriter(buffer)
    texts, rows = [], []
    for outcome in extract_paths([seeds], rules):
        if outcome.error:
            raise EduMetricsError(outcome.error)
        texts.append(outcome.document.text)
        rows.extend(outcome.quantities)
        writer.write(outcome.quantities)
    return buffer.getvalue(), texts, rows


def collision_notes(rows: Sequence[Quantity], where: str) -> list[str]:
    """Names that different figures of one document share, for a rule author to read."""
    found, colliding, levels = collisions(rows)
    share = f"{colliding / levels:.1%}" if levels else "0%"
    return [f"{where}: {colliding} of {levels} level rows ({share}) share a name with another figure"] + [
        f"{where}: {collision}" for collision in found
    ]


def corpus_notes(corpus: Path, rules: Sequence[Rule]) -> tuple[list[str], list[tuple[str, str]]]:
    """Collision notes over a corpus, and its texts by name (for the prefilter check)."""
    rows: list[Quantity] = []
    texts = []
    for outcome in extract_paths([corpus], rules):
        rows.extend(outcome.quantities)
        if outcome.document is not None:
            texts.append((f"{corpus}/{outcome.source.name}", outcome.document.text))
    return collision_notes(rows, str(corpus)), texts


def snapshot_differences(snapshot: Path, table: str, limit: int = 20) -> list[str]:
    """The extraction against the committed snapshot, as a short readable diff."""
    if not snapshot.exists():
        return [f"{snapshot}: no snapshot yet; review the extraction and run edu-metrics check --update"]
    new = snapshot.with_name(snapshot.name + ".new")
    try:
        new.write_text(table, encoding="utf-8", newline="")
        differences = [str(d) for d in diff(read_table(snapshot), read_table(new))]
    finally:
        new.unlink(missing_ok=True)
    if not differences and snapshot.read_text(encoding="utf-8") != table:
        differences = ["the snapshot differs in formatting only (column order, quoting or line ends)"]
    shown = [f"{snapshot}: {line}" for line in differences[:limit]]
    if len(differences) > limit:
        shown.append(f"{snapshot}: … and {len(differences) - limit} more differences")
    return shown


def run_checks(
    extra: Sequence[Path] = (), seeds: Path | None = None, snapshot: Path | None = None, update: bool = False,
    corpus: Path | None = None,
) -> Report:
    """Every check of `edu-metrics check`, in order; a pack that does not load stops the rest.

    Names shared by different figures (in the seeds, and in `corpus` if given) are notes.
    """
    try:
        rules = load_rules(extra)
    except RulePackError as exc:
        return Report((str(exc),))
    problems = [p for rule in rules if (p := check_backtracking(rule))]
    problems += [p for case in example_cases(rules) if (p := check_example(case, rules))]
    problems += [p for cue in rules.cues.cues if (p := check_cue(cue))]
    problems += check_vocabulary(rules.vocabulary)
    notes, corpus_texts = [], []
    if corpus is not None:
        corpus_collisions, corpus_texts = corpus_notes(corpus, rules)
        notes += corpus_collisions
    prefiltered = getattr(rules, "prefilter", None) is not None
    if prefiltered:
        problems += check_prefilter(rules, [(r.where, e.text) for r in rules for e in r.examples] + corpus_texts)
    else:
        notes.append("hyperscan (the fast extra) is not installed: the prefilter was not checked")
    if seeds is None:
        notes.append("no seeds folder: dead rules, collisions and the snapshot were not checked")
        return Report(tuple(problems), tuple(notes))
    table, texts, rows = seed_table(seeds, rules)
    notes += collision_notes(rows, str(seeds))
    problems += check_dead_rules(rules, texts)
    problems += check_collisions(rules, texts)
    if prefiltered:
        problems += check_prefilter(rules, [(f"{seeds}: document {n}", text) for n, text in enumerate(texts, 1)])
    if snapshot is not None:
        if update:
            snapshot.parent.mkdir(parents=True, exist_ok=True)
            snapshot.write_text(table, encoding="utf-8", newline="")
            notes.append(f"{snapshot}: rewritten ({table.count(chr(10)) - 1} rows)")
        else:
            problems += snapshot_differences(snapshot, table)
    return Report(tuple(problems), tuple(notes))
