"""The `edu-metrics` command: parses options, calls the library, maps errors to exit codes.

Exit codes: 0 all good; 1 some documents failed, a check failed, or a diff found differences;
2 usage, input or rule-pack error; 130 Ctrl-C, 143 SIGTERM, 141 a closed pipe. stdout carries
data only; messages go to stderr.
"""

import glob
import io
import os
import signal
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Annotated

import typer

from .batch import extract_with_dask
from .compare import DEFAULT_BY, compare as compare_tables, diff as diff_tables
from .errors import EduMetricsError, OutputError, WorkerDied
from .filters import RowFilter
from .pipeline import Outcome, check_encoding, collect_sources, extract_sources
from .rules import load_rules
from .documents import parse_document, read_document
from .explain import explain
from .schema import row_schema
from .selftest import run_checks
from .show import escaped, print_rows
from .table import STREAM_FORMATS, TableWriter, cells, format_for, neutralise, read_table, require_extra, write_frame

EXIT_FAILED, EXIT_USAGE = 1, 2
EXIT_INTERRUPTED, EXIT_TERMINATED, EXIT_BROKEN_PIPE = 130, 143, 141


class Terminated(BaseException):
    """SIGTERM, raised where the program is, so cleanup runs as for Ctrl-C."""


class StrictStop(EduMetricsError):
    """--strict: the first failed document ends the run."""


# typer prints an argument's Python type beside it (PATH <list[Path]>) and braces in the usage
# line ({PATH}...); a user needs the name only, as click itself would print it.
typer.core.TyperArgument.display_type_rich = lambda self, ctx: None
typer.core.TyperArgument._usage_display_name = lambda self: self.display_name_raw + ("..." if self.nargs != 1 else "")

app = typer.Typer(
    add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@cache
def _stderr() -> "Console":  # noqa: F821 - rich is imported when a message or a bar is first shown
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


RulesOption = Annotated[
    list[Path],
    typer.Option(
        "--rules", metavar="PACK",
        help="A rule pack (.toml) or a folder of packs, added to the built-in ones. Repeatable.",
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write the table here; the format follows the extension."),
]
IndicatorOption = Annotated[
    list[str], typer.Option("--indicator", metavar="NAME", help="Keep rows of this indicator (a glob with * or ?). Repeatable.")
]
KindOption = Annotated[
    list[str], typer.Option("--kind", metavar="rate|count|amount|change|rank", help="Keep rows of this kind. Repeatable.")
]
YearOption = Annotated[list[str], typer.Option("--year", metavar="YEAR", help="Keep rows of this year. Repeatable.")]
BomOption = Annotated[
    bool, typer.Option("--bom", help="Start CSV (only CSV) with a UTF-8 BOM, for Excel and WPS on Chinese Windows.")
]


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"edu-metrics {version('edu-metrics')}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Extract quantitative indicators from Chinese education reports into a tidy table."""


@app.command()
def extract(
    paths: Annotated[
        list[Path], typer.Argument(
            metavar="PATH", readable=False, help="Report files or folders (searched recursively); - reads stdin."
        )
    ],
    output: OutputOption = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", metavar="csv|jsonl|table|xlsx|parquet",
            help="Output format (default: the -o file's extension; else csv, or table when stdout is a terminal).",
        ),
    ] = None,
    rules: RulesOption = [],
    encoding: Annotated[
        str | None,
        typer.Option("--encoding", metavar="ENC", help="Decode every text file with this encoding (e.g. gb18030, big5)."),
    ] = None,
    bom: BomOption = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Report each document's encoding and metadata on stderr.")
    ] = False,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, metavar="N", help="Worker processes (default: the number of cores).")
    ] = os.cpu_count() or 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary line.")] = False,
    engine: Annotated[
        str, typer.Option("--engine", metavar="local|dask", help="local (a process pool) or dask (a Dask bag; extra 'dask').")
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", metavar="ADDRESS",
            help="With --engine dask: a running Dask scheduler; every worker must read the same paths.",
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Stop at the first document that fails.")] = False,
    include: Annotated[
        list[str], typer.Option("--include", metavar="GLOB", help="In folders, read only files whose path below the folder matches. Repeatable.")
    ] = [],
    exclude: Annotated[
        list[str], typer.Option("--exclude", metavar="GLOB", help="In folders, skip files whose path below the folder matches. Repeatable.")
    ] = [],
    indicator: IndicatorOption = [],
    kind: KindOption = [],
    year: YearOption = [],
    status: Annotated[
        list[str], typer.Option("--status", metavar="actual|target", help="Keep rows of this status. Repeatable.")
    ] = [],
) -> None:
    """Extract every quantity from PATHS into one table (CSV on stdout unless it is a terminal)."""
    with _guarded(output):
        fmt = _output_format(fmt, output, FORMATS)
        require_extra(fmt)
        keep = RowFilter.of(indicator, kind, year, status)
        loaded = load_rules(rules)
        if engine not in ("local", "dask"):
            raise EduMetricsError(f"--engine must be local or dask, not '{engine}'")
        check_encoding(encoding)
        skipped: list[str] = []
        sources = collect_sources(paths, include, exclude, skipped)
        output = _through_links(output)
        if output is not None and any(_same_file(output, source.path) for source in sources):
            raise EduMetricsError(f"{output}: is one of the inputs; write the table elsewhere")
        for item in skipped if verbose or not sources else ():
            _warn(f"skipped {item}")  # with nothing to read, what could not be read is the news
        if not sources:
            _fail(f"no documents to read in {', '.join(map(str, paths))} (.txt, .html, .htm, .docx, .pdf)", EXIT_FAILED)
        if engine == "dask":
            outcomes = extract_with_dask(sources, loaded, encoding, scheduler)
        else:
            outcomes = extract_sources(sources, loaded, encoding=encoding, jobs=jobs)
        # A table on the terminal shows its own progress; a bar beside it would share its lines.
        with _progress(quiet or fmt == "table", len(sources)) as progress:
            summary = _write_outcomes(progress(outcomes), output, fmt, bom, verbose, strict, keep)
        summary.skipped = len(skipped)
    if not quiet:
        _warn(summary.line())
    if summary.failures or summary.skipped:
        raise typer.Exit(EXIT_FAILED)


