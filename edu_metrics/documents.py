"""Documents: read and decode files, then find the report's structure and metadata.

A document is its original text and a clean view of it (noise removed, forms folded, see
`cleaning`); its title, issuer, date line, reported period and heading tree are found in
the clean view with the cues of the rule packs. Everything after `read_document` is a pure
function of the decoded text; rows map their offsets back, so `text == document[start:end]`
holds on the original for every row.
"""

import bisect
import codecs
import io
import os
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path
from typing import BinaryIO

import regex

from .cleaning import CleanView, clean_view
from . import kept
from .cues import Cues
from .errors import DocumentError
from .formats import check_docx_size, declared_charset, docx_to_text, html_to_text, pdf_to_text
from .numerals import parse_number
from .rules import builtin_cues

ACTUAL, TARGET = "actual", "target"
SENTENCE_REACH = 500

SENTENCE_ENDS = "。！？!?\n"
_SENTENCE_END = kept.compiled(f"[{SENTENCE_ENDS}]+")
# 2023年, 二〇二三年 as formal titles write it, and a title's bare 2022 before a word (2022市教育局…).
_YEAR = kept.compiled(r"(?<![0-9〇零一二三四五六七八九])(20[0-9]{2}|19[0-9]{2}|二[〇零][〇零一二三四五六七八九]{2})(?=年)")
_TITLE_YEAR = kept.compiled(r"(?<![0-9.])((?:19|20)[0-9]{2})(?![0-9.%])(?!\s*(?:万|亿|千|元|个|人|名|所|项|次))")
_SCHOOL_YEAR = kept.compiled(r"(?<![0-9])((?:19|20)[0-9]{2})\s*[~～\-—–/至]\s*(?:19|20)[0-9]{2}\s*学年")
_PERIOD = kept.compiled(r"(?<![0-9])(?:19|20)[0-9]{2}\s*年?\s*(?:—{1,2}|–|-|~|～|至|到)\s*((?:19|20)[0-9]{2})\s*年(?!度)")
# A year the text gives for itself, not a baseline (较2021年), a target (到2025年) or a span's start.
_OWN_YEAR = kept.compiled(r"(?<![0-9较比与到至—–\-~])((?:19|20)[0-9]{2})年(?!度|以来|前|底前|[—–\-~至到0-9])")
_MASKED_YEAR = kept.compiled(r"(?:20|19)?[xX×*＊]{2}年")
_FILE_SUFFIX = kept.compiled(r"(?i)\.(?:docx?|pdf|wps|txt|html?)$")
# Where a run-in heading can start: after a sentence, or after white space inside a line.
_RUN_IN = kept.compiled(r"(?<=[。；;！？!?])|(?<=\S)\s+(?=\S)")
_RUN_IN_LEVELS = frozenset({0, 1, 2, 4, 5, 6})  # 1、 run into a line is as often a page number
_TITLE_PUNCTUATION = kept.compiled(r"[，,。；;！!？?]")
_HEADING_TEXT = kept.compiled(r"[^。；;：:！？!?\r\n]{1,60}")
_RUN_IN_TEXT = kept.compiled(r"[^。；;：:！？!?，,\r\n]{1,60}")  # a run-in heading ends at its first comma
# A short line with no sentence punctuation stands alone as a heading
# (坚持政治引领，教育系统党的建设持续加强).
_BARE_HEADING = kept.compiled(r"[^。；;：:！？!?\t]{4,40}")  # a table row is no heading
# The issuer: a place name before 市委, 市教育局, 县人民政府 … where a name can stand: at a line
# start, after punctuation, after 中共 or a conjunction (中共无锡市委, 和江阴市委). A masked
# name (*市) gives no region.
_REGION = kept.compiled(
    r"(?m)(?:(?:^|(?<=[^\p{Han}*]|中共|[和与及在对由经据年]))(\p{Han}{2,3}?)([省市县区])"
    r"|(?<=(?:^|[^\p{Han}])\p{Han}{2,3}市)(\p{Han}{2,3}?)([县区]))"  # 深圳市龙华区教育局: the district issues
    r"(?=委|教育|教体局|人民政府|政府)"
)
_TITLE_PLACE = kept.compiled(r"(\p{Han}{2,4}?)[省市县区](?=\p{Han}|[“《])")
_NATION = kept.compiled(r"教育部|全国教育事业发展统计公报|全国(?:教育)?(?:统计)?公报")
_DATE = kept.compiled(r"(20[0-9]{2})\s*[年\-./]\s*([0-9]{1,2})\s*[月\-./]\s*([0-9]{1,2})\s*日?")


