"""The user's word on who is who: storing ``kith merge``, ``kith split`` and ``kith review``
decisions as rules in ``store.resolution_rules``. No Prefect.

A rule names two source records by their ``record_hash`` (their content identity), so it
survives re-ingesting a file and rebuilding the database from the same exports; a rule
whose records are not stored right now is kept and applies again when they come back.
Every change is also mirrored to a CSV file beside the database (``kith-rules.csv`` next
to ``kith.duckdb``), so deleting the database does not delete the user's decisions:
``restore_rules`` reads it back into a database that has none.

The newest decision wins: a merge removes the 'different' rules between the two people's
records that an earlier split or review stored, a split removes the 'same' rules between
the records it separates, and a rule on a pair replaces any earlier rule on that pair.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from flows.db import in_transaction
from flows.outputs import write_private

RULE_COLUMNS = ("kind", "record_hash_a", "record_hash_b", "created_at", "source", "note")


class RuleError(ValueError):
    """A decision kith cannot store as asked; the message says why and what to do."""


@dataclass
class Change:
    """What one decision did to the stored rules."""

    added: int = 0
    replaced: list[tuple] = field(default_factory=list)  # earlier rules removed: (kind, source, created_at)


# ---------------------------------------------------------------- looking records up

def person_records(con: duckdb.DuckDBPyConnection, person_id: int) -> list[dict]:
    """The person's source records (owner's included), smallest record id first."""
    cur = con.execute(
        """select r.record_id, r.record_hash, r.record_key, r.full_name as name, f.display_path as source_file
           from store.person_map m
           join store.person_records r using (record_id)
           join store.source_files f using (file_id)
           where m.person_id = ? order by r.record_id""", [person_id])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def _file_forms(path: str) -> set[str]:
    """The ways a user may name a source file: as stored, as ``kith show`` prints it
    (``archive.zip!member``), or the file's own name (``Connections.csv``)."""
    forms = {path}
    if "!" in path:
        archive, member = path.split("!", 1)
        forms |= {f"{Path(archive).name}!{member}", member, Path(member).name}
    else:
        forms.add(Path(path).name)
    return forms


def find_record(records: list[dict], text: str) -> dict | None:
    """One of ``records`` by record id (as ``kith show`` lists it) or ``FILE:RECORD_KEY``."""
    text = text.strip()
    if text.isdigit():
        return next((r for r in records if r["record_id"] == int(text)), None)
    hits = [r for r in records
            if text.endswith(":" + r["record_key"]) and text[: -len(r["record_key"]) - 1] in _file_forms(r["source_file"])]
    return hits[0] if len(hits) == 1 else None


def person_of_record(con: duckdb.DuckDBPyConnection, record_id: int) -> int | None:
    row = con.execute("select person_id from store.person_map where record_id = ?", [record_id]).fetchone()
    return row[0] if row else None


# ---------------------------------------------------------------- storing decisions

def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _delete_between(con: duckdb.DuckDBPyConnection, kind: str | None, left: list[str], right: list[str]) -> list[tuple]:
    """Remove the rules (of ``kind``, or any) joining a hash of ``left`` with one of ``right``."""
    if not left or not right:
        return []
    kind_sql = "kind = ? and " if kind else ""
    params = ([kind] if kind else []) + [left, right, right, left]
    where = (f"{kind_sql}((list_contains(?, record_hash_a) and list_contains(?, record_hash_b)) "
             "or (list_contains(?, record_hash_a) and list_contains(?, record_hash_b)))")
    removed = con.execute(f"select kind, source, created_at from store.resolution_rules where {where}", params).fetchall()
    if removed:
        con.execute(f"delete from store.resolution_rules where {where}", params)
    return removed


def _add_rule(con: duckdb.DuckDBPyConnection, kind: str, hash_a: str, hash_b: str, source: str,
              note: str | None, now: datetime) -> list[tuple]:
    """Store one rule; an earlier rule on the same pair (either kind) is replaced."""
    a, b = _ordered(hash_a, hash_b)
    removed = _delete_between(con, None, [a], [b])
    con.execute("""insert into store.resolution_rules (kind, record_hash_a, record_hash_b, created_at, source, note)
                   values (?, ?, ?, ?, ?, ?)""", [kind, a, b, now, source, note])
    return [r for r in removed if r[0] != kind]


