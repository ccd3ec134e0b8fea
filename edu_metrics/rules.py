"""Rule packs: TOML files of regex rules that carry their own examples.

A pack is data, never code: it can only name patterns, fragments and the fields a match
yields, so a pack shared by someone else cannot run anything. Every problem is reported as
`FILE:LINE: rule 'ID': key 'KEY': what is wrong`, the breadcrumb an editor can jump to.
"""

import json
import os
import sys
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

import regex

from . import kept
from .cache import cache_folder, key_of, store
from .cues import ROLES, VALUED, Cue, Cues, compiled_when_used
from .errors import RulePackError, read_small_text
from .indicators import Indicator
from .prefilter import Prefilter, hyperscan_module
from .vocabulary import Measure, Stage, Vocabulary

KINDS = ("rate", "count", "amount", "change", "rank", "exclude")
QUALIFIERS = ("=", "~", ">=", "<=")

# On overlapping claims the higher priority wins: exclusions first (a date is never a count),
# then the more specific readings of a number (a change is also a percentage).
DEFAULT_PRIORITY = {"exclude": 100, "change": 50, "rank": 40, "rate": 30, "amount": 20, "count": 10}

# The capture groups a pattern may use; the extractor reads them by name.
GROUPS = frozenset({"q", "num", "max", "scale", "unit", "approx", "atleast", "atmost", "down", "base"})

# A rule's indicator may name groups of its match: indicator = "{unit}数" (八大改革任务 → 改革任务数).
INDICATOR_FIELD = kept.compiled(r"\{(\w+)\}")
_RULE_ID = kept.compiled(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_FRAGMENT_REF = kept.compiled(r"\{([a-z_][a-z0-9_]*)\}")
_PACK_KEYS = {
    "description": str, "fragments": dict, "rules": list, "indicators": list, "cues": list,
    "stages": list, "measures": list,
}
_TERM_KEYS = {
    "stages": {"name": str, "synonyms": list, "renames": dict, "lends": bool, "lends_to": str, "examples": list},
    "measures": {"name": str, "synonyms": list, "stage": str, "after_stage": list, "examples": list},
}
_TERM_EXAMPLE_KEYS = {"text": str, "name": str, "unit": str, "scope": str}
_RULE_REQUIRED = {"id": str, "description": str, "kind": str, "pattern": str,
                  "examples": list, "counterexamples": list}
_RULE_OPTIONAL = {"unit": str, "indicator": str, "baseline": str, "priority": int, "unit_from": str, "anchor": str}
UNIT_SOURCES = ("column",)
_CUE_REQUIRED = {"id": str, "role": str, "pattern": str, "examples": list, "counterexamples": list}
_CUE_OPTIONAL = {"description": str, "level": int, "value": str}
_PERIOD = kept.compiled(r"(?:19|20)[0-9]{2}-(?:19|20)[0-9]{2}")
_KEY_LINE = {key: kept.compiled(rf"""\s*{key}\s*=\s*['"]([^'"]*)['"]""") for key in ("id", "name")}
_EXPECT_KEYS = {"text": str, "value": (int, float, str), "value_max": (int, float, str),
                "unit": str, "kind": str, "qualifier": str, "indicator": str, "baseline": str}


@dataclass(frozen=True)
class Example:
    """A text and the rows one rule must yield in it; no rows means it must yield none."""

    text: str
    expect: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    kind: str
    pattern: str
    priority: int
    unit: str | None = None
    indicator: str | None = None
    baseline: str | None = None
    unit_from: str | None = None
    anchor: str | None = None  # words every match stands near, for the prefilter (prefilter.py)
    examples: tuple[Example, ...] = ()
    source: str = ""
    line: int = 0

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}: rule '{self.id.split('.', 1)[1]}'"

    @cached_property
    def compiled(self) -> regex.Pattern:
        """Compiled when first used: a run compiles only the rules its texts reach."""
        return compiled_when_used(self.pattern, self.where)


