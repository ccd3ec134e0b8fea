"""Extraction for other engines: plain rows from a text, pandas batches, and a Dask bag.

Spark, Ray or Dask call the same pure function the command line uses, so a table built on a
cluster is the table `edu-metrics extract` writes, byte for byte.
"""

from collections.abc import Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from .documents import parse_document
from .errors import EduMetricsError
from .extract import COLUMNS, extract_document
from .pipeline import Outcome, Source, outcomes_of
from .rules import Rule, load_rules
from .table import cells

if TYPE_CHECKING:
    import pandas as pd

_META_KEYS = ("region", "year", "kind", "title", "date")


def extract_rows(doc: str, text: str, metadata: dict[str, Any] | None = None, rules: Sequence[Rule] | None = None) -> list[dict[str, str]]:
    """Rows (text cells, as in the CSV) for one document; `metadata` overrides what the text says."""
    rules = rules if rules is not None else _default_rules()
    meta = {k: clean for k, v in (metadata or {}).items() if k in _META_KEYS and (clean := _meta_value(k, v)) is not None}
    document = parse_document(text, doc, meta=meta, cues=getattr(rules, "cues", None))
    return [cells(q) for q in extract_document(document, rules)]


def _meta_value(key: str, value: Any) -> Any:
    """A metadata cell as Spark or Ray hand it over: None and NaN are missing, 2022.0 is 2022."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return None
    if key == "year":
        try:
            return int(float(value))
        except (TypeError, ValueError):
            return None
    return str(value)


def extract_frame(
    documents: "pd.DataFrame", rules: Sequence[Rule] | None = None, *, doc: str = "doc", text: str = "text"
) -> "pd.DataFrame":
    """A DataFrame of documents in (a `doc` and a `text` column, optional metadata columns),
    a DataFrame of rows out, in document order. Fits Spark's mapInPandas and Ray's map_batches."""
    import pandas as pd

    missing = [c for c in (doc, text) if c not in documents.columns]
    if missing:
        raise EduMetricsError(f"extract_frame: no column {', '.join(missing)}")
    rows: list[dict[str, str]] = []
    for record in documents.to_dict("records"):
        meta = {k: record[k] for k in _META_KEYS if k in record}
        rows.extend(extract_rows(str(record[doc]), str(record[text]), meta, rules))
    return pd.DataFrame(rows, columns=list(COLUMNS), dtype=str)


_rules_cache: Sequence[Rule] | None = None


def _default_rules() -> Sequence[Rule]:
    global _rules_cache
    if _rules_cache is None:
        _rules_cache = load_rules()
    return _rules_cache


def extract_with_dask(
    sources: list[Source], rules: Sequence[Rule], encoding: str | None = None, scheduler: str | None = None
) -> Iterator[Outcome]:
    """Outcomes in input order from a Dask bag over the files: Dask's local process scheduler,
    or the running scheduler at `scheduler` (tcp://host:8786). Partitions are computed a few
    at a time and yielded in order, so the table still streams."""
    try:
        import dask
        import dask.bag as db
    except ImportError:
        raise EduMetricsError("--engine dask needs the dask extra: pip install 'edu-metrics[dask]'") from None
    if not sources:
        return
    client = None
    if scheduler:
        try:
            from distributed import Client
        except ImportError:
            raise EduMetricsError("--scheduler needs the dask extra: pip install 'edu-metrics[dask]'") from None
        try:
            client = Client(scheduler, timeout="10s")
        except OSError as exc:
            raise EduMetricsError(f"--scheduler {scheduler}: cannot connect ({exc})") from None
    try:
        bag = db.from_sequence(sources, partition_size=8).map(partial(outcomes_of, rules=rules, encoding=encoding)).flatten()
        parts = bag.to_delayed()
        step = 8
        for i in range(0, len(parts), step):
            computed = dask.compute(*parts[i:i + step], scheduler=client or "processes")
            for part in computed:
                yield from part
    finally:
        if client is not None:
            client.close()
