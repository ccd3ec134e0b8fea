"""Documents: read and decode files, then find sentences, headings and report metadata.

Everything after `read_document` is a pure function of the decoded text, and every offset
is an offset into that text, so `text == document[start:end]` holds for every row.
"""

import bisect
import codecs
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import regex

from .errors import DocumentError
from .formats import declared_charset, docx_to_text, html_to_text, pdf_to_text
from .numerals import fold, parse_number

ACTUAL, TARGET = "actual", "target"
SENTENCE_REACH = 500

_SENTENCE_END = regex.compile(r"[。！？!?\n]+")
# 2023年, and 二〇二三年 as formal titles write it.
_YEAR = regex.compile(r"(?<![0-9〇零一二三四五六七八九])(20[0-9]{2}|19[0-9]{2}|二[〇零][〇零一二三四五六七八九]{2})(?=年)")

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
    r"(?:^|(?<=[^\p{Han}*]|中共|[和与及在对由经据年]))(\p{Han}{2,3}?)([省市县区])"
    r"(?=委|教育|教体局|人民政府|政府)",
    regex.MULTILINE,
)
_NOT_A_PLACE = regex.compile(r"[全各本我该年共和的与及市县区省局委强]")
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
    boilerplate: tuple[tuple[int, int], ...] = ()

    def sentence_at(self, offset: int) -> tuple[int, int]:
        """The span of the sentence holding `offset`, without its end punctuation.

        A "sentence" reaches at most SENTENCE_REACH characters either side of the offset, so a
        100 MB line without punctuation costs the same per quantity as a report does.
        """
        i = bisect.bisect_right(self.sentence_starts, offset) - 1
        start = max(self.sentence_starts[i], offset - SENTENCE_REACH)
        m = _SENTENCE_END.search(self.text, offset, offset + SENTENCE_REACH)
        end = m.start() if m else min(len(self.text), offset + SENTENCE_REACH)
        return start, end

    @cached_property
    def folded(self) -> str:
        """The text with full-width and traditional forms folded (same length, same offsets)."""
        return fold(self.text)

    @cached_property
    def _section_starts(self) -> list[int]:
        return [s.start for s in self.sections]

    @cached_property
    def _boilerplate_starts(self) -> list[int]:
        return [start for start, _ in self.boilerplate]

    def in_boilerplate(self, offset: int) -> bool:
        """True inside page furniture or spam, which yield no rows."""
        i = bisect.bisect_right(self._boilerplate_starts, offset) - 1
        return i >= 0 and offset < self.boilerplate[i][1]

    def section_at(self, offset: int) -> Section | None:
        """The nearest heading before `offset`; it carries its ancestors' status and year."""
        i = bisect.bisect_right(self._section_starts, offset) - 1
        return self.sections[i] if i >= 0 else None


READERS = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf"}


