"""Hostile input: bombs, forged tables, odd names, bogus charsets, links and FIFOs (inputs built here)."""

import csv
import io
import json
import os
import subprocess
import sys
import zipfile
import zlib

import pytest
from typer.testing import CliRunner

from edu_metrics.cli import app

runner = CliRunner()
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def docx(path, body: bytes, repeat: int = 1):
    """A minimal .docx whose document.xml is `body` written `repeat` times."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                   'Target="word/document.xml"/></Relationships>')
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0"?><w:document xmlns:w="{_W}"><w:body>'.encode())
            for _ in range(repeat):
                f.write(body)
            f.write(b"</w:body></w:document>")
    return path


PARAGRAPH = "<w:p><w:r><w:t>2022年工作总结。新增学位6210个。</w:t></w:r></w:p>".encode()


@pytest.mark.parametrize("numbers", [True, False])
def test_a_docx_bomb_is_refused_at_once(tmp_path, numbers):
    pytest.importorskip("docx")
    body = PARAGRAPH if numbers else "<w:p><w:r><w:t>教育</w:t></w:r></w:p>".encode()
    bomb = docx(tmp_path / "bomb.docx", body * 1000, repeat=2000)  # ~100 MB of XML in a few hundred KB
    (tmp_path / "ok.txt").write_text("2022年工作总结\n新增学位100个。\n", encoding="utf-8")
    result = run("extract", tmp_path, "-q")
    assert result.exit_code == 1
    assert f"{bomb}: the .docx would inflate to" in result.stderr or "a zip bomb?" in result.stderr
    assert [r["doc"] for r in csv.DictReader(io.StringIO(result.stdout))] == ["ok.txt"]  # the others' rows stay


@pytest.mark.parametrize("span", ['<w:gridSpan w:val="100000000"/>', '<w:gridSpan w:val="abc"/>', '<w:vMerge/>'])
def test_a_forged_docx_table_neither_hangs_nor_raises(tmp_path, span):
    pytest.importorskip("docx")
    table = (f'<w:tbl><w:tr><w:tc><w:tcPr>{span}</w:tcPr><w:p><w:r><w:t>学校数（所）</w:t></w:r></w:p></w:tc></w:tr>'
             '<w:tr><w:tc><w:p><w:r><w:t>120</w:t></w:r></w:p></w:tc></w:tr></w:tbl>').encode()
    docx(tmp_path / "t.docx", PARAGRAPH + table)
    result = run("extract", tmp_path / "t.docx", "-q")
    assert result.exit_code == 0, result.stderr
    assert "6210个" in result.stdout


def test_a_file_name_that_is_not_utf8_is_written_escaped_in_every_format(tmp_path):
    name = os.fsdecode(b"r\xff.txt")
    (tmp_path / name).write_text("2022年工作总结\n新增学位100个。\n", encoding="utf-8")
    (tmp_path / "ok.txt").write_text("2022年工作总结\n新增学位200个。\n", encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(run("extract", tmp_path, "-q").stdout)))
    assert [r["doc"] for r in rows] == ["ok.txt", "r\\xff.txt"]
    lines = run("extract", tmp_path, "-q", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["doc"] for line in lines] == ["ok.txt", "r\\xff.txt"]


@pytest.mark.parametrize("charset", ["rot-13", "base64", "uu", "zlib", "hex", "undefined"])
def test_a_bogus_meta_charset_is_ignored(tmp_path, charset):
    page = f'<html><head><meta charset="{charset}"></head><body><p>2022年工作总结</p><p>新增学位6210个。</p></body></html>'
    (tmp_path / "p.html").write_bytes(page.encode("utf-8"))
    result = run("extract", tmp_path / "p.html", "-q")
    assert result.exit_code == 0, result.stderr
    assert "6210个" in result.stdout


def test_an_encoding_that_is_no_text_encoding_is_a_usage_error(tmp_path):
    (tmp_path / "r.txt").write_text("新增学位100个。", encoding="utf-8")
    result = run("extract", tmp_path / "r.txt", "--encoding", "rot13")
    assert result.exit_code == 2 and "'rot13' is not a text encoding" in result.stderr


def test_linked_folders_are_searched_once_and_what_cannot_be_read_is_said(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.txt").write_text("2022年工作总结\n新增学位100个。\n", encoding="utf-8")
    (tmp_path / "linked").symlink_to(tmp_path / "real")
    (tmp_path / "real" / "loop").symlink_to(tmp_path)
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(tmp_path / "fifo.txt")
    result = run("extract", tmp_path, "-v")
    assert [r["doc"] for r in csv.DictReader(io.StringIO(result.stdout))] == ["real/a.txt"]
    assert f"skipped {tmp_path / 'dangling.txt'}: a dangling link" in result.stderr
    assert f"skipped {tmp_path / 'fifo.txt'}: not a regular file" in result.stderr
    assert "2 skipped" in result.stderr and result.exit_code == 1


def test_a_fifo_or_a_huge_file_named_as_a_pack_or_a_manifest_is_refused(tmp_path):
    os.mkfifo(tmp_path / "x.toml")
    result = run("extract", tmp_path, "--rules", tmp_path / "x.toml")
    assert result.exit_code == 2 and "not a regular file (a rule pack must be one)" in result.stderr
    (tmp_path / "big.toml").write_text("# " + "x" * (5 * 2**20), encoding="utf-8")
    result = run("extract", tmp_path, "--rules", tmp_path / "big.toml")
    assert result.exit_code == 2 and "a rule pack of more than 4,194,304 bytes is refused" in result.stderr
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "r.txt").write_text("2022年工作总结\n新增学位100个。\n", encoding="utf-8")
    os.mkfifo(reports / "edu-metrics.toml")
    result = run("extract", reports)
    assert result.exit_code == 2 and "not a regular file (a manifest must be one)" in result.stderr


def test_a_pack_of_thousands_of_rules_loads_with_each_rule_at_its_line(tmp_path):
    """Loading is linear (one pass finds every rule's line); 3,000 rules took 12 minutes before."""
    from edu_metrics import load_rules

    rule = ('[[rules]]\nid = "r{n}"\ndescription = "d"\nkind = "count"\npattern = \'(?P<num>[0-9]+)件{n}\'\n'
            'examples = [{{ text = "3件{n}", expect = [{{ text = "3件{n}", value = 3 }}] }}]\ncounterexamples = ["件"]\n')
    (tmp_path / "many.toml").write_text("".join(rule.format(n=n) for n in range(3000)), encoding="utf-8")
    rules = load_rules([tmp_path / "many.toml"], builtin=False)
    assert len(rules) == 3000 and rules[2999].line == 2999 * 7 + 2


def test_verbose_says_a_bogus_meta_charset_was_ignored(tmp_path):
    page = '<html><head><meta charset="rot-13"></head><body><p>新增学位6210个。</p></body></html>'
    (tmp_path / "p.html").write_bytes(page.encode("utf-8"))
    result = run("extract", tmp_path / "p.html", "-q", "-v")
    assert "p.html: utf-8 (its meta charset 'rot-13' is no text encoding: detected instead)" in result.stderr


def test_a_sentence_without_breaks_is_cut_to_a_window_around_its_figure():
    from edu_metrics import extract_text, load_rules

    text = "2022年工作总结\n" + "教育" * 2000 + "新增学位6210个" + "学校" * 2000 + "。"
    [row] = extract_text(text, load_rules())
    assert row.sentence.startswith("…") and row.sentence.endswith("…") and "新增学位6210个" in row.sentence
    assert len(row.sentence) <= 1002


def test_utf16_without_a_bom_is_read(tmp_path):
    text = "2022年工作总结\n全市教育系统推进教育现代化。新增学位6210个。\n"
    (tmp_path / "le.txt").write_bytes(text.encode("utf-16-le"))
    (tmp_path / "be.txt").write_bytes(text.encode("utf-16-be"))
    rows = list(csv.DictReader(io.StringIO(run("extract", tmp_path, "-q").stdout)))
    assert [(r["doc"], r["text"]) for r in rows] == [("be.txt", "6210个"), ("le.txt", "6210个")]


def test_output_goes_through_a_link_and_never_onto_an_input(tmp_path):
    (tmp_path / "r.txt").write_text("2022年工作总结\n新增学位100个。\n", encoding="utf-8")
    (tmp_path / "link.csv").symlink_to(tmp_path / "target.csv")
    assert run("extract", tmp_path / "r.txt", "-q", "-o", tmp_path / "link.csv").exit_code == 0
    assert (tmp_path / "link.csv").is_symlink() and "100个" in (tmp_path / "target.csv").read_text(encoding="utf-8")
    (tmp_path / "in.csv").write_text("2022年工作总结\n新增学位100个。\n", encoding="utf-8")
    result = run("extract", tmp_path / "in.csv", "-o", tmp_path / "in.csv")
    assert result.exit_code == 2 and "is one of the inputs" in result.stderr
    assert (tmp_path / "in.csv").read_text(encoding="utf-8").startswith("2022年工作总结")


def test_control_characters_never_reach_the_terminal_and_xlsx_takes_them_out(tmp_path):
    pytest.importorskip("openpyxl")
    name = tmp_path / "r\x1b[2J.txt"
    name.write_text("2022年工作总结\n新增学位6210个，\x0b\x1b覆盖率92%。\n", encoding="utf-8")
    result = run("extract", name, "-q", "-v", "--format", "table")
    assert "\x1b" not in result.stderr and "r\\x1b[2J.txt" in result.stderr
    assert "\x1b" not in result.stdout
    assert run("extract", name, "-q", "-o", tmp_path / "t.xlsx").exit_code == 0
    assert (tmp_path / "t.xlsx").stat().st_size > 0


def _table_with(tmp_path, **cells):
    from edu_metrics.extract import COLUMNS

    row = {**dict.fromkeys(COLUMNS, ""), "doc": "r.txt", "region": "某市", "year": "2022", "status": "actual",
           "indicator": "新增学位数", "kind": "count", "value": "6210", "unit": "个", "text": "6210个",
           "start": "12", "end": "17", "rule": "core.count", **cells}
    path = tmp_path / "t.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerow(row)
    return path


def test_compare_reads_what_a_spreadsheet_round_trip_writes(tmp_path):
    path = _table_with(tmp_path, year="2022.0", value="6,210", start="12.0")
    result = run("compare", path, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert "某市,新增学位数,个,6210" in result.stdout


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"value": "abc"}, "row 1: column 'value': 'abc' is not a number"),
        ({"value": "1e999999999"}, "row 1: column 'value': '1e999999999' is not a number"),
        ({"value": "NaN"}, "row 1: column 'value': 'NaN' is not a number"),
        ({"value": "Infinity"}, "row 1: column 'value': 'Infinity' is not a number"),
        ({"start": "12.5"}, "row 1: column 'start': '12.5' is not a whole number"),
    ],
)
def test_compare_refuses_a_cell_that_is_no_number_with_its_row_and_column(tmp_path, cells, message):
    result = run("compare", _table_with(tmp_path, **cells))
    assert result.exit_code == 2 and message in result.stderr, result.stderr


