"""The clean view of a document, and the map from it back to the original.

Mirror sites gloss characters with pinyin (`學(xué)位 970 個`), spam pages scatter symbols,
flattened PDFs break a figure from its unit. Rules and names read a clean view with that
noise removed and every form folded (full-width, traditional → simplified); the table's
offsets are mapped back, so `text == document[start:end]` holds on the original.
"""

import bisect
from dataclasses import dataclass

import regex

from .numerals import fold


@dataclass(frozen=True)
class CleanView:
    """Clean text as kept pieces of the original: piece i starts at clean[i] and original[i]."""

    text: str
    clean_starts: tuple[int, ...] = (0,)
    original_starts: tuple[int, ...] = (0,)

    def original(self, offset: int) -> int:
        """The original offset of the clean character at `offset` (or of the end, at len(text))."""
        i = bisect.bisect_right(self.clean_starts, offset) - 1
        return self.original_starts[i] + offset - self.clean_starts[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of clean [start, end): from its first character to just after its last."""
        if end <= start:
            return self.original(start), self.original(start)
        return self.original(start), self.original(end - 1) + 1


def clean_view(text: str, noise: regex.Pattern) -> CleanView:
    """Fold every form, then drop what `noise` finds; one pass, linear in the text."""
    folded = fold(text)
    pieces: list[str] = []
    clean_starts, original_starts = [0], [0]
    kept_from = length = 0
    for m in noise.finditer(folded):
        if m.end() == m.start():
            continue
        pieces.append(folded[kept_from:m.start()])
        length += m.start() - kept_from
        kept_from = m.end()
        clean_starts.append(length)
        original_starts.append(kept_from)
    if not pieces:
        return CleanView(folded)
    pieces.append(folded[kept_from:])
    return CleanView("".join(pieces), tuple(clean_starts), tuple(original_starts))
