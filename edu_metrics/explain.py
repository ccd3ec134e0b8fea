"""Why a figure reads as it does: the rules that claimed it, the number, the name, the year, the status.

The tool a rule author reaches for first: `edu-metrics explain '新增学位6210个'` or
`edu-metrics explain report.txt:1234`. It runs the same code as `extract` and only reports.
"""

from collections.abc import Sequence

from .documents import Document
from .extract import Claim, find_claims, quantities_of, resolve
from .numerals import format_decimal
from .rules import Rule


def explain(document: Document, rules: Sequence[Rule], offset: int | None = None) -> list[str]:
    """Lines explaining every figure of the document, or the one at `offset` of the original text."""
    claims = find_claims(document.clean, rules)
    winners = resolve(list(claims), len(document.clean))
    traces: list[dict] = []
    lines: list[str] = []
    for claim, row, reason in quantities_of(document, winners, getattr(rules, "vocabulary", None), traces):
        start, end = document.original_span(claim.start, claim.end)
        if offset is not None and not start <= offset < max(end, start + 1):
            continue
        if row is None:
            lines.append(f"{document.original_text(claim.start, claim.end)}  at {start}-{end}: no row, it {reason}")
            continue
        trace = traces[-1]
        lines.append(f"{row.text}  at {start}-{end}: {row.kind}, rule {row.rule}")
        lines.extend("  " + line for line in _contest(claim, claims, document))
        m = claim.match
        scale = f", scale {m['scale']}" if "scale" in m.re.groupindex and m["scale"] else ""
        top = f", up to {format_decimal(row.value_max)}" if row.value_max is not None else ""
        lines.append(f"  number: {m['num']!r}{scale} reads {format_decimal(row.value)}{top} {row.unit}, qualifier {row.qualifier}")
        lines.append(f"  indicator: {row.indicator} ({trace.get('indicator', '')})")
        lines.append(f"  year: {row.year if row.year is not None else '-'} ({trace.get('year', '')})")
        lines.append(f"  status: {row.status} ({trace.get('status', '')})")
    if offset is not None and not lines:
        lines.append(f"no figure at offset {offset}")
    return lines


def _contest(winner: Claim, claims: Sequence[Claim], document: Document) -> list[str]:
    """Every claim on the winner's span, and why it lost: priority, then length, start, load order."""
    out = []
    for claim in sorted(claims, key=lambda c: (c.start, c.order)):
        if claim.end <= winner.start or winner.end <= claim.start:
            continue
        text = document.original_text(claim.start, claim.end)
        if claim is winner:
            out.append(f"claim {claim.rule.id} {text!r} (priority {claim.rule.priority}): won")
        else:
            out.append(f"claim {claim.rule.id} {text!r} (priority {claim.rule.priority}): lost, {_why(winner, claim)}")
    return out


def _why(winner: Claim, loser: Claim) -> str:
    if winner.rule.priority != loser.rule.priority:
        return f"priority {loser.rule.priority} < {winner.rule.priority}"
    if winner.end - winner.start != loser.end - loser.start:
        return "a shorter span"
    if winner.start != loser.start:
        return "it starts later"
    return "its rule is loaded later"