class RuleSet(Sequence[Rule]):
    """The loaded rules in load order, with the packs' canonical indicator names.

    A plain Sequence, not a tuple: engines such as Dask rebuild tuples they find in task
    arguments, and would drop the indicator names with the type.
    """

    def __init__(
        self, rules: Iterable[Rule] = (), vocabulary: Vocabulary | None = None, cues: Cues | None = None
    ) -> None:
        self.rules = tuple(rules)
        self.vocabulary = vocabulary if vocabulary is not None else Vocabulary()
        self.cues = cues if cues is not None else builtin_cues()

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return self.vocabulary.indicators

    @cached_property
    def prefilter(self) -> Prefilter | None:
        """The one-pass prefilter of these rules, when hyperscan (the fast extra) is installed
        and EDU_METRICS_PREFILTER is not `off`."""
        if os.environ.get("EDU_METRICS_PREFILTER", "").lower() == "off" or hyperscan_module() is None:
            return None
        return Prefilter(self.rules)

    def __getstate__(self) -> dict:
        return {k: v for k, v in vars(self).items() if k != "prefilter"}  # built again where needed

    def __getitem__(self, index):  # type: ignore[override]
        return self.rules[index]

    def __len__(self) -> int:
        return len(self.rules)


def builtin_pack_paths() -> list[Path]:
    """The packs shipped with edu-metrics (the repository's rules/ folder)."""
    folder = resources.files("edu_metrics.packs")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".toml"))


def pack_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Expand folders to their *.toml files, sorted, so load order never depends on the OS."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            packs = sorted(p for p in path.glob("*.toml") if p.is_file())
            if not packs:
                raise RulePackError(f"{path}: no rule packs (*.toml) in this folder; packs in its subfolders are not read")
            found.extend(packs)
        elif path.is_file():
            found.append(path)
        elif path.exists():
            raise RulePackError(f"{path}: not a regular file (a rule pack must be one)")
        else:
            raise RulePackError(f"{path}: no such rule pack or folder")
    return found


def load_rules(extra: Sequence[Path | str] = (), *, builtin: bool = True) -> RuleSet:
    """Load, validate and compile the built-in packs plus `extra` ones, in that order."""
    paths = (builtin_pack_paths() if builtin else []) + pack_paths(extra)
    packs = [_Pack.read(path) for path in paths]
    _check_namespaces(packs)
    fragments = _fragments(packs)
    checked = _checked_before(packs)
    rules = _built(packs, "rules", lambda pack, raw, line: pack.build_rule(raw, fragments, line, checked))
    cues = _cues(packs, fragments, checked)
    loaded = RuleSet(rules, _vocabulary(packs, cues), cues)
    if not checked:
        _remember_checked(packs)
    return loaded


def _checked_key(packs: list["_Pack"]) -> str:
    """What a check by compiling depends on: the packs, the `regex` that compiles them, the groups allowed."""
    return key_of(regex.__version__, sorted(GROUPS), [(pack.name, pack.text) for pack in packs])


def _checked_before(packs: list["_Pack"]) -> bool:
    """Whether these very packs compiled before (with this `regex`): then nothing needs
    compiling to be checked, and each pattern is compiled when first used."""
    return (cache_folder() / f"packs-{_checked_key(packs)}.ok").is_file()


def _remember_checked(packs: list["_Pack"]) -> None:
    store(cache_folder() / f"packs-{_checked_key(packs)}.ok", b"")


def _built(packs: list["_Pack"], section: str, build) -> list:
    """Every pack's `[[section]]` entries, built in load order; an id may be defined once."""
    built: list = []
    seen: dict[str, Any] = {}
    for pack in packs:
        for raw, line in pack.entries(section):
            item = build(pack, raw, line)
            if item.id in seen:
                raise RulePackError(f"{item.where}: duplicate {section[:-1]} id (first defined at {seen[item.id].where})")
            seen[item.id] = item
            built.append(item)
    return built


def _check_namespaces(packs: list["_Pack"]) -> None:
    """A pack's ids are namespaced by its file name: two packs of one name would share them."""
    seen: dict[str, "_Pack"] = {}
    for pack in packs:
        if pack.name in seen:
            raise RulePackError(
                f"{pack.label}: a pack named '{pack.name}' is already loaded from {seen[pack.name].label}; "
                f"rename the file (its name is its rules' namespace)"
            )
        seen[pack.name] = pack


@cache
def builtin_cues() -> Cues:
    """The built-in packs' cues, loaded once: every document is parsed with them by default."""
    packs = [_Pack.read(path) for path in builtin_pack_paths()]
    return _cues(packs, _fragments(packs), _checked_before(packs))


