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
import shutil
import sys
import time
from datetime import datetime
from pathlib import Path
from contextlib import contextmanager
from typing import Any, Callable, Iterator, TypeVar

import duckdb

from flows.trace import mark

T = TypeVar("T")

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
PUBLIC_FOLDER = "marts"


class DatabaseMissing(FileNotFoundError):
    pass


class DatabaseBusy(RuntimeError):
    """Another process holds the database file (DuckDB allows one writer per file)."""


class DatabaseDamaged(RuntimeError):
    """The database's write-ahead log could not be replayed by any route; the log was kept
    aside and the message says where and what to do."""


def notify(message: str) -> None:
    """One line for the person at the terminal (stderr, so pipes and cron mails stay clean)."""
    print(f"kith: {message}", file=sys.stderr, flush=True)


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
    recovered = False
    while True:
        try:
            return duckdb.connect(str(db_path), read_only=read_only)
        except duckdb.Error as exc:
            if _is_wal_failure(exc):
                if recovered:  # replayed and checkpointed, yet a direct open still fails
                    raise DatabaseDamaged(_damaged_message(db_path, exc, _keep_aside(wal_path(db_path)))) from None
                recover_wal(db_path, exc)
                recovered = True
                continue
            if not isinstance(exc, duckdb.IOException):
                raise
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


def wal_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".wal")


def _is_wal_failure(exc: BaseException) -> bool:
    return "replaying WAL" in str(exc)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def recover_wal(db_path: Path, failure: BaseException) -> None:
    """Bring a database whose write-ahead log DuckDB cannot replay on a direct open back.

    DuckDB 1.4-1.5 fails to replay a log that holds an ``ALTER TABLE`` of a table whose
    columns have function-valued defaults (``nextval``, ``current_timestamp``): "Calling
    DatabaseManager::GetDefaultDatabase with no default database set" (duckdb #20543,
    #22124, #18259). The same log replays cleanly when the file is ATTACHed to an
    in-memory database, and a CHECKPOINT then folds it into the file, so the next direct
    open works. kith checkpoints after every migration, so its own logs no longer hold such
    statements; this is for files written before that, or by another tool.

    If that route fails too, the log is moved aside (never deleted) and DatabaseDamaged
    says where it is and what to do: the file itself opens again at its last checkpoint.
    """
    wal = wal_path(db_path)
    mark("wal recovery start")
    try:
        memory = duckdb.connect(":memory:")
        try:
            alias = "kith_recovery"
            memory.execute(f"attach {_sql_string(str(db_path))} as {alias}")
            memory.execute(f"checkpoint {alias}")
            memory.execute(f"detach {alias}")
        finally:
            memory.close()
    except duckdb.Error as exc:
        if "lock" in str(exc).lower():
            raise DatabaseBusy(f"{db_path} needs its log replayed, but another process holds it; "
                               "try again when that process has finished.") from None
        raise DatabaseDamaged(_damaged_message(db_path, failure, _keep_aside(wal), exc)) from None
    mark("wal recovery done")
    notify(f"{db_path.name}: DuckDB could not replay its log of recent changes directly (a known DuckDB "
           f"bug after an interrupted run); kith replayed it another way and saved it into the file. "
           f"Nothing was lost.")


DUCKDB_HEADERS = 3 * 4096  # a DuckDB file starts with three 4 KB header blocks ...
DUCKDB_MAGIC = b"DUCK"  # ... the first with this at byte 8


def _set_aside_unborn(db_path: Path) -> None:
    """A file a run was killed in while DuckDB created it (shorter than its headers, no magic,
    no log) holds nothing, but DuckDB refuses it ("not a valid DuckDB database file") for
    ever. It is moved aside, never deleted, and the database is created again."""
    try:
        size = db_path.stat().st_size
        with open(db_path, "rb") as handle:
            head = handle.read(16)
    except OSError:
        return
    if size >= DUCKDB_HEADERS or head[8:12] == DUCKDB_MAGIC or wal_path(db_path).exists():
        return
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = db_path.with_name(f"{db_path.name}.incomplete-{stamp}")
    shutil.move(str(db_path), kept)
    make_private(kept)
    notify(f"{db_path.name}: a run was stopped while it created the database ({size} bytes, no data); "
           f"kith created it again (the stub is kept as {kept.name}).")


def _damaged_message(db_path: Path, failure: BaseException, kept: Path,
                     then: BaseException | None = None) -> str:
    why = _first_line(failure) + (f"; then {_first_line(then)}" if then else "")
    return (f"{db_path}'s log of recent changes could not be replayed ({why}). The log is kept at {kept}, "
            f"and the database opens again as of its last checkpoint. To get the changes back, run "
            f"`kith ingest` on your latest exports again (files already stored are skipped), or restore a "
            f"copy made by `kith backup`. Your merges and snoozes are also kept in the -rules.csv and "
            f"-actions.csv files beside the database.")


def _sql_string(text: str) -> str:
    """A SQL string literal (ATTACH takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def _keep_aside(wal: Path) -> Path:
    """Move the log out of DuckDB's way under a name that says why; returns the new path."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = wal.with_name(f"{wal.name}.unreplayed-{stamp}")
    if wal.exists():
        shutil.move(str(wal), kept)
        make_private(kept)
    return kept


def checkpoint(con: duckdb.DuckDBPyConnection) -> None:
    """Fold the write-ahead log into the database file.

    Done after migrations (so no ALTER TABLE is ever left in the log: see ``recover_wal``)
    and after each import, resolution and weekly list (so a killed run leaves little to
    replay). Skipped when another connection of this process has a write open."""
    mark("checkpoint start")
    try:
        con.execute("checkpoint")
    except duckdb.TransactionException:
        pass
    mark("checkpoint done")


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
    mark("open")
    if read_only:
        if not db_path.exists():
            raise DatabaseMissing(f"no kith database at {db_path}: run `kith ingest` or `kith weekly` first")
        return _open(db_path, True, timeout)
    ensure_private_dir(db_path.parent)
    _set_aside_unborn(db_path)
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


def in_transaction(con: duckdb.DuckDBPyConnection, work: Callable[[], T], what: str = "transaction") -> T:
    """Run ``work()`` in one transaction: all of it is stored, or none of it. Then checkpoint,
    so a run killed later has nothing of it left to replay."""
    mark(f"{what} start")
    con.execute("begin transaction")
    try:
        result = work()
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    mark(f"{what} committed")
    checkpoint(con)
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
        mark(f"migration {version:03d} start")
        con.execute("begin transaction")
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("insert into schema_migrations values (?, ?, ?)", [version, name, datetime.now()])
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
        applied.append(version)
        checkpoint(con)  # no ALTER TABLE may stay in the log: DuckDB cannot always replay it
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
    checkpoint(con)
    return True
