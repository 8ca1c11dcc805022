"""Rebuilding who is who from every stored record (see transforms/resolve.py)."""

from __future__ import annotations

import duckdb

from flows.ingest import known_owner
from transforms.records import Owner
from transforms.resolve import RESOLVE_INPUT, resolve


def resolve_people(con: duckdb.DuckDBPyConnection, configured_owner: Owner | None = None) -> int:
    """Replace store.person_map with a fresh resolution in one transaction. Returns the
    number of people (the owner not counted).

    The owner is who the exports say plus who kith.toml says; the settings are not stored,
    so removing an address from kith.toml takes effect on the next run.
    """
    records = con.execute(
        "select record_id, linkedin_slug, emails, phones, name_key from store.person_records order by record_id"
    ).pl()
    records = records.cast(RESOLVE_INPUT) if records.height else records
    owner = known_owner(con)
    if configured_owner:
        owner.update(configured_owner)
    mapping = resolve(records, owner) if records.height else None
    con.execute("begin transaction")
    try:
        con.execute("delete from store.person_map")
        if mapping is not None:
            con.register("kith_person_map", mapping)
            con.execute("insert into store.person_map select record_id, person_id, link_reason, is_owner from kith_person_map")
            con.unregister("kith_person_map")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return con.execute("select count(distinct person_id) from store.person_map where not is_owner").fetchone()[0]
