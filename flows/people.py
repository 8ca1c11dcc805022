"""Who is who, kept up to date as exports arrive. The matching itself is transforms/resolve.py;
this module decides which records to give it and stores what it says.

A *full* resolution resolves every stored record and replaces store.person_map and
store.match_pairs: a minute or two at a million records. Most runs follow a small new export,
though, and a new record can only change the people it could be linked to, so an
*incremental* resolution resolves again just the records such an export *affects*:

1. **New records**: person_map holds every record the last run covered, so a record
   without a row there is new.
2. **Neighbours**: stored records sharing a LinkedIn profile, an email address (its match
   key) or a phone number with a new record, and those the matcher would compare with one
   (``candidate_pairs`` over the records sharing a name blocking key or an address handle
   with a new one). Resolved records' keys are kept in store.record_match_keys, so stored
   records are not parsed again: the first incremental run of a resolver version keys every
   record (a full run costs no more than before), later ones only their new records.
3. **Affected**: the new records and every record of every person holding a neighbour.
   They are resolved alone, with the rules between them; their person_map rows and the
   pairs between two of them are replaced in one transaction. A person_id is the smallest
   record id of its person, so the people left alone keep theirs.

The weights a full resolution measures on every record (job titles, files, names two groups
share: ``transforms.match.measure_weights``) are stored in store.resolution_weights, and an
incremental run reuses them: the few records it resolves would measure something else. The
result can still differ from a full resolution's for pairs scored near the link threshold:
resolve() weighs an agreeing name by how common it is among the records it is given, which
here are not all records; and a full run itself moves a few such pairs across the threshold
whenever records are added (every name's weight shifts a little), where an incremental run
leaves the people it does not touch as they were. bench/bench_incremental.py measures it.

A full resolution runs instead when asked (``full=True``), and when there is nothing sound to
build on or the shortcut would not pay: no earlier run recorded, matching code of another
version (:func:`resolver_version`), no measured weights stored, other owner identities,
other rules (a merge, split or review since: store.resolution_applied_rules holds the rules
the last run applied), records deleted since, new records over MAX_NEW_SHARE of those
resolved, or affected records over MAX_AFFECTED_SHARE of all.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

import transforms.match
import transforms.nicknames
import transforms.normalize
import transforms.resolve
import transforms.rules
from flows import name_parts
from flows.db import in_transaction, registered
from flows.trace import mark
from flows.ingest import known_owner
from transforms.match import MeasuredWeights, NameCounts, blocking_keys, candidate_pairs, features, name_order_keys
from transforms.records import Owner
from transforms.resolve import RESOLVE_INPUT, Resolution, resolve
from transforms.rules import Rules

# Raise when resolution changes in a way the source digest cannot see (a new version of the
# nicknames package, say): a person_map made by another version is rebuilt in full.
RESOLVER_VERSION = 1

# New records above this share of the resolved ones make a full run. An incremental run
# resolves the new records with every person they could be linked to, 4-5 records for each
# new one (bench/bench_incremental.py on 206,540 records): at 5% new that is a fifth of the
# database and the run saves only half the time of a full one (at 10%: a third, and a
# sixth of the time), while its small differences from a full run grow with it. Imports
# that big are rare: a first export, or years of one at once.
MAX_NEW_SHARE = 0.05
# When the affected records are over this share of all records, resolving them all costs
# about as much as resolving everyone, and a full run is exact.
MAX_AFFECTED_SHARE = 0.5

FULL, INCREMENTAL = "full", "incremental"
KEYS_SCHEMA = {"record_id": pl.Int64, "kind": pl.String, "key": pl.String}
# The kinds of match key that link records outright (the matcher's deterministic links);
# records sharing a key of another kind are only compared (``candidate_pairs``).
LINKING_KINDS = ("slug", "email", "phone")
# A record's key of one kind meets the same key of this kind in others: an address's user
# name meets the name spellings of others (handle_pairs), and the other way round.
MEETS = {"handle": "spelling", "spelling": "handle", "whole": "backwards", "backwards": "whole",
         "surname_initial": "crossed", "crossed": "surname_initial"}
# Kinds of match key that are counted, not looked up: a record's first name and surname.
COUNTED_KINDS = ("first", "last")


@dataclass(frozen=True)
class ResolutionRun:
    """How a resolution run made person_map (a row of store.resolution_runs)."""

    mode: str  # FULL | INCREMENTAL
    reason: str  # why this mode, in plain English
    resolver_version: str
    owner_key: str
    records: int  # records in person_map afterwards
    new_records: int  # records found without a person_map row
    resolved_records: int  # records given to resolve()


def resolve_people(con: duckdb.DuckDBPyConnection, configured_owner: Owner | None = None,
                   full: bool = False) -> int:
    """Bring store.person_map up to date with the stored records and the user's rules, in one
    transaction: incrementally when that is safe, else (or with ``full``) from scratch.
    Returns the number of people (the owner not counted); ``last_run(con)`` says how.

    The owner is who the exports say plus who kith.toml says; the settings are not stored,
    so removing an address from kith.toml takes effect on the next run (a full one).
    """
    owner = known_owner(con)
    if configured_owner:
        owner.update(configured_owner)
    rules = load_rules(con)
    new = new_records(con)
    why_full = "you asked for a full resolution" if full else _why_not_incremental(con, owner, rules, new.height)
    new_keys = pl.DataFrame(schema=KEYS_SCHEMA)
    affected: list[int] = []
    if why_full is None and new.height:
        key_records(con)
        new_keys = match_keys(new, name_parts.parsed_for(con, new)[0])
        affected = affected_records(con, new, new_keys)
        why_full = _too_many_affected(con, len(affected))
    mark("resolve " + ("incremental" if why_full is None else "full"))
    if why_full is None:
        _resolve_affected(con, owner, rules, new, new_keys, affected)
    else:
        _resolve_all(con, owner, rules, new.height, why_full)
    return con.execute("select count(distinct person_id) from store.person_map where not is_owner").fetchone()[0]


def load_rules(con: duckdb.DuckDBPyConnection) -> Rules:
    """The user's rules, by the records they name now (rules on records no longer stored
    are kept in the table and wait for those records to come back)."""
    rows = con.execute(
        """select r.kind, a.record_id, b.record_id
           from store.resolution_rules r
           join store.person_records a on a.record_hash = r.record_hash_a
           join store.person_records b on b.record_hash = r.record_hash_b
           order by r.rule_id"""
    ).fetchall()
    return Rules(same=[(a, b) for kind, a, b in rows if kind == "same"],
                 different=[(a, b) for kind, a, b in rows if kind == "different"])


def last_run(con: duckdb.DuckDBPyConnection) -> ResolutionRun | None:
    """How the current person_map was made, or None when no run was recorded (never
    resolved, or resolved by a kith from before runs were recorded)."""
    row = con.execute(
        """select mode, reason, resolver_version, owner_key, records, new_records, resolved_records
           from store.resolution_runs order by run_id desc limit 1""").fetchone()
    return ResolutionRun(*row) if row else None


# ---------------------------------------------------------------- which kind of run

@functools.lru_cache(maxsize=1)
def _matcher_digest() -> str:
    """Digest of the matcher's source files (transforms.match and every stage module it names)
    and this one (match_keys), read once per process (the code it runs)."""
    modules = (transforms.match, *transforms.match.STAGE_MODULES, transforms.resolve, transforms.normalize,
               transforms.nicknames, transforms.rules)
    return name_parts.source_digest(*(Path(m.__file__) for m in modules), Path(__file__))


def resolver_version() -> str:
    """RESOLVER_VERSION and a digest of the matching code, so that a person_map and match
    keys made by other code are rebuilt in full even when nobody remembered to raise the
    number."""
    return f"{RESOLVER_VERSION}.{_matcher_digest()}"


def owner_key(owner: Owner) -> str:
    """A digest of the owner's identities: they decide which person is the owner."""
    text = "\n".join(f"{kind}\t{value}" for kind, value in owner.identities())
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _why_not_incremental(con: duckdb.DuckDBPyConnection, owner: Owner, rules: Rules, n_new: int) -> str | None:
    """Why the current person_map is no sound base for an incremental run, or None."""
    last = last_run(con)
    if last is None:
        return "no earlier resolution is recorded"
    if last.resolver_version != resolver_version():
        return f"the matching code changed since the last resolution ({last.resolver_version} -> {resolver_version()})"
    if last.owner_key != owner_key(owner):
        return "the owner's identities changed"
    if rules_changed(con, rules):
        return "your merge, split or review decisions changed"
    if stored_weights(con) is None:
        return "no weights measured by a full resolution are stored"
    deleted = con.execute("""select count(*) from store.person_map m
                             where not exists (select 1 from store.person_records r
                                               where r.record_id = m.record_id)""").fetchone()[0]
    if deleted:
        return f"{deleted} resolved records are no longer stored"
    resolved = con.execute("select count(*) from store.person_map").fetchone()[0]
    if resolved == 0 and n_new:
        return "nobody was resolved yet"
    if n_new > MAX_NEW_SHARE * resolved:
        return f"{n_new} new records are over {MAX_NEW_SHARE:.0%} of the {resolved} resolved"
    return None


