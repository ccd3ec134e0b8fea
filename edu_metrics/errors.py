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
