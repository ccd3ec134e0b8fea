"""Extraction of short texts (values read off the text by hand) and invariants on the seeds."""

from decimal import Decimal

import pytest

from edu_metrics import COLUMNS, extract_paths, extract_text
from edu_metrics.pipeline import collect_sources

from .conftest import SEEDS


def rows(text, rules):
    return [(q.text, q.value, q.unit, q.kind) for q in extract_text(text, rules)]


def test_several_quantities_in_one_clause(rules):
    text = "检查培训机构1460家，查处违规问题37起，关停或停业整顿21家。"
    assert rows(text, rules) == [
        ("1460家", Decimal(1460), "家", "count"),
        ("37起", Decimal(37), "起", "count"),
        ("21家", Decimal(21), "家", "count"),
    ]


def test_a_change_wins_over_the_percentage_it_contains(rules):
    [row] = extract_text("全年印发文件56件，同比减少18.4%；", rules)[1:]
    assert (row.kind, row.value, row.baseline, row.rule) == ("change", Decimal("-18.4"), "上年", "changes.against-baseline")


def test_level_reached_is_a_rate_but_the_gain_is_a_change(rules):
    text = "合格率提升至93.2%，较2020年提升4.75%。"
    got = [(q.text, q.kind, q.value, q.baseline) for q in extract_text(text, rules)]
    assert got == [("93.2%", "rate", Decimal("93.2"), ""), ("4.75%", "change", Decimal("4.75"), "2020年")]


def test_exclusions_leave_only_the_quantities(rules):
    text = "2022年，第三批32所学校和3—11岁学生接种率97.26%；理科全省前100名6人；实施“十四五”规划。"
    assert [q.text for q in extract_text(text, rules)] == ["32所", "97.26%", "6人"]


def test_ranking_is_the_place(rules):
    [rate, rank] = extract_text("优秀率76.4%，列全市第三。", rules)
    assert (rank.text, rank.value, rank.kind) == ("三", Decimal(3), "rank")


def test_range_and_qualifier(rules):
    [row] = extract_text("力争创建无锡市优质园6—8所左右。", rules)
    assert (row.value, row.value_max, row.qualifier) == (Decimal(6), Decimal(8), "~")


@pytest.mark.parametrize(
    ("text", "qualifiers"),
    [
        # A bound said of the verb holds for every figure the verb takes in its clause.
        ("每年至少组织县级12项、乡镇级30项艺术展演。", [">=", ">="]),
        ("每周最多布置书面作业3次。", ["<="]),
        # A bound that is the first figure's own stays with it.
        ("至少3所学校开设10门课程。", [">=", "="]),
    ],
)
def test_a_bound_on_the_verb_qualifies_its_figures(rules, text, qualifiers):
    assert [q.qualifier for q in extract_text(text, rules)] == qualifiers


def test_numbers_in_names_and_dates_give_nothing(rules):
    text = "2023年3月24日，落实“两个确立”，参加“333工程”和1+X证书试点，拨打12345热线，5·10活动，第21届大赛。"
    assert extract_text(text, rules) == []


def test_offsets_are_those_of_the_original_text(rules):
    text = "全县普惠性幼儿园覆盖率提升至８８．３６％，新增學位4350個。"
    for q in extract_text(text, rules):
        assert text[q.start:q.end] == q.text
    assert [q.value for q in extract_text(text, rules)] == [Decimal("88.36"), Decimal(4350)]


def test_rows_carry_sentence_year_and_subject(rules):
    text = "2022年全县教育工作总结\n全县普惠性幼儿园覆盖率提升至88.36%，新增市级优质园17所。"
    [rate, count] = extract_text(text, rules, doc="x.txt")
    assert rate.doc == "x.txt"
    assert rate.year == 2022 and rate.status == "actual"
    assert rate.indicator == "普惠性幼儿园覆盖率"
    assert rate.sentence == "全县普惠性幼儿园覆盖率提升至88.36%，新增市级优质园17所"
    assert count.indicator == "新增市级优质园数"


@pytest.fixture(scope="module")
def seed_outcomes(rules):
    return list(extract_paths([SEEDS], rules))


def test_every_seed_row_points_at_its_text(seed_outcomes):
    texts = {o.source.name: o.source.path.read_text(encoding="utf-8") for o in seed_outcomes}
    total = 0
    for outcome in seed_outcomes:
        assert outcome.error is None
        for q in outcome.quantities:
            assert texts[q.doc][q.start:q.end] == q.text
            assert q.text in q.sentence
            total += 1
    assert total > 300


def test_seed_rows_come_in_reading_order(seed_outcomes):
    for outcome in seed_outcomes:
        starts = [q.start for q in outcome.quantities]
        assert starts == sorted(starts)


def test_folder_names_are_relative_and_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    for name in ("b/2.txt", "a.txt", "b/1.txt", "notes.md"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [s.name for s in collect_sources([tmp_path])] == ["a.txt", "b/1.txt", "b/2.txt"]
    assert [s.name for s in collect_sources([tmp_path / "b" / "1.txt"])] == ["1.txt"]


def test_columns_are_the_contract():
    assert COLUMNS == (
        "doc", "region", "year", "status", "section", "indicator", "kind", "value", "value_max",
        "unit", "qualifier", "baseline", "text", "sentence", "start", "end", "rule",
    )