@dataclass(frozen=True)
class Metadata:
    """What the document says about itself: who issued it, for which year, what kind.

    `year_source` says what decided the year (title, school year, plan period, date line,
    the text's own years, manifest, path), which `extract -v` prints.
    """

    region: str = ""
    year: int | None = None
    kind: str = ""
    title: str = ""
    date: str = ""
    period: str = ""
    year_source: str = ""


@dataclass(frozen=True)
class Section:
    start: int
    heading: str
    level: int
    status: str | None
    year: int | None
    parents: tuple[str, ...] = ()  # the headings above it, outermost first


@dataclass(frozen=True)
class Document:
    """The original text and its clean view; every offset but a row's is into the clean view."""

    name: str
    text: str
    encoding: str = "utf-8"
    meta: Metadata = field(default_factory=Metadata)
    sections: tuple[Section, ...] = ()
    sentence_starts: tuple[int, ...] = (0,)
    boilerplate: tuple[tuple[int, int], ...] = ()
    view: CleanView | None = field(default=None, repr=False, compare=False)
    cues: Cues | None = field(default=None, repr=False, compare=False)

    @property
    def clean(self) -> str:
        """The clean view: noise removed, full-width and traditional forms folded."""
        return self.view.text if self.view is not None else self.text

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that clean [start, end) was made from."""
        return self.view.span(start, end) if self.view is not None else (start, end)

    def original_text(self, start: int, end: int) -> str:
        first, last = self.original_span(start, end)
        return self.text[first:last]

    def sentence_at(self, offset: int) -> tuple[int, int]:
        """The span of the sentence holding `offset`, without its end punctuation.

        A "sentence" reaches at most SENTENCE_REACH characters either side of the offset, so a
        100 MB line without punctuation costs the same per quantity as a report does.
        """
        i = bisect.bisect_right(self.sentence_starts, offset) - 1
        start = max(self.sentence_starts[i], offset - SENTENCE_REACH)
        m = _SENTENCE_END.search(self.clean, offset, offset + SENTENCE_REACH)
        end = m.start() if m else min(len(self.clean), offset + SENTENCE_REACH)
        return start, end

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
    path: str | os.PathLike, name: str | None = None, *, encoding: str | None = None,
    meta: dict | None = None, hints: dict | None = None, cues: Cues | None = None, data: bytes | None = None,
) -> Document:
    """Read, decode and convert one file; `name` is what the table's `doc` column shows.

    `meta` (from a manifest) overrides what the text says; `hints` (from the path) fill in
    only what the text leaves open. `data`, when given, is the file's content (standard input).
    """
    path = Path(path)
    text, used = read_text(path, encoding, data)
    return parse_document(text, name or path.name, used, meta=meta, hints=hints, cues=cues)


def read_text(path: Path, encoding: str | None = None, data: bytes | None = None) -> tuple[str, str]:
    """The text of one file and how it was read (its encoding, or the format it was converted from)."""
    reader = READERS.get(path.suffix.lower(), "text")
    if reader in ("docx", "pdf"):
        text, used = _container_text(reader, path, data), reader
    else:
        if data is None:
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise _unreadable(path, exc) from exc
        forced, note = page_encoding(data, encoding) if reader == "html" else (encoding, "")
        text, used = decode(data, path, forced)
        text, used = (html_to_text(text) if reader == "html" else text), used + note
    if not text.strip():
        raise DocumentError(f"{path}: the document is empty")
    return text, used


def open_document(path: Path) -> BinaryIO:
    """The file opened for reading, or one line saying why it cannot be."""
    try:
        return path.open("rb")
    except OSError as exc:
        raise _unreadable(path, exc) from exc


def _unreadable(path: Path, exc: OSError) -> DocumentError:
    return DocumentError(f"{path}: cannot read: {exc.strerror or exc}")


def _container_text(reader: str, path: Path, data: bytes | None) -> str:
    """A .docx or .pdf read from the file itself (they seek; their bytes are never all held)."""
    convert = docx_to_text if reader == "docx" else pdf_to_text
    if data is not None:
        return convert(io.BytesIO(data), path)
    with open_document(path) as stream:
        if reader == "docx":
            check_docx_size(os.fstat(stream.fileno()).st_size, path)
        return convert(stream, path)


_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes, path: Path | str, encoding: str | None = None) -> tuple[str, str]:
    """Bytes to text: `encoding` if given, else BOM, strict UTF-8, then GB18030 or Big5.

    GB18030 decodes almost any byte string, Big5 included, so when both decode the text is
    given to the one whose characters are the common ones of its own character set.
    """
    if encoding:
        if not is_text_encoding(encoding):
            raise DocumentError(f"{path}: '{encoding}' is not a text encoding")
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            raise DocumentError(f"{path}: not valid {encoding} at byte {exc.start}") from None
    if b"\0" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if codec := _utf16_without_bom(data):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                raise DocumentError(f"{path}: UTF-16 without a BOM? not valid {codec}; try --encoding utf-16le") from None
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


def _utf16_without_bom(data: bytes, sample: int = 4096) -> str | None:
    """utf-16-le or -be when the NULs of the sample fall on one parity, as ASCII and most
    Chinese text in UTF-16 put them; a binary file scatters them."""
    head = data[:sample - sample % 2]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if len(head) < 4 or even + odd < 4:
        return None
    if odd > 4 * even and _decodes(head, "utf-16-le"):
        return "utf-16-le"
    if even > 4 * odd and _decodes(head, "utf-16-be"):
        return "utf-16-be"
    return None


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


# Non-ASCII characters that are not Chinese: not Han, CJK or full-width punctuation, nor the
# quotes and dashes Chinese text uses. They are few in Chinese text, so counting them is cheap.
_NOT_CHINESE = kept.compiled(r"[^\x00-\x7f\p{Han}\u3000-\u303f\uff00-\uffef\u2010-\u2027\u00b7]")


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


def page_encoding(head: bytes, encoding: str | None) -> tuple[str | None, str]:
    """The encoding to read a page in (None: detect it), and what `-v` adds about its meta charset."""
    declared = declared_charset(head)
    if encoding or _known(declared):
        return encoding or _known(declared), ""
    return None, f" (its meta charset '{declared}' is no text encoding: detected instead)" if declared else ""


def _known(charset: str | None) -> str | None:
    """A declared charset Python knows as a text encoding, read the Chinese way (gbk and gb2312
    as gb18030). A bogus one (rot-13, base64, or none at all) is ignored: the bytes are detected."""
    if not charset:
        return None
    if charset in ("gbk", "gb2312", "x-gbk", "gb_2312-80"):
        return "gb18030"
    return charset if is_text_encoding(charset) else None


def is_text_encoding(name: str) -> bool:
    """True for a codec that turns bytes into text (not rot-13, base64, zlib, hex or uu)."""
    try:
        info = codecs.lookup(name)
        b"text".decode(name)  # 'undefined' is a text codec that decodes nothing
    except LookupError:
        return False
    except UnicodeDecodeError:
        return getattr(info, "_is_text_encoding", True)  # utf-16 and friends cannot read 4 ASCII bytes: fine
    except (UnicodeError, TypeError):
        return False
    return getattr(info, "_is_text_encoding", True)


def parse_document(
    text: str, name: str, encoding: str = "utf-8", *, meta: dict | None = None, hints: dict | None = None,
    cues: Cues | None = None,
) -> Document:
    """Clean the text, then find its boilerplate, sentences, headings and metadata.

    `meta` (from a manifest) overrides what the text says; `hints` (from the path) fill in
    only what the text leaves open, spelled as the text spells the place (无锡 → 无锡市).
    """
    cues = cues if cues is not None else builtin_cues()
    view = clean_view(text, cues["noise"])
    clean = view.text
    boilerplate = find_boilerplate(clean, cues)
    sections = find_sections(clean, boilerplate, cues)
    found = describe(clean, boilerplate, cues)
    hinted = {k: v for k, v in (hints or {}).items() if not getattr(found, k)}
    if hinted.get("region"):
        hinted["region"] = spelled_as_in(hinted["region"], clean)
    if "year" in hinted:
        hinted["year_source"] = "path"
    merged = replace(found, **hinted)
    if meta:
        merged = replace(merged, **({"year_source": "manifest"} if "year" in meta else {}) | meta)
    return Document(
        name=name,
        text=text,
        encoding=encoding,
        meta=merged,
        sections=sections,
        sentence_starts=tuple([0] + [m.end() for m in _SENTENCE_END.finditer(clean)]),
        boilerplate=boilerplate,
        view=view,
        cues=cues,
    )


_SHORT_LINE = 80


def find_boilerplate(text: str, cues: Cues | None = None) -> tuple[tuple[int, int], ...]:
    """Line spans of page furniture, metadata tables and spam: they yield no rows or headings."""
    cues = cues if cues is not None else builtin_cues()
    furniture, spam, label = cues["furniture"], cues["spam"], cues["meta-label"]
    spans: list[tuple[int, int]] = []
    offset = 0
    value_line = False
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        short = len(stripped) <= _SHORT_LINE
        if stripped and (value_line and short or short and (furniture.search(stripped) or spam.search(stripped))):
            spans.append((offset, offset + len(line)))
        value_line = bool(label.search(stripped))
        offset += len(line)
    return tuple(spans)


_HEAD = 3000  # the title, issuer and date line stand in a report's first lines


def describe(text: str, boilerplate: tuple[tuple[int, int], ...] = (), cues: Cues | None = None) -> Metadata:
    """Region, year, kind, title, date and period from the first lines of a (clean) report."""
    cues = cues if cues is not None else builtin_cues()
    head = text[:_HEAD]
    lines = [line.strip() for line in _lines_outside(head, boilerplate) if line.strip()]
    title = _title(lines, cues)
    date_match = _DATE.search(head)
    date = f"{date_match[1]}-{int(date_match[2]):02d}-{int(date_match[3]):02d}" if date_match else ""
    period = _period(title, cues)
    year, source = report_year(title, period, "\n".join(lines), date, text)
    kinds = [cue.value for cue in cues.of("kind") if cue.compiled.search(title)]
    if not kinds and cues["speech"].search(head):
        kinds = ["speech"]
    kind = "mixed" if {"plan", "summary"} <= set(kinds) else (kinds[0] if kinds else "")
    return Metadata(
        region=find_region(text, title, cues), year=year, kind=kind, title=title, date=date,
        period=period, year_source=source,
    )


_BODY_LINES = 3  # a notice that forwards a report has two paragraphs before the report's own title


def _title(lines: list[str], cues: Cues) -> str:
    """The first line of the top that reads as a title: title words, no sentence punctuation.

    The top ends after a few lines of body text, so a heading further down (招生计划与升学率)
    is no title. A file name's suffix is dropped (2022…总结报告.doc). "" when no line reads as
    a title: a date line or a news lead gives no year or kind.
    """
    body = 0
    for line in lines:
        line = _FILE_SUFFIX.sub("", line)
        if len(line) <= 60 and cues["title"].search(line) and not cues["not-title"].search(line) \
                and not _TITLE_PUNCTUATION.search(line):
            return line
        body += line.endswith("。")
        if body >= _BODY_LINES:
            return ""
    return ""


def _period(title: str, cues: Cues) -> str:
    """The plan period the title names: 2021—2025年, or 十四五 by the packs' `period` cues."""
    if m := _PERIOD.search(title):
        first = regex.search(r"(?:19|20)[0-9]{2}", m[0])[0]
        return f"{first}-{m[1]}"
    return next((cue.value for cue in cues.of("period") if cue.compiled.search(title)), "")


