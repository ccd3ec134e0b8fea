"""Bad input and faults: every failure is one line naming the file, good rows are kept,
nothing hangs, and no half-written output file is ever left behind."""

import errno
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from edu_metrics import extract_paths, extract_text, load_rules
from edu_metrics.cli import app

from .conftest import SEEDS

runner = CliRunner()
GOOD = "2022年工作总结\n全市新增学位6210个，普惠性幼儿园覆盖率达到92.65%。\n"


def run(*args):
    return runner.invoke(app, list(map(str, args)))


def folder_with(tmp_path, **files):
    for name, content in files.items():
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return tmp_path


def test_a_vanished_file_fails_alone(tmp_path, rules):
    folder_with(tmp_path, **{"a.txt": GOOD, "b.txt": GOOD})
    outcomes = extract_paths([tmp_path], rules)
    (tmp_path / "a.txt").unlink()
    errors = [o.error for o in outcomes]
    assert errors == [f"{tmp_path / 'a.txt'}: cannot read: No such file or directory", None]


def test_an_unreadable_file_fails_alone(tmp_path, monkeypatch):
    folder_with(tmp_path, **{"a.txt": GOOD, "b.txt": GOOD})
    real = type(tmp_path).read_bytes

    def refuse(path):
        if path.name == "a.txt":
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(path)

    monkeypatch.setattr(type(tmp_path), "read_bytes", refuse)
    result = run("extract", tmp_path, "-j", 1, "-q")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"edu-metrics: {tmp_path / 'a.txt'}: cannot read: Permission denied"
    assert result.stdout.count("\n") == 3  # header and b.txt's two rows


def test_a_fifo_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = run("extract", fifo)
    assert result.exit_code == 2 and "not a regular file" in result.stderr


def test_strict_stops_at_the_first_failure_and_writes_nothing(tmp_path):
    folder_with(tmp_path, **{"a.txt": GOOD, "b.txt": b"\x00\x01", "c.txt": GOOD})
    out = tmp_path / "out.csv"
    result = run("extract", tmp_path, "--strict", "-o", out, "-j", 1)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"edu-metrics: {tmp_path / 'b.txt'}: a binary file, not text (--strict: stopping); {out} was not written"
    )
    assert not out.exists() and not list(tmp_path.glob(".out.csv*"))


def test_a_full_disk_is_a_message_and_leaves_nothing(tmp_path, monkeypatch):
    folder_with(tmp_path, **{"a.txt": GOOD})
    out = tmp_path / "out.csv"
    out.write_text("previous", encoding="utf-8")

    def full(self, quantities):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("edu_metrics.table.TableWriter.write", full)
    result = run("extract", tmp_path / "a.txt", "-o", out)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"edu-metrics: {out}: cannot write: No space left on device"
    assert out.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "out.csv"]


@pytest.mark.parametrize("suffix, writer", [("xlsx", "zipfile.ZipFile.writestr"), ("parquet", "pandas.DataFrame.to_parquet")])
def test_a_full_disk_under_a_whole_table_format_is_a_message_and_leaves_nothing(tmp_path, monkeypatch, suffix, writer):
    folder_with(tmp_path, **{"a.txt": GOOD})
    out = tmp_path / f"out.{suffix}"
    out.write_text("previous", encoding="utf-8")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writer, full)
    result = run("extract", tmp_path / "a.txt", "-o", out)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"edu-metrics: {out}: cannot write: No space left on device"
    assert out.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", f"out.{suffix}"]


def test_an_unwritable_destination(tmp_path):
    result = run("extract", SEEDS, "-o", tmp_path / "no" / "such" / "out.csv")
    assert result.exit_code == 2 and "cannot write: No such file or directory" in result.stderr


def crash(source, encoding):
    """A worker that dies the way an out-of-memory kill would: no exception, no cleanup."""
    os._exit(9)


def test_a_crashed_worker_is_reported_and_leaves_the_old_file(tmp_path, monkeypatch):
    folder_with(tmp_path, **{f"{n}.txt": GOOD for n in range(4)})
    out = tmp_path / "out.csv"
    out.write_text("previous", encoding="utf-8")
    monkeypatch.setattr("edu_metrics.pipeline._extract_in_worker", crash)
    result = run("extract", tmp_path, "-j", 2, "-o", out)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"edu-metrics: a worker process died (out of memory?); {out} was left as it was"
    assert out.read_text(encoding="utf-8") == "previous"


