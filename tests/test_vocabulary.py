"""Standard names: the vocabulary pack's own examples, scope from structure, and the loader's checks."""

import pytest

from edu_metrics import RulePackError, extract_text, load_rules
from edu_metrics.vocabulary import check_vocabulary

VOCABULARY = load_rules().vocabulary
ENTRIES = [*VOCABULARY.stages, *VOCABULARY.measures]


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry.name for entry in ENTRIES])
def test_vocabulary_examples(entry):
    problems = [p for p in check_vocabulary(VOCABULARY) if f"'{entry.name}' example" in p]
    assert problems == []


def test_a_broken_example_is_named_with_its_line(tmp_path):
    pack = tmp_path / "mine.toml"
    pack.write_text('[[measures]]\nname = "结业生数"\nsynonyms = ["毕业生"]\nexamples = [{ text = "结业生", name = "结业生数" }]\n',
                    encoding="utf-8")
    with pytest.raises(RulePackError, match=r"mine.toml:2: measure '结业生数': '毕业生' already names the measure '毕业生数'"):
        load_rules([pack])
    pack.write_text('[[measures]]\nname = "毕业生数"\nexamples = [{ text = "毕业生", name = "毕业生数" }]\n', encoding="utf-8")
    with pytest.raises(RulePackError, match=r"mine.toml:2: measure '毕业生数' is defined twice"):
        load_rules([pack])
    pack.write_text('[[measures]]\nname = "结业生数"\nexamples = [{ text = "结业生数", scope = "初中", name = "结业生数" }]\n',
                    encoding="utf-8")
    [problem] = check_vocabulary(load_rules([pack]).vocabulary)
    assert problem.endswith("mine.toml:2: measure '结业生数' example 1 '结业生数': named '初中结业生数', expected '结业生数'")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ('[[stages]]\nname = "小学"\ncolour = "red"\nexamples = []\n', "stage '小学': unknown key 'colour'"),
        ('[[stages]]\nname = "成人教育"\n', "stage '成人教育': needs a non-empty 'examples'"),
        ('[[measures]]\nname = "x"\nexamples = [{ text = "x" }]\n', "measure 'x': example 1 needs 'text' and 'name'"),
    ],
)
def test_a_malformed_entry_is_refused(tmp_path, raw, message):
    pack = tmp_path / "mine.toml"
    pack.write_text(raw, encoding="utf-8")
    with pytest.raises(RulePackError, match=message):
        load_rules([pack])


BULLETIN = (
    "某省2023年教育事业发展统计公报\n"
    "一、学前教育\n全省共有幼儿园2000所。在园幼儿50.2万人，专任教师3.1万人。\n"
    "二、义务教育\n"
    "——小学。全省共有小学1200所，招生10.5万人，在校生62.3万人；专任教师3.6万人。\n"
    "——初中。学校数620所，招生9.8万人，在校生28.1万人。\n"
)


def test_a_bulletin_names_every_level_apart(rules):
    names = [(q.text, q.indicator) for q in extract_text(BULLETIN, rules) if q.kind == "count"]
    assert names == [
        ("2000所", "学前教育幼儿园数"),
        ("50.2万人", "学前教育在园幼儿数"),
        ("3.1万人", "学前教育专任教师数"),
        ("1200所", "小学学校数"),
        ("10.5万人", "小学招生数"),
        ("62.3万人", "小学在校生数"),
        ("3.6万人", "小学专任教师数"),
        ("620所", "初中学校数"),
        ("9.8万人", "初中招生数"),
        ("28.1万人", "初中在校生数"),
    ]


def test_two_years_of_one_release_line_up(rules):
    """The same measures written as a list and as bullets under level headings get one name."""
    first = "某市2021~2022学年初教育统计\n1、小学招生人数9000人，比去年增加30人；在校生人数5万人。\n2、中职招生人数800人。\n"
    second = "某市2022~2023学年初教育统计\n小学教育\n  • 招生人数:9100人。\n  • 在校生人数:5.1万人。\n中职教育\n  • 招生人数:820人。\n"
    def names(text):
        return [q.indicator for q in extract_text(text, rules) if q.kind == "count"]
    assert names(first) == names(second) == ["小学招生数", "小学在校生数", "中职学校招生数"]


def test_two_years_worded_apart_line_up(rules):
    """A school type lends the stage it belongs to (普通小学 → 小学), and 全市有 owns like 全市共有."""
    first = ("某市2021年教育事业发展统计公报\n一、学前教育\n全市共有幼儿园456所，入园幼儿3.2万人。\n"
             "二、义务教育\n全市共有小学128所，招生2.1万人，在校生12.3万人，毕业生1.9万人。\n")
    second = ("某市2022年教育事业统计公报\n（一）学前教育\n全市有幼儿园460所，入园儿童3.1万人。\n"
              "（二）义务教育\n全市普通小学126所；招收新生2.2万人，在校学生12.5万人，毕业学生2.0万人。\n")
    def names(text):
        return [q.indicator for q in extract_text(text, rules) if q.kind == "count"]
    assert names(first)[:2] == names(second)[:2] == ["学前教育幼儿园数", "学前教育入园幼儿数"]
    assert names(first)[3:] == names(second)[3:] == ["小学招生数", "小学在校生数", "小学毕业生数"]
    assert names(second)[2] == "普通小学数"  # the type's own count, as bulletins keep it apart


