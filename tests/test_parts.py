"""Text files read in parts: the same rows as read whole, memory that follows the part, not the file."""

import tracemalloc

import pytest
from typer.testing import CliRunner

from edu_metrics import parts
from edu_metrics.cli import app
from edu_metrics.pipeline import collect_sources, extract_sources
from edu_metrics.table import TableWriter

from .conftest import SEEDS

runner = CliRunner()

# A report with headings whose scope its figures borrow far below them (在园幼儿 under 学前教育).
REPORT = (
    "2023年南平市教育工作总结\n"
    "一、学前教育\n"
    + "全市新增公办幼儿园3所，新增学位1200个。\n" * 30
    + "在园幼儿2.4万人，比上年增加5.2%。\n"
    "二、义务教育\n"
    + "新建中小学校5所，普通话水平测试合格率99.5%。\n" * 30
    + "在校生15.6万人，专任教师1.1万人。\n"
)


@pytest.fixture
def small_parts(monkeypatch):
    """Parts of a few hundred characters, so a small file is read as a big one would be."""
    monkeypatch.setattr(parts, "PARTED_BYTES", 100)
    monkeypatch.setattr(parts, "PART_CHARS", 300)


def rows_of(folder, rules):
    return [(o.source.name, o.part, q) for o in extract_sources(collect_sources([folder]), rules) for q in o.quantities]


def test_a_file_read_in_parts_gives_the_rows_it_gives_read_whole(tmp_path, rules, monkeypatch):
    (tmp_path / "report.txt").write_text(REPORT, encoding="utf-8")
    whole = [q for _, _, q in rows_of(tmp_path, rules)]
    monkeypatch.setattr(parts, "PARTED_BYTES", 100)
    monkeypatch.setattr(parts, "PART_CHARS", 300)
    parted = rows_of(tmp_path, rules)
    assert max(part for _, part, _ in parted) >= 5  # it was read in parts
    assert [q for _, _, q in parted] == whole
    for quantity in whole:
        assert REPORT[quantity.start:quantity.end] == quantity.text
    # The headings stay open across a cut: the last part's figures still stand under 义务教育.
    last = next(q for q in whole if q.text == "15.6万人")
    assert last.indicator == "义务教育在校生数"
    assert {q.region for q in whole} == {"南平市"} and {q.year for q in whole} == {2023}


TRADITIONAL = "2023年南平市教育工作總結\n一、學前教育\n" + "全市新增公辦幼兒園3所，新增學位1200個。\n" * 40


@pytest.mark.parametrize(
    "encoding, text", [("utf-8", REPORT), ("gb18030", REPORT), ("utf-16", REPORT), ("big5", TRADITIONAL)]
)
def test_every_encoding_is_read_in_parts_across_block_edges(tmp_path, rules, small_parts, monkeypatch, encoding, text):
    monkeypatch.setattr(parts, "_BLOCK_BYTES", 7)  # blocks end inside characters
    (tmp_path / "report.txt").write_bytes(text.encode(encoding))
    rows = rows_of(tmp_path, rules)
    assert len({part for _, part, _ in rows}) > 3
    assert sum(q.value == 1200 for _, _, q in rows) == text.count("1200")
    assert all(text[q.start:q.end] == q.text for _, _, q in rows)


@pytest.mark.parametrize("block", [512, 7])  # 7: blocks end inside characters, so one is held over
def test_a_bad_byte_deep_in_a_parted_file_fails_it_in_one_line_after_the_rows_before_it(
    tmp_path, small_parts, monkeypatch, block
):
    monkeypatch.setattr(parts, "_BLOCK_BYTES", block)  # the encoding is told from the first block
    data = REPORT.encode("utf-8")
    bad = data.index("二、义务教育".encode("utf-8"))
    # Between two characters, in a block that starts inside a character (the decoder holds its start).
    continuation = lambda at: 0x80 <= data[at] < 0xC0  # noqa: E731
    bad = next(at for at in range(bad, len(data)) if not continuation(at) and continuation(at // block * block))
    (tmp_path / "report.txt").write_bytes(data[:bad] + b"\xff" + data[bad:])
    (tmp_path / "other.txt").write_text("新增学位6210个。", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path)])
    assert result.exit_code == 1
    assert f"report.txt: not valid utf-8 at byte {bad}" in result.stderr
    assert "Traceback" not in result.stderr
    assert 0 < result.stdout.count("新增学位数,count,1200,") <= 30  # the parts before the bad byte were written
    assert "6210个" in result.stdout  # and the other document was read
    assert "2 documents" in result.stderr and "1 failed" in result.stderr


