"""The command line end to end: stdout is pure data, errors are one line, exit codes hold."""

import csv
import io
import json
import subprocess
import sys

from typer.testing import CliRunner

from edu_metrics.cli import app
from edu_metrics.extract import COLUMNS

from .conftest import SEEDS

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(map(str, args)))


def test_extract_seeds_writes_pure_csv_to_stdout():
    result = run("extract", SEEDS)
    assert result.exit_code == 0, result.stderr
    reader = csv.DictReader(io.StringIO(result.stdout))
    assert tuple(reader.fieldnames) == COLUMNS
    table = list(reader)
    assert len(table) > 300
    assert {row["doc"] for row in table} == {p.name for p in SEEDS.glob("*.txt")}
    [summary] = result.stderr.splitlines()
    assert summary.startswith(f"edu-metrics: 5 documents, {len(table)} rows, 0 failed, ")


def test_quiet_prints_nothing_on_stderr():
    result = run("extract", SEEDS, "--quiet")
    assert result.exit_code == 0 and result.stderr == ""


def test_same_input_gives_byte_identical_output():
    assert run("extract", SEEDS).stdout == run("extract", SEEDS).stdout


def test_output_file_and_jsonl(tmp_path):
    out = tmp_path / "t.jsonl"
    result = run("extract", SEEDS / "000_c37bb8c97b14a129.txt", "-o", out)
    assert result.exit_code == 0
    assert result.stdout == ""
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert list(first) == list(COLUMNS)
    assert first["doc"] == "000_c37bb8c97b14a129.txt"
    assert isinstance(first["value"], int | float)


def test_missing_path_is_a_usage_error(tmp_path):
    result = run("extract", tmp_path / "nope")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"edu-metrics: {tmp_path / 'nope'}: no such file or folder"
    assert result.stdout == ""


def test_broken_rule_pack_stops_before_reading_and_writes_nothing(tmp_path):
    pack = tmp_path / "bad.toml"
    pack.write_text('[[rules]]\nid = "x"\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    result = run("extract", SEEDS, "--rules", pack, "-o", out)
    assert result.exit_code == 2
    assert "bad.toml:2: rule 'x': missing key 'description'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [pack]


def test_unreadable_document_fails_alone(tmp_path):
    (tmp_path / "good.txt").write_text("新增学位6210个。", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"abc\x80\x80\xff\x80")
    result = run("extract", tmp_path)
    assert result.exit_code == 1
    assert "bad.txt: cannot decode" in result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["text"] for r in rows] == ["6210个"]


def test_unknown_output_extension(tmp_path):
    result = run("extract", SEEDS, "-o", tmp_path / "t.xls")
    assert result.exit_code == 2
    assert "unknown output format '.xls'" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_extra_rules_add_to_builtin(tmp_path):
    pack = tmp_path / "extra.toml"
    pack.write_text(
        """
[[rules]]
id = "ratio"
description = "student-teacher ratios"
kind = "rate"
pattern = '生师比为?(?P<q>(?P<num>{digits}):1)'
examples = [{ text = "生师比为16.5:1", expect = [{ text = "16.5:1", value = 16.5 }] }]
counterexamples = ["16.5"]
""",
        encoding="utf-8",
    )
    doc = tmp_path / "r.txt"
    doc.write_text("全市生师比为16.5:1，新增学位6210个。", encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(run("extract", doc, "--rules", pack).stdout)))
    assert [(r["text"], r["rule"]) for r in rows] == [("16.5:1", "extra.ratio"), ("6210个", "core.count")]


def test_readme_documents_every_command_and_option():
    import typer.main

    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        assert f"edu-metrics {name}" in readme
        for param in command.params:
            for flag in param.opts:
                if flag.startswith("-"):
                    assert flag in readme, f"{name} {flag} is not in the README"


def test_verbose_reports_encoding_and_metadata_on_stderr(tmp_path):
    doc = tmp_path / "r.txt"
    doc.write_bytes("2022年江阴市教育局工作总结\n新增学位6210个。".encode("gb18030"))
    result = run("extract", doc, "-v", "-q")
    assert result.exit_code == 0
    assert result.stderr.strip() == (
        "edu-metrics: r.txt: gb18030, 1 rows, region 江阴市, year 2022 (from title), kind summary, period -, "
        "title 2022年江阴市教育局工作总结"
    )
    assert result.stdout.startswith("doc,region,year")


