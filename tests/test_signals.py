"""Signals and workers: a stopped run ends at once, quietly, and leaves no workers or parts behind.

The corpus is built here; each test starts edu-metrics as a user does and waits for a state
(workers running, workers gone), with a generous bound only against a hang.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT, SEEDS

HANG = 60  # seconds; only a hang takes this long


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for n in range(300):
        (folder / f"{n:03d}.txt").write_text(texts[n % len(texts)] * 3, encoding="utf-8")
    return folder


def start(corpus, out, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "edu_metrics", "extract", str(corpus), "-j", "2", "-q", "-o", str(out)],
                            cwd=ROOT, stderr=subprocess.PIPE, text=True, **kwargs)


def workers_of(pid):
    until = time.monotonic() + HANG
    while time.monotonic() < until:
        kids = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
        if len(kids) >= 2:
            return kids
        time.sleep(0.1)
    raise AssertionError("no workers started")


def alive(pid):
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"


@pytest.mark.parametrize(("send", "code", "said"), [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")])
def test_a_signal_ends_the_run_quietly_and_takes_the_workers(tmp_path, corpus, send, code, said):
    run = start(corpus, tmp_path / "t.csv", start_new_session=True)
    kids = workers_of(run.pid)
    os.killpg(run.pid, send)  # as a terminal does: to the whole group
    _, err = run.communicate(timeout=HANG)
    assert run.returncode == code
    assert err.strip() == f"edu-metrics: {said}; {tmp_path / 't.csv'} was not written"  # no worker tracebacks
    until = time.monotonic() + HANG
    while any(alive(k) for k in kids) and time.monotonic() < until:
        time.sleep(0.1)
    assert not any(alive(k) for k in kids)
    assert not list(tmp_path.glob(".*.part"))


def test_workers_end_with_a_killed_parent_and_its_part_is_cleaned_by_the_next_run(tmp_path, corpus):
    run = start(corpus, tmp_path / "t.csv")
    kids = workers_of(run.pid)
    run.kill()
    run.wait()
    until = time.monotonic() + HANG
    while any(alive(k) for k in kids) and time.monotonic() < until:
        time.sleep(0.1)
    assert not any(alive(k) for k in kids)
    assert len(list(tmp_path.glob(".t.csv.*.part"))) == 1  # left by the dead run, hidden, never the table
    again = subprocess.run([sys.executable, "-m", "edu_metrics", "extract", str(SEEDS), "-q", "-o", str(tmp_path / "t.csv")],
                           cwd=ROOT, capture_output=True, text=True, timeout=HANG)
    assert again.returncode == 0 and not list(tmp_path.glob(".*.part"))