@app.command()
def compare(
    tables: Annotated[
        list[Path], typer.Argument(
            metavar="TABLE", readable=False, help="Tables written by extract (CSV, JSON lines, xlsx or parquet)."
        )
    ],
    output: OutputOption = None,
    by: Annotated[
        str, typer.Option("--by", metavar="COLUMNS", help="Columns that identify an indicator (with its unit).")
    ] = ",".join(DEFAULT_BY),
    status: Annotated[
        str, typer.Option("--status", metavar="actual|target|all", help="Compare actual figures, targets, or all.")
    ] = "actual",
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", metavar="csv|table|xlsx|parquet",
            help="Output format (default: the -o file's extension; else csv, or table when stdout is a terminal).",
        ),
    ] = None,
    bom: BomOption = False,
    indicator: IndicatorOption = [],
    kind: KindOption = [],
    year: YearOption = [],
) -> None:
    """Line up each indicator year by year, with the latest change and the change the reports state."""
    with _guarded(output):
        if status not in ("actual", "target", "all"):
            raise EduMetricsError(f"--status must be actual, target or all, not '{status}'")
        fmt = _output_format(fmt, output, COMPARE_FORMATS)
        keep = RowFilter.of(indicator, kind, year)
        import pandas as pd

        frame = pd.concat([read_table(path) for path in tables], ignore_index=True)
        if keep:
            frame = frame[[keep.accepts(*cells) for cells in zip(
                frame["indicator"], frame["kind"], frame["year"], frame["status"], strict=True
            )]]
        wide = compare_tables(frame, [c.strip() for c in by.split(",") if c.strip()], status)
        rows = wide.to_dict("records")
        _write_rows(rows, list(wide.columns), output, fmt, bom)


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(metavar="OLD", readable=False, help="The earlier table.")],
    new: Annotated[Path, typer.Argument(metavar="NEW", readable=False, help="The later table.")],
) -> None:
    """Rows added (+), removed (-) and changed (~) between two extraction runs; exit 1 if any."""
    try:
        differences = diff_tables(read_table(old), read_table(new))
    except EduMetricsError as exc:
        _fail(str(exc))
    for difference in differences:
        typer.echo(str(difference))
    counts = {sign: sum(d.sign == sign for d in differences) for sign in "+-~"}
    _warn(f"{counts['+']} added, {counts['-']} removed, {counts['~']} changed")
    if differences:
        raise typer.Exit(EXIT_FAILED)


