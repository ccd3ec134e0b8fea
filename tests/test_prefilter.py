"""The one-pass prefilter (hyperscan): the same claims as scanning whole, a cache that is keyed by the
rules and survives damage, anchors checked against examples and texts."""

import json
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edu_metrics import RulePackError, load_rules, parse_document
from edu_metrics import prefilter
from edu_metrics.extract import find_claims
from edu_metrics.selftest import check_prefilter, run_checks

from .conftest import DEV_DOCS, SEEDS

# The Makefile installs the fast extra, so the prefilter is what these tests exercise.
hyperscan = prefilter.hyperscan_module()


def claims(clean, rules, prefiltered):
    return [(c.rule.id, c.start, c.end) for c in find_claims(clean, rules, prefiltered)]


def test_the_fast_extra_is_installed_where_the_tests_run(rules):
    assert hyperscan is not None and rules.prefilter is not None


@pytest.mark.parametrize("folder", [SEEDS, DEV_DOCS], ids=["seeds", "dev"])
def test_prefiltered_claims_are_the_claims_of_scanning_whole(rules, folder):
    texts = [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.txt"))]
    clean = parse_document("\n".join(texts), "all").clean
    assert claims(clean, rules, True) == claims(clean, rules, False)


def test_windows_widen_over_numeral_runs_of_any_length(rules):
    """A match is long only through its numerals, so a window reaches back over every digit."""
    text = "新增学位" + "1" * 20_000 + "个，" + "全省共有13个设区市。" * 3000 + "比上年增长" + "2" * 5000 + ".5%。"
    clean = parse_document(text, "long").clean
    found = claims(clean, rules, True)
    assert found == claims(clean, rules, False)
    assert ("core.count", 4, 20_005) in found


PIECES = [
    "所", "名", "个", "人次", "万元", "亿元", "%", "个百分点", "万", "亿", "余", "多", "以上", "左右", "近", "约",
    "超过", "不少于", "全省", "共有", "第", "增长", "下降", "比上年", "同比", "设区市", "位列", "年", "月", "期",
    "学校", "“", "”", "（", "）", "，", "。", "；", "、", "\t", "\n", " ", "—", "至", "点", "十", "二", "两",
]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.from_regex(r"\A[0-9]{1,6}(\.[0-9]{1,2})?\Z")), max_size=300))
def test_windows_hold_every_match_in_any_text(rules, pieces):
    """Windows as wide as each rule's pattern can reach lose no claim, whatever the text."""
    clean = parse_document("".join(pieces), "soup").clean
    assert claims(clean, rules, True) == claims(clean, rules, False)


def test_the_table_is_byte_identical_with_and_without_the_prefilter(tmp_path):
    report = tmp_path / "long.txt"
    seeds = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    report.write_text(seeds + "\n" + seeds, encoding="utf-8")  # long enough to be prefiltered
    tables = []
    for setting in ("on", "off"):
        env = dict(os.environ, EDU_METRICS_PREFILTER=setting)
        done = subprocess.run([sys.executable, "-m", "edu_metrics", "extract", str(report), "-q"],
                              capture_output=True, env=env, timeout=300)
        assert done.returncode == 0, done.stderr
        tables.append(done.stdout)
    assert len(seeds) > prefilter.MIN_CHARS
    assert tables[0] == tables[1] and tables[0].count(b"\n") > 800


def test_the_database_is_compiled_once_then_read_from_a_cache_keyed_by_the_rules(tmp_path, monkeypatch, rules):
    monkeypatch.setenv("EDU_METRICS_CACHE", str(tmp_path))
    clean = "新增学位6210个。" * 10
    prefilter.Prefilter(rules.rules).windows(clean)
    cached = list(tmp_path.glob("prefilter-*.hsdb"))
    assert len(cached) == 1

    def no_compiling(*args):
        raise AssertionError("compiled again although cached")

    monkeypatch.setattr(prefilter, "_database", no_compiling)
    assert prefilter.Prefilter(rules.rules).windows(clean)  # read from the cache
    with pytest.raises(AssertionError):
        prefilter.Prefilter(rules.rules[:5]).windows(clean)  # other rules, another key
    monkeypatch.undo()
    monkeypatch.setenv("EDU_METRICS_CACHE", str(tmp_path))
    good = cached[0].read_bytes()
    head, _, body = good.partition(b"\n")
    known = json.loads(head)
    short = json.dumps({**known, "reaches": known["reaches"][:1]}).encode() + b"\n" + body
    negative = json.dumps({**known, "reaches": [[-1, 4]] * len(rules)}).encode() + b"\n" + body
    for damaged in (b"0,1\ngarbage", head + b"\ngarbage", short, negative):
        cached[0].write_bytes(damaged)  # a damaged cache, or one for other rules: compiled again, and replaced
        assert prefilter.Prefilter(rules.rules).windows(clean)
        assert cached[0].read_bytes() == good


def test_an_unwritable_cache_only_costs_a_compile(tmp_path, monkeypatch, rules):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("EDU_METRICS_CACHE", str(blocked / "cache"))
    clean = parse_document("全省共有13个设区市，新增学位6210个。" * 3000, "x").clean
    assert claims(clean, rules, True) == claims(clean, rules, False)


def test_prefilter_off_and_no_hyperscan_scan_whole(monkeypatch):
    monkeypatch.setenv("EDU_METRICS_PREFILTER", "off")
    assert load_rules().prefilter is None
    monkeypatch.delenv("EDU_METRICS_PREFILTER")
    monkeypatch.setattr("edu_metrics.rules.hyperscan_module", lambda: None)
    assert load_rules().prefilter is None


ANCHORED = '''
[[rules]]
id = "pieces"
description = "pieces"
kind = "count"
pattern = '(?P<num>[0-9]+)(?P<unit>件|个)'
anchor = '件'
examples = [{{ text = "{example}", expect = [{{ text = "{example}", value = 3 }}] }}]
counterexamples = ["件"]
'''


def test_an_anchor_missing_from_an_example_is_refused_with_its_line(tmp_path):
    pack = tmp_path / "p.toml"
    pack.write_text(ANCHORED.format(example="3个"), encoding="utf-8")
    with pytest.raises(RulePackError, match=r"p.toml:7: rule 'pieces': key 'anchor': example 1 '3个' has none of its words"):
        load_rules([pack], builtin=False)


def test_an_anchor_too_narrow_for_a_text_is_a_check_problem(tmp_path):
    pack = tmp_path / "p.toml"
    pack.write_text(ANCHORED.format(example="3件"), encoding="utf-8")
    rules = load_rules([pack], builtin=False)
    text = "学校" * 30_000 + "新增5个，" + "学校" * 100 + "新增3件。"  # 5个 stands far from any 件
    problems = check_prefilter(rules, [("t.txt", text)])
    assert problems == ["t.txt: rule 'p.pieces' claims '5个' at 60002 only scanned whole: widen its anchor"]
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "s.txt").write_text(text, encoding="utf-8")
    report = run_checks([pack], seeds=seeds)
    assert any("only scanned whole: widen its anchor" in p for p in report.problems)
