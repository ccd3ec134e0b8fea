"""Text out of HTML, DOCX and PDF files.

Rows from these formats carry offsets into the text extracted here, not into the file's
bytes. HTML needs only the standard library; DOCX and PDF need an optional extra, and
without it the user gets one line naming what to install.
"""

import io
import zlib
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import BinaryIO

import regex

from . import kept
from .errors import DocumentError

# Page furniture that never holds report text.
_SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "head", "nav", "header", "footer", "aside",
    "form", "select", "button", "iframe", "svg", "canvas", "object",
})
_BLOCK_TAGS = frozenset({
    "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tfoot", "tr", "section", "article", "main", "blockquote", "pre",
    "hr", "caption", "center",
})
_VOID_TAGS = frozenset({"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "wbr"})
# class or id values of navigation blocks on government sites (导航, 面包屑, 分享, 页脚).
_FURNITURE = kept.compiled(r"(?i)nav|menu|breadcrumb|crumb|position|footer|header|share|toolbar|sidebar|topbar")


class _TextCollector(HTMLParser):
    """Collects visible text: blocks become lines, table cells are tab-separated in one line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []
        self.line_ended = False  # since the last take: a page's lines are only where blocks end

    def _end_line(self) -> None:
        self.parts.append("\n")
        self.line_ended = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_TAGS:
            if tag == "br" and not self.skipping:
                self._end_line()
            return
        marker = " ".join(v or "" for k, v in attrs if k in ("class", "id"))
        if self.skipping or tag in _SKIP_TAGS or _FURNITURE.search(marker):
            self.skipping.append(tag)
            return
        if tag in _BLOCK_TAGS:
            self._end_line()
        elif tag in ("td", "th"):
            self.parts.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag in _BLOCK_TAGS:
            self._end_line()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(regex.sub(r"[\r\n]+", " ", data) if data.strip() else data.replace("\n", " "))

    def take(self, final: bool = False) -> str:
        """The lines completed so far (all of them when `final`): stripped, blank ones dropped."""
        if not (final or self.line_ended):
            return ""  # nothing completed: the pieces are not joined again for nothing
        self.line_ended = False
        pending = "".join(self.parts)
        end = len(pending) if final else pending.rfind("\n") + 1
        self.parts = [pending[end:]] if end < len(pending) else []
        stripped = (line.strip(" \t\u3000\xa0") for line in pending[:end].split("\n"))
        return "".join(f"{line}\n" for line in stripped if line)


# A `<` that no `>` closes before the next `<` opens no tag: html.parser rescans from each such
# one to the end of the page, so a page of `<a<a<a…` costs time quadratic in its length.
_UNCLOSED = kept.compiled(r"<(?![^<>]*>)")
# A page fed in pieces is cut before its last tag, so the parser sees each tag and each text
# whole; after this much text without one, the text so far is fed anyway.
_HELD_REACH = 2**16


class PageReader:
    """A page fed in pieces, its text given back as its lines complete: the same text, piece by
    piece, as `html_to_text` gives for the whole page, so a page of any size streams."""

    def __init__(self) -> None:
        self._collector = _TextCollector()
        self._held = ""

    def feed(self, html: str) -> str:
        html = self._held + html
        # A `<` is decided once a `<` or `>` follows it; a last one with no `>` after it waits.
        last = html.rfind("<")
        undecided = last if last >= 0 and ">" not in html[last:] else len(html)
        if len(html) - undecided >= _HELD_REACH:
            undecided = len(html)  # a "tag" longer than that is text (read whole, only a `>` would differ)
        decided = _UNCLOSED.sub("&lt;", html[:undecided])
        # Fed up to the last tag that opens, so no text is cut where the whole page has none.
        cut = decided.rfind("<")
        if cut < 0:
            cut = 0 if len(html) < _HELD_REACH else len(decided)
        self._held = decided[cut:] + html[undecided:]
        self._collector.feed(decided[:cut])
        return self._collector.take()

    def close(self) -> str:
        self._collector.feed(_UNCLOSED.sub("&lt;", self._held))
        self._held = ""
        self._collector.close()
        return self._collector.take(final=True)


def html_to_text(html: str) -> str:
    """The visible text of a page; scripts, styles and navigation dropped, tables kept by row."""
    reader = PageReader()
    return reader.feed(html) + reader.close()


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its <meta> tag, if any."""
    m = regex.search(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", data[:4096], regex.I)
    return m[1].decode("ascii").lower() if m else None


# A .docx is a zip: its XML is read only up to these bounds, so a compression bomb costs
# nothing. A real report's document.xml is a few MB.
DOCX_MAX_XML = 50 * 2**20
DOCX_MAX_RATIO = 200
# python-docx holds every part of the archive (images too), so a bigger one is refused.
DOCX_MAX_ARCHIVE = 256 * 2**20


def docx_to_text(source: BinaryIO, path: object, max_xml: int = DOCX_MAX_XML) -> str:
    """Paragraphs and tables in reading order; each table row one tab-separated line.

    The archive is checked before parsing: declared and actual sizes of its XML within
    `max_xml`, no member compressed more than DOCX_MAX_RATIO times. Table rows are read from
    their cells' text directly, so a forged `gridSpan` or `vMerge` cannot make the walk explode.
    """
    try:
        import docx
        from docx.oxml.ns import qn
        from docx.text.paragraph import Paragraph
    except ImportError:
        raise DocumentError(f"{path}: reading .docx needs the docx extra: pip install 'edu-metrics[docx]'") from None
    _check_archive(source, path, max_xml)
    try:
        source.seek(0)
        document = docx.Document(source)
        lines = []
        for child in document.element.body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.append(Paragraph(child, document).text)
            elif tag == "tbl":
                for row in child.iter(qn("w:tr")):
                    cells = row.findall(qn("w:tc"))
                    lines.append("\t".join("".join(t.text or "" for t in cell.iter(qn("w:t"))).strip() for cell in cells))
    except DocumentError:
        raise
    except Exception as exc:  # python-docx and lxml raise many types for a damaged file
        raise DocumentError(f"{path}: not a readable .docx file ({type(exc).__name__})") from None
    return "\n".join(lines) + "\n"


def check_docx_size(size: int, path: object) -> None:
    """A .docx (packed or unpacked) over DOCX_MAX_ARCHIVE is refused before it is read."""
    if size > DOCX_MAX_ARCHIVE:
        raise DocumentError(f"{path}: the .docx holds {size:,} bytes (limit {DOCX_MAX_ARCHIVE:,}): refused; save it as PDF or text")


def _check_archive(source: BinaryIO, path: object, max_xml: int) -> None:
    """Refuse a zip whose XML would inflate past `max_xml`, or any of whose members is inflated
    more than DOCX_MAX_RATIO times, before anything is parsed."""
    import zipfile

    try:
        archive = zipfile.ZipFile(source)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise DocumentError(f"{path}: not a readable .docx file ({type(exc).__name__})") from None
    check_docx_size(sum(member.file_size for member in members), path)
    xml = [member for member in members if member.filename.endswith((".xml", ".rels"))]
    declared = sum(member.file_size for member in xml)
    if declared > max_xml:
        raise DocumentError(f"{path}: the .docx would inflate to {declared:,} bytes (limit {max_xml:,}): refused")
    for member in members:
        if member.compress_size and member.file_size > 2**20 and member.file_size / member.compress_size > DOCX_MAX_RATIO:
            raise DocumentError(f"{path}: {member.filename} is compressed {member.file_size // member.compress_size}× (a zip bomb?): refused")
    for member in xml:
        read = 0
        try:
            with archive.open(member) as stream:  # the sizes a zip declares can lie: count what inflates
                while chunk := stream.read(2**20):
                    read += len(chunk)
                    if read > max_xml:
                        raise DocumentError(f"{path}: {member.filename} inflates past {max_xml:,} bytes: refused")
        except DocumentError:
            raise
        except Exception as exc:  # zipfile raises many types for a damaged member
            raise DocumentError(f"{path}: not a readable .docx file ({type(exc).__name__})") from None


# A PDF's compressed streams are measured before pdfminer inflates them whole: one that would
# grow more than the docx ratio to more than this is a compression bomb.
PDF_MAX_STREAM = 16 * 2**20
_STREAM_START = regex.compile(rb"stream\r?\n")
_INFLATE_STEP = 2**20


def pdf_to_text(source: BinaryIO, path: object) -> str:
    """The PDF's text layer; a scanned PDF without one is a failure, not an empty document."""
    text = "".join(pdf_pages(source, path))
    if not text.strip():
        raise DocumentError(f"{path}: the PDF has no text layer (a scan?); run OCR first")
    return text


def pdf_pages(source: BinaryIO, path: object) -> Iterator[str]:
    """The text layer page by page, as pdfminer's extract_text writes it (page breaks as line
    ends), read from the file as the pages need it: a PDF of any size costs a page at a time."""
    try:
        from pdfminer.converter import TextConverter
        from pdfminer.layout import LAParams
        from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
        from pdfminer.pdfpage import PDFPage
    except ImportError:
        raise DocumentError(f"{path}: reading .pdf needs the pdf extra: pip install 'edu-metrics[pdf]'") from None
    _refuse_pdf_bombs(source, path)
    output = io.StringIO()
    try:
        resources = PDFResourceManager(caching=False)  # a cache of every object grows with the file
        interpreter = PDFPageInterpreter(resources, TextConverter(resources, output, laparams=LAParams()))
        for page in PDFPage.get_pages(source, caching=False):
            interpreter.process_page(page)
            yield output.getvalue().replace("\x0c", "\n")
            output.seek(0)
            output.truncate()
    except DocumentError:
        raise
    except Exception as exc:  # pdfminer raises many types for a damaged file
        raise DocumentError(f"{path}: not a readable PDF ({type(exc).__name__})") from None


def _refuse_pdf_bombs(source: BinaryIO, path: object) -> None:
    """Inflate each Flate stream a step at a time, keeping nothing, and stop at the bound; the
    file is searched a block at a time, so its size costs nothing either."""
    overlap = len(b"stream\r\n")
    position, tail = 0, b""
    source.seek(0)
    while block := source.read(_INFLATE_STEP):
        window = tail + block
        for m in _STREAM_START.finditer(window):
            if m.end() > len(tail):  # not found in the block before
                _measure_stream(source, position - len(tail) + m.end(), path)
        tail = window[-overlap:]
        position += len(block)
        source.seek(position)
    source.seek(0)


def _measure_stream(source: BinaryIO, start: int, path: object) -> None:
    inflater = zlib.decompressobj()
    source.seek(start)
    size = packed = 0
    try:
        while size <= PDF_MAX_STREAM and not inflater.eof and (chunk := source.read(_INFLATE_STEP)):
            packed += len(chunk)
            size += len(inflater.decompress(chunk, PDF_MAX_STREAM + 1 - size))
            while inflater.unconsumed_tail and size <= PDF_MAX_STREAM:
                size += len(inflater.decompress(inflater.unconsumed_tail, _INFLATE_STEP))
    except zlib.error:
        return  # not a Flate stream (or encrypted): pdfminer decides
    packed -= len(inflater.unused_data) + len(inflater.unconsumed_tail)
    if size > PDF_MAX_STREAM and size > DOCX_MAX_RATIO * max(packed, 1):
        raise DocumentError(
            f"{path}: a stream of the PDF would inflate to more than {PDF_MAX_STREAM:,} bytes "
            f"from {packed:,} (a compression bomb): refused"
        )
