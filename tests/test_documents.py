"""Reading documents: encodings, formats, boilerplate, metadata, headings, status and year."""

import sys
from decimal import Decimal

import pytest

from edu_metrics import extract_paths, extract_text, read_document
from edu_metrics.documents import decode, describe, find_boilerplate, parse_document

from .conftest import SEEDS

SUMMARY = SEEDS / "000_c37bb8c97b14a129.txt"
SIMPLIFIED = "全县普惠性幼儿园覆盖率提升至88.36%，新增学位4350个。"
TRADITIONAL = "全縣普惠性幼兒園覆蓋率提升至88.36%，新增學位4350個。"


def quantities(path, rules, **options):
    [outcome] = list(extract_paths([path], rules, **options))
    assert outcome.error is None, outcome.error
    return outcome


# Encodings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding", "recorded"),
    [
        (SIMPLIFIED, "utf-8", "utf-8"),
        (SIMPLIFIED, "utf-8-sig", "utf-8-sig"),
        (SIMPLIFIED, "utf-16", "utf-16"),
        (SIMPLIFIED, "gb18030", "gb18030"),
        (SIMPLIFIED, "gbk", "gb18030"),
        (SIMPLIFIED, "gb2312", "gb18030"),
        (TRADITIONAL, "big5", "big5"),
        (TRADITIONAL, "gb18030", "gb18030"),
    ],
)
def test_encodings_are_detected(tmp_path, rules, text, encoding, recorded):
    path = tmp_path / "r.txt"
    path.write_bytes(text.encode(encoding))
    outcome = quantities(path, rules)
    assert outcome.document.encoding == recorded
    assert outcome.document.text == text
    assert [(q.text, q.value) for q in outcome.quantities] == [("88.36%", Decimal("88.36")), ("4350個" if "個" in text else "4350个", Decimal(4350))]


SHORT_SIMPLIFIED = ["教育", "学校", "新增学位", "达到", "覆盖率", "全市共有学校1234所"]
SHORT_TRADITIONAL = ["教育", "學校", "幼兒園", "達到", "覆蓋率", "全市共有學校1234所"]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [(t, "gb18030") for t in SHORT_SIMPLIFIED + SHORT_TRADITIONAL] + [(t, "big5") for t in SHORT_TRADITIONAL],
)
def test_short_texts_are_not_misread(text, encoding):
    assert decode(text.encode(encoding), "short.txt") == (text, encoding)


def test_encoding_option_overrides_detection(tmp_path, rules):
    path = tmp_path / "r.txt"
    path.write_bytes(SIMPLIFIED.encode("gb18030"))
    assert quantities(path, rules, encoding="gb18030").document.encoding == "gb18030"
    [outcome] = list(extract_paths([path], rules, encoding="utf-8"))
    assert outcome.error.startswith(f"{path}: not valid utf-8 at byte ")


def test_crlf_keeps_offsets_and_clean_sentences(tmp_path, rules):
    text = "2022年工作总结\r\n全市新增学位6210个，同比减少32.3%。\r\n"
    path = tmp_path / "r.txt"
    path.write_bytes(text.encode("utf-8"))
    outcome = quantities(path, rules)
    for q in outcome.quantities:
        assert outcome.document.text[q.start:q.end] == q.text
        assert "\r" not in q.sentence
    assert [q.text for q in outcome.quantities] == ["6210个", "32.3%"]


def test_binary_and_empty_files_fail_with_a_reason(tmp_path, rules):
    (tmp_path / "a.txt").write_bytes(b"\x00\x01\x02PNG\x00")
    (tmp_path / "b.txt").write_bytes(b"  \n")
    errors = [o.error for o in extract_paths([tmp_path], rules)]
    assert errors == [f"{tmp_path / 'a.txt'}: a binary file, not text", f"{tmp_path / 'b.txt'}: the document is empty"]


# Formats ---------------------------------------------------------------------------------