@app.command()
def check(
    rules: RulesOption = [],
    update: Annotated[bool, typer.Option("--update", help="Rewrite the snapshot from the current extraction (after review).")] = False,
    seeds: Annotated[
        Path, typer.Option("--seeds", metavar="DIR", help="Folder of reports the rules must keep matching.")
    ] = Path("seeds"),
    snapshot: Annotated[
        Path, typer.Option("--snapshot", metavar="FILE", help="The committed extraction of the seeds.")
    ] = Path("tests/golden/seeds.csv"),
    corpus: Annotated[
        Path | None,
        typer.Option(
            "--corpus", metavar="DIR", help="Also list the names that different figures share in the reports of this folder."
        ),
    ] = None,
) -> None:
    """Check the rule packs: schema, patterns, examples, dead rules, collisions, and the seeds snapshot."""
    if not seeds.is_dir() and seeds != Path("seeds"):
        _fail(f"--seeds: {seeds} is not a folder")
    if corpus is not None and not corpus.is_dir():
        _fail(f"--corpus: {corpus} is not a folder")
    try:
        report = run_checks(rules, seeds if seeds.is_dir() else None, snapshot, update, corpus)
    except EduMetricsError as exc:
        _fail(str(exc))
    for problem in report.problems:
        typer.echo(problem)
    for note in report.notes:
        _warn(note)
    _warn(f"{len(report.problems)} problem(s)" if report.problems else "all checks passed")
    if report.problems:
        raise typer.Exit(EXIT_FAILED)


FORMATS = ("csv", "jsonl", "table", "xlsx", "parquet")
COMPARE_FORMATS = ("csv", "table", "xlsx", "parquet")


@app.command(name="explain")
def explain_command(
    target: Annotated[str, typer.Argument(metavar="TEXT|FILE:OFFSET", help="A sentence, or a report and a character offset in it.")],
    rules: RulesOption = [],
) -> None:
    """Show for each figure of TEXT (or the one at FILE:OFFSET) which rules matched and why one won,
    how its number was read, and how its indicator, year and status were decided."""
    with _guarded(None):
        loaded = load_rules(rules)
        path, _, offset = target.rpartition(":")
        if path and offset.isdigit() and Path(path).is_file():
            document = read_document(Path(path), cues=loaded.cues)
            lines = explain(document, loaded, int(offset))
        else:
            lines = explain(parse_document(target, "text", cues=loaded.cues), loaded)
        for line in lines:
            typer.echo(line)


@app.command()
def schema() -> None:
    """Print the JSON Schema of one row of the table (as extract --format jsonl writes it)."""
    import json

    typer.echo(json.dumps(row_schema(), ensure_ascii=False, indent=2))


@app.command(name="rules")
def list_rules(
    rules: RulesOption = [],
    fmt: Annotated[
        str | None, typer.Option("--format", metavar="csv|table", help="csv, or table (default on a terminal).")
    ] = None,
) -> None:
    """List the loaded packs' rules (id, kind, priority, examples, description); counts of cues and terms on stderr."""
    with _guarded(None):
        loaded = load_rules(rules)
        rows = [
            {"rule": rule.id, "kind": rule.kind, "priority": str(rule.priority), "examples": str(len(rule.examples)),
             "source": f"{rule.source}:{rule.line}", "description": rule.description}
            for rule in loaded
        ]
        _write_rows(rows, ["rule", "kind", "priority", "examples", "source", "description"], None,
                    _output_format(fmt, None, ("csv", "table")), False)
        vocabulary = loaded.vocabulary
        _warn(
            f"{len(rows)} rules, {len(loaded.cues.cues)} cues, {len(vocabulary.indicators)} indicator names, "
            f"{len(vocabulary.stages)} stages, {len(vocabulary.measures)} measures"
        )