def _too_many_affected(con: duckdb.DuckDBPyConnection, n_affected: int) -> str | None:
    stored = con.execute("select count(*) from store.person_records").fetchone()[0]
    if n_affected > MAX_AFFECTED_SHARE * stored:
        return f"the new records affect {n_affected} of the {stored} records"
    return None


def rules_changed(con: duckdb.DuckDBPyConnection, rules: Rules) -> bool:
    """Whether a rule was added or removed since the last run, or now applies because its
    records came back. A full run follows: decisions come one command at a time, and the
    run after one re-resolves everyone as the user's word now says."""
    before = set(con.execute("select kind, record_id_a, record_id_b from store.resolution_applied_rules").fetchall())
    return _rule_rows(rules) != before


def _rule_rows(rules: Rules) -> set[tuple[str, int, int]]:
    """(kind, smaller record id, larger record id) of each rule."""
    return ({("same", min(a, b), max(a, b)) for a, b in rules.same}
            | {("different", min(a, b), max(a, b)) for a, b in rules.different})


# ---------------------------------------------------------------- what a record can be linked by


def match_keys(records: pl.DataFrame, parsed: pl.DataFrame | None = None) -> pl.DataFrame:
    """(record_id, kind, key): what the matcher links or compares records by, as
    ``features()`` gives it: the LinkedIn slug, email match keys and E.164 phones (kinds
    'slug', 'email', 'phone'), the name blocking keys ('block'), and the user names of the
    record's addresses ('handle') and the user names its name could be spelt as
    ('spelling'), and the whole name's forms that find it written in the other order or cut
    elsewhere (``name_order_keys``). Two records the matcher can link or compare share a key
    (a handle meeting a spelling, and the like: MEETS); most records sharing one are not
    compared. ``parsed``: their names as parsed before (``flows.name_parts``)."""
    if records.height == 0:
        return pl.DataFrame(schema=KEYS_SCHEMA)
    feat = features(records, parsed)

    def listed(column: str, kind: str) -> pl.DataFrame:
        values = feat.select("record_id", pl.col(column).alias("key")).explode("key")
        return values.select("record_id", pl.lit(kind).alias("kind"), "key")

    keys = pl.concat([feat.select("record_id", pl.lit("slug").alias("kind"), pl.col("slug").alias("key")),
                      listed("emails", "email"), listed("phones", "phone"),
                      blocking_keys(feat).select("record_id", pl.lit("block").alias("kind"), "key"),
                      listed("handles", "handle"), listed("handle_keys", "spelling"),
                      feat.select("record_id", pl.lit("first").alias("kind"), pl.col("fn").alias("key")),
                      feat.select("record_id", pl.lit("last").alias("kind"), pl.col("ln").alias("key")),
                      name_order_keys(feat)])
    return keys.drop_nulls("key").unique().cast(KEYS_SCHEMA)


