"""Cues: the structure and status words of the packs, their own examples, and the loader's checks."""

import pytest

from edu_metrics import RulePackError, load_rules
from edu_metrics.cues import ROLES, check_cue
from edu_metrics.rules import builtin_cues

CUES = builtin_cues().cues


@pytest.mark.parametrize("cue", CUES, ids=[cue.id for cue in CUES])
def test_cue_examples(cue):
    assert check_cue(cue) is None


def test_every_role_the_code_reads_has_a_builtin_cue():
    assert {cue.role for cue in CUES} == set(ROLES)


GOOD_CUE = """
[[cues]]
id = "plan-word"
role = "target"
pattern = '打算'
examples = ["打算新建学校3所"]
counterexamples = ["新建学校3所"]
"""


def load_one(tmp_path, text):
    pack = tmp_path / "mine.toml"
    pack.write_text(text, encoding="utf-8")
    return load_rules([pack])


def test_a_pack_adds_cues_to_a_role(tmp_path, rules):
    loaded = load_one(tmp_path, GOOD_CUE)
    assert loaded.cues["target"].search("打算新建") and not rules.cues["target"].search("打算新建")
    assert [c.id for c in loaded.cues.of("target")][-1] == "mine.plan-word"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("role = \"target\"", "role = \"targets\""), "mine.toml:4: cue 'plan-word': key 'role': must be one of"),
        (("'打算'", "'打算('"), "mine.toml:5: cue 'plan-word': key 'pattern': missing )"),
        (("'打算'", "'(?P<x>打算)'"), "mine.toml:5: cue 'plan-word': key 'pattern': a cue has no named groups"),
        (("role = \"target\"", "role = \"target\"\ncolour = 1"), "mine.toml:5: cue 'plan-word': key 'colour': unknown key"),
        (("role = \"target\"", "role = \"period\""), "cue 'plan-word': key 'value': is needed by, and only by"),
        (("counterexamples = [\"新建学校3所\"]", "counterexamples = []"), "key 'counterexamples': must be a non-empty list"),
    ],
)
def test_a_broken_cue_is_named_with_its_line(tmp_path, edit, message):
    with pytest.raises(RulePackError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_one(tmp_path, GOOD_CUE.replace(*edit))


def test_a_cue_that_misses_its_example_fails_check(tmp_path):
    [cue] = load_one(tmp_path, GOOD_CUE.replace('["打算新建学校3所"]', '["准备新建学校3所"]')).cues.of("target")[-1:]
    assert check_cue(cue).endswith("mine.toml:3: cue 'plan-word' example 1 '准备新建学校3所': the pattern finds nothing")


def test_a_duplicate_cue_id_is_refused(tmp_path):
    with pytest.raises(RulePackError, match=r"mine.toml:10: cue 'plan-word': duplicate cue id"):
        load_one(tmp_path, GOOD_CUE + GOOD_CUE)


def test_line_numbers_are_found_in_one_pass_for_many_rules(tmp_path):
    """Each rule's line is found without rescanning the file: a pack of 400 rules names the last one right."""
    rule = '[[rules]]\nid = "r{n}"\ndescription = "d"\nkind = "count"\npattern = \'(?P<num>[0-9]+)件{n}\'\n' \
        'examples = [{{ text = "3件{n}", expect = [{{ text = "3件{n}", value = 3 }}] }}]\ncounterexamples = ["件"]\n'
    text = "".join(rule.format(n=n) for n in range(400)).replace("'(?P<num>[0-9]+)件399'", "'(?P<num>[0-9]+件399'")
    with pytest.raises(RulePackError, match=r"mine.toml:2798: rule 'r399': key 'pattern': missing \)"):
        load_one(tmp_path, text)