def test_unknown_encoding_is_a_usage_error_before_any_output():
    result = run("extract", SEEDS, "--encoding", "klingon")
    assert result.exit_code == 2
    assert result.stderr.strip() == "edu-metrics: unknown encoding 'klingon'"
    assert result.stdout == ""


def test_readme_output_examples_are_real(tmp_path):
    import re

    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```csv\n(.*?)```", readme, re.S)
    table = tmp_path / "seeds.csv"
    assert run("extract", SEEDS, "-o", table).exit_code == 0
    extracted = table.read_text(encoding="utf-8")
    compared = run("compare", table, "--format", "csv").stdout
    for block in blocks:
        for line in block.strip().splitlines():
            assert line in extracted.splitlines() or line in compared.splitlines(), line
    assert len(blocks) >= 2


def test_every_test_the_readme_cites_exists():
    import re

    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    cited = set(re.findall(r"`(test_[a-z0-9_]+)`", readme))
    defined = set()
    for path in (ROOT / "tests").glob("test_*.py"):
        defined |= set(re.findall(r"^def (test_[a-z0-9_]+)", path.read_text(encoding="utf-8"), re.M))
    assert len(cited) > 20
    assert cited <= defined, cited - defined


def test_the_readme_dev_pair_example_is_real(tmp_path):
    """The compare example of the README is what the two Huizhou releases of the dev set give."""
    import re
    import shutil

    from .conftest import DEV_DOCS, ROOT

    for name in ("d3_huizhou_2021.txt", "d13_huizhou_2022.txt"):
        shutil.copy(DEV_DOCS / name, tmp_path / name)
    table = tmp_path / "pair.csv"
    assert run("extract", tmp_path, "-o", table, "-q").exit_code == 0
    compared = run("compare", table, "--format", "csv").stdout.splitlines()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [block] = re.findall(r"```text\n(region,indicator,unit,2021,2022.*?)```", readme, re.S)
    for line in block.strip().splitlines():
        assert line in compared, line


def test_the_readme_example_commands_run(tmp_path):
    """Every `edu-metrics …` line of the README's sh blocks runs, in a folder that has what they name."""
    import re
    import shlex
    import shutil
    import subprocess
    import sys

    from .conftest import ROOT

    shutil.copytree(SEEDS, tmp_path / "seeds")
    (tmp_path / "report.txt").write_text("2023年某市教育工作总结\n全市新增学位6210个。\n", encoding="utf-8")
    (tmp_path / "my-rules").mkdir()
    shutil.copy(ROOT / "tests" / "bad_packs" / "failing_example.toml", tmp_path / "my-rules" / "stars.toml")
    (tmp_path / "my-rules" / "stars.toml").write_text(
        (tmp_path / "my-rules" / "stars.toml").read_text(encoding="utf-8").replace("value = 6", "value = 5"), encoding="utf-8"
    )
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [line for block in re.findall(r"```sh\n(.*?)```", readme, re.S)
                for line in block.splitlines() if line.startswith("edu-metrics ")]
    assert len(commands) >= 3
    for command in commands:
        line = f"{shlex.quote(sys.executable)} -m edu_metrics {command.removeprefix('edu-metrics ')}"
        result = subprocess.run(line, shell=True, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, (command, result.stderr)
    assert (tmp_path / "quantities.csv").stat().st_size > 10_000
    assert (tmp_path / "quantities.jsonl").stat().st_size > 10_000


def test_extract_imports_only_what_it_uses(tmp_path):
    """A cold start pays for no library its input does not need: no cn2an for digits, no pandas,
    no rich when nothing is shown on a terminal, no process pool for one job."""
    report = tmp_path / "one.txt"
    report.write_text("全市新增学位6210个。", encoding="utf-8")
    code = (
        "import sys\nfrom edu_metrics.cli import main\n"
        f"sys.argv = ['edu-metrics', 'extract', {str(report)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('cn2an', 'pandas', 'openpyxl', 'pyarrow', 'docx', 'pdfminer', 'rich',"
        " 'concurrent.futures.process') if m in sys.modules),"
        " file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "6210个" in result.stdout
    assert result.stderr.strip().splitlines()[-1] == "[]"
