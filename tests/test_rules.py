"""Every example embedded in the rule packs, plus the loader's checks on broken packs."""

import pytest

from edu_metrics import RulePackError, extract_text, load_rules
from edu_metrics.selftest import check_example, example_cases

CASES = example_cases(load_rules())


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_rule_example(case, rules):
    assert check_example(case, rules) is None


def test_every_rule_has_a_match_and_a_counterexample(rules):
    for rule in rules:
        assert any(e.expect for e in rule.examples), rule.id
        assert any(not e.expect for e in rule.examples), rule.id


def test_rule_ids_are_pack_qualified(rules):
    ids = [rule.id for rule in rules]
    assert len(ids) == len(set(ids))
    assert "core.percent" in ids and "exclusions.date" in ids


GOOD_RULE = """
[[rules]]
id = "thing"
description = "d"
kind = "count"
pattern = '(?P<q>(?P<num>[0-9]+)个)'
examples = [{ text = "3个", expect = [{ text = "3个", value = 3 }] }]
counterexamples = ["个"]
"""


def load_one(tmp_path, text):
    pack = tmp_path / "mine.toml"
    pack.write_text(text, encoding="utf-8")
    return load_rules([pack], builtin=False)


def test_a_good_pack_loads(tmp_path):
    [rule] = load_one(tmp_path, GOOD_RULE)
    assert rule.id == "mine.thing"
    assert rule.priority == 10


def test_packs_that_compiled_before_are_compiled_only_when_used(tmp_path, monkeypatch):
    """The first load checks every pattern by compiling it and remembers these packs; a later
    load of the same packs compiles a pattern only when a text needs it."""
    monkeypatch.setenv("EDU_METRICS_CACHE", str(tmp_path / "cache"))
    [first] = load_one(tmp_path, GOOD_RULE)
    assert "compiled" in vars(first)  # checked: compiled at load
    assert len(list((tmp_path / "cache").glob("packs-*.ok"))) == 1
    [again] = load_one(tmp_path, GOOD_RULE)
    assert "compiled" not in vars(again)
    assert [q.value for q in extract_text("有3个", [again])] == [3]
    assert "compiled" in vars(again)


def test_a_lying_cache_file_still_gives_a_message_not_a_traceback(tmp_path, monkeypatch):
    """A pattern that does not compile, though a cache file says its pack did, fails where it is used."""
    from edu_metrics.rules import Rule

    rule = Rule(id="mine.thing", description="d", kind="count", pattern="(?P<num>[0-9]+", priority=10,
                source="mine.toml", line=3)
    with pytest.raises(RulePackError, match=r"mine.toml:3: rule 'thing': key 'pattern': missing \)"):
        extract_text("有3个", [rule])


def test_a_changed_pack_is_checked_again(tmp_path, monkeypatch):
    monkeypatch.setenv("EDU_METRICS_CACHE", str(tmp_path / "cache"))
    load_one(tmp_path, GOOD_RULE)
    with pytest.raises(RulePackError, match="mine.toml:6: rule 'thing': key 'pattern': missing \\)"):
        load_one(tmp_path, GOOD_RULE.replace("(?P<num>[0-9]+)个)", "(?P<num>[0-9]+个"))


def test_a_pack_parsed_once_is_read_from_its_kept_tables_without_tomllib(tmp_path, monkeypatch):
    import tomllib

    monkeypatch.setenv("EDU_METRICS_CACHE", str(tmp_path / "cache"))
    [first] = load_one(tmp_path, GOOD_RULE)
    [kept] = (tmp_path / "cache").glob("pack-*.json")

    def unused(text):
        raise AssertionError("parsed again")

    monkeypatch.setattr(tomllib, "loads", unused)
    [again] = load_one(tmp_path, GOOD_RULE)
    assert (again.id, again.pattern, again.examples) == (first.id, first.pattern, first.examples)
    kept.write_bytes(b"[1, 2]")  # damaged: valid JSON, but no pack's tables
    monkeypatch.undo()
    monkeypatch.setenv("EDU_METRICS_CACHE", str(tmp_path / "cache"))
    [parsed] = load_one(tmp_path, GOOD_RULE)
    assert parsed.pattern == first.pattern


@pytest.mark.parametrize("damage", [b"", b"{not json", b"\xff\xfe"])
def test_damaged_kept_tables_are_parsed_again(tmp_path, monkeypatch, damage):
    monkeypatch.setenv("EDU_METRICS_CACHE", str(tmp_path / "cache"))
    load_one(tmp_path, GOOD_RULE)
    [kept] = (tmp_path / "cache").glob("pack-*.json")
    kept.write_bytes(damage)
    [rule] = load_one(tmp_path, GOOD_RULE)
    assert [q.value for q in extract_text("有3个", [rule])] == [3]


def test_an_edited_pack_is_not_read_from_the_tables_of_its_old_text(tmp_path, monkeypatch):
    monkeypatch.setenv("EDU_METRICS_CACHE", str(tmp_path / "cache"))
    load_one(tmp_path, GOOD_RULE)
    [rule] = load_one(tmp_path, GOOD_RULE.replace('description = "d"', 'description = "edited"'))
    assert rule.description == "edited"