def test_compare_refuses_empty_ragged_and_list_tables_in_one_line(tmp_path):
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    assert "empty, not an edu-metrics table" in run("compare", tmp_path / "empty.csv").stderr
    ragged = _table_with(tmp_path)
    ragged.write_text(ragged.read_text(encoding="utf-8") + "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t\n", encoding="utf-8")
    result = run("compare", ragged)
    assert result.exit_code == 2 and "not a well-formed CSV" in result.stderr
    (tmp_path / "list.jsonl").write_text('["a", "b"]\n', encoding="utf-8")
    result = run("compare", tmp_path / "list.jsonl")
    assert result.exit_code == 2 and "line 1: not a JSON object" in result.stderr


def test_a_page_of_unclosed_tags_is_read_in_linear_time(tmp_path):
    """`<a` × 200,000 made html.parser rescan to the end from each one (86 s for 200 KB); the
    stray `<` are now text, so the page is read at once and its figure found."""
    (tmp_path / "p.html").write_text("<p>2022年工作总结</p><p>新增学位6210个</p>" + "<a" * 200_000, encoding="utf-8")
    result = run("extract", tmp_path / "p.html", "-q")
    assert result.exit_code == 0 and "6210个" in result.stdout


def test_a_stray_less_than_sign_is_text_and_tags_still_work():
    from edu_metrics.formats import html_to_text

    assert html_to_text("<p>若 a < b <b>则</b> 新增学位6210个</p>") == "若 a < b 则 新增学位6210个\n"


