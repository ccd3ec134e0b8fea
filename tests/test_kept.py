"""Compiled patterns kept between runs: rebuilt without compiling, the same patterns, and a kept
file that is damaged, foreign or crafted costs only the compiles."""

import os
import pickle

import pytest
import regex

from edu_metrics import kept

from .conftest import SEEDS

PATTERN = r"(?<![0-9])(?P<num>[0-9]+(?:\.[0-9]+)?)(?P<unit>所|名|个(?!月))"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("EDU_METRICS_CACHE", str(tmp_path))
    return tmp_path


def written(patterns):
    """A kept file holding these patterns, as a run that compiled them leaves it."""
    first = kept._Kept()
    for pattern in patterns:
        first.compiled(pattern)
    first.write()
    return first.path


def test_a_pattern_compiled_in_one_run_is_rebuilt_in_the_next_without_compiling(folder, monkeypatch):
    path = written([PATTERN])
    assert path.parent == folder and path.is_file()

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled again although kept")

    monkeypatch.setattr(kept.regex, "compile", no_compiling)
    rebuilt = kept._Kept().compiled(PATTERN)
    monkeypatch.undo()
    text = (SEEDS / "000_c37bb8c97b14a129.txt").read_text(encoding="utf-8")
    fresh = regex.compile(PATTERN)
    assert rebuilt.groupindex == fresh.groupindex
    assert [m.groupdict() | {"span": m.span()} for m in rebuilt.finditer(text)] == \
        [m.groupdict() | {"span": m.span()} for m in fresh.finditer(text)]
    assert len(list(fresh.finditer(text))) > 20


def test_a_bad_pattern_is_an_error_and_is_not_kept(folder):
    keeper = kept._Kept()
    with pytest.raises(regex.error):
        keeper.compiled("(unclosed")
    assert "(unclosed" not in keeper.pickles and not keeper.new


class Announces:
    """Unpickled, it would print: what a crafted file would make a start run."""

    def __reduce__(self):
        return print, ("crafted code ran",)


@pytest.mark.parametrize("damage", [
    lambda good: b"not a pickle",
    lambda good: good[: len(good) // 2],
    lambda good: pickle.dumps(["a", "list"]),
    lambda good: pickle.dumps({PATTERN: "not bytes"}),
    lambda good: pickle.dumps(Announces()),
    lambda good: pickle.dumps({PATTERN: pickle.dumps(Announces())}),
    lambda good: pickle.dumps({PATTERN: pickle.dumps(regex.compile("another"))}),
], ids=["garbage", "cut short", "a list", "text for a pickle", "code for the file", "code for a pattern", "another pattern"])
def test_a_damaged_or_crafted_file_only_costs_the_compile(folder, damage, capsys):
    path = written([PATTERN])
    good = path.read_bytes()
    path.write_bytes(damage(good))
    keeper = kept._Kept()
    assert keeper.compiled(PATTERN).pattern == PATTERN
    assert "crafted code ran" not in capsys.readouterr().out
    keeper.write()  # compiled again: the file is whole again
    assert kept._Kept().pickles.keys() == {PATTERN}


def test_only_the_process_that_read_the_file_writes_it(folder):
    keeper = kept._Kept()
    keeper.compiled(PATTERN)
    keeper.owner = os.getpid() + 1  # as in a forked worker
    keeper.write()
    assert not keeper.path.exists()


def test_past_the_most_a_run_keeps_only_the_patterns_it_used(folder, monkeypatch):
    written(["[0-9]+所", "[0-9]+名", "[0-9]+个"])
    monkeypatch.setattr(kept, "MOST", 2)
    keeper = kept._Kept()
    keeper.compiled("[0-9]+名")
    keeper.compiled("[0-9]+项")
    keeper.write()
    assert kept._Kept().pickles.keys() == {"[0-9]+名", "[0-9]+项"}


def test_a_cache_that_cannot_be_written_only_costs_the_compiles(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("EDU_METRICS_CACHE", str(blocked / "cache"))
    keeper = kept._Kept()
    assert keeper.compiled(PATTERN).pattern == PATTERN
    keeper.write()
    assert kept._Kept().compiled(PATTERN).pattern == PATTERN
