"""edu-metrics check: one broken pack per mistake, the golden snapshot, and pre-commit itself."""

import os
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from edu_metrics.cli import app
from edu_metrics.selftest import seed_table, snapshot_differences

from .conftest import ROOT, SEEDS

SNAPSHOT = ROOT / "tests" / "golden" / "seeds.csv"
BAD = ROOT / "tests" / "bad_packs"
runner = CliRunner()


def check(*args):
    return runner.invoke(app, ["check", "--seeds", str(SEEDS), "--snapshot", str(SNAPSHOT), *map(str, args)])


def test_the_golden_snapshot_holds(rules):
    """The same harness as `edu-metrics check`: the seeds extract exactly as committed."""
    table, _, _ = seed_table(SEEDS, rules)
    assert snapshot_differences(SNAPSHOT, table) == []


def test_check_passes_on_the_repository():
    result = check()
    assert result.exit_code == 0, result.stdout
    assert result.stdout == ""
    assert "all checks passed" in result.stderr


@pytest.mark.parametrize(
    ("pack", "messages"),
    [
        ("bad_regex", ["bad_regex.toml:6: rule 'stars': key 'pattern': missing ) at position 23"]),
        ("missing_key", ["missing_key.toml:3: rule 'stars': missing key 'description'"]),
        ("unknown_key", ["unknown_key.toml:6: rule 'stars': key 'colour': unknown key"]),
        ("duplicate_id", ["duplicate_id.toml:11: rule 'stars': duplicate rule id (first defined at "]),
        ("undefined_fragment", ["undefined_fragment.toml:6: rule 'stars': key 'pattern': fragment 'numbr' is not defined"]),
        ("failing_example", ["failing_example.toml:3: rule 'stars' example 1 '获评5颗星': '5颗星': value is '5', expected '6'"]),
        (
            "dead_rule",
            [
                "dead_rule.toml:4: rule 'schools' example 1 '新建学校5所': expected 1 match(es) ['5所'], got []",
                "dead_rule.toml:4: rule 'schools': never matches in the seeds or its examples (a dead rule)",
            ],
        ),
        ("catastrophic", ["catastrophic.toml:3: rule 'stars': key 'pattern': backtracks catastrophically (no result within 1s"]),
    ],
)
def test_each_broken_pack_fails_with_its_message(pack, messages):
    result = check("--rules", BAD / f"{pack}.toml")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == len(messages)
    for line, message in zip(lines, messages, strict=True):
        assert f"bad_packs/{pack}.toml:" in line
        assert message in line, line
    assert "Traceback" not in result.stderr


def test_a_changed_extraction_is_explained_row_by_row(tmp_path):
    snapshot = tmp_path / "seeds.csv"
    snapshot.write_text(SNAPSHOT.read_text(encoding="utf-8").replace(",92.65,,%,", ",92.7,,%,"), encoding="utf-8")
    result = runner.invoke(app, ["check", "--seeds", str(SEEDS), "--snapshot", str(snapshot)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"{snapshot}: ~ 000_c37bb8c97b14a129.txt:3422 92.65%  value '92.7' → '92.65'"]


def test_update_rewrites_the_snapshot(tmp_path):
    snapshot = tmp_path / "golden" / "seeds.csv"
    missing = runner.invoke(app, ["check", "--seeds", str(SEEDS), "--snapshot", str(snapshot)])
    assert missing.exit_code == 1 and "no snapshot yet" in missing.stdout
    updated = runner.invoke(app, ["check", "--seeds", str(SEEDS), "--snapshot", str(snapshot), "--update"])
    assert updated.exit_code == 0
    assert snapshot.read_bytes() == SNAPSHOT.read_bytes()


def test_collisions_are_reported_unless_precedence_is_declared(tmp_path):
    pack = tmp_path / "twin.toml"
    pack.write_text(
        """
[[rules]]
id = "schools"
description = "schools, a second time at the same priority"
kind = "count"
pattern = '(?P<q>(?P<num>[0-9]+)所)'
examples = [{ text = "新建学校5所", expect = [{ text = "5所", value = 5 }] }]
counterexamples = ["所有"]
""",
        encoding="utf-8",
    )
    result = check("--rules", pack)
    assert result.exit_code == 1
    assert "core.count and twin.schools both claim '394所' at priority 10: declare a different priority for one" in result.stdout


def test_a_seeds_folder_that_does_not_exist_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["check", "--seeds", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "is not a folder" in result.stderr


def git(folder, *args):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    return subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True, text=True).stdout.strip()


def test_pre_commit_runs_the_published_hook_as_another_repository_uses_it(tmp_path):
    """pre-commit installs edu-metrics from this repository's last commit, as a user's would, with
    no args: the hook reads the repository's own rules/, seeds/ and snapshot by default, and fails
    on a broken rule and on a stale snapshot."""
    revision = git(ROOT, "rev-parse", "HEAD")
    project = tmp_path / "project"
    (project / "rules").mkdir(parents=True)
    shutil.copy(BAD / "bad_regex.toml", project / "rules" / "stars.toml")
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {revision}\n    hooks:\n      - id: edu-metrics-check\n",
        encoding="utf-8",
    )
    git(project, "init", "-q")
    git(project, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}

    def pre_commit():
        git(project, "add", "-A")
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "--all-files"],
            cwd=project, env=env, capture_output=True, text=True, timeout=900,
        )

    result = pre_commit()
    assert result.returncode == 1, result.stdout + result.stderr
    assert "edu-metrics check (rule packs still match)" in result.stdout
    assert "rules/stars.toml:6: rule 'stars': key 'pattern': missing ) at position 23" in result.stdout

    # Mended, with seeds and a snapshot that no longer holds: the hook still fails, on the snapshot.
    (project / "rules" / "stars.toml").write_text(
        (BAD / "bad_regex.toml").read_text(encoding="utf-8").replace("[0-9]+颗星)'", "[0-9]+)颗星)'"), encoding="utf-8"
    )
    (project / "seeds").mkdir()
    (project / "seeds" / "a.txt").write_text("2022年某县教育工作总结\n学校获评5颗星。\n", encoding="utf-8")
    (project / "tests" / "golden").mkdir(parents=True)
    from edu_metrics.extract import COLUMNS

    (project / "tests" / "golden" / "seeds.csv").write_text(",".join(COLUMNS) + "\n", encoding="utf-8")
    result = pre_commit()
    assert result.returncode == 1, result.stdout + result.stderr
    assert "tests/golden/seeds.csv: + a.txt:" in result.stdout and "5颗星" in result.stdout
