"""Properties over any input: the numeral reader and the extractor never crash, offsets hold.

`make test` runs a short sample; `make fuzz` runs thousands of examples per property.
"""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from edu_metrics import extract_text, load_rules
from edu_metrics.numerals import NumeralError, fold, parse_number

from .conftest import SEEDS

RULES = load_rules()
NUMERAL_CHARS = "0123456789０１２３４５６７８９.,，%％零〇一二两兩三四五六七八九十百千万萬亿億点分之余多近约超第年月个個名所项"
SEED = (SEEDS / "003_41872af551ea06fd.txt").read_text(encoding="utf-8")[:4000]


@given(st.text())
def test_parse_number_reads_or_refuses_but_never_crashes(text):
    try:
        assert isinstance(parse_number(text), Decimal)
    except NumeralError:
        pass


@given(st.text(alphabet=NUMERAL_CHARS, max_size=12))
def test_parse_number_on_numeral_soup(text):
    try:
        parse_number(text)
    except NumeralError:
        pass


@given(st.text())
def test_fold_keeps_every_offset(text):
    assert len(fold(text)) == len(text)


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_wan_is_ten_thousand_times(x):
    written = format(x, "f")
    assert parse_number(written + "万") == parse_number(written) * 10_000
    assert parse_number(written + "亿") == parse_number(written) * 100_000_000


def holds(text):
    for q in extract_text(text, RULES):
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start:q.end] == q.text
        assert q.text in q.sentence or len(q.sentence) >= 500


@given(st.text())
def test_extraction_on_random_unicode(text):
    holds(text)


@given(st.text(alphabet=NUMERAL_CHARS + "，。；、\n “”（）", max_size=80))
def test_extraction_on_numeral_heavy_text(text):
    holds(text)


@given(st.lists(st.tuples(st.integers(0, len(SEED)), st.text(min_size=1, max_size=6)), max_size=8))
def test_extraction_on_seed_text_with_random_insertions(insertions):
    text = SEED
    for position, piece in sorted(insertions, reverse=True):
        text = text[:position] + piece + text[position:]
    holds(text)