def _cues(packs: list["_Pack"], fragments: dict[str, tuple[str, Any]], checked: bool = False) -> Cues:
    return Cues(_built(packs, "cues", lambda pack, raw, line: pack.build_cue(raw, fragments, line, checked)))


def _fragments(packs: list["_Pack"]) -> dict[str, tuple[str, Any]]:
    fragments: dict[str, tuple[str, _Pack]] = {}
    for pack in packs:
        for name, body in pack.fragments.items():
            if name in fragments:
                other = fragments[name][1]
                raise RulePackError(
                    f"{pack.where_fragment(name)}: fragment '{name}' is already defined in {other.label}"
                )
            fragments[name] = (body, pack)
    return fragments


def _vocabulary(packs: list["_Pack"], cues: Cues) -> Vocabulary:
    """The packs' indicator names, stages and measures; one word may name one stage or measure only."""
    terms: dict[str, list] = {"stages": [], "measures": []}
    owner: dict[str, str] = {}
    for pack in packs:
        for section, found in terms.items():
            for raw, line in pack.entries(section, key="name"):
                term = pack.build_term(section, raw, line)
                if any(other.name == term.name for other in found):
                    raise RulePackError(f"{pack.label}:{line}: {section[:-1]} '{term.name}' is defined twice")
                for word in (term.name, *term.synonyms):
                    if owner.get((section, word), term.name) != term.name:
                        raise RulePackError(
                            f"{pack.label}:{line}: {section[:-1]} '{term.name}': '{word}' already names "
                            f"the {section[:-1]} '{owner[(section, word)]}'"
                        )
                    owner[(section, word)] = term.name
                found.append(term)
    verbs = cues.of("scope-verb")
    scope_verbs = kept.compiled("^(?:" + "|".join(f"(?:{cue.pattern})" for cue in verbs) + ")") if verbs else None
    return Vocabulary(tuple(_indicators(packs)), tuple(terms["stages"]), tuple(terms["measures"]), scope_verbs)


def _indicators(packs: list["_Pack"]) -> list[Indicator]:
    """Every pack's [[indicators]]; one synonym may belong to one canonical name only."""
    indicators: list[Indicator] = []
    owner: dict[str, str] = {}
    for pack in packs:
        for n, raw in enumerate(pack.indicators, 1):
            where = f"{pack.label}:{pack.line_of_value(raw.get('name') if isinstance(raw, dict) else None)}: indicator {n}"
            if not isinstance(raw, dict) or set(raw) - {"name", "synonyms"} or "name" not in raw:
                raise RulePackError(f"{where}: needs exactly 'name' and optionally 'synonyms'")
            synonyms = raw.get("synonyms", [])
            if not isinstance(raw["name"], str) or not isinstance(synonyms, list) or not all(isinstance(x, str) and x for x in synonyms):
                raise RulePackError(f"{where}: 'name' must be a string and 'synonyms' a list of strings")
            for word in (raw["name"], *synonyms):
                if word in owner and owner[word] != raw["name"]:
                    raise RulePackError(f"{where}: '{word}' already names the indicator '{owner[word]}'")
                owner[word] = raw["name"]
            indicators.append(Indicator(raw["name"], tuple(synonyms)))
    return indicators


# A rule pack is a hand-written file; the built-in ones are a few dozen KB.
MAX_PACK_BYTES = 4 * 2**20
# Bounds on fragments: how deep they may nest, and how long a pattern they may expand to.
MAX_FRAGMENT_DEPTH = 50
MAX_PATTERN_LENGTH = 200_000


def expand(pattern: str, fragments: dict[str, tuple[str, Any]], trail: tuple[str, ...] = (),
           memo: dict[str, str] | None = None) -> str:
    """Replace `{name}` by its fragment, recursively; `{2}` and `{1,3}` stay quantifiers.

    Each fragment is expanded once (`memo`), nesting is bounded and so is the result, so a
    pack whose fragments double one another fails at once with the fragment named.
    """
    memo = {} if memo is None else memo
    if len(trail) > MAX_FRAGMENT_DEPTH:
        raise KeyError(f"fragments nest more than {MAX_FRAGMENT_DEPTH} deep ({' -> '.join(trail[:3])} -> …)")

    def substitute(m: regex.Match) -> str:
        name = m[1]
        if name in trail:
            raise KeyError(f"fragment cycle {' -> '.join((*trail, name))}")
        if name not in fragments:
            raise KeyError(f"fragment '{name}' is not defined")
        if name not in memo:
            body = expand(fragments[name][0], fragments, (*trail, name), memo)
            if len(body) > MAX_PATTERN_LENGTH:
                raise KeyError(f"fragment '{name}' expands to more than {MAX_PATTERN_LENGTH:,} characters")
            memo[name] = "(?:" + body + ")"
        return memo[name]

    expanded = _FRAGMENT_REF.sub(substitute, pattern)
    if not trail and len(expanded) > MAX_PATTERN_LENGTH:
        raise KeyError(f"the pattern expands to more than {MAX_PATTERN_LENGTH:,} characters")
    return expanded


