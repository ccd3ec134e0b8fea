"""edu-metrics: quantitative indicators from Chinese education reports, as a tidy table."""

from .batch import extract_frame, extract_rows
from .documents import Document, parse_document, read_document
from .errors import DocumentError, EduMetricsError, OutputError, RulePackError
from .extract import COLUMNS, Quantity, extract_document, extract_text
from .numerals import parse_number
from .pipeline import extract_paths
from .rules import Rule, RuleSet, load_rules

__all__ = [
    "COLUMNS",
    "Document",
    "DocumentError",
    "EduMetricsError",
    "OutputError",
    "Quantity",
    "Rule",
    "RulePackError",
    "RuleSet",
    "extract_document",
    "extract_frame",
    "extract_rows",
    "extract_paths",
    "extract_text",
    "load_rules",
    "parse_document",
    "parse_number",
    "read_document",
]
