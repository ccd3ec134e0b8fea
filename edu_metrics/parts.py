"""Files too big to hold at once: read in parts of whole lines, their rows written part by part.

A text file, a page or a PDF is read part by part (a PDF a page at a time), so memory follows
the part, not the file: a 1 GB report costs what a few MB do. A big .docx is converted whole
(within its limits), then its text is parsed and its rows written part by part. A part after the first begins with the headings open where the part
before it ended, so a figure under `二、学前教育` keeps its scope across the cut; the report's
year, place, kind and title are the first part's. Rows keep the whole file's offsets, so
`text == document[start:end]` still holds.
"""

import codecs
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from .cues import Cues
from .documents import Document, decode, open_document, page_encoding, parse_document
from .errors import DocumentError
from .extract import Quantity
from .formats import PageReader, pdf_pages

# A text file larger than this is read in parts (a real report is well under 1 MB).
PARTED_BYTES = 8 * 2**20
PART_CHARS = 500_000
_BLOCK_BYTES = 2**20
# Where a part may end when its last lines are long: after a sentence, then a clause, then
# anywhere but inside a figure.
_ENDS = ("\n", "。！？!?", "；;，,、 \t")
_HEADING_REACH = 100
_NUMERAL = frozenset("0123456789０１２３４５６７８９.．%％零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億")


def is_parted(path: Path, data: bytes | None) -> bool:
    """Whether a file is big enough to be read in parts (standard input is held whole)."""
    if data is not None:
        return False
    try:
        return path.stat().st_size > PARTED_BYTES
    except OSError:
        return False  # read_document says why it cannot be read


def text_parts(path: Path, encoding: str | None = None, page: bool = False) -> Iterator[tuple[str, str]]:
    """(text, encoding) of each part of a text file or, with `page`, of a page's visible text,
    cut at a line end near PART_CHARS characters. The file is read and converted a block at a time."""
    return _parted(_read(path, encoding, page))


def pdf_parts(path: Path) -> Iterator[tuple[str, str]]:
    """(text, "pdf") of each part of a PDF's text layer, read a page at a time."""
    with open_document(path) as stream:
        layered = False
        for text, how in _parted((page, "pdf") for page in pdf_pages(stream, path)):
            layered = layered or bool(text.strip())
            yield text, how
        if not layered:
            raise DocumentError(f"{path}: the PDF has no text layer (a scan?); run OCR first")


def _parted(pieces: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    pending, used = "", ""
    for text, used in pieces:
        pending += text
        while len(pending) >= PART_CHARS:
            cut = _cut(pending, PART_CHARS)
            yield pending[:cut], used
            pending = pending[cut:]
    if pending:
        yield pending, used


def _read(path: Path, encoding: str | None, page: bool) -> Iterator[tuple[str, str]]:
    """The file's text a block at a time (a page's visible text as its lines complete), and how
    it was read."""
    with open_document(path) as stream:
        head = stream.read(_BLOCK_BYTES)
        forced, note = page_encoding(head, encoding) if page else (encoding, "")
        codec = _detected(head, path, forced)
        decoder = codecs.getincrementaldecoder(codec)("strict")
        reader = PageReader() if page else None
        consumed, block = 0, head
        while True:
            held = len(decoder.getstate()[0])  # the start of a character the last block cut
            try:
                text = decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                raise DocumentError(f"{path}: not valid {codec} at byte {consumed - held + exc.start}") from None
            consumed += len(block)
            yield (reader.feed(text) if reader else text), codec + note
            if not block:
                break
            block = stream.read(_BLOCK_BYTES)
        if reader:
            yield reader.close(), codec + note


def _detected(head: bytes, path: Path, encoding: str | None) -> str:
    """The codec of the whole file, told from its first block cut at a line end (so a character
    cut by the block does not turn UTF-8 into GB18030)."""
    line_end = head.rfind(b"\n")
    sample = head[:line_end + 1] if line_end > len(head) // 2 else head
    problem: DocumentError | None = None
    for trim in range(4):  # the block may also end inside a character (a UTF-16 pair: 4 bytes)
        try:
            return decode(sample[:len(sample) - trim], path, encoding)[1]
        except DocumentError as exc:
            problem = problem or exc
    assert problem is not None
    raise problem


def _cut(text: str, size: int) -> int:
    """Where a part of about `size` characters ends: after the last line end in its second half,
    else after a sentence or clause end, else at the first character that is no numeral."""
    low = size // 2
    for ends in _ENDS:
        cut = max(text.rfind(end, low, size) for end in ends)
        if cut >= 0:
            return cut + 1
    cut = size
    while cut < len(text) and (text[cut - 1] in _NUMERAL or text[cut] in _NUMERAL):
        cut += 1
    return cut


def text_pieces(text: str, codec: str) -> Iterator[tuple[str, str]]:
    """(text, encoding) of each part of a text already in memory (a converted document)."""
    return _parted([(text, codec)])


def parted_documents(
    pieces: Iterable[tuple[str, str]], path: Path, name: str, *, meta: dict | None = None,
    hints: dict | None = None, cues: Cues | None = None,
) -> Iterator[tuple[Document, int, int]]:
    """(document, offset, lead) per part: the part parsed with the headings open before it
    (`lead` characters of them at its start), and where the part starts in the whole file."""
    offset, lead_text, described = 0, "", None
    for text, codec in pieces:
        if not text.strip():
            offset += len(text)  # nothing to read in it (and a file of nothing else is empty)
            continue
        document = parse_document(
            lead_text + text, name, codec, meta=described or meta, hints=None if described else hints, cues=cues,
        )
        if described is None:
            described = {**vars(document.meta), **(meta or {})}
        yield document, offset - len(lead_text), len(lead_text)
        offset += len(text)
        lead_text = _open_headings(document)
    if described is None:
        raise DocumentError(f"{path}: the document is empty")


def _open_headings(document: Document) -> str:
    """The heading lines still open at the end of a part, outermost first, as the text wrote
    them (with their numbering, which makes them headings)."""
    chain = []
    for section in reversed(document.sections):
        if not chain or section.level < chain[-1].level:
            chain.append(section)
    clean = document.clean
    lines = []
    for section in reversed(chain):
        end = clean.find("\n", section.start, section.start + _HEADING_REACH)
        lines.append(clean[section.start:end if end >= 0 else section.start + _HEADING_REACH].strip() + "\n")
    return "".join(lines)


def shifted(quantity: Quantity, offset: int) -> Quantity:
    """A row of a part with the whole file's offsets."""
    return replace(quantity, start=quantity.start + offset, end=quantity.end + offset)
