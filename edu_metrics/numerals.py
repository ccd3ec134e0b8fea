"""Chinese and Arabic numerals as exact decimals.

Reports write one number many ways (`1.6万`, `十万`, `两`, `百分之九十`, `三分之一`,
full-width `６２１０`, traditional `萬`). Values are `Decimal`, so `16.4亿` is exactly
1640000000 and a table never shows `92.65000000000001`.
"""

from decimal import Decimal

import cn2an
import regex

from .errors import EduMetricsError

# One character in, one character out: folding never moves an offset, so a match found in
# the folded text has the same start and end in the original document. Chinese punctuation
# (，；：（）) is left alone so rule authors write patterns as the reports are written.
_FULLWIDTH = {
    c: chr(ord(c) - 0xFEE0)
    for c in "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"
    "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ％．＋－～／＝＜＞"
}
_TRADITIONAL = dict(
    zip(
        "萬億兩個項條場頁門間輛歲節級屆處點幣類張臺種筆棟餘約達較減長漲學園數蓋參與實現為體進線"
        "畢業務課時畝噸額經費資補區縣鎮師對專職辦會選優質創總計劃標準獎積規範單雙設發開關醫療險"
        "兒國內廳聯團隊員舉輪週鐘號幾來後從環壓縮擴淨冊組戶塊頃過躋躍階議題驗書記責則鍵識維護確導熱"
        "動領戰樓稱義當爭預擬結顧況講話佔瀏覽佈網檔繫簡權電碼掃註娛樂賭載",
        "万亿两个项条场页门间辆岁节级届处点币类张台种笔栋余约达较减长涨学园数盖参与实现为体进线"
        "毕业务课时亩吨额经费资补区县镇师对专职办会选优质创总计划标准奖积规范单双设发开关医疗险"
        "儿国内厅联团队员举轮周钟号几来后从环压缩扩净册组户块顷过跻跃阶议题验书记责则键识维护确导热"
        "动领战楼称义当争预拟结顾况讲话占浏览布网档系简权电码扫注娱乐赌载",
        strict=True,
    )
)
_FOLD = str.maketrans({**_FULLWIDTH, **_TRADITIONAL, "\u3000": " ", "〇": "零"})

_MAGNITUDE = {"千": Decimal(10) ** 3, "万": Decimal(10) ** 4, "亿": Decimal(10) ** 8}
_ARABIC = regex.compile(r"(?P<digits>[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)(?P<mag>[千万亿]*)")
_PERCENT = regex.compile(r"百分之(?P<n>.+)")
_FRACTION = regex.compile(r"(?P<den>.+?)分之(?P<num>.+)")
_TENTHS = regex.compile(r"(?P<n>[一二两三四五六七八九十])成(?P<d>[一二三四五六七八九])?")
_HUNDREDTH = Decimal("0.01")
# More digits than any figure in a report (and than Decimal's 28-digit precision keeps exactly).
_MAX_DIGITS = 24


class NumeralError(EduMetricsError, ValueError):
    """Text that a rule took for a number is not one."""


def fold(text: str) -> str:
    """Full-width and traditional forms to their plain forms, keeping every offset."""
    return text.translate(_FOLD)


def parse_number(text: str) -> Decimal:
    """Read one written number: `1.6万` → 16000, `两` → 2, `三分之一` → 33.33.

    `百分之N` reads as N, `A分之B` as B/A in percent rounded to 0.01 and `N成` as N×10, because
    all are written where a rate is meant and the table keeps rates in percent.
    """
    s = fold(text).strip()
    if m := _PERCENT.fullmatch(s):
        return parse_number(m["n"])
    if m := _TENTHS.fullmatch(s):  # 九成五: tenths, and a digit of hundredths after them
        return parse_number(m["n"]) * 10 + (parse_number(m["d"]) if m["d"] else 0)
    if m := _FRACTION.fullmatch(s):
        denominator = parse_number(m["den"])
        if denominator == 0:
            raise NumeralError(f"fraction with zero denominator: {text!r}")
        return (parse_number(m["num"]) * 100 / denominator).quantize(_HUNDREDTH)
    if m := _ARABIC.fullmatch(s):
        digits = m["digits"].replace(",", "")
        if len(digits) > _MAX_DIGITS:
            raise NumeralError(f"not a number a report would give: {len(digits)} digits")
        value = Decimal(digits)
        for char in m["mag"]:
            value *= _MAGNITUDE[char]
        return value
    return _parse_chinese(s, text)


_POSITIONAL = str.maketrans("零一二三四五六七八九", "0123456789")
_DIGIT_BY_DIGIT = regex.compile(r"[零一二三四五六七八九]{2,}")


def _parse_chinese(s: str, original: str) -> Decimal:
    s = s.replace("两", "二")
    if _DIGIT_BY_DIGIT.fullmatch(s):
        return Decimal(s.translate(_POSITIONAL))  # 二〇二二 and 一〇 are written digit by digit
    if s[:1] in ("十", "百", "千", "万", "亿") and s[:1] != "十":
        s = "一" + s  # a bare 百/千/万 means one of them: 万名 is 10000 名
    try:
        return Decimal(str(cn2an.cn2an(s, "strict")))
    except Exception as exc:  # cn2an signals bad input with several exception types
        raise NumeralError(f"not a number: {original!r}") from exc


def format_decimal(value: Decimal) -> str:
    """The one way a number is written in the table: no exponent, no trailing zeros."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text
