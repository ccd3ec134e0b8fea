"""Documents: read and decode files, then find sentences, headings and report metadata.

Everything after `read_document` is a pure function of the decoded text, and every offset
is an offset into that text, so `text == document[start:end]` holds for every row.
"""

import bisect
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import regex

from .errors import DocumentError

ACTUAL, TARGET = "actual", "target"

_SENTENCE_END = regex.compile(r"[。！？!?\n]+")
_YEAR = regex.compile(r"(?<![0-9])(20[0-9]{2}|19[0-9]{2})(?=年)")

# Heading styles, outermost first: 第一方面 > 一、 > （一） > 1． > 一是.
_HEADING_MARKERS = [
    (0, regex.compile(r"第[一二三四五六七八九十]+(?:方面|部分)[\s\u3000]*")),
    (1, regex.compile(r"[一二三四五六七八九十]+、")),
    (2, regex.compile(r"[（(][一二三四五六七八九十]+[)）]")),
    (3, regex.compile(r"[0-9]+[.．、](?![0-9])\s*")),
    (4, regex.compile(r"[一二三四五六七八九十]+是")),
]
# A short line with no sentence punctuation stands alone as a heading
# (坚持政治引领，教育系统党的建设持续加强).
_BARE_HEADING = regex.compile(r"[^。；;：:！？!?]{4,40}")
_HEADING_TEXT = regex.compile(r"[^。；;：:！？!?]{1,60}")

# Wording that marks a part of a report as a review of what was done or as a plan.
_REVIEW_WORDS = regex.compile(r"总结|回顾|完成情况|工作成效|主要成绩|进展情况|取得成效")
_PLAN_WORDS = regex.compile(r"计划|要点|打算|思路|主要任务|重点任务|工作安排|展望|部署|目标任务(?!.*完成)")
_KIND_WORDS = [
    ("completion", regex.compile(r"完成情况")),
    ("speech", regex.compile(r"讲话|在.{0,20}会议上|同志们")),
    ("plan", regex.compile(r"计划|要点|打算|思路")),
    ("summary", regex.compile(r"总结|回顾")),
]
# The issuer: a place name before 市委, 市教育局, 县人民政府 … where a name can stand: at a line
# start, after punctuation, after 中共 or a conjunction (中共无锡市委, 和江阴市委). Words such
# as 全市 or 落实市委 name no place, and a masked name (*市) gives no region.
_REGION = regex.compile(
    r"(?:^|(?<=[^\p{Han}*]|中共|[和与及在对由经据]))(\p{Han}{2,3}?)([省市县区])"
    r"(?=委|教育局|教育体育局|教体局|人民政府|政府)",
    regex.MULTILINE,
)
_NOT_A_PLACE = regex.compile(r"[全各本我该年共和的与及市县区省局委]")
_DATE = regex.compile(r"(20[0-9]{2})\s*[年\-./]\s*([0-9]{1,2})\s*[月\-./]\s*([0-9]{1,2})\s*日?")


@dataclass(frozen=True)
class Metadata:
    """What the document says about itself: who issued it, for which year, what kind."""

    region: str = ""
    year: int | None = None
    kind: str = ""
    title: str = ""
    date: str = ""


@dataclass(frozen=True)
class Section:
    start: int
    heading: str
    level: int
    status: str | None
    year: int | None


@dataclass(frozen=True)
class Document:
    name: str
    text: str
    encoding: str = "utf-8"
    meta: Metadata = field(default_factory=Metadata)
    sections: tuple[Section, ...] = ()
    sentence_starts: tuple[int, ...] = (0,)

    def sentence_at(self, offset: int) -> tuple[int, int]:
        """The span of the sentence holding `offset`, without its end punctuation."""
        i = bisect.bisect_right(self.sentence_starts, offset) - 1
        start = self.sentence_starts[i]
        m = _SENTENCE_END.search(self.text, offset)
        end = m.start() if m else len(self.text)
        return start, end

    @cached_property
    def _section_starts(self) -> list[int]:
        return [s.start for s in self.sections]

    def section_at(self, offset: int) -> Section | None:
        """The nearest heading before `offset`; it carries its ancestors' status and year."""
        i = bisect.bisect_right(self._section_starts, offset) - 1
        return self.sections[i] if i >= 0 else None


