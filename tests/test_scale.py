"""Scale: output independent of --jobs and engine, memory flat while streaming, the batch API."""

import io
import tracemalloc

import pandas as pd
import pytest
from typer.testing import CliRunner

from edu_metrics import extract_frame, extract_paths, extract_rows
from edu_metrics.cli import app
from edu_metrics.table import TableWriter

from .conftest import SEEDS

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(map(str, args)))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Twelve documents: the seeds and variants with other numbers, in nested folders."""
    folder = tmp_path_factory.mktemp("corpus")
    for n, seed in enumerate(sorted(SEEDS.glob("*.txt"))):
        text = seed.read_text(encoding="utf-8")
        (folder / "a").mkdir(exist_ok=True)
        (folder / "a" / seed.name).write_text(text, encoding="utf-8")
        (folder / f"b{n}.txt").write_text(text.replace("6", "7").replace("2022", "2021"), encoding="utf-8")
    (folder / "c.txt").write_text("新增学位6210个。", encoding="utf-8")
    (folder / "d.txt").write_bytes(b"\xff\x00\xfe")  # a failure in the middle of the order
    return folder


def test_output_is_byte_identical_for_any_number_of_jobs(corpus):
    tables = [run("extract", corpus, "--jobs", jobs, "-q") for jobs in (1, 2, 3)]
    assert all(t.exit_code == 1 for t in tables)  # d.txt fails, the rest is written
    assert tables[0].stdout == tables[1].stdout == tables[2].stdout
    assert tables[0].stdout.count("\n") > 700


def test_a_finished_run_leaves_no_pool_thread_behind(corpus, rules):
    """A pool thread still running at exit races Python's exit hook ("Bad file descriptor")."""
    from concurrent.futures.process import _threads_wakeups

    outcomes = list(extract_paths([corpus / "a"], rules, jobs=2))
    assert len(outcomes) == 5
    assert not [thread for thread in list(_threads_wakeups) if thread.is_alive()]


def test_dask_engine_writes_the_same_table(corpus):
    local = run("extract", corpus, "--jobs", 1, "-q")
    dask = run("extract", corpus, "--engine", "dask", "-q")
    assert dask.exit_code == 1 and "d.txt: a binary file" in dask.stderr
    assert dask.stdout == local.stdout


def test_dask_engine_on_a_running_scheduler(corpus):
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
        remote = run("extract", corpus / "a", "--engine", "dask", "--scheduler", cluster.scheduler_address, "-q")
    local = run("extract", corpus / "a", "--jobs", 1, "-q")
    assert remote.exit_code == 0, remote.stderr
    assert remote.stdout == local.stdout


def test_unknown_engine_and_unreachable_scheduler(corpus):
    assert run("extract", corpus, "--engine", "spark").exit_code == 2
    result = run("extract", corpus / "c.txt", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9")
    assert result.exit_code == 2 and "--scheduler tcp://127.0.0.1:9: cannot connect" in result.stderr


class Counter:
    """A sink that writes nowhere, so memory measures the pipeline and not the output."""

    def write(self, text):
        return len(text)


def peak_memory(folder, rules, jobs):
    tracemalloc.start()
    writer = TableWriter(Counter())
    for outcome in extract_paths([folder], rules, jobs=jobs):
        writer.write(outcome.quantities)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, writer.rows


@pytest.mark.parametrize("jobs", [1, 2])
def test_memory_does_not_grow_with_the_number_of_documents(tmp_path, rules, jobs):
    text = (SEEDS / "000_c37bb8c97b14a129.txt").read_text(encoding="utf-8")[:3000]
    small, large = tmp_path / "small", tmp_path / "large"
    for folder, count in ((small, 20), (large, 160)):
        folder.mkdir()
        for n in range(count):
            (folder / f"{n:04}.txt").write_text(text, encoding="utf-8")
    small_peak, small_rows = peak_memory(small, rules, jobs)
    large_peak, large_rows = peak_memory(large, rules, jobs)
    assert large_rows == 8 * small_rows > 0
    assert large_peak < 1.5 * small_peak + 200_000


def test_extract_rows_is_a_pure_function_of_its_inputs(rules):
    rows = extract_rows("r1", "全市新增学位6210个，同比减少3%。", {"region": "无锡市", "year": 2023}, rules)
    assert [(r["doc"], r["region"], r["year"], r["text"], r["value"]) for r in rows] == [
        ("r1", "无锡市", "2023", "6210个", "6210"),
        ("r1", "无锡市", "2023", "3%", "-3"),
    ]
    assert rows == extract_rows("r1", "全市新增学位6210个，同比减少3%。", {"region": "无锡市", "year": 2023}, rules)


def test_extract_frame_matches_the_command_line(rules):
    seeds = sorted(SEEDS.glob("*.txt"))
    documents = pd.DataFrame({"doc": [p.name for p in seeds], "text": [p.read_text(encoding="utf-8") for p in seeds]})
    frame = extract_frame(documents, rules)
    table = run("extract", SEEDS, "-q", "--format", "csv").stdout
    expected = pd.read_csv(io.StringIO(table), dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(frame.reset_index(drop=True), expected)