@pytest.mark.parametrize(
    ("name", "wordings"),
    [
        ("小学在校生数", ("全市小学在校生12.3万人。", "小学在校学生数为12.3万人。", "全市共有小学在校生12.3万人。")),
        ("小学学龄儿童入学率", ("小学适龄儿童入学率100%。", "小学学龄儿童净入学率为100%。")),
        ("普通高中专任教师数", ("普通高中专任教师2890人。", "普通高中共有专任教师2890人。", "高中专任教师2890人。")),
        ("小学招生数", ("小学招生2.1万人。", "小学招收新生2.1万人。", "小学新生入学人数2.1万人。")),
        ("普通高校数", ("全市普通高校5所。", "全市有普通高等学校5所。")),
        ("初中毕业生数", ("初中毕业生1.7万人。", "初中毕业学生1.7万人。")),
        ("小学在校生数", ("小学在校学生总数12.3万人。", "小学在校生总数12.3万人。")),
        ("小学教职工数", ("小学教职员工8900人。", "小学教职工总数8900人。")),
        ("小学班级数", ("小学教学班2800个。", "小学共有班级2800个。")),
        ("小学图书册数", ("小学图书总量320万册。", "小学藏书320万册。")),
        ("初中研究生学历专任教师比例", ("初中专任教师中研究生学历教师占比12.3%。", "初中研究生学历专任教师比例为13.0%。")),
        ("特殊教育招生数", ("特殊教育招生156人。", "特殊教育学校招收学生160人。")),
        ("适龄残疾儿童少年入学率", ("残疾儿童少年入学率96.5%。", "适龄残疾儿童少年入学率为97%。")),
        ("高考本科上线率", ("全市高考本科上线率78.5%。", "高考本科达线率为79.1%。")),
        ("学生体质健康合格率", ("学生体质健康合格率达到93.5%。", "国家学生体质健康标准测试合格率93.8%。")),
    ],
)
def test_one_measure_worded_apart_gets_one_name(rules, name, wordings):
    assert [extract_text(text, rules)[0].indicator for text in wordings] == [name] * len(wordings)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a labelled sentence, a breakdown by stage, and the sentences after a count of one stage's schools
        ("小学：学校128所，招生2.1万人。", ["小学学校数", "小学招生数"]),
        ("全市共有中小学193所，其中小学128所，初中65所。", ["中小学数", "小学学校数", "初中学校数"]),
        ("全市共有幼儿园456所，其中公办幼儿园210所，民办幼儿园246所。", ["学前教育幼儿园数", "公办幼儿园数", "民办幼儿园数"]),
        ("义务教育阶段随迁子女在校生3.2万人，其中小学2.3万人，初中0.9万人。",
         ["义务教育随迁子女在校生数", "小学随迁子女在校生数", "初中随迁子女在校生数"]),
        # a breakdown of a measure no stage scopes keeps its brackets
        ("新增学位5800个，其中小学3200个、初中2600个。", ["新增学位数", "新增学位数（小学）", "新增学位数（初中）"]),
        ("三、高中阶段教育\n全市共有普通高中23所。招生1.2万人，在校生3.5万人。",
         ["普通高中学校数", "普通高中招生数", "普通高中在校生数"]),
        # two stages' schools in one sentence: the next sentence keeps its heading's stage
        ("二、义务教育\n全市共有小学128所、初中65所。专任教师1.2万人。", ["小学学校数", "初中学校数", "义务教育专任教师数"]),
        # a short form in a breakdown is a kind of the schools, not a stage to rename them by; the
        # figure the bracket follows is the parent
        ("45所高中学校（公办27所、民办18所）。", ["普通高中学校数", "普通高中学校数（公办）", "普通高中学校数（民办）"]),
    ],
)
def test_scope_from_structure(rules, text, names):
    assert [q.indicator for q in extract_text("某市2022年教育统计公报\n" + text, rules)] == names


def test_a_table_lines_up_with_prose_of_another_year(rules):
    table = "某市2022年教育统计公报\n学段\t学校数（所）\t在校生（万人）\n小学\t128\t12.3\n初中\t65\t5.4\n"
    prose = "某市2023年教育统计公报\n全市共有小学126所，在校学生12.5万人。初中66所，在校生5.5万人。\n"
    def names(text):
        return [q.indicator for q in extract_text(text, rules)]
    assert names(table) == names(prose) == ["小学学校数", "小学在校生数", "初中学校数", "初中在校生数"]


