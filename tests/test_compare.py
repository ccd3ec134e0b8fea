"""compare, diff and the spreadsheet-facing outputs, on tables extracted from short reports."""

import csv
import io
import sys

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from edu_metrics.cli import app
from edu_metrics.compare import compare, diff
from edu_metrics.table import read_table

runner = CliRunner()

REPORTS = {
    "changzhou-2022.txt": "2022年常州市教育工作总结\n全市普惠性幼儿园覆盖率提升至88.36%，公办园覆盖率57.42%，新增学位4200个。",
    "changzhou-2023.txt": "2023年常州市教育工作总结\n全市普惠性幼儿园覆盖率达89.47%，同比提升1.11个百分点。"
    "公办园覆盖率60.52%，同比提升5个百分点。新增学位4350个。",
    "changzhou-2023-bis.txt": "2023年常州市教育局工作情况\n全市普惠性幼儿园覆盖率达89.5%。",
}


def run(*args):
    return runner.invoke(app, list(map(str, args)))


@pytest.fixture
def table(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    out = tmp_path / "all.csv"
    assert run("extract", folder, "-o", out).exit_code == 0
    return out


def rows_by_indicator(frame):
    return {row["indicator"]: row for row in frame.to_dict("records")}


def test_compare_lines_up_years_and_checks_stated_changes(table):
    wide = rows_by_indicator(compare(read_table(table)))
    assert list(compare(read_table(table)).columns) == [
        "region", "indicator", "unit", "2022", "2023", "latest_change", "stated_change", "agree"
    ]
    public = wide["公办园覆盖率"]
    assert (public["region"], public["2022"], public["2023"]) == ("常州市", "57.42", "60.52")
    assert (public["latest_change"], public["stated_change"], public["agree"]) == ("3.1 pp", "5 pp", "no")
    places = wide["新增学位数"]
    assert (places["2022"], places["2023"], places["latest_change"], places["agree"]) == ("4200", "4350", "150 个", "")


def test_conflicting_values_are_shown_with_their_documents(table):
    inclusive = rows_by_indicator(compare(read_table(table)))["普惠性幼儿园覆盖率"]
    assert inclusive["2022"] == "88.36"
    assert inclusive["2023"] == "89.47 (changzhou-2023.txt) | 89.5 (changzhou-2023-bis.txt)"
    assert (inclusive["latest_change"], inclusive["stated_change"]) == ("", "1.11 pp")


def test_a_stated_change_that_agrees(tmp_path, table):
    frame = read_table(table)
    frame = frame[frame["doc"] != "changzhou-2023-bis.txt"]
    inclusive = rows_by_indicator(compare(frame))["普惠性幼儿园覆盖率"]
    assert (inclusive["latest_change"], inclusive["stated_change"], inclusive["agree"]) == ("1.11 pp", "1.11 pp", "yes")


def test_compare_cli_reads_an_excel_round_trip_in_gbk(tmp_path, table):
    gbk = tmp_path / "excel.csv"
    gbk.write_bytes(table.read_text(encoding="utf-8").encode("gb18030"))
    result = run("compare", gbk, "--by", "indicator", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0].keys() >= {"indicator", "unit", "2022", "2023"}
    assert any(r["indicator"] == "公办园覆盖率" and r["2023"] == "60.52" for r in rows)


def test_compare_rich_table_and_bad_by(table):
    shown = run("compare", table, "--format", "table")
    assert shown.exit_code == 0 and "普惠性幼儿园覆盖率" in shown.stdout and "latest_change" in shown.stdout
    bad = run("compare", table, "--by", "place")
    assert bad.exit_code == 2 and "--by: no column place" in bad.stderr


def test_diff_equal_tables_exit_0(table):
    result = run("diff", table, table)
    assert result.exit_code == 0 and result.stdout == ""
    assert "0 added, 0 removed, 0 changed" in result.stderr


def test_diff_shows_added_removed_and_changed_rows(tmp_path, table):
    frame = read_table(table)
    changed = frame.copy()
    changed.loc[changed["text"] == "88.36%", "value"] = "88.4"
    changed = changed[changed["text"] != "4200个"]
    extra = frame[frame["text"] == "4350个"].assign(start="999", end="1004", text="99所", value="99", unit="所")
    new = tmp_path / "new.csv"
    pd.concat([changed, extra]).to_csv(new, index=False)
    result = run("diff", table, new)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "~ changzhou-2022.txt:29 88.36%  value '88.36' → '88.4'" in lines
    assert any(line.startswith("- changzhou-2022.txt:") and "4200个" in line for line in lines)
    assert any(line.startswith("+ changzhou-2023.txt:999 99所") for line in lines)
    assert "1 added, 1 removed, 1 changed" in result.stderr
    assert [d.sign for d in diff(read_table(table), read_table(new))].count("~") == 1


def test_bom_is_written_once_as_bytes(tmp_path, table):
    result = run("extract", tmp_path / "reports", "--bom")
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbfdoc,region")
    assert result.stdout_bytes.count(b"\xef\xbb\xbf") == 1
    out = tmp_path / "bom.csv"
    run("extract", tmp_path / "reports", "--bom", "-o", out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbfdoc,")
    assert len(read_table(out)) == len(read_table(table))


def test_formula_cells_are_neutralised_but_numbers_stay_numbers(tmp_path):
    doc = tmp_path / "r.txt"
    doc.write_text("=HYPERLINK(\"x\")新增学位4350个，同比减少3%。\n", encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(run("extract", doc).stdout)))
    assert rows[0]["sentence"].startswith("'=HYPERLINK")
    assert rows[1]["value"] == "-3"
    assert rows[0]["qualifier"] == "="
    assert read_table_text(run("extract", doc).stdout, tmp_path)["sentence"][0].startswith("=HYPERLINK")


def read_table_text(text, folder):
    path = folder / "t.csv"
    path.write_text(text, encoding="utf-8")
    return read_table(path)


def test_xlsx_output_has_numbers_and_no_live_formulas(tmp_path):
    doc = tmp_path / "r.txt"
    doc.write_text("=1+1新增学位4350个。\n", encoding="utf-8")
    out = tmp_path / "t.xlsx"
    assert run("extract", doc, "-o", out).exit_code == 0
    sheet = openpyxl.load_workbook(out).active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, (c.value for c in sheet[2]), strict=True))
    assert row["value"] == 4350 and row["start"] == 8
    # written as text, not as a formula: no ' is needed in front of it
    cell = sheet.cell(2, header.index("sentence") + 1)
    assert cell.data_type == "s" and cell.value.startswith("=1+1")


def test_parquet_output(tmp_path, table):
    out = tmp_path / "t.parquet"
    assert run("extract", tmp_path / "reports", "-o", out).exit_code == 0
    frame = pd.read_parquet(out)
    assert len(frame) == len(read_table(table))
    assert frame["value"].dtype.kind == "f"
    assert 88.36 in set(frame["value"])


def test_missing_extra_for_xlsx_stops_before_work(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    out = tmp_path / "t.xlsx"
    result = run("extract", tmp_path, "-o", out)
    assert result.exit_code == 2
    assert "writing .xlsx needs the xlsx extra: pip install 'edu-metrics[xlsx]'" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_extract_format_table_is_for_people(table, tmp_path):
    result = run("extract", tmp_path / "reports", "--format", "table")
    assert result.exit_code == 0
    assert "indicator" in result.stdout and "88.36" in result.stdout
    assert not result.stdout.startswith("doc,region")
