"""Loading export files into the database: one transaction per file, nothing twice.

``ingest_sources`` reads and detects every file first, then loads them owner-first
(Profile, Connections, Invitations, then messages, whose owner the earlier files name).
A file whose bytes were loaded before is skipped; a record seen in an earlier export is
counted as already known and not stored again; a file that cannot be read is rolled back
whole and reported with its line and problem.
"""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Callable, Iterator

import duckdb
import polars as pl

from flows import name_parts
from flows.db import checkpoint, registered
from flows.mail_read import read_messages
from flows.trace import mark
from flows.sources import Source, sha256, sha256_of
from transforms import mail
from transforms.detect import LOAD_ORDER, Format, MailFormat, detect, detect_mail, unrecognised
from transforms.records import ExportError, Owner, ParseContext, ParseResult
from transforms.text import decode


@dataclass
class FileReport:
    source: str
    status: str  # loaded | already ingested | failed | skipped
    format: str | None = None
    records_read: int = 0
    new: int = 0
    known: int = 0
    rejected: int = 0
    reasons: Counter = field(default_factory=Counter)
    error: str | None = None
    left_out: dict[str, int] = field(default_factory=dict)  # valid records not loaded, by reason (mail)

    def as_dict(self) -> dict:
        return {**self.__dict__, "reasons": dict(self.reasons)}


@dataclass
class _Prepared:
    source: Source
    digest: str
    size: int
    fmt: Format | MailFormat
    text: str | None  # None for mail, which is read as a stream when it loads
    mails: mail.Mailbox | None = None  # a mailbox's messages, read before any mail loads (see _read_mail)
    unreadable: bool = False  # a mailbox that failed while it was read (already reported)


@dataclass
class _MailRun:
    """What every mailbox of one run shares: whose mail it is, and whom they write to."""

    owner: set[str] = field(default_factory=set)
    correspondents: set[str] = field(default_factory=set)


def ingest_sources(
    con: duckdb.DuckDBPyConnection,
    sources: list[Source],
    progress: Callable[[int, int, str], None] | None = None,
    options: ParseContext | None = None,
) -> list[FileReport]:
    """Load each source in its own transaction and report what happened to it.

    ``options`` carries what the user configured (owner identities, phone region, --map);
    the owner known from earlier files is added per file.
    """
    context = options or ParseContext()
    if context.now is None:
        context = replace(context, now=datetime.now(timezone.utc).replace(tzinfo=None))
    reports: list[FileReport] = []
    prepared: list[_Prepared] = []
    known = {row[0]: row[1] for row in con.execute("select sha256, format from store.source_files").fetchall()}
    for source in sources:
        try:
            item = _prepare(source, known, context)
        except ExportError as exc:
            reports.append(FileReport(source.display, "failed", error=str(exc)))
            continue
        except OSError as exc:
            reports.append(FileReport(source.display, "failed", error=f"cannot read: {exc.strerror or exc}"))
            continue
        if isinstance(item, FileReport):
            reports.append(item)
        else:
            prepared.append(item)
    prepared.sort(key=lambda p: (LOAD_ORDER[p.fmt.name], p.source.display))
    mail_run = None
    for done, item in enumerate(prepared):
        if progress:
            progress(done, len(prepared), item.source.display)
        if item.text is None and mail_run is None:  # the first mailbox: the others are read with it
            mail_run = _read_mail(con, [p for p in prepared[done:] if p.text is None], context, reports)
        if not item.unreadable:
            reports.append(_load(con, item, context, mail_run))
    order = {s.display: i for i, s in enumerate(sources)}
    return sorted(reports, key=lambda r: order.get(r.source, 0))


def _prepare(source: Source, known: dict[str, str], context: ParseContext) -> _Prepared | FileReport:
    """Read, decode and detect one file; a file loaded before is recognised by its hash alone.
    Mail is recognised from its first bytes and only hashed here (it is read when it loads)."""
    mail_format = detect_mail(source.head())
    if mail_format is not None:
        digest = sha256_of(source)
        if digest in known:
            return FileReport(source.display, "already ingested", format=known[digest])
        return _Prepared(source, digest, source.size, mail_format, None)
    data = source.read_bytes()
    digest = sha256(data)
    if digest in known:
        return FileReport(source.display, "already ingested", format=known[digest])
    try:
        text = decode(data)
    except ExportError as exc:
        if source.explicit or source.name.lower().endswith((".csv", ".txt")):
            raise
        return FileReport(source.display, "skipped", error=f"not a contact export ({exc})")
    fmt = detect(text, context)
    if fmt is None:
        message = unrecognised(text)
        if source.explicit:
            raise ExportError(message)
        return FileReport(source.display, "skipped", error=message)
    return _Prepared(source, digest, len(data), fmt, text)