def report_year(title: str, period: str, head: str, date: str, text: str) -> tuple[int | None, str]:
    """The year a report is about, and what said so.

    In this order: the title's school year (its first year) or year; the plan period the
    title names (its last year); a school year stated near the top; the date line — unless
    the text's own years all lie more than a year before it, as when a mirror reposts old
    news; the text's own most frequent year. A masked year (20xx) decides nothing.
    """
    if m := _SCHOOL_YEAR.search(title):
        return int(m[1]), "school year in the title"
    if not period and (years := _title_years(title)):
        return years[0], "title"
    if period:
        return int(period[-4:]), "plan period in the title"
    if m := _SCHOOL_YEAR.search(head):
        return int(m[1]), "school year near the top"
    own = Counter(int(y) for y in _OWN_YEAR.findall(text))
    if date:
        dated = int(date[:4])
        if own and dated - max(own) > 1:
            return _most_frequent(own), "the text's own years (the date line is a later repost)"
        return dated, "date line"
    if own:
        return _most_frequent(own), "the text's own years"
    return None, ""


def _most_frequent(years: Counter) -> int:
    return max(years.items(), key=lambda item: (item[1], item[0]))[0]


def _title_years(title: str) -> list[int]:
    """Years in a title: 2023年, 二〇二三年, and a bare 2022 before a word (2022市教育局…)."""
    years = [int(parse_number(year)) for year in _YEAR.findall(title)]
    return years or [int(year) for year in _TITLE_YEAR.findall(title)]