def _default_format() -> str:
    return "table" if sys.stdout.isatty() else "csv"


def _output_format(fmt: str | None, output: Path | None, allowed: tuple[str, ...]) -> str:
    """The format asked for, else the one -o's extension names; a format -o's extension
    contradicts is a usage error, as an unknown one is."""
    if fmt is not None and fmt not in allowed:
        raise EduMetricsError(f"--format: unknown format '{fmt}' (use one of: {', '.join(allowed)})")
    named = format_for(output) if output else None
    if fmt and named and fmt != named:
        raise EduMetricsError(f"--format {fmt} does not match {output}: its extension says {named}")
    chosen = fmt or named or _default_format()
    if chosen not in allowed:
        raise EduMetricsError(f"{output}: {chosen} is not a format this command writes (use one of: {', '.join(allowed)})")
    return chosen


@dataclass
class Summary:
    """What a run did, for the one line printed at its end."""

    documents: int = 0
    rows: int = 0
    failures: int = 0
    skipped: int = 0
    started: float = field(default_factory=time.monotonic)

    def line(self) -> str:
        seconds = time.monotonic() - self.started
        skipped = f", {self.skipped} skipped (-v names them)" if self.skipped else ""
        return f"{self.documents} documents, {self.rows} rows, {self.failures} failed{skipped}, {seconds:.1f} s"


@contextmanager
def _progress(quiet: bool, total: int) -> Iterator:
    """A progress bar on stderr when a person is watching it; otherwise nothing."""
    if quiet or not sys.stderr.isatty():
        yield lambda outcomes: outcomes
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    with Progress(
        TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
        console=_stderr(), transient=True,
    ) as bar:
        task = bar.add_task("extract", total=total)

        def advance(outcomes: Iterable[Outcome]) -> Iterator[Outcome]:
            for outcome in outcomes:
                bar.advance(task)
                yield outcome

        yield advance


def _write_outcomes(
    outcomes: Iterable[Outcome], output: Path | None, fmt: str, bom: bool, verbose: bool, strict: bool = False,
    keep: RowFilter = RowFilter(),
) -> Summary:
    """Stream rows to stdout or to OUT (built whole for .xlsx/.parquet), counting as it goes."""
    summary = Summary()

    def checked(items: Iterable[Outcome]) -> Iterator[Outcome]:
        for outcome in items:
            if keep:
                outcome = replace(outcome, quantities=[
                    q for q in outcome.quantities if keep.accepts(q.indicator, q.kind, q.year, q.status)
                ])
            summary.documents += outcome.part == 0
            summary.rows += len(outcome.quantities)
            if outcome.error and strict:
                raise StrictStop(f"{outcome.error} (--strict: stopping)")
            if outcome.error:
                summary.failures += 1
                _warn(outcome.error)
            elif verbose:
                _describe(outcome)
            yield outcome

    if fmt in STREAM_FORMATS:
        with _text_output(output) as stream:
            writer = TableWriter(stream, fmt, bom=bom)
            for outcome in checked(outcomes):
                writer.write(outcome.quantities)
            writer.close()
    else:
        rows = [cells(q) for outcome in checked(outcomes) for q in outcome.quantities]
        with _replacing(output) as temp:
            write_frame(rows, temp, fmt)
    return summary


def _write_rows(rows: list[dict[str, str]], columns: list[str], output: Path | None, fmt: str, bom: bool) -> None:
    if fmt == "table":
        with _text_output(output) as stream:
            print_rows(rows, columns, stream)
    elif fmt == "csv":
        import csv

        with _text_output(output) as stream:
            if bom:
                stream.write("\ufeff")
            writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(neutralise({k: str(v) for k, v in row.items()}) for row in rows)
    elif fmt in ("xlsx", "parquet"):
        require_extra(fmt)
        with _replacing(output) as temp:
            write_frame([{k: str(v) for k, v in row.items()} for row in rows], temp, fmt)
    else:
        raise OutputError(f"unknown format '{fmt}' (use csv, table, or -o with .csv, .xlsx or .parquet)")