def known_owner(con: duckdb.DuckDBPyConnection) -> Owner:
    owner = Owner()
    for kind, value in con.execute("select kind, value from store.owner_identities").fetchall():
        {"name": owner.names, "linkedin_slug": owner.linkedin_slugs, "email": owner.emails}[kind].add(value)
    return owner


def _read_mail(con: duckdb.DuckDBPyConnection, items: list[_Prepared], context: ParseContext,
               reports: list[FileReport]) -> _MailRun:
    """Read every mailbox of the run before loading any: the owner of a folder of .eml files
    is the address on (nearly) every message across all of them, and someone the owner wrote
    to in the sent mailbox is a correspondent in the inbox too (Apple Mail exports them
    apart), as is everyone the owner wrote to in mail loaded before."""
    every: list[mail.Mail] = []  # (the same objects as the mailboxes': no copy)
    for item in items:
        try:
            item.mails = read_messages(item.source, item.fmt.name)
        except (OSError, ExportError) as exc:
            item.unreadable = True
            reports.append(FileReport(item.source.display, "failed", format=item.fmt.name,
                                      error=f"cannot read: {getattr(exc, 'strerror', None) or exc}"))
            continue
        every.extend(item.mails.messages)
    owner = {e.lower() for e in context.owner.emails | known_owner(con).emails}
    if not owner:
        owner = mail.find_owner(every, set())
    stored = {key for (key,) in con.execute(
        "select distinct record_key from store.person_records where source_kind = ?", [mail.SOURCE_KIND]).fetchall()}
    return _MailRun(owner, stored | (mail.wrote_to(every, owner) if owner else set()))


def _load(con: duckdb.DuckDBPyConnection, item: _Prepared, context: ParseContext,
          mail_run: _MailRun | None = None) -> FileReport:
    report = FileReport(item.source.display, "loaded", format=item.fmt.name)
    if con.execute("select 1 from store.source_files where sha256 = ?", [item.digest]).fetchone():
        report.status = "already ingested"
        return report
    try:
        owner = known_owner(con)
        owner.update(context.owner)
        if item.text is None:
            result = mail.build(item.mails, item.fmt.name, replace(context, owner=owner),
                                mail_run.owner or None, mail_run.correspondents)
            item.mails = None  # its messages are in the frames now
        else:
            result = item.fmt.parse(item.text, replace(context, owner=owner))
    except ExportError as exc:
        report.status, report.error = "failed", str(exc)
        return report
    mark(f"ingest {item.source.display} start")
    with _one_thread(con):
        con.execute("begin transaction")
        try:
            _store(con, item, result, report)
            con.execute("commit")
        except Exception as exc:
            con.execute("rollback")
            report.status, report.error = "failed", f"could not store: {exc}"
            report.new = report.known = report.rejected = 0
            return report
    mark(f"ingest {item.source.display} committed")
    checkpoint(con)
    return report