PAGE = """<html><head><meta charset="gbk"><title>首页</title><style>p {{ color: red }}</style>
<script>var n = "新增学位999个";</script></head><body>
<div class="nav">首页 | 新闻 | 浏览次数 88次</div>
<h1>2022年全市教育工作总结</h1>
{body}
<table><tr><td>学校</td><td>394所</td></tr><tr><td>学位</td><td>6210个</td></tr></table>
<div id="footer">版权所有 联系我们 访问量 12345次</div></body></html>"""


def test_html_keeps_text_and_tables_and_drops_furniture(tmp_path, rules):
    page = PAGE.format(body="<p>全县普惠性幼儿园覆盖率提升至88.36%&nbsp;。</p>")
    path = tmp_path / "r.html"
    path.write_bytes(page.encode("gb18030"))
    outcome = quantities(path, rules)
    text = outcome.document.text
    assert "var n" not in text and "color" not in text and "浏览次数" not in text and "版权所有" not in text
    assert "学校\t394所\n学位\t6210个" in text
    assert [q.text for q in outcome.quantities] == ["88.36%", "394所", "6210个"]
    assert outcome.document.meta.title == "2022年全市教育工作总结"
    assert outcome.document.encoding == "gb18030"


def test_same_report_as_utf8_gb18030_and_html_gives_same_quantities(tmp_path, rules):
    text = SUMMARY.read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(text.encode("gb18030"))
    body = "".join(f"<p>{line}</p>\n" for line in text.splitlines())
    (tmp_path / "c.html").write_text(
        f'<html><head><meta charset="utf-8"><script>x=1</script></head><body>'
        f'<div class="breadcrumb">当前位置：首页</div>{body}</body></html>',
        encoding="utf-8",
    )
    tables = []
    for outcome in extract_paths([tmp_path], rules):
        assert outcome.error is None
        tables.append([(q.text, q.value, q.unit, q.kind, q.year, q.status, q.section) for q in outcome.quantities])
    assert len(tables[0]) > 90
    assert tables[0] == tables[1] == tables[2]


def test_docx_paragraphs_and_tables_in_reading_order(tmp_path, rules):
    import docx

    document = docx.Document()
    document.add_paragraph("2022年全市教育工作总结")
    document.add_paragraph("全县普惠性幼儿园覆盖率提升至88.36%。")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "新增学位"
    table.rows[0].cells[1].text = "6210个"
    document.add_paragraph("关停培训机构53家。")
    path = tmp_path / "r.docx"
    document.save(path)
    outcome = quantities(path, rules)
    assert [q.text for q in outcome.quantities] == ["88.36%", "6210个", "53家"]
    assert outcome.quantities[0].year == 2022


def make_pdf(path, lines):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    page = canvas.Canvas(str(path))
    page.setFont("STSong-Light", 12)
    for n, line in enumerate(lines):
        page.drawString(72, 720 - 20 * n, line)
    page.save()


def test_pdf_text_layer(tmp_path, rules):
    path = tmp_path / "r.pdf"
    make_pdf(path, ["2022年全县教育工作总结", "全县普惠性幼儿园覆盖率提升至88.36%，新增学位4350个。"])
    outcome = quantities(path, rules)
    assert [q.text for q in outcome.quantities] == ["88.36%", "4350个"]


def test_scanned_pdf_without_text_layer_fails(tmp_path, rules):
    path = tmp_path / "scan.pdf"
    make_pdf(path, [])
    [outcome] = list(extract_paths([path], rules))
    assert outcome.error == f"{path}: the PDF has no text layer (a scan?); run OCR first"