@pytest.mark.parametrize(("signum", "code", "word"), [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")])
def test_interrupted_runs_keep_the_previous_file(tmp_path, signum, code, word):
    for n in range(300):
        (tmp_path / f"{n:03}.txt").write_text((SEEDS / "003_41872af551ea06fd.txt").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path.parent / f"{tmp_path.name}-out.csv"
    out.write_text("previous", encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, "-m", "edu_metrics", "extract", str(tmp_path), "-o", str(out), "-j", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    time.sleep(2.5)
    child.send_signal(signum)
    _, stderr = child.communicate(timeout=60)
    assert child.returncode == code
    assert stderr.strip().endswith(f"edu-metrics: {word}; {out} was left as it was")
    assert "Traceback" not in stderr
    assert out.read_text(encoding="utf-8") == "previous"
    assert not list(out.parent.glob(f".{out.name}.*"))


def test_a_catastrophic_rule_fails_the_document_instead_of_hanging(tmp_path, monkeypatch):
    monkeypatch.setattr("edu_metrics.extract.RULE_SECONDS_BASE", 0.3)
    pack = tmp_path / "slow.toml"
    pack.write_text(
        """
[[rules]]
id = "stars"
description = "a pattern that backtracks catastrophically"
kind = "count"
pattern = '(?P<q>(?P<num>(?:[0-9]+)+)颗星)'
examples = [{ text = "5颗星", expect = [{ text = "5颗星", value = 5 }] }]
counterexamples = ["星"]
""",
        encoding="utf-8",
    )
    docs = tmp_path / "docs"
    docs.mkdir()
    # The digits run up to a near miss (颗 without 星), where the prefilter's window reaches too.
    (docs / "bad.txt").write_text("1" * 3000 + "颗5颗星", encoding="utf-8")
    (docs / "good.txt").write_text(GOOD, encoding="utf-8")
    start = time.monotonic()
    result = run("extract", docs, "--rules", pack, "-j", 1, "-q")
    assert time.monotonic() - start < 10
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "edu-metrics: bad.txt: rule 'slow.stars' gave up after 0 s (a pathological input or pattern)"
    )
    assert "6210个" in result.stdout


def test_ten_million_digits_and_a_long_line_finish(tmp_path, rules):
    digits = "1" * 10_000_000
    assert extract_text(digits, rules) == []
    line = (SEEDS / "000_c37bb8c97b14a129.txt").read_text(encoding="utf-8").replace("\n", "。") * 20
    rows = extract_text(line, rules)
    assert len(rows) > 1500
    assert all(line[q.start:q.end] == q.text for q in rows)


def test_a_span_that_reads_as_no_number_gives_no_row_but_check_fails_the_rule(tmp_path):
    pack = tmp_path / "odd.toml"
    pack.write_text(
        """
[[rules]]
id = "letters"
description = "a rule that mistakes letters for a number"
kind = "count"
priority = 200
pattern = '(?P<q>(?P<num>[a-z]+)个)'
examples = [{ text = "abc个", expect = [{ text = "abc个", value = 1 }] }]
counterexamples = ["个"]
""",
        encoding="utf-8",
    )
    doc = tmp_path / "r.txt"
    doc.write_text("共有xyz个，新增学位6210个。", encoding="utf-8")
    result = run("extract", doc, "--rules", pack, "-q")
    assert result.exit_code == 0
    assert [line.split(",")[12] for line in result.stdout.splitlines()[1:]] == ["6210个"]
    checked = runner.invoke(app, ["check", "--rules", str(pack), "--seeds", str(tmp_path / "none")])
    assert checked.exit_code == 2  # no such seeds folder: usage error, before any check
    checked = runner.invoke(app, ["check", "--rules", str(pack), "--seeds", str(SEEDS), "--snapshot", str(tmp_path / "s.csv"), "--update"])
    assert checked.exit_code == 1
    assert "rule 'letters' example 1 'abc个': matched 'abc个', which reads as no number" in checked.stdout


def test_rule_packs_are_data_only(tmp_path):
    pack = tmp_path / "evil.toml"
    pack.write_text('include = "/etc/passwd"\n', encoding="utf-8")
    result = run("extract", SEEDS, "--rules", pack)
    assert result.exit_code == 2 and "unknown top-level key 'include'" in result.stderr
    code = tmp_path / "code.toml"
    code.write_text(GOOD_PACK.replace("PATTERN", '(?P<q>(?P<num>[0-9]+)(?{__import__("os").system("touch x")})个)'), encoding="utf-8")
    with pytest.raises(Exception) as error:
        load_rules([code], builtin=False)
    assert "key 'pattern'" in str(error.value)
    assert not (tmp_path / "x").exists()


GOOD_PACK = """
[[rules]]
id = "thing"
description = "d"
kind = "count"
pattern = 'PATTERN'
examples = [{ text = "3个", expect = [{ text = "3个", value = 3 }] }]
counterexamples = ["个"]
"""


def test_html_input_never_fetches_anything(tmp_path, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("edu-metrics opened a network connection")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    page = tmp_path / "r.html"
    page.write_text(
        '<html><head><link rel="stylesheet" href="http://example.invalid/a.css">'
        '<script src="http://example.invalid/a.js"></script></head><body>'
        '<img src="http://example.invalid/a.png"><iframe src="http://example.invalid/"></iframe>'
        "<p>全市新增学位6210个。</p></body></html>",
        encoding="utf-8",
    )
    result = run("extract", page, "-q")
    assert result.exit_code == 0 and "6210个" in result.stdout
