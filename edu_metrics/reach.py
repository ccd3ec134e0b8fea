"""How far a rule's match can reach, so the prefilter's windows are no wider than the rule needs.

A window must hold every character a match consumes and every character its lookaheads read.
Numeral runs have no bound, so they are free: a reach counts only the other characters, and a
window is widened over numeral runs (prefilter.py). The bound is read from the pattern's parse
tree, with the standard library's parser (`re._parser`, which Hypothesis's `from_regex` also
reads); a pattern it cannot parse, or one that can consume an unbounded run of other characters,
has no bound, and the prefilter falls back to its general reach.
"""

import re

try:
    import re._constants as _op
    import re._parser as _parser
except ImportError:  # a Python without the module: every rule takes the general reach
    _parser = None

# A pattern without a bound, or a rule with an anchor (which may stand anywhere near its match), is
# taken to reach this many characters besides numerals back from a reported end (the longest match
# on the seeds and dev set reaches 11) and AFTER on past it.
REACH = 64
AFTER = 32
_STEPS = (4, 8, 16, 24, 32, 48, 64)
NUMERALS = frozenset("0123456789零〇一二两三四五六七八九十百千万亿,.，．")
_NAMED_GROUP = re.compile(r"\(\?P<\w+>")
_PROPERTY = re.compile(r"\\[pP]\{\w+\}")  # \p{Han}: one character, and no numeral, as \w is here
_WIDEST_NUMERAL_RANGE = 16


class Unbounded(Exception):
    """The pattern can consume, or read ahead, any number of characters besides numerals."""


def window(pattern: str | None) -> tuple[int, int]:
    """How far back from an end the prefilter reports a rule's match can start, and how far on
    past it the match and its lookaheads read, rounded up to a step so that few bound patterns
    are compiled; `pattern` None for a rule with an anchor."""
    bound = reach(pattern) if pattern is not None else None
    if bound is None:
        return REACH, AFTER
    # hyperscan may report the end past a lookahead it reads as consumed: the match then starts
    # at most all of it back.
    consumed, ahead = bound
    return _step(consumed + ahead), _step(ahead)


def _step(characters: int) -> int:
    return next((step for step in _STEPS if step >= characters), characters)


def method() -> bytes:
    """This module's own text: windows cached with the prefilter are keyed by it, so a change to
    how they are measured is never read from an old cache."""
    return __loader__.get_data(__file__)  # from a folder, a zip or a .pyc alike


def unnamed(pattern: str) -> str:
    """The pattern with its groups unnamed: regex lets a name repeat, hyperscan and `re` do not."""
    return _NAMED_GROUP.sub("(?:", pattern)


def reach(pattern: str) -> tuple[int, int] | None:
    """(characters besides numerals a match consumes at most, characters its lookaheads read past
    where they stand at most), or None when the pattern has no such bound or cannot be read here."""
    if _parser is None:
        return None
    plain = _PROPERTY.sub(r"\\w", unnamed(pattern))
    try:
        return _measure(_parser.parse(plain))
    except (re.error, Unbounded, RecursionError, OverflowError, ValueError):
        return None


def _measure(sequence) -> tuple[int, int]:
    """(consumed, read ahead) of a sequence of parse nodes."""
    consumed = ahead = 0
    for op, value in sequence:
        if op in (_op.LITERAL, _op.NOT_LITERAL):
            consumed += op == _op.NOT_LITERAL or chr(value) not in NUMERALS
        elif op == _op.IN:
            consumed += not _numeral_set(value)
        elif op in (_op.ANY, _op.CATEGORY):
            consumed += 1
        elif op == _op.AT:
            continue
        elif op in (_op.SUBPATTERN, _op.ATOMIC_GROUP, _op.BRANCH, _op.GROUPREF_EXISTS):
            widths = [_measure(branch) for branch in _branches(op, value)]
            consumed += max(w for w, _ in widths)
            ahead = max(ahead, *(a for _, a in widths))
        elif op in (_op.MAX_REPEAT, _op.MIN_REPEAT, _op.POSSESSIVE_REPEAT):
            _, most, body = value
            width, read = _measure(body)
            ahead = max(ahead, read)
            if width and most == _op.MAXREPEAT:
                raise Unbounded
            consumed += width * most
        elif op in (_op.ASSERT, _op.ASSERT_NOT):
            direction, body = value
            width, read = _measure(body)
            # A lookahead reads its width from where it stands, at most the match's end; a
            # lookbehind reads before the match's start, which a window's scan still sees.
            ahead = max(ahead, width + read if direction == 1 else read)
        else:  # a back reference and whatever else reads an unknown length
            raise Unbounded
    return consumed, ahead


def _branches(op, value) -> list:
    if op == _op.SUBPATTERN:
        return [value[-1]]
    if op == _op.ATOMIC_GROUP:
        return [value]
    if op == _op.BRANCH:
        return value[1]
    return [branch for branch in value[1:] if branch is not None]  # GROUPREF_EXISTS: yes, no


def _numeral_set(items) -> bool:
    """A character set every member of which is a numeral character."""
    return all(_numeral_item(op, value) for op, value in items)


def _numeral_item(op, value) -> bool:
    if op == _op.LITERAL:
        return chr(value) in NUMERALS
    if op == _op.RANGE:
        low, high = value
        return high - low < _WIDEST_NUMERAL_RANGE and all(chr(c) in NUMERALS for c in range(low, high + 1))
    return False  # a negated set, a category: more than numerals