@pytest.mark.parametrize(("suffix", "module", "extra"), [(".docx", "docx", "docx"), (".pdf", "pdfminer.pdfpage", "pdf")])
def test_missing_extra_names_what_to_install(tmp_path, rules, monkeypatch, suffix, module, extra):
    monkeypatch.setitem(sys.modules, module, None)
    path = tmp_path / f"r{suffix}"
    path.write_bytes(b"whatever")
    [outcome] = list(extract_paths([path], rules))
    assert outcome.error == f"{path}: reading {suffix} needs the {extra} extra: pip install 'edu-metrics[{extra}]'"


# Boilerplate -----------------------------------------------------------------------------

PAGE_AS_TEXT = """欢迎访问某某网站
当前位置:首页 / 政府信息公开 / 重点工作
时间:2024-04-10 13:51    来源: 某某网    浏览次数:1234次
信息索引号
014006470/2024-00016
发布机构
某某网
澳门新葡京注册送888元
一是党的领导全面加强。新增省级党建品牌项目7个。
版权所有 某某网 ICP备12345678号
"""


def test_web_furniture_metadata_tables_and_spam_yield_nothing(rules):
    assert [q.text for q in extract_text(PAGE_AS_TEXT, rules)] == ["7个"]
    document = parse_document(PAGE_AS_TEXT, "p.txt")
    assert [s.heading for s in document.sections] == ["党的领导全面加强"]
    spans = find_boilerplate(PAGE_AS_TEXT)
    kept = [line for line in PAGE_AS_TEXT.splitlines(keepends=True)
            if not any(start <= PAGE_AS_TEXT.index(line) < end for start, end in spans)]
    assert kept == ["一是党的领导全面加强。新增省级党建品牌项目7个。\n"]


def test_seed_web_page_has_no_rows_in_its_furniture(rules):
    outcome = quantities(SEEDS / "002_62fab0e769c6bf60.txt", rules)
    body = outcome.document.text.index("一是党的领导全面加强")
    assert all(q.start > body for q in outcome.quantities)


# Metadata --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "region", "year", "kind"),
    [
        ("000_c37bb8c97b14a129.txt", "无锡市", 2022, "summary"),
        ("001_075bb786688b10a6.txt", "无锡市", 2023, "plan"),
        ("002_62fab0e769c6bf60.txt", "无锡市", 2023, "completion"),
        ("003_41872af551ea06fd.txt", "江阴市", 2023, "speech"),
        ("004_65850cbc458b37d5.txt", "", 2022, "mixed"),
    ],
)
def test_seed_metadata(seed, region, year, kind):
    meta = read_document(SEEDS / seed).meta
    assert (meta.region, meta.year, meta.kind) == (region, year, kind)


def test_title_and_date():
    meta = describe("中共常州市委教育工作委员会 常州市教育局\n\n2024年2月18日\n附件\n2023年全市教育工作总结\n正文。")
    assert (meta.title, meta.date, meta.region) == ("2023年全市教育工作总结", "2024-02-18", "常州市")


def test_a_title_year_in_numerals():
    assert describe("二〇二三年全市教育工作总结\n正文。").year == 2023


def test_masked_issuer_gives_no_region():
    assert describe("*县教育体育局2023年工作总结\n*县教育局召开会议。").region == ""