_PLACE_MENTION = kept.compiled(r"(\p{Han}{2})市")
_MIN_MENTIONS = 3


def find_region(text: str, title: str = "", cues: Cues | None = None) -> str:
    """The issuer, spelled as the text spells it most; 全国 for the ministry; the place a title opens
    with; else the city the text names most."""
    cues = cues if cues is not None else builtin_cues()
    not_a_place = cues["not-place"]
    if _NATION.search(title):
        return "全国"
    for m in _REGION.finditer(text, overlapped=True):
        name, suffix = (m[1], m[2]) if m[1] else (m[3], m[4])
        if not not_a_place.search(name):
            return _best_spelling(name, suffix, text, not_a_place)
    if (m := _TITLE_PLACE.match(title)) and not not_a_place.search(m[1]):
        return m[0]  # 某县“十四五”教育发展规划: a title opens with its issuer
    counts = Counter(m[1] for m in _PLACE_MENTION.finditer(text) if not not_a_place.search(m[1]))
    if counts:
        name, mentions = max(counts.items(), key=lambda item: (item[1], item[0]))
        if mentions >= _MIN_MENTIONS:
            return name + "市"
    return ""


def _best_spelling(name: str, suffix: str, text: str, not_a_place: regex.Pattern) -> str:
    """初惠州市 after 学年 is 惠州市: of a name and its tails, the one the text writes most often."""
    tails = [name[i:] for i in range(len(name) - 1) if not not_a_place.search(name[i:])]
    return max(tails, key=lambda tail: (text.count(tail + suffix), -len(tail)), default=name) + suffix


