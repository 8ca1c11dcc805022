"""What the user does about the list: ``kith done``, ``kith snooze``, ``kith ignore`` and
``kith tier``, stored in ``store.user_actions``. No Prefect.

Like the resolution rules (flows/rules.py), an action names its person by the
``record_hash`` of each of their source records when the user acted, so it survives
re-ingesting, re-resolving and rebuilding the database from the same exports, and applies
to whichever person holds any of those records after a merge or split (the SQL model
``models.stg_user_actions`` does the lookup). Every change is mirrored to a CSV file beside
the database (``kith-actions.csv`` next to ``kith.duckdb``); ``restore_actions`` reads it
back into a database that has none.

* done:   a day you were in touch (kind 'done', weight 1.0 in the score); several allowed.
* snooze: not on the list until a day; a new snooze replaces the person's earlier one.
* ignore: never on the list, until undone.
* tier:   the Dunbar layer (1..4) the user puts the person in; replaces an earlier one.
"""

from __future__ import annotations

import csv
import json
import io
from datetime import date, datetime
from pathlib import Path

import duckdb

from flows.db import in_transaction
from flows.outputs import write_private

ACTION_COLUMNS = ("kind", "record_hashes", "on_date", "layer", "note", "created_at")
KINDS = ("done", "snooze", "ignore", "tier")

# Dunbar's layers: name and how many people the layer reaches (cumulative), as params.sql has them.
LAYER_NAMES = {1: "closest", 2: "close", 3: "friends", 4: "acquaintances"}
LAYER_REACH = {1: 5, 2: 15, 3: 50, 4: 150}


class ActionError(ValueError):
    """An action kith cannot store as asked; the message says why and what to do."""


def parse_layer(text: str) -> int | None:
    """``"2"`` or ``"close"`` -> 2; ``"auto"`` -> None (no override)."""
    value = text.strip().lower()
    if value == "auto":
        return None
    if value.isdigit() and int(value) in LAYER_NAMES:
        return int(value)
    for layer, name in LAYER_NAMES.items():
        if value == name:
            return layer
    raise ActionError(f"LAYER must be 1-4, one of {', '.join(LAYER_NAMES.values())}, or auto; got {text!r}")


def layer_label(layer: int | None) -> str:
    if layer is None:
        return "no layer"
    if layer in LAYER_NAMES:
        return f"layer {layer} ({LAYER_NAMES[layer]}, the ~{LAYER_REACH[layer]} strongest ties)"
    return f"layer {layer} (everyone else)"


# ---------------------------------------------------------------- looking actions up

def person_hashes(con: duckdb.DuckDBPyConnection, person_id: int) -> list[str]:
    """The record_hash of each of the person's source records, smallest record id first."""
    rows = con.execute(
        """select r.record_hash from store.person_map m join store.person_records r using (record_id)
           where m.person_id = ? and not m.is_owner order by r.record_id""", [person_id]).fetchall()
    return [r[0] for r in rows]


def actions_of(con: duckdb.DuckDBPyConnection, person_id: int, kind: str | None = None) -> list[dict]:
    """The actions that apply to the person now (by any of their records), oldest first."""
    cur = con.execute(
        f"""select action_id, kind, on_date, layer, note, created_at from models.stg_user_actions
            where person_id = ? {'and kind = ?' if kind else ''} order by action_id""",
        [person_id, kind] if kind else [person_id])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def standing(con: duckdb.DuckDBPyConnection, person_id: int) -> dict:
    """What holds for the person now: ignored, snoozed_until, tier (None when not set)."""
    row = con.execute("select ignored, snoozed_until, tier from models.int_person_actions where person_id = ?",
                      [person_id]).fetchone()
    return {"ignored": bool(row and row[0]), "snoozed_until": row[1] if row else None, "tier": row[2] if row else None}


# ---------------------------------------------------------------- storing actions

def _hashes_or_fail(con: duckdb.DuckDBPyConnection, person_id: int) -> list[str]:
    hashes = person_hashes(con, person_id)
    if not hashes:
        raise ActionError(f"no person {person_id}")
    return hashes


def _insert(con, kind: str, hashes: list[str], on_date: date | None = None, layer: int | None = None,
            note: str | None = None) -> int:
    return con.execute(
        """insert into store.user_actions (kind, record_hashes, on_date, layer, note, created_at)
           values (?, ?, ?, ?, ?, ?) returning action_id""",
        [kind, hashes, on_date, layer, note, datetime.now()]).fetchone()[0]


def _delete(con, action_ids: list[int]) -> None:
    if action_ids:
        con.execute("delete from store.user_actions where list_contains(?, action_id)", [action_ids])