def read_document(
    path: Path, name: str | None = None, *, encoding: str | None = None,
    meta: dict | None = None, hints: dict | None = None,
) -> Document:
    """Read, decode and convert one file; `name` is what the table's `doc` column shows.

    `meta` (from a manifest) overrides what the text says; `hints` (from the path) fill in
    only what the text leaves open.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    reader = READERS.get(path.suffix.lower(), "text")
    if reader == "docx":
        text, used = docx_to_text(data, path), "docx"
    elif reader == "pdf":
        text, used = pdf_to_text(data, path), "pdf"
    elif reader == "html":
        text, used = decode(data, path, encoding or _known(declared_charset(data)))
        text = html_to_text(text)
    else:
        text, used = decode(data, path, encoding)
    if not text.strip():
        raise DocumentError(f"{path}: the document is empty")
    return parse_document(text, name or path.name, used, meta=meta, hints=hints)


_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes, path: Path | str, encoding: str | None = None) -> tuple[str, str]:
    """Bytes to text: `encoding` if given, else BOM, strict UTF-8, then GB18030 or Big5.

    GB18030 decodes almost any byte string, Big5 included, so when both decode the text is
    given to the one whose characters are the common ones of its own character set.
    """
    if encoding:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            raise DocumentError(f"{path}: not valid {encoding} at byte {exc.start}") from None
    if b"\0" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DocumentError(f"{path}: a binary file, not text")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError as exc:
                raise DocumentError(f"{path}: not valid {codec} at byte {exc.start}") from None
    candidates = []
    try:
        text = data.decode("utf-8")
        # A short GB18030 text can be valid UTF-8 too (学校 reads as ѧУ): trust UTF-8 only
        # when what it decodes to looks like Chinese.
        if _chinese_share(text) >= 0.5:
            return text, "utf-8"
        candidates.append((0.0, "utf-8", text))
    except UnicodeDecodeError:
        pass
    for codec in ("gb18030", "big5"):
        try:
            candidates.append((_common_share(text := data.decode(codec), codec), codec, text))
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise DocumentError(f"{path}: cannot decode as UTF-8, GB18030 or Big5; try --encoding")
    _, codec, text = max(candidates, key=lambda c: (c[0], c[1] == "gb18030"))
    return text, codec


# Non-ASCII characters that are not Chinese: not Han, CJK or full-width punctuation, nor the
# quotes and dashes Chinese text uses. They are few in Chinese text, so counting them is cheap.
_NOT_CHINESE = regex.compile(r"[^\x00-\x7f\p{Han}\u3000-\u303f\uff00-\uffef\u2010-\u2027\u00b7]")


def _chinese_share(text: str, sample: int = 4096) -> float:
    """Share of Chinese among the non-ASCII characters of the text's first `sample` characters."""
    head = text[:sample]
    wide = len(head) - len(head.encode("ascii", "ignore"))
    if not wide:
        return 1.0
    return 1 - len(_NOT_CHINESE.findall(head)) / wide


# The first-level (most common) characters of each set: GB2312 rows B0–D7, Big5 rows A4–C6.
_COMMON_LEAD = {"gb18030": ("gb2312", 0xB0, 0xD7), "big5": ("big5", 0xA4, 0xC6)}


def _common_share(text: str, codec: str) -> float:
    """How much of the non-ASCII text is the common characters of `codec`'s own set."""
    table, low, high = _COMMON_LEAD[codec]
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return 0.0
    common = 0
    for char in wide:
        try:
            lead = char.encode(table)[0]
        except UnicodeEncodeError:
            continue
        common += low <= lead <= high
    return common / len(wide)


def _known(charset: str | None) -> str | None:
    """A declared charset Python knows, read the Chinese way (gbk and gb2312 as gb18030)."""
    if not charset:
        return None
    if charset in ("gbk", "gb2312", "x-gbk", "gb_2312-80"):
        return "gb18030"
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return None


def parse_document(
    text: str, name: str, encoding: str = "utf-8", *, meta: dict | None = None, hints: dict | None = None
) -> Document:
    """Find boilerplate, sentences, headings and metadata in decoded text."""
    boilerplate = find_boilerplate(text)
    found = describe(text, boilerplate)
    merged = replace(
        found,
        **{k: v for k, v in (hints or {}).items() if not getattr(found, k)},
    )
    merged = replace(merged, **(meta or {}))
    return Document(
        name=name,
        text=text,
        encoding=encoding,
        meta=merged,
        sections=find_sections(text, boilerplate),
        sentence_starts=tuple([0] + [m.end() for m in _SENTENCE_END.finditer(text)]),
        boilerplate=boilerplate,
    )


# Web-page furniture and mirror-site spam, one line at a time (seed 002 is such a page).
_FURNITURE_LINE = regex.compile(
    r"当前位置|您的位置|首页\s*[>/»›]|信息索引号|索引号|发文日期|公开日期|发布日期|成文日期|发布机构|发文机关"
    r"|文件编号|公开时限|公开形式|公开方式|公开范围|公开程序|有效期|主题分类|体裁|关键词|文件下载|内容概述"
    r"|显示全部表格信息|字号|浏览次数|阅读次数|访问量|点击数|来源[:：]|分享到|打印本页|关闭窗口|收藏本页"
    r"|版权所有|ICP备|公网安备|网站标识码|主办单位|承办单位|联系我们|网站地图|技术支持|本站支持|繁体版"
    r"|简体版|无障碍|欢迎访问|扫一扫|上一篇|下一篇|【打印】|【关闭】|责任编辑|二维码|关注我们|免责声明|版权声明"
    r"|如有侵权|转载请注明|https?://|www\.|\.com\b"
)
_SPAM_LINE = regex.compile(
    r"娱乐|博彩|彩票|开云|体育官网|百家乐|真人|棋牌|老虎机|澳门|新葡京|威尼斯人|赌|投注|返水|首存|彩金|注册送"
    r"|下载APP|APP下载|官方网站|官网|免费领取|加微信|代理招募",
    regex.I,
)
# A metadata table saved as text puts each value on the line after its label (发文日期 / 2024-04-10).
_META_LABEL = regex.compile(r"(?:信息索引号|索引号|发文日期|公开日期|发布日期|成文日期|文件编号|公开时限|发布机构"
                            r"|公开形式|公开方式|公开范围|有效期|公开程序|主题|体裁|关键词|内容概述)\s*[:：]?\s*$")


