"""Hostile containers: random byte mutations of real reports, HTML pages, .docx archives and PDFs.

Every mutated input either gives rows whose text is the document's own (`text ==
document[start:end]`) or fails alone with one line and exit 1; never a traceback; and its
reading stays within a memory bound. `make test` runs a short sample, `make fuzz` thousands
of examples.
"""

import io
import tracemalloc
import zipfile
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from edu_metrics import DocumentError, RulePackError, load_rules, read_document
from edu_metrics.cli import app
from edu_metrics.extract import extract_document
from edu_metrics.formats import PageReader, html_to_text

from .conftest import ROOT, SEEDS
from .test_documents import make_pdf

RULES = load_rules()
REPORT = (SEEDS / "000_c37bb8c97b14a129.txt").read_text(encoding="utf-8")[:3000]
PAGE = ("<html><head><meta charset='utf-8'><title>t</title></head><body><div class='nav'>首页</div>"
        f"<p>{REPORT[:800]}</p><table><tr><th>学校数（所）</th></tr><tr><td>120</td></tr></table></body></html>")


def _docx() -> bytes:
    pytest.importorskip("docx")
    import docx

    document = docx.Document()
    for line in REPORT[:1500].splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "学校", "学校数（所）"
    table.cell(1, 0).text, table.cell(1, 1).text = "小学", "120"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


SEEDS_OF = {".txt": REPORT.encode("utf-8"), ".html": PAGE.encode("utf-8")}
mutation = st.lists(st.tuples(st.integers(min_value=0, max_value=10**6), st.binary(min_size=0, max_size=8)), max_size=6)


def mutated(data: bytes, edits) -> bytes:
    for position, piece in edits:
        at = position % (len(data) + 1)
        data = data[:at] + piece + data[at + len(piece) // 2:]
    return data


# Reading and extracting one of these inputs (a few KB) never holds more than this.
MEMORY_BOUND = 64 * 2**20


def holds(path):
    tracemalloc.start()
    try:
        document = read_document(path)
        for q in extract_document(document, RULES):
            assert document.text[q.start:q.end] == q.text
    except DocumentError:
        pass  # fails alone with its message
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak < MEMORY_BOUND, (path.name, peak)


@cache
def _pdf() -> bytes:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.pdf"
        make_pdf(path, ["2022年全市教育工作总结", *REPORT[:600].splitlines()[:8]])
        return path.read_bytes()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=mutation)
def test_mutated_pdf_never_raises(tmp_path, edits):
    path = tmp_path / "m.pdf"
    path.write_bytes(mutated(_pdf(), edits))
    holds(path)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=mutation, suffix=st.sampled_from(sorted(SEEDS_OF)))
def test_mutated_text_and_html_never_raise(tmp_path, edits, suffix):
    path = tmp_path / f"m{suffix}"
    path.write_bytes(mutated(SEEDS_OF[suffix], edits))
    holds(path)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=mutation)
def test_mutated_docx_never_raises(tmp_path, edits):
    data = _docx()
    path = tmp_path / "m.docx"
    path.write_bytes(mutated(data, edits))
    holds(path)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(member=st.sampled_from(["word/document.xml", "[Content_Types].xml", "word/styles.xml"]), edits=mutation)
def test_a_docx_with_a_mutated_member_fails_alone_through_the_cli(tmp_path, member, edits):
    source = zipfile.ZipFile(io.BytesIO(_docx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            target.writestr(info, mutated(body, edits) if info.filename == member else body)
    (tmp_path / "m.docx").write_bytes(buffer.getvalue())
    (tmp_path / "ok.txt").write_text("2022年工作总结\n新增学位100个。\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(tmp_path), "-q", "-j", "1"])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "ok.txt" in result.stdout


PACK = (ROOT / "rules" / "core.toml").read_bytes()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=mutation)
def test_a_mutated_rule_pack_loads_or_is_refused_in_one_line(tmp_path, edits):
    path = tmp_path / "p.toml"
    path.write_bytes(mutated(PACK, edits))
    try:
        rules = load_rules([path], builtin=False)
    except RulePackError as exc:
        assert "\n" not in str(exc) and str(path) in str(exc), str(exc)
        return
    assert len(rules) > 0


@given(edits=mutation, cuts=st.lists(st.integers(min_value=1, max_value=400), max_size=40))
def test_a_page_read_in_pieces_gives_the_text_it_gives_whole(edits, cuts):
    """Tags, entities and unclosed `<` cut anywhere by the blocks of a big page change nothing."""
    page = mutated(PAGE.encode("utf-8"), edits).decode("utf-8", "replace")
    reader, pieces, at = PageReader(), [], 0
    for size in cuts:
        pieces.append(reader.feed(page[at:at + size]))
        at += size
    pieces += [reader.feed(page[at:]), reader.close()]
    assert "".join(pieces) == html_to_text(page)