def key_records(con: duckdb.DuckDBPyConnection) -> int:
    """Store the match keys of the resolved records that have none yet: all of them after a
    full run of a new resolver version (a few seconds per 100,000 records), else none (the
    keys of the records an incremental run adds are stored with its result). Returns how
    many records were keyed."""
    ids = con.execute("select record_id from store.person_map anti join store.record_match_keys using (record_id)").pl()
    if ids.height == 0:
        return 0
    with registered(con, "kith_ids", ids):
        records = _read_records(con, "where r.record_id in (select record_id from kith_ids)")
    keys = match_keys(records, name_parts.parsed_for(con, records)[0])
    in_transaction(con, lambda: _insert_keys(con, keys), "store match keys")
    return ids.height


# ---------------------------------------------------------------- the affected records

def new_records(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Stored records the current person_map does not cover (the RESOLVE_INPUT columns)."""
    return _read_records(con, """where not exists (select 1 from store.person_map m
                                                   where m.record_id = r.record_id)""")


def _read_records(con: duckdb.DuckDBPyConnection, where: str = "") -> pl.DataFrame:
    """The RESOLVE_INPUT columns of the stored records ``where`` picks (SQL; ``r`` is the table)."""
    columns = ", ".join(f"r.{c}" for c in RESOLVE_INPUT)
    records = con.execute(f"select {columns} from store.person_records r {where} order by r.record_id").pl()
    return records.cast(RESOLVE_INPUT) if records.height else pl.DataFrame(schema=RESOLVE_INPUT)


def affected_records(con: duckdb.DuckDBPyConnection, new: pl.DataFrame, new_keys: pl.DataFrame) -> list[int]:
    """Record ids to resolve again: the ``new`` records (their match keys ``new_keys``) and
    every record of every person holding a neighbour of one."""
    with registered(con, "kith_touched", _ids_frame(neighbours(con, new, new_keys))):
        people = con.execute("""select m.record_id from store.person_map m
                                where m.person_id in (select t.person_id from store.person_map t
                                                      join kith_touched using (record_id))""").fetchall()
    return sorted({row[0] for row in people} | set(new["record_id"].to_list()))


def neighbours(con: duckdb.DuckDBPyConnection, new: pl.DataFrame, new_keys: pl.DataFrame) -> set[int]:
    """Resolved records a ``new`` one could be linked to: sharing a slug, an email match key
    or a phone with it, or compared with it by the matcher. ``new_keys``: match_keys(new)."""
    lookups = (new_keys.filter(~pl.col("kind").is_in(COUNTED_KINDS))
               .select(pl.col("kind").replace(MEETS), "key").unique())
    with registered(con, "kith_new_keys", lookups):
        sharing = con.execute("""select distinct k.record_id, list_contains(?, k.kind) as links
                                 from store.record_match_keys k join kith_new_keys using (kind, key)""",
                              [list(LINKING_KINDS)]).pl()
    linked = set(sharing.filter(pl.col("links"))["record_id"].to_list())
    similar = set(sharing.filter(~pl.col("links"))["record_id"].to_list())
    return linked | _compared(con, new, similar - linked)


def _compared(con: duckdb.DuckDBPyConnection, new: pl.DataFrame, similar: set[int]) -> set[int]:
    """The records among ``similar`` (stored, sharing a blocking key or a handle/spelling with
    a new one) that ``candidate_pairs`` pairs with a new record. Every record holding one of a new
    record's keys is here, so the blocks a new record is in are whole and its pairs are
    those a full run forms; most drop out (a big block of a common surname is split, a
    clearly different first name is not compared)."""
    if not similar:
        return set()
    with registered(con, "kith_ids", _ids_frame(similar)):
        stored = _read_records(con, "where r.record_id in (select record_id from kith_ids)")
    both = pl.concat([new, stored])
    pairs, _skipped = candidate_pairs(features(both, name_parts.parsed_for(con, both)[0]))
    new_ids = new["record_id"].implode()
    a_new, b_new = pl.col("a").is_in(new_ids), pl.col("b").is_in(new_ids)
    partners = pairs.filter(a_new != b_new).select(pl.when(a_new).then(pl.col("b")).otherwise(pl.col("a")))
    return set(partners.to_series().to_list())


# ---------------------------------------------------------------- resolving and storing

def _resolve_all(con: duckdb.DuckDBPyConnection, owner: Owner, rules: Rules, n_new: int, why: str) -> None:
    """Resolve every stored record; replace person_map and match_pairs. Match keys made by
    another resolver version, or of records no longer stored, are dropped (the others stay
    right: a record's keys depend on the record alone)."""
    records = _read_records(con)
    parsed, fresh = name_parts.parsed_for(con, records)
    result = resolve(records, owner, rules, parsed=parsed) if records.height else None
    last = last_run(con)
    stale_keys = last is None or last.resolver_version != resolver_version()
    run = ResolutionRun(FULL, why, resolver_version(), owner_key(owner), records.height, n_new, records.height)

    def store() -> None:
        con.execute("delete from store.person_map")
        con.execute("delete from store.match_pairs")
        if stale_keys:
            con.execute("delete from store.record_match_keys")
        else:
            con.execute("""delete from store.record_match_keys k where not exists
                           (select 1 from store.person_records r where r.record_id = k.record_id)""")
        con.execute("delete from store.resolution_weights")
        if result is not None:
            _insert_resolution(con, result)
            if result.weights is not None:
                con.executemany("insert into store.resolution_weights values (?, ?, ?)", result.weights.rows())
        name_parts.store(con, fresh)
        _record_run(con, run, rules)

    in_transaction(con, store, "store resolution")


def stored_name_counts(con: duckdb.DuckDBPyConnection, new_keys: pl.DataFrame) -> NameCounts:
    """How many records carry each first name and surname, over the stored records (their
    match keys) and the new ones (``new_keys``, not stored yet): what a full run counts."""
    def counted(kind: str, column: str) -> pl.DataFrame:
        stored = con.execute("select key, count(*) as n from store.record_match_keys where kind = ? group by key",
                             [kind]).pl()
        new = new_keys.filter(pl.col("kind") == kind).group_by("key").len("n")
        both = pl.concat([stored.cast({"key": pl.String, "n": pl.Int64}), new.cast({"key": pl.String, "n": pl.Int64})])
        return both.group_by("key").agg(pl.col("n").sum()).rename({"key": column})

    return NameCounts(counted("first", "fn"), counted("last", "ln"))


def stored_weights(con: duckdb.DuckDBPyConnection) -> MeasuredWeights | None:
    """The weights the last full resolution measured on every record, or None."""
    rows = con.execute("select kind, key, value from store.resolution_weights").fetchall()
    return MeasuredWeights.from_rows(rows) if rows else None


def _resolve_affected(con: duckdb.DuckDBPyConnection, owner: Owner, rules: Rules, new: pl.DataFrame,
                      new_keys: pl.DataFrame, affected: list[int]) -> None:
    """Resolve the affected records alone; replace their person_map rows and the pairs
    between two of them (a pair with an unaffected record keeps the score it was given), and
    store the new records' match keys."""
    with registered(con, "kith_ids", _ids_frame(affected)):
        records = _read_records(con, "where r.record_id in (select record_id from kith_ids)")
    ids = set(affected)
    parsed, fresh = name_parts.parsed_for(con, records)
    result = (resolve(records, owner, _rules_within(rules, ids), stored_weights(con), stored_name_counts(con, new_keys),
                      parsed) if records.height else None)
    total = con.execute("select count(*) from store.person_map").fetchone()[0] + new.height
    reason = f"{new.height} new records" + (f", {len(ids) - new.height} records of the people they touch"
                                            if len(ids) > new.height else "")
    run = ResolutionRun(INCREMENTAL, reason, resolver_version(), owner_key(owner), total, new.height, len(ids))

    def store() -> None:
        if result is not None:
            with registered(con, "kith_affected", _ids_frame(ids)):
                con.execute("delete from store.person_map where record_id in (select record_id from kith_affected)")
                con.execute("""delete from store.match_pairs
                               where record_id_a in (select record_id from kith_affected)
                                 and record_id_b in (select record_id from kith_affected)""")
            _insert_resolution(con, result)
        _insert_keys(con, new_keys)
        name_parts.store(con, fresh)
        _record_run(con, run, rules)

    in_transaction(con, store, "store resolution")


def _rules_within(rules: Rules, ids: set[int]) -> Rules:
    """The rules both of whose records are among ``ids`` (the others concern people left alone)."""
    return Rules(same=[(a, b) for a, b in rules.same if a in ids and b in ids],
                 different=[(a, b) for a, b in rules.different if a in ids and b in ids])


def _insert_resolution(con: duckdb.DuckDBPyConnection, result: Resolution) -> None:
    with registered(con, "kith_person_map", result.mapping):
        con.execute("""insert into store.person_map
                       select record_id, person_id, link_reason, is_owner from kith_person_map""")
    if result.pairs.height:
        with registered(con, "kith_pairs", result.pairs):
            con.execute("""insert into store.match_pairs
                           select record_id_a, record_id_b, score, decision, reason from kith_pairs""")


def _insert_keys(con: duckdb.DuckDBPyConnection, keys: pl.DataFrame) -> None:
    if keys.height:
        with registered(con, "kith_keys", keys):
            con.execute("insert into store.record_match_keys select record_id, kind, key from kith_keys")


def _record_run(con: duckdb.DuckDBPyConnection, run: ResolutionRun, rules: Rules) -> None:
    """Keep how person_map was made and the rules it applied, for the next run to build on."""
    con.execute("delete from store.resolution_applied_rules")
    rows = sorted(_rule_rows(rules))
    if rows:
        con.executemany("insert into store.resolution_applied_rules values (?, ?, ?)", rows)
    con.execute("""insert into store.resolution_runs (resolved_at, mode, reason, resolver_version, owner_key,
                                                      records, new_records, resolved_records)
                   values (?, ?, ?, ?, ?, ?, ?, ?)""",
                [datetime.now(), run.mode, run.reason, run.resolver_version, run.owner_key, run.records,
                 run.new_records, run.resolved_records])


def _ids_frame(ids: set[int] | list[int]) -> pl.DataFrame:
    return pl.DataFrame({"record_id": sorted(ids)}, schema={"record_id": pl.Int64})