def test_tables_without_a_json_form_are_parsed_each_time(tmp_path, monkeypatch):
    """A TOML date has no JSON form: nothing is kept, and the pack still reads (here, to its usual error)."""
    monkeypatch.setenv("EDU_METRICS_CACHE", str(tmp_path / "cache"))
    with pytest.raises(RulePackError, match="mine.toml"):
        load_one(tmp_path, "written = 2026-12-01\n" + GOOD_RULE)
    assert not list((tmp_path / "cache").glob("pack-*.json"))


def test_an_unwritable_cache_checks_every_load(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("EDU_METRICS_CACHE", str(blocked / "cache"))
    for _ in range(2):
        [rule] = load_one(tmp_path, GOOD_RULE)
        assert "compiled" in vars(rule)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("(?P<num>[0-9]+)个)", "(?P<num>[0-9]+个"), "mine.toml:6: rule 'thing': key 'pattern': missing )"),
        (('kind = "count"', 'kind = "count"\ncolour = "red"'), "mine.toml:6: rule 'thing': key 'colour': unknown key"),
        (('description = "d"\n', ""), "mine.toml:3: rule 'thing': missing key 'description'"),
        (('kind = "count"', 'kind = "counts"'), "mine.toml:5: rule 'thing': key 'kind': must be one of"),
        (("[0-9]+", "{digitz}"), "mine.toml:6: rule 'thing': key 'pattern': fragment 'digitz' is not defined"),
        (('id = "thing"', 'id = "Thing_1"'), "rule 'Thing_1': key 'id': must be kebab-case"),
        (('counterexamples = ["个"]', "counterexamples = []"), "key 'counterexamples': needs at least one"),
        (("(?P<num>", "(?P<number>"), "key 'pattern': unknown group number"),
        (('kind = "count"', 'kind = "count"\nindicator = "{unit}数"'), "mine.toml:6: rule 'thing': key 'indicator': '{unit}' names no group"),
    ],
)
def test_broken_pack_names_file_line_rule_and_key(tmp_path, edit, message):
    with pytest.raises(RulePackError) as error:
        load_one(tmp_path, GOOD_RULE.replace(*edit))
    assert message in str(error.value)


def test_indicator_template_takes_the_match_groups(tmp_path):
    pack = GOOD_RULE.replace("(?P<num>[0-9]+)个)", "(?P<num>[0-9]+)大(?P<unit>工程))").replace("3个", "3大工程")
    [rule] = load_one(tmp_path, pack.replace('kind = "count"', 'kind = "count"\nindicator = "重点{unit}数"'))
    [row] = extract_text("实施3大工程。", [rule])
    assert (row.unit, row.indicator) == ("工程", "重点工程数")


def test_duplicate_rule_id(tmp_path):
    with pytest.raises(RulePackError, match=r"mine.toml:\d+: rule 'thing': duplicate rule id"):
        load_one(tmp_path, GOOD_RULE + GOOD_RULE)


def test_invalid_toml_names_the_line(tmp_path):
    with pytest.raises(RulePackError, match=r"mine.toml: invalid TOML: .*line 3"):
        load_one(tmp_path, '[[rules]]\nid = "x"\nkind = \n')


def test_extra_pack_can_use_builtin_fragments(tmp_path):
    pack = tmp_path / "extra.toml"
    pack.write_text(GOOD_RULE.replace("[0-9]+", "{digits}").replace('"个"', '"无"'), encoding="utf-8")
    rules = load_rules([pack])
    assert rules[-1].id == "extra.thing"


def _pack_with_fragments(tmp_path, fragments, pattern):
    lines = ["[fragments]", *fragments, "[[rules]]", 'id = "x"', 'description = "d"', 'kind = "count"',
             f"pattern = '{pattern}'", 'examples = [{ text = "3个", expect = [{ text = "3个", value = 3 }] }]',
             'counterexamples = ["个"]']
    pack = tmp_path / "mine.toml"
    pack.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return pack


def test_fragments_that_double_each_other_are_refused_at_once(tmp_path):
    fragments = ['f0 = "a"', *(f'f{i} = "{{f{i - 1}}}{{f{i - 1}}}"' for i in range(1, 41))]
    with pytest.raises(RulePackError, match=r"fragment 'f\d+' expands to more than 200,000 characters"):
        load_rules([_pack_with_fragments(tmp_path, fragments, "(?P<num>{f40})个")], builtin=False)


def test_a_long_chain_of_fragments_is_refused_without_a_recursion_error(tmp_path):
    fragments = ['g0 = "[0-9]+"', *(f'g{i} = "{{g{i - 1}}}"' for i in range(1, 2001))]
    with pytest.raises(RulePackError, match=r"fragments nest more than 50 deep"):
        load_rules([_pack_with_fragments(tmp_path, fragments, "(?P<num>{g2000})个")], builtin=False)


@pytest.mark.parametrize(
    ("pattern", "where"),
    [
        ("(?P<num>{n})(个", "missing ) at position 14"),  # the end of the author's 14 characters, not the expansion's
        ("(?P<num>{bad})个", "inside fragment 'bad' (used at position 8)"),
    ],
)
def test_a_regex_error_is_placed_in_the_authors_pattern(tmp_path, pattern, where):
    pack = _pack_with_fragments(tmp_path, ['n = "[0-9]+(?:\\\\.[0-9]+)?"', 'bad = "[b-a]"'], pattern)
    with pytest.raises(RulePackError, match=regex_escape(where)):
        load_rules([pack], builtin=False)


def regex_escape(text):
    import re

    return re.escape(text)