def read_document(path: Path, name: str | None = None) -> Document:
    """Read and decode one file; `name` is what the table's `doc` column shows."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    text, encoding = decode(data, path)
    return parse_document(text, name or path.name, encoding)


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """BOM first, then strict UTF-8, then strict GB18030 (a superset of GBK and GB2312)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise DocumentError(f"{path}: cannot decode as UTF-8 or GB18030; try --encoding")


def parse_document(text: str, name: str, encoding: str = "utf-8") -> Document:
    """Find sentences, headings and metadata in decoded text."""
    meta = describe(text)
    return Document(
        name=name,
        text=text,
        encoding=encoding,
        meta=meta,
        sections=find_sections(text, meta),
        sentence_starts=tuple([0] + [m.end() for m in _SENTENCE_END.finditer(text)]),
    )


def describe(text: str) -> Metadata:
    """Region, year, kind, title and date from the first lines of a report."""
    head = text[:3000]
    lines = [line.strip() for line in head.splitlines() if line.strip()]
    title = next((line for line in lines if _is_title(line)), lines[0] if lines else "")
    years = [int(y) for y in _YEAR.findall(title)]
    date_match = _DATE.search(head)
    date = f"{date_match[1]}-{int(date_match[2]):02d}-{int(date_match[3]):02d}" if date_match else ""
    year = years[0] if years else (int(date_match[1]) if date_match else None)
    kinds = [kind for kind, words in _KIND_WORDS if words.search(title)]
    if not kinds and regex.search(r"同志们", head):
        kinds = ["speech"]
    kind = "mixed" if {"plan", "summary"} <= set(kinds) else (kinds[0] if kinds else "")
    return Metadata(region=find_region(text), year=year, kind=kind, title=title, date=date)


def find_region(text: str) -> str:
    for m in _REGION.finditer(text, overlapped=True):
        if not _NOT_A_PLACE.search(m[1]):
            return m[1] + m[2]
    return ""


def _is_title(line: str) -> bool:
    return len(line) <= 60 and bool(
        regex.search(r"总结|计划|要点|完成情况|报告|讲话|工作会议", line)
    ) and not line.startswith(("关于", "现将", "附件"))


def find_sections(text: str, meta: Metadata) -> tuple[Section, ...]:
    """Headings in reading order; each carries the status and year it sets for its part."""
    sections: list[Section] = []
    stack: list[Section] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        heading = _heading(line.strip())
        if heading is not None:
            level, title = heading
            while stack and stack[-1].level >= level:
                stack.pop()
            parent_status = stack[-1].status if stack else None
            parent_year = stack[-1].year if stack else None
            years = [int(y) for y in _YEAR.findall(title)]
            section = Section(
                start=offset + len(line) - len(line.lstrip()),
                heading=title,
                level=level,
                status=_status_of(title) or parent_status,
                year=years[0] if years else parent_year,
            )
            stack.append(section)
            sections.append(section)
        offset += len(line)
    return tuple(sections)


def _heading(line: str) -> tuple[int, str] | None:
    for level, marker in _HEADING_MARKERS:
        if m := marker.match(line):
            title = _HEADING_TEXT.match(line, m.end())
            return (level, title[0].strip()) if title else None
    if _BARE_HEADING.fullmatch(line) and not regex.search(r"[0-9]{3,}|同志们|^附件", line):
        return 1, line
    return None


def _status_of(heading: str) -> str | None:
    if _REVIEW_WORDS.search(heading):
        return ACTUAL
    if _PLAN_WORDS.search(heading):
        return TARGET
    return None
