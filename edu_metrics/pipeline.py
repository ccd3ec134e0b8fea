"""Running extraction over files: finding inputs, reading them, keeping failures apart.

A document that cannot be read is reported as an `Outcome` with an error and the run goes
on, so one broken file in a thousand never costs the other 999 their rows.
"""

import codecs
import fnmatch
import os
import signal
import stat
import threading
import time
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path, PurePosixPath

from .documents import READERS, Document, is_text_encoding, read_document, read_text
from .errors import DocumentError, EduMetricsError, WorkerDied
from .extract import Quantity, extract_document
from .indicators import namer_for
from .manifest import find_manifests, manifests_above, metadata_for, path_hints
from .parts import is_parted, parted_documents, pdf_parts, shifted, text_parts, text_pieces
from .rules import Rule, builtin_cues


@dataclass(frozen=True)
class Source:
    """An input file, the name the table gives it, and what the manifest and path say of it."""

    path: Path
    name: str
    meta: dict = field(default_factory=dict)
    hints: dict = field(default_factory=dict)
    data: bytes | None = None  # the text itself, for `-` (standard input)


@dataclass(frozen=True)
class Outcome:
    source: Source
    quantities: list[Quantity] = field(default_factory=list)
    error: str | None = None
    document: Document | None = None
    part: int = 0  # a file read in parts gives one outcome per part (parts.py)


def collect_sources(
    paths: Iterable[Path | str], include: Sequence[str] = (), exclude: Sequence[str] = (),
    skipped: list[str] | None = None,
) -> list[Source]:
    """Files as given, folders searched recursively; `name` is the path below the folder.

    Folders are searched for every format edu-metrics reads (.txt, .html, .htm, .docx,
    .pdf); a manifest (edu-metrics.toml) in a folder applies to the files below it. In a
    folder, `include` globs keep only the files whose path below it matches one, and `exclude`
    globs drop those that match one (`2023/*`, `*.pdf`, `**/draft*`). Symbolic links to folders
    are followed once (a loop is not); what cannot be searched or is no regular file (a folder
    without permission, a dangling link, a FIFO) is skipped and said in `skipped`.
    """
    skipped = [] if skipped is None else skipped
    sources: list[Source] = []
    for path in map(Path, paths):
        if str(path) == "-":
            sources.append(Source(path, "-", data=sys.stdin.buffer.read()))  # cat report.txt | edu-metrics extract -
        elif path.is_dir():
            manifests = find_manifests(path)
            found = sorted(_files_below(path, skipped), key=lambda p: p.relative_to(path).as_posix())
            for file in found:
                name = file.relative_to(path).as_posix()
                if _selected(name, include, exclude):
                    sources.append(Source(file, printable(name), metadata_for(file, manifests), path_hints(name)))
        elif path.is_file():
            # The same metadata as when its folder is named: manifests above it, hints in its path.
            sources.append(
                Source(path, printable(path.name), metadata_for(path, manifests_above(path)), path_hints(path.as_posix()))
            )
        elif path.exists():
            raise EduMetricsError(f"{path}: not a regular file or folder")  # a FIFO would block for ever
        else:
            raise EduMetricsError(f"{path}: no such file or folder")
    return sources


def _files_below(folder: Path, skipped: list[str]) -> list[Path]:
    """Readable-format files below `folder`, following linked folders once (as ripgrep -L does)."""
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()

    def unreadable(error: OSError) -> None:
        skipped.append(f"{printable(str(error.filename))}: cannot search: {error.strerror}")

    for root, folders, files in os.walk(folder, onerror=unreadable, followlinks=True):
        here = os.stat(root)
        if (here.st_dev, here.st_ino) in seen:
            folders[:] = []  # a link to a folder already searched (or a loop): searched once
            continue
        seen.add((here.st_dev, here.st_ino))
        folders.sort(key=lambda name: (os.path.islink(os.path.join(root, name)), name))  # the real folder first
        for name in sorted(files):
            file = Path(root) / name
            if file.suffix.lower() not in READERS:
                continue
            try:
                regular = stat.S_ISREG(file.stat().st_mode)
            except OSError as exc:
                skipped.append(f"{printable(str(file))}: {'a dangling link' if file.is_symlink() else exc.strerror}")
                continue
            if regular:
                found.append(file)
            else:
                skipped.append(f"{printable(str(file))}: not a regular file")
    return found


def printable(name: str) -> str:
    """A file name as every format can write it: bytes that are not UTF-8 (valid in Linux names)
    are written as Python escapes them, \\xff, the same in CSV, JSON lines and messages."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _selected(name: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    path = PurePosixPath(name)
    matches = lambda globs: any(path.match(glob) or fnmatch.fnmatchcase(name, glob) for glob in globs)  # noqa: E731
    return (not include or matches(include)) and not matches(exclude)


def extract_paths(
    paths: Iterable[Path | str], rules: Sequence[Rule], *, encoding: str | None = None, jobs: int = 1
) -> Iterator[Outcome]:
    """One outcome per input document, in input order whatever `jobs` is.

    Inputs and manifests are checked now, not on first iteration, so a missing path or a
    broken manifest fails before any output (not even a header) is written. With `jobs` > 1
    the documents are read and extracted in worker processes; an outcome's `document` then
    carries the metadata but not the text, which would cost as much to send back as to read.
    """
    check_encoding(encoding)
    return extract_sources(collect_sources(paths), rules, encoding=encoding, jobs=jobs)


def check_encoding(encoding: str | None) -> None:
    """An unknown encoding is a usage error before any document is read."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise EduMetricsError(f"unknown encoding '{encoding}'") from None
        if not is_text_encoding(encoding):
            raise EduMetricsError(f"--encoding: '{encoding}' is not a text encoding (try gb18030, big5 or utf-8)")


