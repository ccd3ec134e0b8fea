"""The `edu-metrics` command: parses options, calls the library, maps errors to exit codes.

Exit codes: 0 all good; 1 some documents failed (the table still holds every good row);
2 usage, input or rule-pack error. stdout carries data only; messages go to stderr.
"""

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console

from .errors import EduMetricsError, OutputError
from .pipeline import Outcome, extract_paths
from .rules import load_rules
from .table import FORMATS, TableWriter, format_for

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)

RulesOption = Annotated[
    list[Path],
    typer.Option("--rules", help="A rule pack (.toml) or a folder of packs, added to the built-in ones. Repeatable."),
]


@app.callback()
def main_callback() -> None:
    """Extract quantitative indicators from Chinese education reports into a tidy table."""


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Report files or folders (searched recursively).")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the table here; the format follows the extension.")
    ] = None,
    fmt: Annotated[str | None, typer.Option("--format", help=f"Table format: {', '.join(FORMATS)} (default csv).")] = None,
    rules: RulesOption = [],
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="Decode every text file with this encoding (e.g. gb18030, big5).")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Report each document's encoding and metadata on stderr.")] = False,
) -> None:
    """Extract every quantity from PATHS into one table (CSV on stdout by default)."""
    try:
        loaded = load_rules(rules)
        fmt = fmt or (format_for(output) if output else "csv")
        outcomes = extract_paths(paths, loaded, encoding=encoding)
        failures = 0
        with _open_output(output) as stream:
            writer = TableWriter(stream, fmt)
            for outcome in outcomes:
                if outcome.error:
                    failures += 1
                    _warn(outcome.error)
                elif verbose:
                    _describe(outcome)
                writer.write(outcome.quantities)
    except EduMetricsError as exc:
        _fail(str(exc))
    if failures:
        raise typer.Exit(EXIT_FAILED)


@contextmanager
def _open_output(output: Path | None) -> Iterator[TextIO]:
    """stdout, or a temporary file beside OUT renamed over it only when all went well."""
    if output is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    folder = output.parent if str(output.parent) else Path(".")
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise OutputError(f"{output}: cannot write: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            yield stream
        os.replace(temp, output)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _describe(outcome: Outcome) -> None:
    meta = outcome.document.meta
    _warn(
        f"{outcome.source.name}: {outcome.document.encoding}, {len(outcome.quantities)} rows, "
        f"region {meta.region or '-'}, year {meta.year or '-'}, kind {meta.kind or '-'}, title {meta.title or '-'}"
    )


def _warn(message: str) -> None:
    stderr.print(f"edu-metrics: {message}", markup=False)


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    _warn(message)
    raise typer.Exit(code)


def main() -> None:
    app()