def mark_done(con: duckdb.DuckDBPyConnection, person_id: int, on: date, note: str | None = None) -> int:
    """'We were in touch on this day.' Returns the action id."""
    hashes = _hashes_or_fail(con, person_id)
    return in_transaction(con, lambda: _insert(con, "done", hashes, on_date=on, note=note))


def undo_done(con: duckdb.DuckDBPyConnection, person_id: int, on: date | None = None) -> list[date]:
    """Remove the person's ``kith done`` on that day (the latest one when no day is given).
    Returns the days removed."""
    done = actions_of(con, person_id, "done")
    if on is None and done:
        on = max(d["on_date"] for d in done)
    chosen = [d for d in done if d["on_date"] == on]
    if not chosen:
        raise ActionError(f"no `kith done` for person {person_id}" + (f" on {on}" if on else ""))
    in_transaction(con, lambda: _delete(con, [d["action_id"] for d in chosen]))
    return [d["on_date"] for d in chosen]


def snooze(con: duckdb.DuckDBPyConnection, person_id: int, until: date) -> date | None:
    """Keep the person off the list until ``until``; replaces an earlier snooze (returned)."""
    hashes = _hashes_or_fail(con, person_id)
    earlier = actions_of(con, person_id, "snooze")

    def work():
        _delete(con, [a["action_id"] for a in earlier])
        _insert(con, "snooze", hashes, on_date=until)

    in_transaction(con, work)
    return earlier[-1]["on_date"] if earlier else None


def unsnooze(con: duckdb.DuckDBPyConnection, person_id: int) -> date | None:
    """Remove the person's snooze. Returns the day it ran to, or None if there was none."""
    earlier = actions_of(con, person_id, "snooze")
    in_transaction(con, lambda: _delete(con, [a["action_id"] for a in earlier]))
    return earlier[-1]["on_date"] if earlier else None


def ignore(con: duckdb.DuckDBPyConnection, person_id: int, note: str | None = None) -> bool:
    """Never list the person. Returns False when they were already ignored."""
    hashes = _hashes_or_fail(con, person_id)
    if actions_of(con, person_id, "ignore"):
        return False
    in_transaction(con, lambda: _insert(con, "ignore", hashes, note=note))
    return True


def unignore(con: duckdb.DuckDBPyConnection, person_id: int) -> bool:
    """List the person again when they are due. Returns False when they were not ignored."""
    earlier = actions_of(con, person_id, "ignore")
    in_transaction(con, lambda: _delete(con, [a["action_id"] for a in earlier]))
    return bool(earlier)


def set_tier(con: duckdb.DuckDBPyConnection, person_id: int, layer: int | None) -> int | None:
    """Put the person in ``layer`` (1..4), or back to the layer their strength gives
    (``None``). Returns the earlier override, if any."""
    if layer is not None and layer not in LAYER_NAMES:
        raise ActionError(f"layer must be 1-4, got {layer}")
    hashes = _hashes_or_fail(con, person_id)
    earlier = actions_of(con, person_id, "tier")

    def work():
        _delete(con, [a["action_id"] for a in earlier])
        if layer is not None:
            _insert(con, "tier", hashes, layer=layer)

    in_transaction(con, work)
    return earlier[-1]["layer"] if earlier else None


# ---------------------------------------------------------------- the copy beside the database

def actions_file(db: Path) -> Path:
    """``data/kith.duckdb`` -> ``data/kith-actions.csv``."""
    db = Path(db)
    return db.with_name(f"{db.stem}-actions.csv")


def write_actions_file(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Mirror every stored action to ``path`` (readable by the user only), atomically."""
    rows = con.execute(f"select {', '.join(ACTION_COLUMNS)} from store.user_actions order by action_id").fetchall()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(ACTION_COLUMNS)
    for kind, hashes, on_date, layer, note, created in rows:
        writer.writerow([kind, json.dumps(list(hashes)), on_date.isoformat() if on_date else "",
                         "" if layer is None else layer, note or "", created.isoformat(sep=" ")])
    write_private(Path(path), buffer.getvalue())


def restore_actions(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Read the mirrored actions back into a database that has none (a rebuilt one), in
    their original order. Returns how many; a database with actions of its own is left alone."""
    path = Path(path)
    if not path.exists() or con.execute("select count(*) from store.user_actions").fetchone()[0]:
        return 0
    with open(path, newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r.get("kind") in KINDS]
    if not rows:
        return 0

    def work() -> int:
        for r in rows:
            con.execute(
                """insert into store.user_actions (kind, record_hashes, on_date, layer, note, created_at)
                   values (?, ?, ?, ?, ?, ?)""",
                [r["kind"], json.loads(r["record_hashes"]), date.fromisoformat(r["on_date"]) if r["on_date"] else None,
                 int(r["layer"]) if r["layer"] else None, r["note"] or None, datetime.fromisoformat(r["created_at"])])
        return len(rows)

    return in_transaction(con, work)
