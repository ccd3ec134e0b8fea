"""The JSON Schema of one row of the table, as `extract --format jsonl` writes it."""

from .extract import COLUMNS
from .filters import KINDS, STATUSES
from .rules import QUALIFIERS

# JSON lines write an empty cell as null; these columns are never empty.
_TEXT = {"type": ["string", "null"]}
_NEVER_EMPTY = {"type": "string", "minLength": 1}
_TYPES = {
    "doc": _NEVER_EMPTY,
    "text": _NEVER_EMPTY,
    "rule": _NEVER_EMPTY,
    "year": {"type": ["integer", "null"], "minimum": 1900, "maximum": 2100},
    "status": {"enum": list(STATUSES)},
    "kind": {"enum": list(KINDS)},
    "value": {"type": "number"},
    "value_max": {"type": ["number", "null"]},
    "qualifier": {"enum": list(QUALIFIERS)},
    "start": {"type": "integer", "minimum": 0},
    "end": {"type": "integer", "minimum": 0},
}
_DESCRIPTIONS = {
    "doc": "the file's path below the folder given (the file name for a file given; - for stdin)",
    "region": "the issuing place, one spelling per place; empty when masked or not named",
    "year": "the year the figure is about",
    "status": "actual (achieved) or target (planned)",
    "section": "the nearest heading above the figure",
    "indicator": "what is measured, one name per measure",
    "kind": "rate, count, amount, change or rank",
    "value": "the number: 万/亿 multiplied out, percentages in percent, money in 元, signed for changes",
    "value_max": "the top of a range, else null",
    "unit": "%, pp, 元, or the measure word",
    "qualifier": "= exact, ~ about, >= at least, <= at most",
    "baseline": "for a change, what it is measured against",
    "text": "the figure as written; document[start:end]",
    "sentence": "the sentence it stands in",
    "start": "character offset of the figure in the decoded document",
    "end": "character offset just after the figure",
    "rule": "the rule that made the row, as pack.rule-id",
}


def row_schema() -> dict:
    """A draft 2020-12 schema: every column present, nothing else, each of its type."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "edu-metrics row",
        "type": "object",
        "properties": {
            column: {**_TYPES.get(column, _TEXT), "description": _DESCRIPTIONS[column]} for column in COLUMNS
        },
        "required": list(COLUMNS),
        "additionalProperties": False,
    }
