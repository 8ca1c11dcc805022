"""A consistent copy of the database, safe to take while kith might run.

DuckDB keeps recent changes in a write-ahead log beside the file, so copying the file alone
can miss them. A backup therefore opens the database (waiting for any writer to finish,
and keeping others out meanwhile), checkpoints the log into the file, and copies it.
The user's rules and actions mirrored beside the database are copied with it.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from flows.db import connect, ensure_private_dir, make_private

SIDECARS = ("-rules.csv", "-actions.csv")


def default_backup_path(db: Path, now: datetime | None = None) -> Path:
    """``data/kith.duckdb`` -> ``data/backups/kith-20261123-0930.duckdb``."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return db.parent / "backups" / f"{db.stem}-{stamp}.duckdb"


def backup_database(db: Path, dest: Path | None = None) -> list[Path]:
    """Copy ``db`` (and its mirrored rules/actions) to ``dest``; returns the files written."""
    db = Path(db)
    dest = Path(dest) if dest else default_backup_path(db)
    if dest.exists():
        raise FileExistsError(f"{dest} exists already; choose another name")
    ensure_private_dir(dest.parent)
    written = []
    con = connect(db)
    try:
        con.execute("checkpoint")
        shutil.copyfile(db, dest)
        make_private(dest)
        written.append(dest)
        for suffix in SIDECARS:
            side = db.with_name(db.stem + suffix)
            if side.exists():
                copy = dest.with_name(dest.stem + suffix)
                shutil.copyfile(side, copy)
                make_private(copy)
                written.append(copy)
    finally:
        con.close()
    return written
