"""Errors the CLI turns into one-line messages and exit codes.

Library code raises these; only `cli.py` decides how they look and which exit code they
give, so a notebook user gets a normal exception and the CLI user gets a breadcrumb.
"""


class EduMetricsError(Exception):
    """Base class: anything the user can fix by changing their input or options."""


class RulePackError(EduMetricsError):
    """A rule pack is malformed; the message names the file, the rule and the key."""


class DocumentError(EduMetricsError):
    """One document cannot be read; the run goes on with the others."""


class OutputError(EduMetricsError):
    """The table cannot be written where the user asked."""


class WorkerDied(EduMetricsError):
    """A worker process of `--jobs` ended mid-document (killed, out of memory): the run cannot finish."""


def read_small_text(path, limit: int, what: str, error: type[EduMetricsError]) -> str:
    """A regular file's UTF-8 text, at most `limit` bytes: a FIFO, a device or a huge file named
    like a rule pack or a manifest is refused instead of blocking or filling memory."""
    import os
    import stat

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise error(f"{path}: not a regular file (a {what} must be one)")
        with open(path, "rb") as stream:
            data = stream.read(limit + 1)
    except OSError as exc:
        raise error(f"{path}: cannot read {what}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise error(f"{path}: a {what} of more than {limit:,} bytes is refused")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{path}: cannot read {what}: not UTF-8 at byte {exc.start}") from None