def test_region_falls_back_to_the_city_the_report_names_most():
    text = "市教育局工作要点\n编制《无锡市推进方案》，开展无锡市特殊教育，出台《无锡市督导办法》，建设教育强市、体育强市、文化强市。"
    assert describe(text).region == "无锡市"
    assert describe("市教育局工作要点\n建设教育强市，建设体育强市，建设文化强市。").region == ""


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_manifest_sets_and_overrides_metadata(tmp_path, rules):
    write(tmp_path / "edu-metrics.toml", 'region = "无锡市"\n[files."plans/*.txt"]\nyear = 2023\nkind = "plan"\n')
    write(tmp_path / "plans" / "p.txt", "市教育局工作要点\n新建学校30所。")
    write(tmp_path / "s.txt", "2022年江阴市教育局工作总结\n新建学校5所。")
    outcomes = {o.source.name: o for o in extract_paths([tmp_path], rules)}
    plan = outcomes["plans/p.txt"]
    assert (plan.document.meta.region, plan.document.meta.year, plan.document.meta.kind) == ("无锡市", 2023, "plan")
    assert (plan.quantities[0].year, plan.quantities[0].status, plan.quantities[0].region) == (2023, "target", "无锡市")
    assert outcomes["s.txt"].document.meta.region == "无锡市"  # the manifest overrides the text


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ('colour = "red"', "unknown key 'colour'"),
        ("year = \"2023\"", "key 'year' must be a int"),
        ('[files."*.txt"]\nkind = "memo"', "files.\"*.txt\": key 'kind' must be one of"),
        ('date = "2023/3/1"', "key 'date' must be written YYYY-MM-DD"),
    ],
)
def test_broken_manifest_is_named(tmp_path, rules, manifest, message):
    write(tmp_path / "edu-metrics.toml", manifest)
    write(tmp_path / "r.txt", "新建学校5所。")
    with pytest.raises(Exception) as error:
        extract_paths([tmp_path], rules)
    assert str(tmp_path / "edu-metrics.toml") in str(error.value) and message in str(error.value)


def test_path_hints_fill_what_the_text_leaves_open(tmp_path, rules):
    write(tmp_path / "无锡" / "2023" / "r.txt", "市教育局工作总结\n新建学校5所。")
    write(tmp_path / "无锡" / "2021" / "s.txt", "2022年江阴市教育局工作总结\n新建学校5所。")
    outcomes = {o.source.name: o.document.meta for o in extract_paths([tmp_path], rules)}
    assert (outcomes["无锡/2023/r.txt"].region, outcomes["无锡/2023/r.txt"].year) == ("无锡", 2023)
    assert (outcomes["无锡/2021/s.txt"].region, outcomes["无锡/2021/s.txt"].year) == ("江阴市", 2022)


# Headings, status and year ---------------------------------------------------------------

REPORT = """2022年工作总结及2023年工作计划
一、2022年工作总结
坚持政治引领，教育系统党的建设持续加强
1．政治建设全面加强。选送110余名优秀教师。
（一）学前教育
一是普惠发展。覆盖率提升至92.65%。全市共有学校394所。
第二方面　2023年主要任务
一、扩大资源供给。力争新建学校30所。目前已建成幼儿园12所。
"""


def test_heading_styles_and_nearest_section(rules):
    sections = {q.text: q.section for q in extract_text(REPORT, rules)}
    assert sections == {
        "110余名": "政治建设全面加强",
        "92.65%": "普惠发展",
        "394所": "普惠发展",
        "30所": "扩大资源供给",
        "12所": "扩大资源供给",
    }


def test_status_and_year_follow_sections_and_cues(rules):
    got = {q.text: (q.status, q.year) for q in extract_text(REPORT, rules)}
    assert got == {
        "110余名": ("actual", 2022),
        "92.65%": ("actual", 2022),
        "394所": ("actual", 2022),
        "30所": ("target", 2023),
        "12所": ("actual", 2022),
    }


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("2022年计划新建校舍8.36万平方米。", "target"),
        ("全年招录公费师范生计划160名。", "target"),
        ("381名教师参加了国培计划。", "actual"),
        ("高质量完成农村订单式教师培养计划80名。", "actual"),
        ("达标率提升至91.37%，完成90%的既定目标。", "actual"),
        ("预计新增学位5430个。", "target"),
        ("争取到学前教育项目补助资金96.5万元。", "actual"),
        ("到2025年，覆盖率达到95%。", "target"),
        ("目标任务：新增学位5000个。完成情况：新增学位5200个。", "target"),
        ("完成情况：新增学位5200个，完成年度目标的104%。", "actual"),
    ],
)
def test_status_cues_in_a_review(rules, sentence, status):
    assert extract_text("2022年工作总结\n" + sentence, rules)[0].status == status