def test_a_stage_lends_only_a_stage(tmp_path):
    pack = tmp_path / "mine.toml"
    pack.write_text('[[stages]]\nname = "村小"\nlends = false\nlends_to = "乡村教育"\n'
                    'examples = [{ text = "村小数", unit = "所", name = "村小学校数" }]\n', encoding="utf-8")
    problems = check_vocabulary(load_rules([pack]).vocabulary)
    assert any(p.endswith("stage '村小' lends_to '乡村教育', which is no stage") for p in problems)


def test_a_heading_that_only_mentions_a_stage_gives_none(rules):
    [row] = extract_text("某市2022年工作总结\n（三）打好高等教育提质攻坚战\n某学院在校生规模达9000人。", rules)
    assert row.indicator == "某学院在校生规模"


def test_collisions_list_names_that_different_figures_share(rules):
    from edu_metrics.compare import collisions

    text = "某市2023年教育统计公报\n全市共有学校300所。一、综合\n全市共有学校280所，在校生10万人。\n"
    found, colliding, levels = collisions(extract_text(text, rules, doc="r.txt"))
    assert [(c.doc, c.indicator, c.texts) for c in found] == [("r.txt", "学校数", ("300所", "280所"))]
    assert (colliding, levels) == (2, 3)


def test_check_lists_a_corpus_collisions(tmp_path):
    from typer.testing import CliRunner

    from edu_metrics.cli import app

    (tmp_path / "a.txt").write_text("某县2022年工作总结\n新建学校3所，新建学校5所。\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", "--corpus", str(tmp_path)])
    assert f"{tmp_path}: 2 of 2 level rows (100.0%) share a name with another figure" in result.stderr
    assert f"{tmp_path}: a.txt: '新建学校数' (2022, actual, 所) names 3所, 5所" in result.stderr


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        # an aside inside the subject is skipped; 就读 before a stage counts its students
        ("其中就读普通高中人数900人，就读中等职业学校（含技工）人数500人。", ["普通高中在校生数", "中职学校在校生数"]),
        ("全县高中阶段学龄（15-17周岁）人口2000人。", ["高中阶段学龄人口数"]),
        # the base of a change goes on with the rate before it
        ("高中阶段毛入学率达到92.1%。在2021年90.5%的基础上提高了1.6个百分点。",
         ["高中阶段毛入学率", "高中阶段毛入学率", "高中阶段毛入学率"]),
        ("全市各级各类学校在校生人数12万人。", ["各级各类学校在校生数"]),
        # a total lends no scope: teachers of every level are 专任教师数
        ("全市共有各级各类学校300所；专任教师2.1万人。", ["各级各类学校数", "专任教师数"]),
    ],
)
def test_names_from_the_clause(rules, sentence, names):
    assert [q.indicator for q in extract_text("某区2022年教育工作总结\n" + sentence, rules)] == names


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        # a list's verb is every item's
        ("新建小学3所、初中2所。", ["新建小学数", "新建初中数"]),
        ("评选优秀教师20名、优秀班主任10名。", ["评选优秀教师数", "评选优秀班主任数"]),
        # parallel rates of one subject share it
        ("全市学生视力筛查覆盖率98%，复查率90%。", ["学生视力筛查覆盖率", "学生视力筛查复查率"]),
        ("教职工疫苗首剂接种率99%，加强针接种率90%。", ["教职工疫苗首剂接种率", "教职工疫苗加强针接种率"]),
        # but not a comparison with another scope
        ("一本上线率52.6%，超出省一本上线率41.9%。", ["本一进线率", "超出省本一进线率"]),
    ],
)
def test_lists_and_parallel_figures_share_their_words(rules, sentence, names):
    assert [q.indicator for q in extract_text("某区2022年教育工作总结\n" + sentence, rules)] == names


def test_a_rate_of_another_group_is_no_parallel(rules):
    rows = extract_text("某区2022年教育工作总结\n普惠性幼儿园覆盖率92.65%，公办园覆盖率62.85%。", rules)
    assert [q.indicator for q in rows] == ["普惠性幼儿园覆盖率", "公办园覆盖率"]


@pytest.mark.parametrize(
    ("sentence", "rows"),
    [
        ("小学在校生由2019年的1.2万人增加到2020年的1.5万人。",
         [("1.2万人", "count", "小学在校生数", 2019), ("1.5万人", "count", "小学在校生数", 2020)]),
        ("全市幼儿园由120所增加到135所，比上年增加15所。",
         [("120所", "count", "学前教育幼儿园数", 2022), ("135所", "count", "学前教育幼儿园数", 2022),
          ("15所", "change", "学前教育幼儿园数", 2022)]),
        ("义务教育巩固率由98.5%提高到99.1%，列全省第三。",
         [("98.5%", "rate", "九年义务教育巩固率", 2022), ("99.1%", "rate", "九年义务教育巩固率", 2022),
          ("三", "rank", "九年义务教育巩固率全省排名", 2022)]),
    ],
)
def test_from_to_names_both_levels_the_same_and_changes_and_ranks_name_their_measure(rules, sentence, rows):
    got = [(q.text, q.kind, q.indicator, q.year) for q in extract_text("某市2022年工作总结\n" + sentence, rules)]
    assert got == rows
