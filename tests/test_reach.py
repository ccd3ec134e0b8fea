"""How far a pattern's match reaches, besides numerals: the bound the prefilter's windows rest on."""

import pytest

from edu_metrics.reach import reach


@pytest.mark.parametrize("pattern, expected", [
    # 万 and the decimal point are numerals, free like the digits; 人次 are two characters.
    (r"(?<![0-9])[0-9]+(?:\.[0-9]+)?万?人次", (2, 0)),
    # 百 of 百分点 is a numeral: the lookahead reads two characters besides it.
    (r"[0-9]+所(?!长|百分点)", (1, 2)),
    # A bounded run of characters counts its most; an alternative counts its longest branch.
    (r"[0-9]+\p{Han}{0,3}?(?:任务|项目)", (5, 0)),
    # A lookbehind reads before the start, which a window's scan still sees: it costs nothing.
    (r"(?<=全省共有)[0-9]+个", (1, 0)),
    # A lookahead inside a lookahead reads on from where it stands.
    (r"[0-9]+(?=个(?!月))", (0, 2)),
    # regex lets two branches share a group name; the standard parser does not, nor need it.
    (r"(?:(?P<q>约)[0-9]+|[0-9]+(?P<q>余))人", (2, 0)),
    # A set with one character that is no numeral is no numeral set.
    (r"[0-9a]+", None),
])
def test_reach_counts_the_characters_besides_numerals(pattern, expected):
    assert reach(pattern) == expected


@pytest.mark.parametrize("pattern", [
    r"第[0-9]+\p{Han}+",  # consumes any number of characters
    r"[0-9]+(?=\p{Han}*的)",  # reads ahead any number of them
    r"(约)[0-9]+\1",  # a back reference reads what its group read
    r"[0-9]+\m个",  # regex's own syntax, which the standard parser refuses
])
def test_a_pattern_without_a_bound_has_no_reach(pattern):
    assert reach(pattern) is None