def test_second_rate_after_a_target_wording(rules):
    [reached, goal] = extract_text("2022年工作总结\n达标率提升至91.37%，完成90%的既定目标。", rules)
    assert (reached.status, goal.status) == ("actual", "target")


@pytest.mark.parametrize(
    ("sentence", "year"),
    [
        ("2022年义务教育优质均衡达标比例76.5%。", 2022),
        ("一本上线率61.4%，比2021年提高3.2%。", 2023),
        ("落实《学位建设三年行动方案（2023—2025年）》，开工新建学校18所。", 2023),
        ("去年新增学位100个。", 2022),
        ("今年新增学位100个。", 2023),
        ("到2025年，覆盖率达到95%。", 2025),
        ("二〇二二年，全市新增学位100个。", 2022),
    ],
)
def test_year_of_a_quantity(rules, sentence, year):
    assert extract_text("2023年工作总结\n" + sentence, rules)[0].year == year


def test_traditional_report_reads_like_a_simplified_one(rules):
    text = "2022年全市教育工作總結\n新增學位6210個，較上年增長3.5%；名列全國第三。培訓教師約2.4萬人次，發放資助金5287.7萬元。"
    got = [(q.text, q.kind, str(q.value), q.unit, q.qualifier, q.baseline, q.year) for q in extract_text(text, rules)]
    assert got == [
        ("6210個", "count", "6210", "个", "=", "", 2022),
        ("3.5%", "change", "3.5", "%", "=", "上年", 2022),
        ("三", "rank", "3", "", "=", "", 2022),
        ("約2.4萬人次", "count", "24000.0", "人次", "~", "", 2022),
        ("5287.7萬元", "amount", "52877000.0", "元", "=", "", 2022),
    ]


def test_mirror_spam_lines_yield_nothing(rules):
    text = (
        "无锡市教育局2023年工作总结\n【澳门新葡京】注册就送888元 www.example.invalid\n全市新增学位6210个。\n"
        "本文来源于网络，如有侵权请联系删除\n扫描二维码关注我们，已有10万人关注\n"
    )
    assert [q.text for q in extract_text(text, rules)] == ["6210个"]


def test_an_html_statistics_table_is_read_with_its_headers(tmp_path, rules):
    page = tmp_path / "stats.html"
    page.write_text(
        "<html><body><h1>2023年全市教育事业发展统计公报</h1><table>"
        "<tr><th>学校类别</th><th>学校数（所）</th><th>在校生（万人）</th><th>2023年毛入学率（%）</th></tr>"
        "<tr><td>小学</td><td>320</td><td>32.1</td><td>100</td></tr>"
        "<tr><td>初中</td><td>150</td><td>16.5</td><td>102.3</td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    outcome = quantities(page, rules)
    got = [(q.text, str(q.value), q.unit, q.kind, q.year, q.indicator) for q in outcome.quantities]
    assert got == [
        ("320", "320", "所", "count", 2023, "小学学校数"),
        ("32.1", "321000.0", "人", "count", 2023, "小学在校生数"),
        ("100", "100", "%", "rate", 2023, "小学毛入学率"),
        ("150", "150", "所", "count", 2023, "初中学校数"),
        ("16.5", "165000.0", "人", "count", 2023, "初中在校生数"),
        ("102.3", "102.3", "%", "rate", 2023, "初中毛入学率"),
    ]


def test_a_header_without_the_row_labels_column_still_lines_up(rules):
    text = "学校数（所）\t在校生（人）\n小学\t45\t38620\n初中\t18\t16450\n"
    got = [(q.text, q.unit, q.indicator) for q in extract_text(text, rules)]
    assert got == [
        ("45", "所", "小学学校数"),
        ("38620", "人", "小学在校生数"),
        ("18", "所", "初中学校数"),
        ("16450", "人", "初中在校生数"),
    ]
