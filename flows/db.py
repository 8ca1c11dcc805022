"""The DuckDB file: opening it privately, applying migrations, building the SQL models.

Migrations (sql/migrations/NNN_name.sql) create the stored tables once each, recorded in
``schema_migrations``. Models (sql/models/**) and macros (sql/macros/*.sql) are views and
macros rebuilt whenever their files change; the folder ``marts/`` holds the public views
(schema ``main``), every other folder internal ones (schema ``models``).
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from datetime import datetime
from pathlib import Path
from contextlib import contextmanager
from typing import Any, Callable, Iterator, TypeVar

import duckdb

T = TypeVar("T")

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
PUBLIC_FOLDER = "marts"


class DatabaseMissing(FileNotFoundError):
    pass


class DatabaseBusy(RuntimeError):
    """Another process holds the database file (DuckDB allows one writer per file)."""


def lock_timeout() -> float:
    """Seconds to wait for another kith process to finish writing (KITH_LOCK_TIMEOUT, default 60)."""
    try:
        return max(0.0, float(os.environ.get("KITH_LOCK_TIMEOUT", "60")))
    except ValueError:
        return 60.0


def _open(db_path: Path, read_only: bool, timeout: float | None) -> duckdb.DuckDBPyConnection:
    """duckdb.connect, waiting while another process holds the file's lock.

    DuckDB itself refuses a second process (its lock is what keeps the file whole); kith
    waits for it with a growing pause, then says plainly who is in the way."""
    deadline = time.monotonic() + (lock_timeout() if timeout is None else timeout)
    pause = 0.05
    while True:
        try:
            return duckdb.connect(str(db_path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                holder = re.search(r"PID (\d+)", str(exc))
                who = f"another process (pid {holder.group(1)})" if holder else "another process"
                raise DatabaseBusy(
                    f"{db_path} is in use by {who}, probably another kith run; it was still busy after "
                    f"waiting (KITH_LOCK_TIMEOUT sets how long). Try again when it has finished.") from None
            time.sleep(pause)
            pause = min(pause * 2, 1.0)


def ensure_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) readable by the user only."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        path.chmod(0o700)
    except PermissionError:
        pass


def make_private(path: Path) -> None:
    """Restrict a file kith wrote to the user (0600)."""
    if path.exists():
        path.chmod(0o600)


def connect(db_path: Path, read_only: bool = False, timeout: float | None = None) -> duckdb.DuckDBPyConnection:
    """Open the database. A writer creates it, migrates it and rebuilds changed models.
    While another process writes, wait up to ``timeout`` seconds (default KITH_LOCK_TIMEOUT)
    and then raise DatabaseBusy."""
    db_path = Path(db_path)
    if read_only:
        if not db_path.exists():
            raise DatabaseMissing(f"no kith database at {db_path}: run `kith ingest` or `kith weekly` first")
        return _open(db_path, True, timeout)
    ensure_private_dir(db_path.parent)
    old_umask = os.umask(0o077)
    try:
        con = _open(db_path, False, timeout)
    finally:
        os.umask(old_umask)
    make_private(db_path)
    migrate(con)
    build_models(con)
    return con


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame: Any) -> Iterator[None]:
    """Expose a DataFrame to SQL under ``name`` for the ``with`` block (use a name no view of
    ours uses: kith_...)."""
    con.register(name, frame)
    try:
        yield
    finally:
        con.unregister(name)


def in_transaction(con: duckdb.DuckDBPyConnection, work: Callable[[], T]) -> T:
    """Run ``work()`` in one transaction: all of it is stored, or none of it."""
    con.execute("begin transaction")
    try:
        result = work()
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return result


def migration_files() -> list[tuple[int, str, Path]]:
    found = []
    for path in sorted((SQL_DIR / "migrations").glob("*.sql")):
        match = re.match(r"^(\d+)_(.+)\.sql$", path.name)
        if not match:
            raise ValueError(f"migration file name must be NNN_name.sql: {path}")
        found.append((int(match.group(1)), match.group(2), path))
    return found


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply the migrations not yet recorded, each in its own transaction. Returns their versions."""
    con.execute("""
        create table if not exists schema_migrations (
            version integer primary key, name varchar not null, applied_at timestamp not null)""")
    done = {row[0] for row in con.execute("select version from schema_migrations").fetchall()}
    applied = []
    for version, name, path in migration_files():
        if version in done:
            continue
        con.execute("begin transaction")
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("insert into schema_migrations values (?, ?, ?)", [version, name, datetime.now()])
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
        applied.append(version)
    return applied


def _model_files() -> list[Path]:
    return sorted((SQL_DIR / "models").rglob("*.sql"))


def _macro_files() -> list[Path]:
    return sorted((SQL_DIR / "macros").glob("*.sql"))


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for path in _macro_files() + _model_files():
        digest.update(str(path.relative_to(SQL_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def qualified_name(path: Path) -> str:
    """``marts/people.sql`` -> ``main.people``; ``staging/stg_x.sql`` -> ``models.stg_x``."""
    schema = "main" if path.parent.name == PUBLIC_FOLDER else "models"
    return f"{schema}.{path.stem}"


def _strip_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


def model_order(paths: list[Path]) -> list[Path]:
    """Models sorted so each comes after every model its SQL names (a topological sort)."""
    names = {p.stem: p for p in paths}
    deps = {
        p.stem: {n for n in names if n != p.stem and re.search(rf"\b{re.escape(n)}\b", _strip_comments(p.read_text()))}
        for p in paths
    }
    ordered: list[Path] = []
    state: dict[str, str] = {}

    def visit(name: str, chain: tuple[str, ...]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            raise ValueError(f"SQL models depend on each other in a cycle: {' -> '.join(chain + (name,))}")
        state[name] = "visiting"
        for dep in sorted(deps[name]):
            visit(dep, chain + (name,))
        state[name] = "done"
        ordered.append(names[name])

    for name in sorted(names):
        visit(name, ())
    return ordered


def build_models(con: duckdb.DuckDBPyConnection, force: bool = False) -> bool:
    """(Re)create the macros and views when their SQL changed. Returns True if it rebuilt."""
    fingerprint = _fingerprint()
    current = con.execute("select fingerprint from store.model_build").fetchone()
    if current and current[0] == fingerprint and not force:
        return False
    con.execute("begin transaction")
    try:
        con.execute("create schema if not exists models")
        for path in _macro_files():
            con.execute(path.read_text(encoding="utf-8"))
        for path in model_order(_model_files()):
            body = path.read_text(encoding="utf-8").strip().rstrip(";")
            con.execute(f"create or replace view {qualified_name(path)} as\n{body}")
        con.execute("delete from store.model_build")
        con.execute("insert into store.model_build values (?, ?)", [fingerprint, datetime.now()])
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return True
