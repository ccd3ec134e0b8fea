"""Running extraction over files: finding inputs, reading them, keeping failures apart.

A document that cannot be read is reported as an `Outcome` with an error and the run goes
on, so one broken file in a thousand never costs the other 999 their rows.
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .documents import read_document
from .errors import DocumentError, EduMetricsError
from .extract import Quantity, extract_document
from .rules import Rule

INPUT_SUFFIXES = (".txt",)


@dataclass(frozen=True)
class Source:
    path: Path
    name: str


@dataclass(frozen=True)
class Outcome:
    source: Source
    quantities: list[Quantity] = field(default_factory=list)
    error: str | None = None


def collect_sources(paths: Iterable[Path | str]) -> list[Source]:
    """Files as given, folders searched recursively; `name` is the path below the folder."""
    sources: list[Source] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(
                (p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES),
                key=lambda p: p.relative_to(path).as_posix(),
            )
            sources.extend(Source(p, p.relative_to(path).as_posix()) for p in found)
        elif path.exists():
            sources.append(Source(path, path.name))
        else:
            raise EduMetricsError(f"{path}: no such file or folder")
    return sources


def extract_paths(paths: Iterable[Path | str], rules: Sequence[Rule]) -> Iterator[Outcome]:
    """One outcome per input document, in input order.

    Inputs are checked now, not on first iteration, so a missing path fails before any
    output (not even a header) is written.
    """
    sources = collect_sources(paths)
    return (extract_source(source, rules) for source in sources)


def extract_source(source: Source, rules: Sequence[Rule]) -> Outcome:
    try:
        document = read_document(source.path, source.name)
    except DocumentError as exc:
        return Outcome(source, error=str(exc))
    return Outcome(source, extract_document(document, rules))