def find_boilerplate(text: str) -> tuple[tuple[int, int], ...]:
    """Line spans of page furniture, metadata tables and spam: they yield no rows or headings."""
    spans: list[tuple[int, int]] = []
    offset = 0
    value_line = False
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        short = len(stripped) <= 80
        if stripped and (
            value_line and short
            or short and (_FURNITURE_LINE.search(stripped) or _SPAM_LINE.search(stripped))
        ):
            spans.append((offset, offset + len(line)))
        value_line = bool(_META_LABEL.match(stripped))
        offset += len(line)
    return tuple(spans)


def _years(title: str) -> list[int]:
    return [int(parse_number(year)) for year in _YEAR.findall(title)]


def describe(text: str, boilerplate: tuple[tuple[int, int], ...] = ()) -> Metadata:
    """Region, year, kind, title and date from the first lines of a report."""
    head = text[:3000]
    lines = [line.strip() for line in _lines_outside(head, boilerplate) if line.strip()]
    title = next((line for line in lines if _is_title(line)), lines[0] if lines else "")
    years = _years(title)
    date_match = _DATE.search(head)
    date = f"{date_match[1]}-{int(date_match[2]):02d}-{int(date_match[3]):02d}" if date_match else ""
    year = years[0] if years else (int(date_match[1]) if date_match else None)
    kinds = [kind for kind, words in _KIND_WORDS if words.search(title)]
    if not kinds and regex.search(r"同志们", head):
        kinds = ["speech"]
    kind = "mixed" if {"plan", "summary"} <= set(kinds) else (kinds[0] if kinds else "")
    return Metadata(region=find_region(text), year=year, kind=kind, title=title, date=date)


_PLACE_MENTION = regex.compile(r"(\p{Han}{2})市")
_MIN_MENTIONS = 3


def find_region(text: str) -> str:
    """The issuer if a line names it; else the city the report names most (《无锡市…》 ×6)."""
    for m in _REGION.finditer(text, overlapped=True):
        if not _NOT_A_PLACE.search(m[1]):
            return m[1] + m[2]
    counts = Counter(m[1] for m in _PLACE_MENTION.finditer(text) if not _NOT_A_PLACE.search(m[1]))
    if counts:
        name, mentions = max(counts.items(), key=lambda item: (item[1], item[0]))
        if mentions >= _MIN_MENTIONS:
            return name + "市"
    return ""


def _is_title(line: str) -> bool:
    return len(line) <= 60 and bool(
        regex.search(r"总结|计划|要点|完成情况|报告|讲话|工作会议", line)
    ) and not line.startswith(("关于", "现将", "附件"))


def _lines_outside(text: str, boilerplate: tuple[tuple[int, int], ...]) -> list[str]:
    skipped = {start for start, _ in boilerplate}
    lines, offset = [], 0
    for line in text.splitlines(keepends=True):
        if offset not in skipped:
            lines.append(line)
        offset += len(line)
    return lines


def find_sections(text: str, boilerplate: tuple[tuple[int, int], ...] = ()) -> tuple[Section, ...]:
    """Headings in reading order; each carries the status and year it sets for its part."""
    sections: list[Section] = []
    stack: list[Section] = []
    skipped = {start for start, _ in boilerplate}
    offset = 0
    for line in text.splitlines(keepends=True):
        heading = None if offset in skipped else _heading(line.strip())
        if heading is not None:
            level, title = heading
            while stack and stack[-1].level >= level:
                stack.pop()
            parent_status = stack[-1].status if stack else None
            parent_year = stack[-1].year if stack else None
            years = _years(title)
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