def test_a_document_whose_rows_take_too_long_fails_alone(tmp_path, monkeypatch):
    """Building rows runs under a time budget as the rule scans do: a clock that ticks a second
    a look runs out after two looks on a document of 600 rows, not on one of a single row."""
    import itertools

    from edu_metrics import extract

    (tmp_path / "a_slow.txt").write_text("".join(f"新增学位{n}个。" for n in range(1000, 1600)), encoding="utf-8")
    (tmp_path / "b_quick.txt").write_text("新增学位6210个。", encoding="utf-8")
    monkeypatch.setattr(extract, "ROW_SECONDS_BASE", 2.0)
    monkeypatch.setattr(extract, "ROW_SECONDS_PER_MB", 0.0)
    clock = itertools.count()
    monkeypatch.setattr(extract.time, "monotonic", lambda: float(next(clock)))
    result = run("extract", tmp_path)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "edu-metrics: a_slow.txt: gave up building its rows after 2 s (a pathological input)"
    assert "6210个" in result.stdout and "1000个" not in result.stdout


def bomb_pdf(inflated: int) -> bytes:
    """A one-page PDF whose content stream inflates to `inflated` bytes of zeros."""
    packer = zlib.compressobj(9)
    stream = b"".join(packer.compress(b"0" * 2**20) for _ in range(inflated // 2**20)) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    body = b"".join(b"%d 0 obj\n" % n + o + b"\nendobj\n" for n, o in enumerate(objects, 1))
    return b"%PDF-1.4\n" + body + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


def test_a_pdf_bomb_is_refused_before_it_is_inflated(tmp_path):
    (tmp_path / "bomb.pdf").write_bytes(bomb_pdf(24 * 2**20))
    (tmp_path / "good.txt").write_text("新增学位6210个。", encoding="utf-8")
    result = run("extract", tmp_path)
    assert result.exit_code == 1
    assert "bomb.pdf: a stream of the PDF would inflate to more than 16,777,216 bytes" in result.stderr
    assert "Traceback" not in result.stderr and "6210个" in result.stdout


def unprivileged(*args):
    """The command as a user whom file modes bind: as root, without the capabilities that pass them."""
    command = [sys.executable, "-m", "edu_metrics", *map(str, args)]
    if os.geteuid() == 0:
        command = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_files_and_folders_that_cannot_be_read_are_one_line_each_and_the_rest_is_read(tmp_path):
    reports = tmp_path / "reports"
    for folder, name, figure in (("open", "a.txt", 100), ("open", "b.txt", 200), ("locked", "c.txt", 300),
                                 ("read-only", "d.txt", 400)):
        (reports / folder).mkdir(parents=True, exist_ok=True)
        (reports / folder / name).write_text(f"新增学位{figure}个。", encoding="utf-8")
    table = tmp_path / "t.csv"
    table.write_text("doc,value\n", encoding="utf-8")
    closed = [reports / "open" / "b.txt", reports / "locked", table]
    for path in closed:
        path.chmod(0)
    (reports / "read-only").chmod(0o555)
    try:
        everything = unprivileged("extract", reports, "-v")
        named = unprivileged("extract", reports / "locked")
        compared = unprivileged("compare", table)
    finally:
        for path in (*closed, reports / "read-only"):
            path.chmod(0o755)
    assert everything.returncode == 1 and "Traceback" not in everything.stderr
    assert [row["doc"] for row in csv.DictReader(io.StringIO(everything.stdout))] == ["open/a.txt", "read-only/d.txt"]
    assert f"{reports / 'open' / 'b.txt'}: cannot read: Permission denied" in everything.stderr
    assert f"skipped {reports / 'locked'}: cannot search: Permission denied" in everything.stderr
    assert named.returncode == 1 and named.stderr.splitlines() == [
        f"edu-metrics: skipped {reports / 'locked'}: cannot search: Permission denied",
        f"edu-metrics: no documents to read in {reports / 'locked'} (.txt, .html, .htm, .docx, .pdf)",
    ]
    assert compared.returncode == 2 and compared.stderr == f"edu-metrics: {table}: cannot read: Permission denied\n"


def test_a_docx_too_big_to_hold_is_refused_before_it_is_read(tmp_path, monkeypatch):
    """python-docx holds every part of an archive, images too: past the limit it is not opened."""
    from edu_metrics import formats

    monkeypatch.setattr(formats, "DOCX_MAX_ARCHIVE", 100_000)
    packed = docx(tmp_path / "packed.docx", PARAGRAPH)
    with zipfile.ZipFile(packed, "a", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/media/image1.png", os.urandom(150_000))
    unpacked = docx(tmp_path / "unpacked.docx", PARAGRAPH)
    with zipfile.ZipFile(unpacked, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/image1.bmp", b"\0" * 150_000)  # small packed, big unpacked
    result = run("extract", tmp_path, "-q")
    assert result.exit_code == 1
    assert f"{packed}: the .docx holds {packed.stat().st_size:,} bytes (limit 100,000): refused" in result.stderr
    assert f"{unpacked}: the .docx holds " in result.stderr and "Traceback" not in result.stderr
