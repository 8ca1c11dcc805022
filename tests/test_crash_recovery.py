"""A crash never bricks the database: a log DuckDB cannot replay is recovered by kith's own
``connect``, kith never leaves such a log behind, and when nothing can replay it the log is
kept aside with a one-line message instead of a stack trace."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows import db as kith_db
from flows.db import DatabaseDamaged, connect, wal_path

ROOT = Path(__file__).resolve().parent.parent

# The reproduction from the issue (DuckDB 1.5.x): a function-valued default, then ALTER TABLE,
# then the process ends without a checkpoint (a kill, an OOM, a dead battery).
BRICK = """
import duckdb, os, sys
con = duckdb.connect(sys.argv[1])
con.execute("create schema store")
con.execute("create table store.t (id integer, at_ts timestamp default current_timestamp)")
con.execute("insert into store.t (id) values (1)")
con.execute("alter table store.t add column x integer")
con.execute("insert into store.t (id, x) values (2, 20)")
os._exit(0)
"""


def bricked(path: Path) -> Path:
    subprocess.run([sys.executable, "-c", BRICK, str(path)], check=True, cwd=ROOT)
    assert wal_path(path).exists()
    return path


def direct_open_fails(path: Path) -> bool:
    """Whether DuckDB itself fails to open the file (in a child: a failed replay may leave
    this process's DuckDB in a state no test should share)."""
    probe = subprocess.run([sys.executable, "-c", "import duckdb, sys; duckdb.connect(sys.argv[1]).close()",
                            str(path)], capture_output=True, text=True)
    return probe.returncode != 0 and "replaying WAL" in probe.stderr


def test_the_five_line_reproduction_bricks_duckdb_but_not_kiths_connect(tmp_path, capsys):
    db = bricked(tmp_path / "k.duckdb")
    assert direct_open_fails(db)  # the DuckDB bug is real on this version (else the test proves nothing)

    con = connect(db)
    try:
        assert con.execute("select id, x from store.t order by id").fetchall() == [(1, None), (2, 20)]
    finally:
        con.close()
    said = capsys.readouterr().err.strip().splitlines()
    assert len(said) == 1 and "Nothing was lost" in said[0] and "k.duckdb" in said[0]
    assert not direct_open_fails(db)  # checkpointed: DuckDB opens it directly again
    assert not wal_path(db).exists() or wal_path(db).stat().st_size == 0


def test_a_read_only_open_recovers_too(tmp_path):
    db = bricked(tmp_path / "k.duckdb")
    con = connect(db, read_only=True)
    try:
        assert con.execute("select count(*) from store.t").fetchone() == (2,)
    finally:
        con.close()


KILLED_AFTER_MIGRATIONS = """
import os, sys
from pathlib import Path
from flows.db import connect
con = connect(Path(sys.argv[1]))
con.execute("insert into store.owner_identities values ('email', 'me@example.org', null)")
os._exit(0)
"""


def test_kith_leaves_no_log_duckdb_cannot_replay(tmp_path):
    """A new database gets every migration (ALTER TABLE among them) and then the process
    dies: the migrations were checkpointed, so DuckDB itself opens the file."""
    db = tmp_path / "k.duckdb"
    subprocess.run([sys.executable, "-c", KILLED_AFTER_MIGRATIONS, str(db)], check=True, cwd=ROOT)
    assert not direct_open_fails(db)
    con = duckdb.connect(str(db))
    try:
        assert con.execute("select count(*) from store.owner_identities").fetchone() == (1,)
        assert con.execute("select count(*) from schema_migrations").fetchone()[0] >= 8
    finally:
        con.close()


class _FailingAttach:
    """An in-memory connection whose ATTACH fails: the case where no route replays the log."""

    def __init__(self, real):
        self.real = real

    def execute(self, sql, *args):
        if sql.lstrip().lower().startswith("attach"):
            raise duckdb.InternalException("INTERNAL Error: Failure while replaying WAL file: simulated")
        return self.real.execute(sql, *args)

    def close(self):
        self.real.close()


def test_a_log_nothing_can_replay_is_kept_aside_with_what_to_do(tmp_path, monkeypatch):
    db = bricked(tmp_path / "k.duckdb")
    real_connect = duckdb.connect

    def fake_connect(database=":memory:", *args, **kwargs):
        if database == ":memory:":
            return _FailingAttach(real_connect(":memory:"))
        raise duckdb.InternalException('INTERNAL Error: Failure while replaying WAL file "k.duckdb.wal": simulated')

    monkeypatch.setattr(kith_db.duckdb, "connect", fake_connect)
    with pytest.raises(DatabaseDamaged) as caught:
        connect(db)
    monkeypatch.undo()

    kept = list(tmp_path.glob("k.duckdb.wal.unreplayed-*"))
    assert len(kept) == 1 and kept[0].stat().st_size > 0  # never deleted
    message = str(caught.value)
    assert str(kept[0]) in message and "kith ingest" in message and "kith backup" in message
    assert "\n" not in message
    connect(db).close()  # the file opens again, as of its last checkpoint


def test_the_cli_says_one_line_and_no_stack_trace(tmp_path, monkeypatch):
    """Through the real command: a damaged log is one line on stderr and exit code 4."""
    db = bricked(tmp_path / "k.duckdb")

    def no_recovery(db_path, failure):
        raise DatabaseDamaged(f"{db_path}: simulated, the log is kept at somewhere")

    monkeypatch.setattr(kith_db, "recover_wal", no_recovery)
    import flows.cli

    monkeypatch.setattr(sys, "argv", ["kith", "--db", str(db), "show", "anyone"])
    monkeypatch.setattr(flows.cli.err, "width", 200)
    with pytest.raises(SystemExit) as stopped:
        flows.cli.main()
    assert stopped.value.code == 4


def test_recovery_through_the_cli_goes_on_with_the_command(tmp_path):
    db = bricked(tmp_path / "k.duckdb")
    result = subprocess.run([sys.executable, "-c", "from flows.cli import main; main()", "--db", str(db),
                             "resolve"], capture_output=True, text=True, cwd=ROOT)
    assert "Traceback" not in result.stderr
    assert "Nothing was lost" in result.stderr
    assert result.returncode == 0 and "0 people" in result.stdout  # and the command itself went on


def test_a_database_file_killed_while_duckdb_created_it_is_created_again(tmp_path, capsys):
    """kill -9 between DuckDB creating the file and writing its header left a file DuckDB
    refuses for ever; kith keeps the stub aside and starts the database again."""
    import duckdb

    from flows.db import connect

    db = tmp_path / "kith.duckdb"
    db.write_bytes(b"")  # what the kill left
    with pytest.raises(duckdb.IOException, match="not a valid DuckDB database file"):
        duckdb.connect(str(db)).close()  # DuckDB alone: stuck
    connect(db).close()
    assert duckdb.connect(str(db)).execute("select count(*) from store.source_files").fetchone() == (0,)
    assert [p.name.split("-")[0] for p in tmp_path.glob("kith.duckdb.incomplete-*")] == ["kith.duckdb.incomplete"]
    assert "a run was stopped while it created the database" in capsys.readouterr().err
    real = tmp_path / "real.duckdb"
    connect(real).close()
    connect(real).close()  # a real database is never taken for a stub
    assert not list(tmp_path.glob("real.duckdb.incomplete-*"))