def spelled_as_in(place: str, text: str) -> str:
    """A place from a path (无锡) as the text writes it with its suffix (无锡市), if it does."""
    if place.endswith(("省", "市", "县", "区")):
        return place
    counts = Counter(m[0] for m in regex.finditer(regex.escape(place) + r"[省市县区]", text))
    return max(counts.items(), key=lambda item: (item[1], item[0]))[0] if counts else place


def _lines_outside(text: str, boilerplate: tuple[tuple[int, int], ...]) -> list[str]:
    skipped = {start for start, _ in boilerplate}
    lines, offset = [], 0
    for line in text.splitlines(keepends=True):
        if offset not in skipped:
            lines.append(line)
        offset += len(line)
    return lines


def find_sections(text: str, boilerplate: tuple[tuple[int, int], ...] = (), cues: Cues | None = None) -> tuple[Section, ...]:
    """Headings in reading order, on their own lines or run in; each carries its part's status and year."""
    cues = cues if cues is not None else builtin_cues()
    markers = [(cue.level, cue.compiled) for cue in cues.of("heading")]
    run_in = _run_in_finder(tuple(cue.pattern for cue in cues.of("heading") if cue.level in _RUN_IN_LEVELS))
    sections: list[Section] = []
    stack: list[Section] = []
    skipped = {start for start, _ in boilerplate}
    offset = 0
    for line in text.splitlines(keepends=True):
        if offset not in skipped:
            for start, level, title in _headings(line, markers, run_in, cues):
                while stack and stack[-1].level >= level:
                    stack.pop()
                parent = stack[-1] if stack else None
                years = _years(title)
                section = Section(
                    start=offset + start,
                    heading=title,
                    level=level,
                    status=status_of_heading(title, cues) or (parent.status if parent else None),
                    year=years[0] if years else (parent.year if parent else None),
                    parents=(*parent.parents, parent.heading) if parent else (),
                )
                stack.append(section)
                sections.append(section)
        offset += len(line)
    return tuple(sections)