@contextmanager
def _guarded(output: Path | None) -> Iterator[None]:
    """Every way a run can end early, as one message and its exit code; never a traceback."""

    def kept() -> str:
        if output is None:
            return ""
        return f"; {output} was left as it was" if output.exists() else f"; {output} was not written"

    try:
        yield
    except (StrictStop, WorkerDied) as exc:
        _fail(str(exc) + kept(), EXIT_FAILED)
    except EduMetricsError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail(f"interrupted{kept()}", EXIT_INTERRUPTED)
    except Terminated:
        _fail(f"terminated{kept()}", EXIT_TERMINATED)
    except BrokenPipeError:
        # The reader went away (edu-metrics extract … | head): stop quietly, like other tools.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(EXIT_BROKEN_PIPE) from None


@contextmanager
def _text_output(output: Path | None) -> Iterator[io.TextIOBase]:
    """UTF-8 text to stdout whatever the locale, or to a file that replaces OUT only on success."""
    if output is None:
        stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=True)
        try:
            yield stream
        finally:
            stream.flush()
            stream.detach()
        return
    with _replacing(output) as temp, open(temp, "w", encoding="utf-8", newline="") as stream:
        yield stream


@contextmanager
def _replacing(output: Path | None) -> Iterator[Path]:
    """A temporary file beside OUT, renamed over it only when everything went well."""
    if output is None:
        raise OutputError("this format needs an output file: use -o FILE")
    folder = output.parent if str(output.parent) else Path(".")
    try:
        _remove_stale_parts(folder, output.name)
        handle, name = tempfile.mkstemp(prefix=f".{output.name}.{os.getpid()}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise OutputError(f"{output}: cannot write: {exc.strerror or exc}") from exc
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes 0600; a table is as readable as any new file
        os.replace(temp, output)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise OutputError(f"{output}: cannot write: {exc.strerror or exc}") from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _remove_stale_parts(folder: Path, name: str) -> None:
    """A `.OUT.PID.….part` whose run died (kill -9) is removed; one of a live run is left alone."""
    for part in folder.glob(f".{glob.escape(name)}.*.part"):
        pid = part.name[len(name) + 2:].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            part.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _through_links(output: Path | None) -> Path | None:
    """-o naming a symbolic link writes the file it points to, as shell redirection does."""
    return output.resolve() if output is not None and output.is_symlink() else output


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _describe(outcome: Outcome) -> None:
    meta = outcome.document.meta
    part = f" (part {outcome.part + 1})" if outcome.part else ""  # a file read in parts: one line each
    _warn(
        f"{outcome.source.name}{part}: {outcome.document.encoding}, {len(outcome.quantities)} rows, "
        f"region {meta.region or '-'}, year {meta.year or '-'} (from {meta.year_source or 'nothing'}), "
        f"kind {meta.kind or '-'}, period {meta.period or '-'}, title {meta.title or '-'}"
    )


def _warn(message: str) -> None:
    line = f"edu-metrics: {escaped(message)}"
    if sys.stderr.isatty():  # through rich, so that a live progress bar is redrawn below it
        _stderr().print(line, markup=False)
    else:  # a log or a pipe: plain text, without importing rich (0.04 s of a start)
        print(line, file=sys.stderr)


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    _warn(message)
    raise typer.Exit(code)


def _terminate(signum: int, frame: object) -> None:
    raise Terminated()


def main() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    try:
        app()
    except SystemExit as exc:
        if exc.code in (EXIT_INTERRUPTED, EXIT_TERMINATED):
            # Stopped: the partial file is gone and the message said. Leave now, without joining a
            # process pool whose workers were terminated mid-message (that join can hang).
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(exc.code)
        raise
