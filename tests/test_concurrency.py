"""Safe any time: a second writer waits or gets a clear message, and a run killed at any
moment leaves the database as before that run or as after it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.db import DatabaseBusy, connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
ROWS = 20_000  # about two seconds of parsing and storing here: long enough to be killed midway

INGEST = """
import sys
from pathlib import Path
from flows.db import connect
from flows.ingest import ingest_sources
from flows.sources import discover
con = connect(Path(sys.argv[1]), timeout=120)
print("ingesting", flush=True)
reports = ingest_sources(con, discover([Path(p) for p in sys.argv[2:]]))
print(";".join(r.status for r in reports), flush=True)
"""


def run_ingest(db: Path, *files: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", INGEST, str(db), *map(str, files)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory) -> Path:
    from bench_ingest import write_contacts

    path = tmp_path_factory.mktemp("exports") / "contacts.csv"
    write_contacts(path, ROWS)
    return path


def counts(db: Path) -> tuple[int, int, int]:
    con = connect(db, read_only=True)
    try:
        return con.execute("""select (select count(*) from store.source_files),
                                     (select count(*) from store.person_records),
                                     (select count(distinct record_hash) from store.person_records)""").fetchone()
    finally:
        con.close()


def test_a_busy_database_is_a_clear_message_after_the_wait(tmp_path):
    db = tmp_path / "kith.duckdb"
    connect(db).close()
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(db)!r}); "
                               "print('ready', flush=True); time.sleep(2.5)"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "ready"
    started = time.monotonic()
    with pytest.raises(DatabaseBusy, match=r"in use by another process \(pid \d+\)"):
        connect(db, timeout=0.3)
    assert time.monotonic() - started < 2
    connect(db, timeout=30).close()  # waits for the holder to finish, then opens
    holder.wait(5)


def test_two_concurrent_ingests_both_finish_and_store_each_record_once(tmp_path, big_csv):
    db = tmp_path / "kith.duckdb"
    first, second = run_ingest(db, big_csv), run_ingest(db, big_csv)
    outs = [p.communicate(timeout=180) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outs
    statuses = sorted(out.strip().splitlines()[-1] for out, _ in outs)
    assert statuses == ["already ingested", "loaded"]
    files, records, distinct = counts(db)
    assert (files, records, distinct) == (1, ROWS, ROWS)


def test_a_run_killed_mid_ingest_leaves_before_or_after_and_a_rerun_completes(tmp_path, big_csv):
    db = tmp_path / "kith.duckdb"
    connect(db).close()
    victim = run_ingest(db, big_csv)
    assert victim.stdout.readline().strip() == "ingesting"
    time.sleep(0.8)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(10)
    assert "loaded" not in victim.stdout.read()  # it really was killed mid-run
    files, records, _ = counts(db)
    assert (files, records) in {(0, 0), (1, ROWS)}  # as before the run, or as after it
    rerun = run_ingest(db, big_csv)
    out, err = rerun.communicate(timeout=180)
    assert rerun.returncode == 0, err
    assert counts(db) == (1, ROWS, ROWS)


def test_a_backup_is_a_private_consistent_copy(tmp_path, big_csv):
    from flows.backup import backup_database

    db = tmp_path / "kith.duckdb"
    run_ingest(db, big_csv).communicate(timeout=180)
    (tmp_path / "kith-rules.csv").write_text("kind,record_hash_a\n", encoding="utf-8")
    written = backup_database(db, tmp_path / "copies" / "k.duckdb")
    assert [p.name for p in written] == ["k.duckdb", "k-rules.csv"]
    assert all(oct(p.stat().st_mode & 0o777) == "0o600" for p in written)
    assert counts(written[0]) == counts(db) == (1, ROWS, ROWS)
    with pytest.raises(FileExistsError):
        backup_database(db, written[0])