def test_a_file_that_fails_after_its_first_part_is_one_document_and_one_failure(tmp_path, small_parts, monkeypatch):
    monkeypatch.setattr(parts, "_BLOCK_BYTES", 256)
    data = REPORT.encode("utf-8")
    bad = data.index("。".encode("utf-8"), 1300) + 3  # about 450 characters in: inside the second part of 300
    (tmp_path / "report.txt").write_bytes(data[:bad] + b"\xff" + data[bad:])
    result = runner.invoke(app, ["extract", str(tmp_path / "report.txt")])
    assert result.exit_code == 1 and "not valid utf-8" in result.stderr
    assert "1 documents" in result.stderr and "1 failed" in result.stderr


def test_a_part_ends_at_a_line_then_a_sentence_then_outside_a_figure():
    assert parts._cut("一二三四\n五六七八。九十", 8) == 5
    assert parts._cut("学位多了。新增学位6210个", 8) == 5
    line = "学" * 6 + "12345678" + "个学位"
    assert parts._cut(line, 8) == 15  # not inside 12345678, nor between it and its unit


def test_memory_of_a_file_read_in_parts_follows_the_part_not_the_file(tmp_path, rules, small_parts, monkeypatch):
    monkeypatch.setattr(parts, "PART_CHARS", 20_000)
    monkeypatch.setattr(parts, "_BLOCK_BYTES", 16_384)
    text = (SEEDS / "003_41872af551ea06fd.txt").read_text(encoding="utf-8")
    peaks = []
    for copies in (2, 6, 30):  # the first run warms the caches
        file = tmp_path / f"big{copies}.txt"
        file.write_text("\n".join([text] * copies), encoding="utf-8")
        tracemalloc.start()
        writer = TableWriter(open(tmp_path / f"out{copies}.csv", "w", encoding="utf-8"))
        for outcome in extract_sources(collect_sources([file]), rules):
            writer.write(outcome.quantities)
        writer.close()
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[2] < 1.5 * peaks[1]


def test_a_parted_file_among_others_gives_the_same_table_with_workers(tmp_path, small_parts):
    (tmp_path / "b_report.txt").write_text(REPORT, encoding="utf-8")
    for name in ("a.txt", "c.txt", "d.txt"):
        (tmp_path / name).write_text(f"{name}：新增学位6210个，在校生1.6万名。", encoding="utf-8")
    one = runner.invoke(app, ["extract", str(tmp_path)])
    two = runner.invoke(app, ["extract", str(tmp_path), "--jobs", "2"])
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout
    assert one.stdout.count("新增学位数,count,1200,") == 30 and one.stdout.count("新增学位数,count,6210,") == 3
    assert "4 documents" in two.stderr


@pytest.mark.parametrize("block", [2**20, 7])  # 7: tags, entities and characters cut by the blocks
def test_a_big_page_is_parsed_and_written_in_parts(tmp_path, rules, small_parts, monkeypatch, block):
    monkeypatch.setattr(parts, "_BLOCK_BYTES", block)
    page = "<html><head><meta charset='utf-8'></head><body><h1>2023年南平市教育工作总结</h1>" + "".join(
        f"<p class='x'>新增&nbsp;学位{n}个</p>" for n in range(1000, 1300)
    ) + "</body></html>"
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    outcomes = list(extract_sources(collect_sources([tmp_path]), rules))
    assert len(outcomes) > 10 and not any(o.error for o in outcomes)
    rows = [q for o in outcomes for q in o.quantities]
    assert [q.value for q in rows] == list(range(1000, 1300))
    assert {q.year for q in rows} == {2023} and {q.region for q in rows} == {"南平市"}


def test_a_big_pdf_is_read_a_page_at_a_time_with_the_rows_it_gives_whole(tmp_path, rules, small_parts):
    from edu_metrics import extract_document, read_document

    from .test_documents import make_pdf

    lines = ["2023年南平市教育工作总结", "一、学前教育"] + [f"新增学位{n}个，在园幼儿{n}人。" for n in range(100, 140)]
    make_pdf(tmp_path / "r.pdf", lines)
    make_pdf(tmp_path / "scan.pdf", [])
    outcomes = list(extract_sources(collect_sources([tmp_path]), rules))
    assert outcomes[-1].source.name == "scan.pdf"
    assert outcomes[-1].error.endswith("the PDF has no text layer (a scan?); run OCR first")
    parted = outcomes[:-1]
    assert len(parted) > 1 and not any(o.error for o in parted)
    whole = extract_document(read_document(tmp_path / "r.pdf"), rules)
    assert [q for o in parted for q in o.quantities] == whole and len(whole) == 80