def _years(title: str) -> list[int]:
    return [int(parse_number(year)) for year in _YEAR.findall(title)]


@cache
def _run_in_finder(patterns: tuple[str, ...]) -> regex.Pattern:
    """Where a heading may run in: after a sentence or a space, and before a run-in marker."""
    markers = "|".join(f"(?:{pattern})" for pattern in patterns) or "(?!)"
    return kept.compiled(f"(?:{_RUN_IN.pattern})(?={markers})")


def _headings(
    line: str, markers: list[tuple[int, regex.Pattern]], run_in: regex.Pattern, cues: Cues
) -> list[tuple[int, int, str]]:
    """(start, level, title) of each heading in one line: at its start, and run in after it."""
    indent = len(line) - len(line.lstrip())
    found = []
    for position in [indent] + [m.end() for m in run_in.finditer(line, indent)]:
        for level, marker in markers:
            if position > indent and level not in _RUN_IN_LEVELS:
                continue
            if m := marker.match(line, position):
                found.append((position, level, m.end()))
                break
    if not found:
        stripped = line.strip()
        if _BARE_HEADING.fullmatch(stripped) and not cues["not-heading"].search(stripped):
            return [(indent, 1, stripped)]
        return []
    headings = []
    for (start, level, text_start), following in zip(found, [*found[1:], None]):
        end = following[0] if following else len(line)
        title = (_RUN_IN_TEXT if start > indent else _HEADING_TEXT).match(line, text_start, end)
        if title and title[0].strip():
            headings.append((start, level, title[0].strip()))
    return headings


def status_of_heading(heading: str, cues: Cues) -> str | None:
    """`actual` under a review heading, `target` under a plan heading, else None."""
    if cues["review"].search(heading):
        return ACTUAL
    if cues["plan"].search(heading):
        return TARGET
    return None
