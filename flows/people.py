"""Rebuilding who is who from every stored record (see transforms/resolve.py)."""

from __future__ import annotations

import duckdb

from flows.db import in_transaction
from flows.ingest import known_owner
from transforms.records import Owner
from transforms.resolve import RESOLVE_INPUT, resolve
from transforms.rules import Rules


def resolve_people(con: duckdb.DuckDBPyConnection, configured_owner: Owner | None = None) -> int:
    """Replace store.person_map with a fresh resolution in one transaction. Returns the
    number of people (the owner not counted).

    The owner is who the exports say plus who kith.toml says; the settings are not stored,
    so removing an address from kith.toml takes effect on the next run.
    """
    columns = ", ".join(RESOLVE_INPUT)
    records = con.execute(f"select {columns} from store.person_records order by record_id").pl()
    records = records.cast(RESOLVE_INPUT) if records.height else records
    owner = known_owner(con)
    if configured_owner:
        owner.update(configured_owner)
    result = resolve(records, owner, load_rules(con)) if records.height else None
    def store() -> None:
        con.execute("delete from store.person_map")
        con.execute("delete from store.match_pairs")
        if result is not None:
            con.register("kith_person_map", result.mapping)
            con.execute("insert into store.person_map select record_id, person_id, link_reason, is_owner from kith_person_map")
            con.unregister("kith_person_map")
            if result.pairs.height:
                con.register("kith_pairs", result.pairs)
                con.execute("""insert into store.match_pairs
                               select record_id_a, record_id_b, score, decision, reason from kith_pairs""")
                con.unregister("kith_pairs")

    in_transaction(con, store)
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
