"""Reports in other forms: bulletins, plans, mirrors, run-in headings, noise. Every text is written for the test."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edu_metrics import extract_text, parse_document
from edu_metrics.cleaning import clean_view
from edu_metrics.documents import describe
from edu_metrics.rules import builtin_cues

NOISE = builtin_cues()["noise"]


# ---------------------------------------------------------------- the clean view


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("新增學(xué)位 970 個(gè)", "新增学位970个"),
        ("毛入园率[2]达到95%", "毛入园率达到95%"),
        ("新建★☆◆幼儿园3所", "新建幼儿园3所"),
        ("投入资金1234.5\n万元", "投入资金1234.5万元"),
        ("全市共有学校１２０所", "全市共有学校120所"),
        ("小学\t320\t32.1", "小学\t320\t32.1"),  # a table keeps its tabs
        ("2016-12-26 09:55:41", "2016-12-26 09:55:41"),
    ],
)
def test_the_clean_view_drops_noise_and_folds_forms(text, clean):
    assert clean_view(text, NOISE).text == clean


def test_rows_keep_the_original_text_and_offsets(rules):
    text = "華容縣2021年為民辦實事進展情況\n新增學(xué)位 830 個(gè)，覆蓋率[1]達到91.6%。"
    rows = extract_text(text, rules)
    assert [(q.text, str(q.value), q.unit) for q in rows] == [("830 個", "830", "个"), ("91.6%", "91.6", "%")]
    assert all(text[q.start:q.end] == q.text for q in rows)
    assert rows[0].indicator == "新增学位数" and rows[1].indicator == "覆盖率"


_PIECES = st.sampled_from(
    ["新增学位", "970", " ", "個", "(gè)", "[2]", "★☆", "\n", "万元", "所", "学校", "，", "。", "92.5%", "１２", "覆蓋率", "(xué)"]
)


@given(st.lists(_PIECES, max_size=40))
def test_every_clean_offset_maps_back_into_the_original(pieces):
    text = "".join(pieces)
    view = clean_view(text, NOISE)
    for start in range(len(view.text)):
        first, last = view.span(start, start + 1)
        # one clean character comes from exactly one original character, folded
        assert last - first == 1
        assert clean_view(text[first:last], NOISE).text in (view.text[start], "")
    assert view.original(len(view.text)) <= len(text)


@given(pieces=st.lists(_PIECES, max_size=40))
def test_every_row_maps_back_to_its_own_text(rules, pieces):
    text = "2022年工作总结\n" + "".join(pieces)
    for q in extract_text(text, rules):
        assert text[q.start:q.end] == q.text


# ---------------------------------------------------------------- the report's year and its source


@pytest.mark.parametrize(
    ("text", "year", "source"),
    [
        ("某省2021年教育事业发展统计公报\n发布日期：2022-05-10\n全省共有幼儿园100所。", 2021, "title"),
        ("2021~2022学年初某市教育统计基本情况\n时间：2022-04-22\n招生人数1000人。", 2021, "school year in the title"),
        ("某县“十四五”教育发展规划\n到2025年新增学位1000个。", 2025, "plan period in the title"),
        ("某市教育发展规划（2019—2021年）实施情况\n2023年6月1日\n新增学位100个。", 2021, "plan period in the title"),
        ("统计简讯\n根据《2022/2023学年某市教育统计》，在校生1000人。", 2022, "school year near the top"),
        ("2024市教育局上半年工作总结.doc\n20xx年，我局承办实事3项。", 2024, "title"),
        ("【某某网】中学新校区启用\n2024-03-11 08:30:15\n2017年秋季，新校区新增学位900个。", 2017,
         "the text's own years (the date line is a later repost)"),
        ("学校新址投用\n2016-09-02 10:00:00\n今年秋季，学校新增学位1200个。", 2016, "date line"),
        ("（三）全县职业教育\n2021年，全县中职招生900人。2021年预算200万元。", 2021, "the text's own years"),
    ],
)
def test_the_report_year_and_what_decided_it(text, year, source):
    meta = parse_document(text, "r").meta
    assert (meta.year, meta.year_source) == (year, source)


def test_a_masked_year_is_not_guessed():
    assert describe("市教育局工作总结\n20xx年，我局新建学校3所。").year is None


def test_a_manifest_and_a_path_say_they_decided():
    assert parse_document("工作总结\n新建学校3所。", "r", meta={"year": 2020}).meta.year_source == "manifest"
    assert parse_document("工作总结\n新建学校3所。", "r", hints={"year": 2019}).meta.year_source == "path"


# ---------------------------------------------------------------- each figure's year


@pytest.mark.parametrize(
    ("sentence", "years"),
    [
        ("在校生由2019年的1.2万人增加到2020年的1.5万人。", [2019, 2020]),
        # the level stated as the base is of its year; the change is of the report's
        ("在2020年90%的基础上提高了2个百分点。", [2020, 2022]),
        ("2021/2022学年，小学招生5000人。", [2021]),
        ("上年新增学位300个。", [2021]),
        ("比上年增加学位300个。", [2022]),
    ],
)
def test_each_figure_has_its_own_year(rules, sentence, years):
    rows = extract_text("某市2022年教育工作总结\n" + sentence, rules)
    assert [q.year for q in rows] == years


# ---------------------------------------------------------------- headings wherever they stand


def test_run_in_headings_of_a_flattened_page(rules):
    text = "某区2023年工作总结\n一、2023年工作回顾 （一）扩充学位。一是新建学校3所。二、2024年工作计划 （一）新增学位5000个。"
    rows = {q.text: (q.section, q.status, q.year) for q in extract_text(text, rules)}
    assert rows == {"3所": ("新建学校3所", "actual", 2023), "5000个": ("新增学位5000个", "target", 2024)}


def test_bullets_and_dashes_under_level_headings(rules):
    text = "某市2022学年教育统计\n幼儿教育\n  • 招生人数：8000人。\n——小学。招生人数9000人。"
    rows = {q.text: q.section for q in extract_text(text, rules)}
    assert rows == {"8000人": "招生人数", "9000人": "小学"}


def test_captions_are_headings():
    sections = parse_document("统计公报\n图1 各级学校在校生\n表2：专任教师数\n正文。", "r").sections
    assert [(s.heading, s.level) for s in sections[-2:]] == [("各级学校在校生", 6), ("专任教师数", 6)]


# ---------------------------------------------------------------- page furniture of sharing and mirror sites


@pytest.mark.parametrize(
    "line",
    ["第2页", "已阅读3页,还剩7页未读", "下载本文档", "相关文章", "原标题：某县召开教育大会", "某某自评报告(第3/12页)"],
)
def test_sharing_and_mirror_furniture_yields_nothing(rules, line):
    text = f"某市2022年教育工作总结\n{line}\n新增学位100个。"
    assert [q.text for q in extract_text(text, rules)] == ["100个"]
    assert text.index(line) in {start for start, _ in parse_document(text, "r").boilerplate}


# ---------------------------------------------------------------- status by clause


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("学校将投入资金约150万元。", "target"),
        ("计划建设学校5所。", "target"),
        ("农村学校维修改造项目开工9所。", "actual"),
        ("今年的任务是新增学位800个。", "target"),
    ],
)
def test_status_by_clause(rules, sentence, status):
    assert extract_text("某区2022年工作总结\n" + sentence, rules)[0].status == status


# ---------------------------------------------------------------- region


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("2022~2023学年初江门市教育统计基本情况\n江门市教育局发布。", "江门市"),
        ("華容縣教育體育局2021年工作總結\n新建學校3所。", "华容县"),
        ("2022年全国教育事业发展统计公报\n全国共有学校50万所。", "全国"),
        ("2021年福建省教育事业发展统计公报\n全省学校2万所。", "福建省"),
        ("工作总结\n我局承办市政府实事3项。", ""),
    ],
)
def test_region_is_the_issuer_in_one_spelling(text, region):
    assert parse_document(text, "r").meta.region == region


def test_a_path_hint_is_spelled_as_the_text_spells_the_place():
    meta = parse_document("工作总结\n全市新建学校3所，无锡市教育系统。", "r", hints={"region": "无锡"}).meta
    assert meta.region == "无锡市"


def test_a_title_opens_with_its_issuer():
    assert parse_document("长汀县“十四五”教育发展规划\n到2025年新增学位1000个。", "r").meta.region == "长汀县"
    assert parse_document("广州市天河区教育局2023年工作总结\n新增学位1000个。", "r").meta.region == "天河区"


def test_a_completion_table_gives_each_column_its_status(rules):
    text = "某区2023年民生实事完成情况\n项目\t年度目标（个）\t实际完成（个）\n新增学位\t5000\t5200\n"
    rows = [(q.text, q.status, q.indicator, q.unit) for q in extract_text(text, rules)]
    assert rows == [("5000", "target", "新增学位", "个"), ("5200", "actual", "新增学位", "个")]


PLAN = (
    "某县教育发展“十四五”规划\n一、发展基础\n“十三五”期间，全县新建学校26所。目前在园幼儿1.2万人。\n"
    "二、发展目标\n到2025年，普惠性幼儿园覆盖率达到85%。\n专栏1 主要指标\n指标\t2020年\t2025年\n"
    "学前三年毛入园率（%）\t92.5\t95\n"
)


def test_a_plan_dates_its_facts_by_period_and_its_targets_by_the_period_end(rules):
    rows = [(q.text, q.year, q.status) for q in extract_text(PLAN, rules)]
    assert rows == [
        ("26所", 2020, "actual"),  # the named period's last year
        ("1.2万人", 2020, "actual"),  # a plan's facts are of its base year
        ("85%", 2025, "target"),
        ("92.5", 2020, "actual"),  # the base year's column
        ("95", 2025, "target"),
    ]


def test_a_plan_table_takes_its_unit_from_the_row_label(rules):
    cells = [q for q in extract_text(PLAN, rules) if q.rule == "tables.cell"]
    assert [(q.indicator, q.unit, q.kind) for q in cells] == [("学前教育毛入园率", "%", "rate")] * 2


def test_a_period_in_a_name_is_no_time(rules):
    [row] = extract_text("某市2022年工作总结\n9门学科入选“十四五”市重点学科。", rules)
    assert row.year == 2022
