"""Tables for people: rich output for a terminal, used only when the user asks or is looking."""

from collections.abc import Sequence
from typing import TextIO

_RIGHT = frozenset({"year", "value", "value_max", "start", "end"})
# Control characters of report text or file names (ESC sequences above all) never reach a
# terminal raw: they are shown as Python escapes them.
_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)) if c != 0x09}


def escaped(text: str) -> str:
    return text.translate(_CONTROL)


def print_rows(rows: Sequence[dict[str, str]], columns: Sequence[str], stream: TextIO, title: str | None = None) -> None:
    from rich.console import Console  # only when a table is shown: rich costs 0.04 s to import
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, show_lines=False, header_style="bold")
    for column in columns:
        numeric = column in _RIGHT or column[:4].isdigit()
        table.add_column(column, justify="right" if numeric else "left", overflow="fold")
    for row in rows:
        # Text, not str: a report's [/x] or [bold] is shown as written, never read as markup.
        table.add_row(*(Text(escaped(row.get(column, ""))) for column in columns))
    # On a terminal the table fits the window; in a file or pipe it is as wide as it needs.
    width = None if stream.isatty() else 10_000
    Console(file=stream, width=width, highlight=False, soft_wrap=False).print(table)
