"""The CLI a data person expects: each test pins a convention a new user met broken."""

import csv
import io
import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from edu_metrics import read_document
from edu_metrics.cli import app

from .conftest import ROOT, SEEDS

runner = CliRunner()
REPORT = "2022年无锡市教育局工作总结\n全市新增学位6210个，普惠性幼儿园覆盖率92.65%。\n"


def run(*args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


@pytest.fixture
def report(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


def test_an_output_file_gets_the_umask_mode(tmp_path, report):
    old = os.umask(0o022)
    try:
        assert run("extract", report, "-o", tmp_path / "t.csv", "-q").exit_code == 0
    finally:
        os.umask(old)
    assert oct((tmp_path / "t.csv").stat().st_mode & 0o777) == oct(0o644)


@pytest.mark.parametrize(("name", "fmt"), [("a.csv", "jsonl"), ("b.xlsx", "csv"), ("c.jsonl", "table")])
def test_a_format_the_extension_contradicts_is_a_usage_error(tmp_path, report, name, fmt):
    result = run("extract", report, "-o", tmp_path / name, "--format", fmt)
    assert result.exit_code == 2
    assert "does not match" in result.stderr and not (tmp_path / name).exists()


def test_an_unknown_format_says_so(report):
    result = run("extract", report, "--format", "foo")
    assert result.exit_code == 2
    assert "unknown format 'foo'" in result.stderr


def test_the_bom_is_for_csv_only(tmp_path, report):
    assert run("extract", report, "-o", tmp_path / "t.jsonl", "--bom", "-q").exit_code == 0
    first = (tmp_path / "t.jsonl").read_bytes().splitlines()[0]
    assert json.loads(first)["text"] == "6210个"
    assert run("extract", report, "-o", tmp_path / "t.csv", "--bom", "-q").exit_code == 0
    assert (tmp_path / "t.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_extract_frame_keeps_missing_metadata_missing():
    pd = pytest.importorskip("pandas")
    from edu_metrics import extract_frame

    frame = pd.DataFrame({"doc": ["a", "b"], "text": ["新增学位6210个。", "新增学位100个。"],
                          "region": [None, float("nan")], "year": [2022.0, float("nan")]})
    rows = extract_frame(frame)
    assert list(rows["region"]) == ["", ""]
    assert list(rows["year"]) == ["2022", ""]


def test_public_functions_take_a_str_path(report):
    assert read_document(str(report)).meta.year == 2022


def test_a_file_named_directly_gets_the_same_metadata_as_through_its_folder(tmp_path):
    folder = tmp_path / "无锡" / "2023"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text("工作总结\n全市新建学校5所，无锡市教育系统。\n", encoding="utf-8")
    through_folder = list(csv.DictReader(io.StringIO(run("extract", tmp_path, "-q").stdout)))
    direct = list(csv.DictReader(io.StringIO(run("extract", folder / "a.txt", "-q").stdout)))
    assert [(r["region"], r["year"]) for r in through_folder] == [("无锡市", "2023")]
    assert [(r["region"], r["year"]) for r in direct] == [("无锡市", "2023")]


def test_a_rules_folder_without_packs_and_a_pack_named_like_a_builtin_are_refused(tmp_path, report):
    (tmp_path / "packs" / "sub").mkdir(parents=True)
    (tmp_path / "packs" / "sub" / "mine.toml").write_text("", encoding="utf-8")
    result = run("extract", report, "--rules", tmp_path / "packs")
    assert result.exit_code == 2 and "no rule packs (*.toml) in this folder" in result.stderr
    (tmp_path / "core.toml").write_text('description = "x"\n', encoding="utf-8")
    result = run("extract", report, "--rules", tmp_path / "core.toml")
    assert result.exit_code == 2 and "a pack named 'core' is already loaded" in result.stderr


def test_standard_input_is_one_report(report):
    result = run("extract", "-", "-q", input=REPORT)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert result.exit_code == 0 and [(r["doc"], r["text"]) for r in rows] == [("-", "6210个"), ("-", "92.65%")]


def test_an_empty_folder_warns_and_exits_1_with_no_output(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run("extract", tmp_path / "empty", "-o", tmp_path / "t.csv")
    assert result.exit_code == 1 and "no documents to read" in result.stderr
    assert not (tmp_path / "t.csv").exists()


def test_a_closed_pipe_ends_compare_like_extract(tmp_path):
    from edu_metrics.extract import COLUMNS

    # Both outputs are far larger than a pipe's buffer, so the writer meets the closed pipe.
    table = tmp_path / "t.csv"
    with table.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        for n in range(20_000):
            row = dict.fromkeys(COLUMNS, "")
            row.update(doc="r.txt", region="某市", year="2022", status="actual", indicator=f"指标{n}", kind="count",
                       value=str(n), unit="所", text=f"{n}所", start="0", end="1", rule="core.count")
            writer.writerow(row.values())
    exe = [sys.executable, "-m", "edu_metrics"]
    for args in (["extract", str(SEEDS), "-q"], ["compare", str(table)]):
        pipe = subprocess.Popen([*exe, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
        pipe.stdout.readline()
        pipe.stdout.close()
        pipe.wait(timeout=60)
        assert pipe.returncode == 141, (args, pipe.stderr.read())


def test_help_shows_names_not_python_types():
    result = run("extract", "-h")
    assert result.exit_code == 0
    for leak in ("<bool>", "<list[Path]>", "{paths}", "<str>"):
        assert leak not in result.stdout
    assert "csv|jsonl|table|xlsx|parquet" in result.stdout
    assert run("--version").stdout.startswith("edu-metrics ")


def test_compare_reads_the_xlsx_and_parquet_extract_writes(tmp_path):
    pytest.importorskip("openpyxl")
    pytest.importorskip("pyarrow")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "2022.txt").write_text("2022年某市教育工作总结\n全市公办园覆盖率62.85%。\n", encoding="utf-8")
    (tmp_path / "a" / "2023.txt").write_text("2023年某市教育工作总结\n全市公办园覆盖率65.95%。\n", encoding="utf-8")
    for suffix in ("xlsx", "parquet", "csv"):
        assert run("extract", tmp_path / "a", "-o", tmp_path / f"t.{suffix}", "-q").exit_code == 0
    outputs = {suffix: run("compare", tmp_path / f"t.{suffix}", "--format", "csv").stdout for suffix in ("xlsx", "parquet", "csv")}
    assert outputs["xlsx"] == outputs["parquet"] == outputs["csv"]
    assert "公办园覆盖率,%,62.85,65.95" in outputs["csv"]


def test_an_xlsx_table_is_readable_at_once(tmp_path, report):
    openpyxl = pytest.importorskip("openpyxl")
    report.write_text(REPORT + "公式=1+1的说明，新增学位20个。\n", encoding="utf-8")
    assert run("extract", report, "-o", tmp_path / "t.xlsx", "-q").exit_code == 0
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    widths = {sheet.cell(1, n).value: sheet.column_dimensions[openpyxl.utils.get_column_letter(n)].width
              for n in range(1, sheet.max_column + 1)}
    assert widths["sentence"] > widths["kind"] >= 6
    texts = [sheet.cell(r, 14).value for r in range(2, sheet.max_row + 1)]  # the sentence column
    assert not any(str(t).startswith("'") for t in texts)


def rows_of(result):
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_filters_keep_the_rows_asked_for(tmp_path):
    text = "2022年某市教育工作总结\n新增学位6210个，同比增长3.5%；普惠性幼儿园覆盖率92.65%，列全省第二。力争明年新建学校5所。\n"
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    assert [r["text"] for r in rows_of(run("extract", tmp_path / "r.txt", "--kind", "rate", "-q"))] == ["92.65%"]
    assert [r["text"] for r in rows_of(run("extract", tmp_path / "r.txt", "--status", "target", "-q"))] == ["5所"]
    kept = rows_of(run("extract", tmp_path / "r.txt", "--indicator", "*覆盖率*", "--kind", "rate", "--kind", "rank", "-q"))
    assert [r["text"] for r in kept] == ["92.65%", "二"]
    assert run("extract", tmp_path / "r.txt", "--kind", "ratio").exit_code == 2
    table = tmp_path / "t.csv"
    assert run("extract", tmp_path / "r.txt", "-o", table, "-q").exit_code == 0
    assert [r["indicator"] for r in rows_of(run("compare", table, "--indicator", "新增学位数", "--format", "csv"))] == ["新增学位数"]


def test_include_and_exclude_pick_files_in_folders(tmp_path):
    for name in ("2022/a.txt", "2022/draft-b.txt", "2023/c.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("2022年工作总结\n新增学位100个。\n", encoding="utf-8")
    docs = lambda *args: sorted({r["doc"] for r in rows_of(run("extract", tmp_path, "-q", *args))})  # noqa: E731
    assert docs("--include", "2022/*") == ["2022/a.txt", "2022/draft-b.txt"]
    assert docs("--exclude", "*draft*") == ["2022/a.txt", "2023/c.txt"]
    assert docs("--include", "2022/*", "--exclude", "*draft*") == ["2022/a.txt"]


def test_rules_lists_every_loaded_rule():
    result = run("rules", "--format", "csv")
    listed = rows_of(result)
    assert result.exit_code == 0 and {"core.percent", "exclusions.date", "ranks.in-scope"} <= {r["rule"] for r in listed}
    percent = next(r for r in listed if r["rule"] == "core.percent")
    assert percent["kind"] == "rate" and int(percent["examples"]) >= 2 and percent["source"].startswith("rules/core.toml:")
    assert "measures" in result.stderr


def test_every_row_of_the_seeds_fits_the_schema(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(run("schema").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    table = tmp_path / "t.jsonl"
    assert run("extract", SEEDS, "-o", table, "-q").exit_code == 0
    validator = jsonschema.Draft202012Validator(schema)
    rows = [json.loads(line) for line in table.read_text(encoding="utf-8").splitlines()]
    assert len(rows) > 400
    for row in rows:
        validator.validate(row)
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({**rows[0], "kind": "ratio"})


def test_explain_says_why(tmp_path):
    text = "2022年工作总结。新增学位6210个，同比增长3.5%。"
    result = run("explain", text)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    at = text.index("3.5%")
    assert f"3.5%  at {at}-{at + 4}: change, rule changes.against-baseline" in lines
    assert "  claim core.percent '3.5%' (priority 30): lost, priority 30 < 60" in lines
    assert "  indicator: 新增学位数 (phrase '新增学位数' from its clause; standard name '新增学位数')" in lines
    (tmp_path / "r.txt").write_text(REPORT, encoding="utf-8")
    at = REPORT.index("92.65%")
    lines = run("explain", f"{tmp_path / 'r.txt'}:{at}").stdout.splitlines()
    assert lines[0] == f"92.65%  at {at}-{at + 6}: rate, rule core.percent"
    assert "  year: 2022 (the report's year (from title))" in lines
    assert run("explain", f"{tmp_path / 'r.txt'}:0").stdout.strip() == "no figure at offset 0"


def test_a_terminal_table_shows_region_and_report_text_as_written(tmp_path):
    (tmp_path / "r.txt").write_text("2022年无锡市教育局工作总结\n新增[/x]学位6210个。\n", encoding="utf-8")
    (tmp_path / "s.txt").write_text("2023年无锡市教育局工作总结\n新增学位100个。\n", encoding="utf-8")
    result = run("extract", tmp_path, "--format", "table", "-q")
    assert result.exit_code == 0, result.stderr
    assert "region" in result.stdout and "无锡市" in result.stdout
    assert result.stdout.count("┏") == 2  # one table per document, printed as each finishes


def test_the_progress_bar_knows_its_total(monkeypatch):
    from rich.console import Console

    from edu_metrics import cli

    screen = io.StringIO()
    monkeypatch.setattr(cli.sys.stderr, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(cli, "_stderr", lambda: Console(file=screen, force_terminal=True, width=100))
    with cli._progress(False, 3) as progress:
        assert list(progress(iter(["a", "b", "c"]))) == ["a", "b", "c"]
    assert "3/3" in screen.getvalue() and "?" not in screen.getvalue().split("3/3")[0][-3:]
