"""A consistent copy of the database, safe to take while kith might run.

DuckDB keeps recent changes in a write-ahead log beside the file, so copying the file alone
can miss them. A backup therefore opens the database (waiting for any writer to finish,
and keeping others out meanwhile), checkpoints the log into the file, and copies it.
The user's rules and actions mirrored beside the database are copied with it.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

from flows.db import connect, ensure_private_dir, make_private
from flows.trace import mark

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
        # the sidecars first and the database last: a backup killed midway leaves no file
        # under the database's final name, and each file appears whole or not at all
        for suffix in SIDECARS:
            side = db.with_name(db.stem + suffix)
            if side.exists():
                written.append(_copy_whole(side, dest.with_name(dest.stem + suffix)))
        mark("backup copy")
        written.insert(0, _copy_whole(db, dest))
    finally:
        con.close()
    return written


def _copy_whole(source: Path, dest: Path) -> Path:
    """Copy under a hidden temporary name, then rename: never a half-written ``dest``."""
    partial = dest.with_name(f".{dest.name}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # private from the first byte
    with open(source, "rb") as reader, os.fdopen(fd, "wb") as writer:
        shutil.copyfileobj(reader, writer, 1 << 20)
    make_private(partial)
    os.replace(partial, dest)
    return dest
