"""The fixed shapes every parser produces, so the flows can store any export the same way.

A parser turns one export file into three frames:

* person records: one row per record that describes a person (a LinkedIn connection, a
  message participant, later a contact card or a calendar attendee);
* interactions: one row per moment the owner and one person were in touch;
* rejects: one row per data record that was not loaded, or loaded with a field dropped.
"""

from __future__ import annotations

import gc
import hashlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

import polars as pl

from transforms.owner import Owner  # noqa: F401  (defined there, without polars; parsers import it from here)

PERSON_RECORD_SCHEMA: dict[str, pl.DataType] = {
    "record_key": pl.String,  # 1-based data record number, or the participant's key (slug/email)
    "line_no": pl.Int64,  # physical line the record starts on (None for derived participants)
    "source_kind": pl.String,
    "full_name": pl.String,  # as written in the export, credentials and emoji included
    "first_name": pl.String,
    "last_name": pl.String,
    "name_key": pl.String,  # folded for matching: no credentials, emoji, accents or case
    "emails": pl.List(pl.String),
    "phones": pl.List(pl.String),
    "linkedin_url": pl.String,
    "linkedin_slug": pl.String,
    "company": pl.String,
    "title": pl.String,
    "connected_on": pl.Date,
    "birthday": pl.String,  # 'YYYY-MM-DD', or '--MM-DD' when the source gives no year
    "record_hash": pl.String,
}

INTERACTION_SCHEMA: dict[str, pl.DataType] = {
    "record_key": pl.String,  # the data record it came from
    "line_no": pl.Int64,
    "counterpart_key": pl.String,  # record_key of the person record, in the same file
    "kind": pl.String,  # 'message' | 'connected' | 'invitation' | 'meeting' | 'scheduled' (a future meeting)
    "occurred_at": pl.Datetime("us"),  # UTC, naive
    "direction": pl.String,  # 'sent' | 'received' | None
    "conversation_id": pl.String,  # message thread, or the event's UID for a meeting
    "n_participants": pl.Int64,  # everyone involved, the owner included
    "summary": pl.String,
    "duration_minutes": pl.Float64,  # meetings only
    "title": pl.String,  # meeting title
    "record_hash": pl.String,
}

REJECT_SCHEMA: dict[str, pl.DataType] = {
    "record_key": pl.String,
    "line_no": pl.Int64,
    "reason": pl.String,
    "kept": pl.Boolean,  # True: the record loaded, only one field was dropped
}


@dataclass
class ParseContext:
    """What a parser may need beyond the file's text. Parsers ignore what they do not use."""

    owner: Owner = field(default_factory=Owner)  # who the user is, as far as kith knows yet
    phone_region: str | None = None  # ISO country for numbers written without +CC, e.g. 'DE'
    column_map: dict[str, str] = field(default_factory=dict)  # CSV header -> kith field (--map)
    now: Any = None  # datetime (UTC, naive) of the ingest: calendar occurrences after it are 'scheduled', not met


@dataclass
class ParseResult:
    """What one export file yielded."""

    format: str
    records_read: int
    people: pl.DataFrame
    interactions: pl.DataFrame
    rejects: pl.DataFrame
    owner: Owner = field(default_factory=Owner)
    exported_on: Any = None  # date the export was made, when the file tells
    left_out: dict[str, int] = field(default_factory=dict)  # valid records not loaded, by reason (mail: lists ...)


class ExportError(ValueError):
    """A file that cannot be loaded at all. The message names the line and what was expected."""

    def __init__(self, message: str, line_no: int | None = None):
        self.line_no = line_no
        super().__init__(f"line {line_no}: {message}" if line_no else message)


def stable_hash(*parts: Any) -> str:
    """A short content hash of normalized values: equal records from two exports hash alike."""
    text = "\x1f".join(["" if p is None else p if type(p) is str else str(p) for p in parts])
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def frame(rows: Iterable[dict[str, Any]], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Build a frame with exactly ``schema``'s columns, even from no rows; absent keys are null.

    Built column by column: polars makes a List column from Python lists ~30 times slower
    than it splits joined strings, which matters at 100,000 records."""
    rows = rows if isinstance(rows, list) else list(rows)
    return _frame_by_column(schema, lambda name, _index: [row.get(name) for row in rows])


def frame_of_tuples(rows: list[tuple], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """``frame`` for rows given as tuples in ``schema``'s order: 100,000 records held as
    tuples take a third of the memory of dicts (same result)."""
    return _frame_by_column(schema, lambda _name, index: [row[index] for row in rows])


def _frame_by_column(schema: dict[str, pl.DataType], column: Callable[[str, int], list]) -> pl.DataFrame:
    columns = []
    for index, (name, dtype) in enumerate(schema.items()):
        values = column(name, index)
        if isinstance(dtype, pl.List):
            columns.append(_list_series(name, values))
        else:
            columns.append(pl.Series(name, values, dtype=dtype))
    return pl.DataFrame(columns, schema=schema)


class Columns:
    """Rows gathered column by column: a 500,000-row frame builds in a fraction of the time
    (and memory) ``frame`` takes from row dicts (same schema, same result)."""

    def __init__(self, schema: dict[str, pl.DataType]):
        self.schema = schema
        self.columns: dict[str, list] = {name: [] for name in schema}

    def append(self, **values: Any) -> None:
        for name, column in self.columns.items():
            column.append(values.get(name))

    def extend(self, other: "Columns") -> None:
        for name, column in self.columns.items():
            column.extend(other.columns[name])

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame(self.columns, schema=self.schema)


_SEP = "\x1e"  # ASCII record separator: never in a name, email or phone


def _list_series(name: str, values: list) -> pl.Series:
    """A List(String) column, empty lists for missing values."""
    joined = []
    for items in values:
        if not items:
            joined.append(None)
            continue
        text = _SEP.join(items)
        if text.count(_SEP) != len(items) - 1:  # a value holds the separator itself: the slow way
            return pl.Series(name, [v or [] for v in values], dtype=pl.List(pl.String))
        joined.append(text)
    empty = pl.Series(name, [[]], dtype=pl.List(pl.String))
    return pl.Series(name, joined, dtype=pl.String).str.split(_SEP).fill_null(empty).alias(name)


def reject(record_key: str, line_no: int | None, reason: str, kept: bool = False) -> dict[str, Any]:
    """One rejects row: ``kept`` means the record loaded and only the named field was dropped."""
    return {"record_key": record_key, "line_no": line_no, "reason": reason, "kept": kept}


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a big file's records are built: a parser makes
    millions of small objects and no reference cycles, and every collection pass would walk
    them all again (about a third of the time of a 100,000-row file). Restored on the way out."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