def extract_sources(
    sources: Sequence[Source], rules: Sequence[Rule], *, encoding: str | None = None, jobs: int = 1
) -> Iterator[Outcome]:
    """One outcome per collected source, in order (see `extract_paths`)."""
    if jobs > 1 and len(sources) > 1:
        return _in_processes(sources, rules, encoding, min(jobs, len(sources)))
    return (outcome for source in sources for outcome in outcomes_of(source, rules, encoding))


def outcomes_of(source: Source, rules: Sequence[Rule], encoding: str | None = None) -> Iterator[Outcome]:
    """The outcome of a source, or of each of its parts when it is too big to hold (parts.py)."""
    if not is_parted(source.path, source.data):
        yield extract_source(source, rules, encoding)
        return
    parts = 0  # yielded: a failure after the first part is no new document
    try:
        reader = READERS.get(source.path.suffix.lower(), "text")
        if reader in ("text", "html"):
            pieces = text_parts(source.path, encoding, page=reader == "html")
        elif reader == "pdf":
            pieces = pdf_parts(source.path)
        else:
            pieces = text_pieces(*read_text(source.path, encoding))
        for document, offset, lead in parted_documents(
            pieces, source.path, source.name, meta=source.meta, hints=source.hints, cues=getattr(rules, "cues", None),
        ):
            rows = [shifted(row, offset) for row in extract_document(document, rules) if row.start >= lead]
            yield Outcome(source, rows, document=document, part=parts)
            parts += 1
    except DocumentError as exc:
        yield Outcome(source, error=str(exc), part=parts)


def extract_source(source: Source, rules: Sequence[Rule], encoding: str | None = None) -> Outcome:
    try:
        document = read_document(
            source.path, source.name, encoding=encoding, meta=source.meta, hints=source.hints,
            cues=getattr(rules, "cues", None), data=source.data,
        )
        return Outcome(source, extract_document(document, rules), document=document)
    except DocumentError as exc:
        return Outcome(source, error=str(exc))


_worker_rules: Sequence[Rule] = ()


_PARENT_CHECK_SECONDS = 1.0
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _start_worker(rules: Sequence[Rule]) -> None:
    """Workers leave Ctrl-C to the parent, which stops the pool and cleans up once; SIGTERM ends
    them quietly; and they end by themselves when the parent is gone (kill -9 leaves no orphans)."""
    global _worker_rules
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    _worker_rules = rules
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="edu-metrics-parent-watch").start()


def _extract_in_worker(source: Source, encoding: str | None) -> Outcome:
    outcome = extract_source(source, _worker_rules, encoding)
    if outcome.document is None:
        return outcome
    light = replace(outcome.document, text="", sections=(), sentence_starts=(0,), boilerplate=(), view=None, cues=None)
    return replace(outcome, document=light)


def _compile_before_forking(rules: Sequence[Rule]) -> None:
    """Patterns are compiled when first used; workers forked after this inherit them compiled
    instead of each compiling them again."""
    for rule in rules:
        rule.compiled  # noqa: B018 - the cached compile is what is wanted
    namer_for(getattr(rules, "cues", None) or builtin_cues())


def _in_processes(sources: list[Source], rules: Sequence[Rule], encoding: str | None, jobs: int) -> Iterator[Outcome]:
    """Outcomes in input order from a process pool, with a bounded number in flight.

    Results are yielded as soon as the next one in order is ready, so the table streams and
    memory holds at most a few documents per worker, however many documents there are. A file
    read in parts is read here, part by part, while the workers go on with the ones after it.
    """
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool  # imported only when it runs: 0.012 s

    window = jobs * 4
    _compile_before_forking(rules)
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(rules,))
    pending: deque[Future[Outcome] | Source] = deque()
    queue = iter(sources)

    def submit(source: Source) -> None:
        pending.append(source if is_parted(source.path, source.data) else pool.submit(_extract_in_worker, source, encoding))

    try:
        # The workers are forked during these first submissions: with Ctrl-C and SIGTERM held back
        # meanwhile, no child starts life with the parent's handler (they unblock in _start_worker).
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            for source in islice(queue, window):
                submit(source)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        while pending:
            next_one = pending.popleft()
            for source in islice(queue, 1):
                submit(source)
            if isinstance(next_one, Source):
                yield from outcomes_of(next_one, rules, encoding)
            else:
                yield next_one.result()
    except BaseException as error:
        # Interrupted, failed or closed early: don't wait for documents nobody will read, and
        # don't let a worker finish a long one either.
        workers = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in workers:
            process.terminate()
        if isinstance(error, BrokenProcessPool):
            raise WorkerDied("a worker process died (out of memory?)") from error
        raise
    # Joined, so the pool's manager thread is gone before the interpreter exits; left running,
    # it races Python's exit hook for its wake-up pipe ("Bad file descriptor" at exit).
    pool.shutdown(wait=True)