def merge(con: duckdb.DuckDBPyConnection, person_a: int, person_b: int, source: str = "merge",
          note: str | None = None, record_a: int | None = None, record_b: int | None = None) -> Change:
    """'These two people are one': a 'same' rule between a record of each (the smallest
    record ids unless given), after removing every 'different' rule between their records."""
    recs_a, recs_b = person_records(con, person_a), person_records(con, person_b)
    if not recs_a or not recs_b:
        raise RuleError(f"no person {person_a if not recs_a else person_b}")
    if person_a == person_b:
        raise RuleError(f"they are already one person ({person_a})")
    hashes_a, hashes_b = [r["record_hash"] for r in recs_a], [r["record_hash"] for r in recs_b]
    pick_a = next(r for r in recs_a if record_a is None or r["record_id"] == record_a)
    pick_b = next(r for r in recs_b if record_b is None or r["record_id"] == record_b)
    now = datetime.now()

    def work() -> Change:
        change = Change(replaced=_delete_between(con, "different", hashes_a, hashes_b))
        change.replaced += _add_rule(con, "same", pick_a["record_hash"], pick_b["record_hash"], source, note, now)
        change.added = 1
        return change

    return in_transaction(con, work)


def split(con: duckdb.DuckDBPyConnection, person_id: int, record_ids: list[int], source: str = "split",
          note: str | None = None) -> Change:
    """'These records are not this person': a 'different' rule between each of them and
    each other record of the person, after removing the 'same' rules between the two sides.
    The split-off records stay together only where the evidence (or a rule) links them."""
    records = person_records(con, person_id)
    if not records:
        raise RuleError(f"no person {person_id}")
    wanted = set(record_ids)
    if not wanted <= {r["record_id"] for r in records}:
        raise RuleError(f"record {sorted(wanted - {r['record_id'] for r in records})[0]} is not one of person {person_id}'s records")
    off = [r["record_hash"] for r in records if r["record_id"] in wanted]
    rest = [r["record_hash"] for r in records if r["record_id"] not in wanted]
    if not rest:
        raise RuleError(f"that is every record of person {person_id}: nothing would be left to split from")
    now = datetime.now()

    def work() -> Change:
        change = Change(replaced=_delete_between(con, "same", off, rest))
        for a in off:
            for b in rest:
                change.replaced += _add_rule(con, "different", a, b, source, note, now)
                change.added += 1
        return change

    return in_transaction(con, work)


def decide_pair(con: duckdb.DuckDBPyConnection, record_a: int, record_b: int, same: bool,
                source: str = "review", note: str | None = None) -> Change:
    """A decision on one pair of records. 'Same' merges the people they belong to (so an
    earlier split between them gives way); 'different' keeps the two records apart."""
    if same:
        pa, pb = person_of_record(con, record_a), person_of_record(con, record_b)
        if pa is not None and pb is not None and pa != pb:
            return merge(con, pa, pb, source, note, record_a, record_b)
    hashes = dict(con.execute("select record_id, record_hash from store.person_records where record_id in (?, ?)",
                              [record_a, record_b]).fetchall())
    if len(hashes) != 2:
        raise RuleError(f"no record {record_b if record_a in hashes else record_a}")
    now = datetime.now()
    replaced = in_transaction(con, lambda: _add_rule(con, "same" if same else "different", hashes[record_a],
                                                      hashes[record_b], source, note, now))
    return Change(added=1, replaced=replaced)


# ---------------------------------------------------------------- the review queue

_RECORD_FIELDS = "record_id, record_key, source_kind, source_file, full_name as name, emails, phones, company, title, linkedin_url"