@contextmanager
def _one_thread(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run the block on one DuckDB thread. Inserting into a table with a unique index (each
    record table has one, on record_hash) and committing took twice the CPU time on two
    threads as on one, and no less wall time (500,000 interactions: 4.5 -> 2.8 s CPU). The
    setting is the database's, so it is put back, outside the transaction (an aborted one
    takes no SET; one left open by an interrupt keeps the single thread to its end)."""
    threads = con.execute("select current_setting('threads')").fetchone()[0]
    con.execute("set threads = 1")
    try:
        yield
    finally:
        try:
            con.execute(f"set threads = {int(threads)}")
        except duckdb.Error:
            pass


def _store(con: duckdb.DuckDBPyConnection, item: _Prepared, result: ParseResult, report: FileReport) -> None:
    source = item.source
    file_id = con.execute(
        """insert into store.source_files (path, member, display_path, sha256, format, size_bytes, exported_on,
               ingested_at, records_read, records_new, records_known, records_rejected)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0) returning file_id""",
        [str(source.path), source.member, source.display, item.digest, item.fmt.name, item.size,
         source.exported_on, datetime.now(), result.records_read],
    ).fetchone()[0]
    new_identities = 0
    for kind, value in result.owner.identities():
        inserted = con.execute(
            "insert into store.owner_identities values (?, ?, ?) on conflict do nothing returning kind",
            [kind, value, file_id]).fetchall()
        new_identities += len(inserted)

    people = result.people.with_columns(pl.lit(file_id).alias("file_id"))
    new_people = _insert_new(con, "person_records", people.unique("record_hash", keep="first", maintain_order=True))
    name_parts.remember(con, new_people)  # (parsed once, here: every full resolution reads them)
    new_interactions = _insert_new(con, "interaction_records", _interactions(con, result.interactions, people, file_id))

    rejects = result.rejects.with_columns(pl.lit(file_id).alias("file_id"))
    with registered(con, "kith_incoming_rejects", rejects):
        con.execute("""insert into store.ingest_rejects
                       select file_id, record_key, line_no, reason, kept from kith_incoming_rejects""")

    rejected_rows = set(rejects.filter(~pl.col("kept"))["record_key"].to_list())
    new_rows = set(new_interactions["record_key"].to_list())
    new_rows |= {k for k in new_people["record_key"].to_list() if k.isdigit()}
    report.records_read = result.records_read
    report.rejected = len(rejected_rows)
    report.left_out = dict(result.left_out)
    if result.people.height == 0 and result.interactions.height == 0 and not result.left_out:
        report.new = result.records_read - report.rejected if new_identities else 0  # Profile.csv: it names the owner
    else:
        report.new = len(new_rows - rejected_rows)
    left_out = sum(n for reason, n in result.left_out.items() if reason not in mail.NOT_MESSAGE_COUNTS)
    report.known = max(result.records_read - report.rejected - report.new - left_out, 0)
    report.reasons = Counter(_reason_kind(r) for r in rejects["reason"].to_list())
    con.execute(
        "update store.source_files set records_new = ?, records_known = ?, records_rejected = ? where file_id = ?",
        [report.new, report.known, report.rejected, file_id],
    )


def _interactions(con: duckdb.DuckDBPyConnection, interactions: pl.DataFrame, people: pl.DataFrame,
                  file_id: int) -> pl.DataFrame:
    """This file's interactions with the record_id of their person; a file of contacts alone has
    none, and skips the look-up of its (maybe 100,000) people's ids."""
    if interactions.height:
        ids = _record_ids(con, people).rename({"record_key": "counterpart_key"})
    else:
        ids = pl.DataFrame(schema={"counterpart_key": pl.String, "record_id": pl.Int64})
    return (
        interactions.join(ids, on="counterpart_key", how="inner")
        .with_columns(pl.lit(file_id).alias("file_id"))
        .unique("record_hash", keep="first", maintain_order=True)
    )


def _record_ids(con: duckdb.DuckDBPyConnection, people: pl.DataFrame) -> pl.DataFrame:
    """record_key -> record_id for this file's person records, new or seen before."""
    with registered(con, "kith_incoming_people", people.select("record_key", "record_hash")):
        return con.execute(
            """select p.record_key, r.record_id
               from kith_incoming_people p join store.person_records r using (record_hash)"""
        ).pl()


def _insert_new(con: duckdb.DuckDBPyConnection, table: str, rows: pl.DataFrame) -> pl.DataFrame:
    """Insert the rows whose record_hash is not stored yet; return those rows. (Rows none of
    which is stored, as in a first ingest, are handed to DuckDB once, not twice.)"""
    if rows.height == 0:
        return rows
    with registered(con, "kith_incoming_rows", rows):
        existing = con.execute(
            f"select record_hash from store.{table} where record_hash in (select record_hash from kith_incoming_rows)"
        ).pl()
        if existing.height == 0:
            _insert(con, table, rows)
            return rows
    fresh = rows.join(existing, on="record_hash", how="anti")
    if fresh.height:
        with registered(con, "kith_incoming_rows", fresh):
            _insert(con, table, fresh)
    return fresh


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: pl.DataFrame) -> None:
    """Insert the frame registered as kith_incoming_rows, in its order (record ids follow it)."""
    names = ", ".join(c for c in rows.columns if c != "counterpart_key")
    con.execute(f"insert into store.{table} ({names}) select {names} from kith_incoming_rows")


def _reason_kind(reason: str) -> str:
    """Reasons read ``label: detail``; the summary groups them by label."""
    return reason.split(":", 1)[0]