def compile_pattern(pattern: str, fragments: dict[str, tuple[str, Any]]) -> regex.Pattern:
    """Expand and compile; a regex error's position is given in the author's own pattern."""
    expanded = expand(pattern, fragments)
    try:
        return kept.compiled(expanded)
    except regex.error as exc:
        raise regex.error(_authors_position(exc, pattern, fragments)) from None


def _authors_position(exc: regex.error, pattern: str, fragments: dict[str, tuple[str, Any]]) -> str:
    """`missing ) at position 99` of the expansion, told as a position in what the author wrote."""
    message = str(exc.msg if hasattr(exc, "msg") else exc)
    if exc.pos is None:
        return str(exc)
    shift = 0  # expanded minus written, up to the error
    for m in _FRAGMENT_REF.finditer(pattern):
        if m[1] not in fragments:
            continue
        start = m.start() + shift
        length = len(expand(m[0], fragments))
        if exc.pos < start:
            break
        if exc.pos < start + length:
            return f"{message} inside fragment '{m[1]}' (used at position {m.start()})"
        shift += length - len(m[0])
    return f"{message} at position {exc.pos - shift}"


def _compiled(pattern: str, fragments: dict[str, tuple[str, Any]], fail) -> regex.Pattern:
    """An entry's pattern compiled, its problems told at its `pattern` key."""
    try:
        return compile_pattern(pattern, fragments)
    except KeyError as exc:
        raise fail("pattern", exc.args[0]) from None
    except regex.error as exc:
        raise fail("pattern", str(exc)) from None


def _check_keys(raw: dict[str, Any], required: dict[str, type], optional: dict[str, type], fail) -> None:
    """Every key known, every required one there, each of its type, and a kebab-case id."""
    for key in raw:
        if key not in required and key not in optional:
            raise fail(key, "unknown key")
    for key, kind in required.items():
        if key not in raw:
            raise fail(None, f"missing key '{key}'")
        if not isinstance(raw[key], kind):
            raise fail(key, f"must be a {kind.__name__}")
    for key, kind in optional.items():
        if key in raw and (not isinstance(raw[key], kind) or isinstance(raw[key], bool)):
            raise fail(key, f"must be a {kind.__name__}")
    if not _RULE_ID.fullmatch(raw["id"]):
        raise fail("id", "must be kebab-case (lower-case words joined by '-')")