def review_queue(con: duckdb.DuckDBPyConnection, limit: int | None = None, everything: bool = False) -> list[dict]:
    """Pairs the matcher was unsure about and the user has not decided, where the answer
    changes something the user sees: at least one side belongs to someone with a history
    (interactions, or a `kith done`) or a moment this week. Most at stake first: the
    interaction weight of the two people the answer would join or keep apart, then the score.
    ``everything`` keeps the pairs of people with no history too (`kith review --all`).

    A pair's ``stake`` says what is at stake for each side: its person's interactions, their
    total weight and the last one, and the moment if any."""
    rows = con.execute(
        f"""with history as (
                select person_id, count(*) filter (where kind <> 'connected') as interactions,
                       sum(weight) filter (where kind <> 'connected') as weight,
                       max(occurred_on) filter (where kind <> 'connected') as last_on
                from models.stg_interactions group by person_id),
            rec as (select r.record_id, r.record_hash, r.record_key, r.source_kind, f.display_path as source_file,
                           r.full_name as name, r.emails, r.phones, r.company, r.title, r.linkedin_url,
                           m.person_id, coalesce(h.interactions, 0) as interactions,
                           coalesce(h.weight, 0) as weight, h.last_on, mo.moment
                    from store.person_records r join store.source_files f using (file_id)
                    left join store.person_map m using (record_id)
                    left join history h using (person_id)
                    left join models.int_moments mo using (person_id))
            select p.score, p.reason, a, b,
                   a.weight + case when a.person_id is distinct from b.person_id then b.weight else 0 end as stake
            from store.match_pairs p
            join rec a on a.record_id = p.record_id_a
            join rec b on b.record_id = p.record_id_b
            where p.decision = 'review'
              and not exists (select 1 from store.resolution_rules r
                              where (r.record_hash_a = a.record_hash and r.record_hash_b = b.record_hash)
                                 or (r.record_hash_a = b.record_hash and r.record_hash_b = a.record_hash))
              and (? or a.interactions > 0 or b.interactions > 0 or a.moment is not null or b.moment is not null)
            order by stake desc, p.score desc nulls last, p.record_id_a, p.record_id_b
            {'limit ' + str(int(limit)) if limit else ''}""", [everything]).fetchall()
    queue = []
    for score, reason, a, b, stake in rows:
        for rec in (a, b):
            rec.pop("record_hash", None)
        queue.append({"score": score, "reason": reason, "a": a, "b": b, "stake": stake})
    return queue


def review_count(con: duckdb.DuckDBPyConnection) -> int:
    return len(review_queue(con))


# ---------------------------------------------------------------- the copy beside the database

def rules_file(db: Path) -> Path:
    """``data/kith.duckdb`` -> ``data/kith-rules.csv``."""
    db = Path(db)
    return db.with_name(f"{db.stem}-rules.csv")


def write_rules_file(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Mirror every stored rule to ``path`` (readable by the user only), atomically."""
    rows = con.execute(f"select {', '.join(RULE_COLUMNS)} from store.resolution_rules order by rule_id").fetchall()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(RULE_COLUMNS)
    for kind, a, b, created, source, note in rows:
        writer.writerow([kind, a, b, created.isoformat(sep=" "), source, note or ""])
    write_private(Path(path), buffer.getvalue())


def restore_rules(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Read the mirrored rules back into a database that has none (a rebuilt one).
    Returns how many were restored; a database with rules of its own is left alone."""
    path = Path(path)
    if not path.exists() or con.execute("select count(*) from store.resolution_rules").fetchone()[0]:
        return 0
    with open(path, newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r.get("kind") in ("same", "different")]
    if not rows:
        return 0

    def work() -> int:
        for r in rows:
            con.execute("""insert into store.resolution_rules (kind, record_hash_a, record_hash_b, created_at, source, note)
                           values (?, ?, ?, ?, ?, ?)""",
                        [r["kind"], r["record_hash_a"], r["record_hash_b"], datetime.fromisoformat(r["created_at"]),
                         r["source"], r["note"] or None])
        return len(rows)

    return in_transaction(con, work)
