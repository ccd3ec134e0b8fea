"""Rule examples as tests: the one harness behind `edu-metrics check` and pytest.

Each example runs through the whole rule set, as a real document would, so an example
also proves the rule wins (or loses) the precedence it should. A failure reads the same
in the terminal and in pytest.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .documents import parse_document
from .extract import Quantity, claims_in, to_quantity
from .numerals import format_decimal
from .rules import Example, Rule


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
    document = parse_document(case.example.text, "example")
    claims = [c for c in claims_in(document.text, rules) if c.rule.id == case.rule.id]
    got = [
        {"text": document.text[c.start:c.end]} if c.rule.kind == "exclude" else _fields(to_quantity(c, document))
        for c in claims
    ]
    expected = case.example.expect
    where = f"{case.rule.source}:{case.rule.line}: rule '{case.rule.id}' example {case.index} {case.example.text!r}"
    if not expected:
        if got:
            return f"{where}: must match nothing but matched {_show(got)}"
        return None
    if len(got) != len(expected):
        return f"{where}: expected {len(expected)} match(es) {_show(expected)}, got {_show(got)}"
    for want, have in zip(expected, got):
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