def _parsed(text: str) -> dict[str, Any]:
    """A pack's TOML, parsed once: `tomllib` is pure Python (17 ms for the built-in packs, JSON
    reads the same tables in 1 ms), so the tables are kept as JSON under the text they came from."""
    kept_file = cache_folder() / f"pack-{key_of(text, sys.version_info[:2])}.json"
    try:
        data = json.loads(kept_file.read_bytes())
        if isinstance(data, dict):
            return data
    except (OSError, ValueError):
        pass
    data = tomllib.loads(text)
    try:
        store(kept_file, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    except (TypeError, ValueError):  # a TOML date has no JSON form: such a pack is parsed each time
        pass
    return data


def _display(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


class _Pack:
    """One parsed file, kept with its text so errors can point at a line."""

    def __init__(self, path: Path, data: dict[str, Any], text: str) -> None:
        self.path = path
        self.label = _display(path)
        self.name = path.stem
        self.text = text
        self.lines = text.splitlines()
        self.fragments: dict[str, str] = data.get("fragments", {})
        self.rules: list[dict[str, Any]] = data.get("rules", [])
        self.indicators: list[Any] = data.get("indicators", [])
        self.cues: list[dict[str, Any]] = data.get("cues", [])
        self.stages: list[dict[str, Any]] = data.get("stages", [])
        self.measures: list[dict[str, Any]] = data.get("measures", [])
        self._check_top(data)

    @classmethod
    def read(cls, path: Path) -> "_Pack":
        text = read_small_text(path, MAX_PACK_BYTES, "rule pack", RulePackError)
        try:
            data = _parsed(text)
        except tomllib.TOMLDecodeError as exc:
            raise RulePackError(f"{path}: invalid TOML: {exc}") from exc
        return cls(path, data, text)

    def _check_top(self, data: dict[str, Any]) -> None:
        for key, value in data.items():
            if key not in _PACK_KEYS:
                raise RulePackError(f"{self.label}:{self._line_of(key)}: unknown top-level key '{key}'")
            if not isinstance(value, _PACK_KEYS[key]):
                raise RulePackError(f"{self.label}:{self._line_of(key)}: key '{key}' has the wrong type")
        for name, body in self.fragments.items():
            if not isinstance(body, str) or not regex.fullmatch(r"[a-z_][a-z0-9_]*", name):
                raise RulePackError(
                    f"{self.where_fragment(name)}: fragment '{name}' must be a lower-case name with a string pattern"
                )
        for section in ("rules", "cues", "stages", "measures"):
            for position, raw in enumerate(getattr(self, section), 1):
                if not isinstance(raw, dict):
                    raise RulePackError(f"{self.label}: {section} entry {position} is not a table")

    def entries(self, section: str, key: str = "id") -> Iterator[tuple[dict[str, Any], int]]:
        """Each `[[section]]` entry with the line of its `id` (or other key), found in one pass over the file."""
        lines: list[int] = []  # one per entry: its id line, or its header line when it has no id
        inside = has_id = False
        for number, line in enumerate(self.lines, 1):
            stripped = line.strip()
            if stripped.startswith("["):
                inside, has_id = stripped == f"[[{section}]]", False
                if inside:
                    lines.append(number)
            elif inside and not has_id and _KEY_LINE[key].match(line):
                lines[-1], has_id = number, True
        for position, raw in enumerate(getattr(self, section)):
            yield raw, lines[position] if position < len(lines) else self._line_of(section)

    def where_fragment(self, name: str) -> str:
        return f"{self.label}:{self._line_of(name)}"

    def _failer(self, what: str, header: str, raw: dict[str, Any], id_line: int):
        """The breadcrumb maker for one entry: `FILE:LINE: rule 'ID': key 'KEY': what is wrong`."""
        label = raw.get("id") if isinstance(raw.get("id"), str) else "?"
        block = self._block_start(id_line, header)

        def fail(key: str | None, message: str) -> RulePackError:
            line = self._line_of(key, after=block, header=header) if key else id_line
            where = f"{self.label}:{line}: {what} '{label}'"
            return RulePackError(f"{where}: key '{key}': {message}" if key else f"{where}: {message}")

        return fail

    def build_rule(
        self, raw: dict[str, Any], fragments: dict[str, tuple[str, Any]], id_line: int, checked: bool = False
    ) -> Rule:
        """Validate one rule declared at `id_line`; its patterns are compiled to be checked unless
        these packs `checked` before."""
        rule_id = raw.get("id")
        fail = self._failer("rule", "[[rules]]", raw, id_line)
        _check_keys(raw, _RULE_REQUIRED, _RULE_OPTIONAL, fail)
        if raw["kind"] not in KINDS:
            raise fail("kind", f"must be one of {', '.join(KINDS)}")
        if raw.get("unit_from", "column") not in UNIT_SOURCES:
            raise fail("unit_from", f"must be one of {', '.join(UNIT_SOURCES)}")

        examples = self._examples(raw, fail)
        if checked:
            compiled, pattern = None, expand(raw["pattern"], fragments)
            anchor = expand(raw["anchor"], fragments) if "anchor" in raw else None
        else:
            compiled, anchor = self._checked_rule(raw, fragments, examples, fail)
            pattern = compiled.pattern
        rule = Rule(
            id=f"{self.name}.{rule_id}",
            description=raw["description"],
            kind=raw["kind"],
            pattern=pattern,
            priority=raw.get("priority", DEFAULT_PRIORITY[raw["kind"]]),
            unit=raw.get("unit"),
            indicator=raw.get("indicator"),
            baseline=raw.get("baseline"),
            unit_from=raw.get("unit_from"),
            anchor=anchor,
            examples=examples,
            source=self.label,
            line=id_line,
        )
        if compiled is not None:
            vars(rule)["compiled"] = compiled  # compiled to be checked: kept, as its cached_property would
        return rule

    @staticmethod
    def _checked_rule(
        raw: dict[str, Any], fragments: dict[str, tuple[str, Any]], examples: tuple[Example, ...], fail
    ) -> tuple[regex.Pattern, str | None]:
        """The rule's compiled pattern and its anchor, expanded, once they compile and fit the rule."""
        compiled = _compiled(raw["pattern"], fragments, fail)
        unknown = set(compiled.groupindex) - GROUPS
        if unknown:
            raise fail("pattern", f"unknown group {', '.join(sorted(unknown))} (allowed: {', '.join(sorted(GROUPS))})")
        if raw["kind"] != "exclude" and "num" not in compiled.groupindex:
            raise fail("pattern", "a quantity rule needs a (?P<num>...) group")
        for group in INDICATOR_FIELD.findall(raw.get("indicator", "")):
            if group not in compiled.groupindex:
                raise fail("indicator", f"'{{{group}}}' names no group of the pattern")
        anchor = _compiled(raw["anchor"], fragments, lambda key, message: fail("anchor", message)) if "anchor" in raw else None
        for n, example in enumerate(examples, 1):
            if anchor is not None and example.expect and not anchor.search(example.text):
                raise fail("anchor", f"example {n} {example.text!r} has none of its words: every match must stand near one")
        return compiled, anchor.pattern if anchor is not None else None

    def build_cue(
        self, raw: dict[str, Any], fragments: dict[str, tuple[str, Any]], id_line: int, checked: bool = False
    ) -> Cue:
        """Validate one cue declared at `id_line` (its pattern compiled unless the packs `checked` before)."""
        fail = self._failer("cue", "[[cues]]", raw, id_line)
        _check_keys(raw, _CUE_REQUIRED, _CUE_OPTIONAL, fail)
        if raw["role"] not in ROLES:
            raise fail("role", f"must be one of {', '.join(ROLES)}")
        if (raw["role"] in VALUED) != ("value" in raw):
            raise fail("value", f"is needed by, and only by, the roles {', '.join(sorted(VALUED))}")
        if raw["role"] == "period" and not _PERIOD.fullmatch(raw["value"]):
            raise fail("value", "a period is written FIRST-LAST, such as 2021-2025")
        if checked:
            pattern = expand(raw["pattern"], fragments)
        elif (compiled := _compiled(raw["pattern"], fragments, fail)).groupindex:
            raise fail("pattern", "a cue has no named groups; use (?:...)")
        else:
            pattern = compiled.pattern
        for key in ("examples", "counterexamples"):
            if not raw[key] or not all(isinstance(text, str) and text for text in raw[key]):
                raise fail(key, "must be a non-empty list of non-empty strings")
        return Cue(
            id=f"{self.name}.{raw['id']}",
            role=raw["role"],
            pattern=pattern,
            level=raw.get("level", 0),
            value=raw.get("value", ""),
            examples=tuple(raw["examples"]),
            counterexamples=tuple(raw["counterexamples"]),
            source=self.label,
            line=id_line,
        )

    def build_term(self, section: str, raw: dict[str, Any], line: int) -> Stage | Measure:
        """Validate one `[[stages]]` or `[[measures]]` entry declared at `line`."""
        label = raw.get("name") if isinstance(raw.get("name"), str) else "?"

        def fail(message: str) -> RulePackError:
            return RulePackError(f"{self.label}:{line}: {section[:-1]} '{label}': {message}")

        allowed = _TERM_KEYS[section]
        for key, value in raw.items():
            if key not in allowed:
                raise fail(f"unknown key '{key}'")
            if not isinstance(value, allowed[key]):
                raise fail(f"key '{key}' must be a {allowed[key].__name__}")
        for key in ("name", "examples"):
            if not raw.get(key):
                raise fail(f"needs a non-empty '{key}'")
        words = raw.get("synonyms", [])
        renames = raw.get("renames", {})
        after = raw.get("after_stage", [])
        if not all(isinstance(w, str) and w for w in (*words, *after)) or not all(isinstance(v, str) and v for v in renames.values()):
            raise fail("synonyms and renames are non-empty strings")
        examples = []
        for n, example in enumerate(raw["examples"], 1):
            if not isinstance(example, dict) or not {"text", "name"} <= set(example) or set(example) - set(_TERM_EXAMPLE_KEYS):
                raise fail(f"example {n} needs 'text' and 'name' (and may give 'unit' and 'scope')")
            if not all(isinstance(v, str) for v in example.values()):
                raise fail(f"example {n}: every value is a string")
            examples.append(dict(example))
        if section == "stages":
            return Stage(
                raw["name"], tuple(words), tuple(sorted(renames.items())), raw.get("lends", True),
                raw.get("lends_to", ""), tuple(examples), self.label, line,
            )
        return Measure(raw["name"], tuple(words), raw.get("stage", ""), tuple(after), tuple(examples), self.label, line)

    def _examples(self, raw: dict[str, Any], fail) -> tuple[Example, ...]:
        if not raw["examples"]:
            raise fail("examples", "needs at least one text the rule must match")
        if not raw["counterexamples"]:
            raise fail("counterexamples", "needs at least one text the rule must not match")
        examples = []
        for n, example in enumerate(raw["examples"], 1):
            if not isinstance(example, dict) or set(example) != {"text", "expect"}:
                raise fail("examples", f"example {n} must be a table with exactly 'text' and 'expect'")
            if not isinstance(example["text"], str) or not isinstance(example["expect"], list):
                raise fail("examples", f"example {n}: 'text' must be a string and 'expect' a list")
            if not example["expect"]:
                raise fail("examples", f"example {n} expects nothing; put such texts in counterexamples")
            rows = tuple(self._expectation(row, raw["kind"], n, fail) for row in example["expect"])
            examples.append(Example(example["text"], rows))
        for n, text in enumerate(raw["counterexamples"], 1):
            if not isinstance(text, str) or not text:
                raise fail("counterexamples", f"counterexample {n} must be a non-empty string")
            examples.append(Example(text))
        return tuple(examples)

    @staticmethod
    def _expectation(row: Any, kind: str, n: int, fail) -> dict[str, Any]:
        if not isinstance(row, dict) or "text" not in row:
            raise fail("examples", f"example {n}: every expected row needs a 'text'")
        for key, value in row.items():
            if key not in _EXPECT_KEYS:
                raise fail("examples", f"example {n}: unknown key '{key}' in an expected row")
            if not isinstance(value, _EXPECT_KEYS[key]) or isinstance(value, bool):
                raise fail("examples", f"example {n}: '{key}' has the wrong type")
        if kind != "exclude" and "value" not in row:
            raise fail("examples", f"example {n}: expected row '{row['text']}' needs a 'value'")
        if kind == "exclude" and set(row) != {"text"}:
            raise fail("examples", f"example {n}: an exclusion yields no row, so expect only 'text'")
        if row.get("qualifier", "=") not in QUALIFIERS:
            raise fail("examples", f"example {n}: qualifier must be one of {', '.join(QUALIFIERS)}")
        for key in ("value", "value_max"):
            if key in row:
                try:
                    row = {**row, key: Decimal(str(row[key]))}
                except InvalidOperation:
                    raise fail("examples", f"example {n}: '{key}' is not a number") from None
        return row

    def line_of_value(self, value: object) -> int:
        """The line where a string value is first written (to point at an [[indicators]] entry)."""
        if isinstance(value, str):
            for number, line in enumerate(self.lines, 1):
                if f'"{value}"' in line:
                    return number
        return 1

    def _block_start(self, line: int, header: str = "[[rules]]") -> int:
        """The line of the `[[rules]]` (or other) header that opens the entry declared at `line`."""
        for number in range(line, 0, -1):
            if self.lines[number - 1].strip() == header:
                return number
        return 1

    def _line_of(self, key: str, *, value: str | None = None, after: int = 0, header: str = "[[rules]]") -> int:
        """The 1-based line that sets `key` (to `value`), from line `after` to the next entry."""
        setting = rf"\s*{regex.escape(key)}\s*="
        if value is not None:
            setting += rf"\s*['\"]{regex.escape(value)}['\"]"
        for number, line in enumerate(self.lines[max(after - 1, 0):], max(after, 1)):
            if after and number > after and line.strip() == header:
                break
            if regex.match(setting, line) or line.strip() in (f"[{key}]", f"[[{key}]]"):
                return number
        return max(after, 1)
