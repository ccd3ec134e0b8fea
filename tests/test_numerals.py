"""Chinese numerals: one row per written form, each value checked by reading the text."""

from decimal import Decimal

import cn2an
import pytest
from hypothesis import given
from hypothesis import strategies as st

from edu_metrics import extract_text
from edu_metrics.numerals import NumeralError, fold, format_decimal, parse_number


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("两", "2"),
        ("兩", "2"),
        ("二十三", "23"),
        ("十", "10"),
        ("一百零五", "105"),
        ("十万", "100000"),
        ("萬", "10000"),
        ("1.6万", "16000"),
        ("3千", "3000"),
        ("九成", "90"),
        ("九成五", "95"),
        ("1.2千万", "12000000"),
        ("69.98万", "699800"),
        ("35.28亿", "3528000000"),
        ("16.4亿", "1640000000"),
        ("16.4億", "1640000000"),
        ("5287.7萬", "52877000"),
        ("６２１０", "6210"),
        ("９９．３０", "99.3"),
        ("1,234", "1234"),
        ("百分之九十", "90"),
        ("百分之百", "100"),
        ("三分之一", "33.33"),
        ("三点五", "3.5"),
        ("二〇二二", "2022"),
        ("一〇", "10"),
        ("十万亿零", None),
        ("1" * 30, None),
    ],
)
def test_parse_number(written, value):
    if value is None:
        with pytest.raises(NumeralError):
            parse_number(written)
    else:
        assert parse_number(written) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "quantity", "value", "value_max", "unit", "qualifier"),
    [
        ("两门学科新入选", "两门", "2", None, "门", "="),
        ("全市1.6万名在校生", "1.6万名", "16000", None, "名", "="),
        ("受益学生3千余人", "3千余人", "3000", None, "人", ">="),
        ("几十名教师", "几十名", "10", None, "名", ">="),
        ("开展活动百余场", "百余场", "100", None, "场", ">="),
        ("近万名教师参加培训", "近万名", "10000", None, "名", "~"),
        ("近三成教师具有研究生学历", "近三成", "30", None, "%", "~"),
        ("全市69.98万名学生", "69.98万名", "699800", None, "名", "="),
        ("教育经费为21.47亿元", "21.47亿元", "2147000000", None, "元", "="),
        ("选送110余名优秀教师", "110余名", "110", None, "名", ">="),
        ("规模达到5000多人", "5000多人", "5000", None, "人", ">="),
        ("覆盖面近50%。", "近50%", "50", None, "%", "~"),
        ("就业率达到90%以上", "90%以上", "90", None, "%", ">="),
        ("无锡市优质园6—8所", "6—8所", "6", "8", "所", "="),
        ("立项4—6个", "4—6个", "4", "6", "个", "="),
        ("掌握1—2项艺术技能", "1—2项", "1", "2", "项", "="),
        ("巩固率百分之九十", "百分之九十", "90", None, "%", "="),
        ("家访三分之一", "三分之一", "33.33", None, "%", "="),
        ("数十万余名群众", "数十万余名", "100000", None, "名", ">="),
        ("参保率９９.３０％", "９９.３０％", "99.3", None, "%", "="),
        ("提高0.6個百分點", "0.6個百分點", "0.6", None, "pp", "="),
        ("資金16.4億元", "16.4億元", "1640000000", None, "元", "="),
        ("兩位教師", "兩位", "2", None, "位", "="),
    ],
)
def test_written_forms(rules, text, quantity, value, value_max, unit, qualifier):
    [row] = extract_text(text, rules)
    assert row.text == quantity
    assert row.value == Decimal(value)
    assert row.value_max == (Decimal(value_max) if value_max else None)
    assert row.unit == unit
    assert row.qualifier == qualifier


@given(st.integers(min_value=0, max_value=10**12))
def test_chinese_integers_read_back_exactly(n):
    assert parse_number(cn2an.an2cn(n)) == n


def test_fold_keeps_length_and_offsets():
    text = "覆蓋率９２．６５％，萬人，兩個百分點"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "覆盖率92.65%，万人，两个百分点"


@pytest.mark.parametrize(("value", "written"), [("92.6500", "92.65"), ("1.64E+9", "1640000000"), ("-0", "0"), ("100", "100")])
def test_format_decimal_has_no_exponent_or_trailing_zeros(value, written):
    assert format_decimal(Decimal(value)) == written
