"""Text out of HTML, DOCX and PDF files.

Rows from these formats carry offsets into the text extracted here, not into the file's
bytes. HTML needs only the standard library; DOCX and PDF need an optional extra, and
without it the user gets one line naming what to install.
"""

import io
from html.parser import HTMLParser

import regex

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
_FURNITURE = regex.compile(r"nav|menu|breadcrumb|crumb|position|footer|header|share|toolbar|sidebar|topbar", regex.I)
_BLANK_LINES = regex.compile(r"[ \t\u3000\xa0]*\n(?:[ \t\u3000\xa0]*\n)+")


class _TextCollector(HTMLParser):
    """Collects visible text: blocks become lines, table cells are tab-separated in one line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_TAGS:
            if tag == "br" and not self.skipping:
                self.parts.append("\n")
            return
        marker = " ".join(v or "" for k, v in attrs if k in ("class", "id"))
        if self.skipping or tag in _SKIP_TAGS or _FURNITURE.search(marker):
            self.skipping.append(tag)
            return
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(regex.sub(r"[\r\n]+", " ", data) if data.strip() else data.replace("\n", " "))

    def text(self) -> str:
        lines = "".join(self.parts).split("\n")
        joined = "\n".join(line.strip(" \t\u3000\xa0") for line in lines)
        return _BLANK_LINES.sub("\n", joined).strip("\n") + "\n"


def html_to_text(html: str) -> str:
    """The visible text of a page; scripts, styles and navigation dropped, tables kept by row."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return collector.text()


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its <meta> tag, if any."""
    m = regex.search(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", data[:4096], regex.I)
    return m[1].decode("ascii").lower() if m else None


def docx_to_text(data: bytes, path: object) -> str:
    """Paragraphs and tables in reading order; each table row one tab-separated line."""
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:
        raise DocumentError(f"{path}: reading .docx needs the docx extra: pip install 'edu-metrics[docx]'") from None
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for a damaged file
        raise DocumentError(f"{path}: not a readable .docx file ({type(exc).__name__})") from None
    lines = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                lines.append("\t".join(cell.text.strip() for cell in row.cells))
    return "\n".join(lines) + "\n"


def pdf_to_text(data: bytes, path: object) -> str:
    """The PDF's text layer; a scanned PDF without one is a failure, not an empty document."""
    try:
        from pdfminer.high_level import extract_text
    except ImportError:
        raise DocumentError(f"{path}: reading .pdf needs the pdf extra: pip install 'edu-metrics[pdf]'") from None
    try:
        text = extract_text(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many types for a damaged file
        raise DocumentError(f"{path}: not a readable PDF ({type(exc).__name__})") from None
    if not text.strip():
        raise DocumentError(f"{path}: the PDF has no text layer (a scan?); run OCR first")
    return text.replace("\x0c", "\n")
