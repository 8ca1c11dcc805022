"""The Prefect flows, run for real: once in-process under one shared test harness, and
once through the installed ``kith`` command as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from flows.paths import SAMPLE_DIR
from tests.conftest import LINKEDIN

pytestmark = pytest.mark.flow
AS_OF = date(2026, 11, 16)


@pytest.fixture(scope="module")
def prefect_home(tmp_path_factory) -> str:
    """One PREFECT_HOME for the runs of the real command: a fresh one costs each first run
    ~15 s of setting up Prefect's own database (33 s against 18 s here), which tests of
    kith need not pay again and again."""
    return str(tmp_path_factory.mktemp("prefect-home-cli"))


@pytest.fixture
def inbox(tmp_path) -> Path:
    folder = tmp_path / "inbox"
    shutil.copytree(SAMPLE_DIR / "inbox", folder)
    return folder


def test_weekly_flow_lists_stores_and_publishes(prefect_harness, tmp_path, inbox):
    from prefect.client.orchestration import get_client

    from flows.pipeline import weekly_flow

    db, out = tmp_path / "data" / "kith.duckdb", tmp_path / "data" / "out"
    config, snapshot = str(SAMPLE_DIR / "kith.toml"), datetime(2026, 11, 16)
    result = weekly_flow(db=str(db), inbox=str(inbox), out_dir=str(out), as_of=AS_OF, limit=10, config=config,
                         snapshot_at=snapshot)
    assert result["week"] == "2026-W47"
    assert sorted(f["format"] for f in result["files"] if f["status"] == "loaded") == [
        "google_csv", "ics", "linkedin_connections", "linkedin_invitations", "linkedin_messages", "linkedin_profile",
        "mbox", "vcard"]
    assert len(result["list"]) == 10 and all(row["reason"] for row in result["list"])
    assert sorted(p.name for p in out.iterdir()) == ["2026-W47.csv", "2026-W47.html", "2026-W47.ics", "2026-W47.md"]

    again = weekly_flow(db=str(db), inbox=str(inbox), out_dir=str(out), as_of=AS_OF, limit=10, config=config,
                        snapshot_at=snapshot)
    assert {f["status"] for f in again["files"]} == {"already ingested"}
    assert [r["person_id"] for r in again["list"]] == [r["person_id"] for r in result["list"]]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from reconnect_lists").fetchone()[0] == 10

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts()
    assert {"kith-weekly-list", "kith-weekly-table"} <= {a.key for a in artifacts}
    table = max((a for a in artifacts if a.key == "kith-weekly-table"), key=lambda a: a.created)
    assert table.type == "table"
    data = json.loads(table.data) if isinstance(table.data, str) else table.data
    assert [(r["rank"], r["name"]) for r in data] == [(r["rank"], r["display_name"]) for r in again["list"]]
    assert set(data[0]) == {"rank", "name", "company", "reason", "days_since", "overdue_ratio"}


def test_ingest_flow_reports_each_file(prefect_harness, tmp_path):
    from flows.pipeline import ingest_flow

    folder = tmp_path / "drop"
    folder.mkdir()
    for name in ("profile_2024.csv", "messages_2024.csv", "bad_truncated.csv"):
        shutil.copy(LINKEDIN / name, folder / name)
    result = ingest_flow(db=str(tmp_path / "k.duckdb"), paths=[str(folder)], as_of=AS_OF)
    status = {Path(f["source"]).name: f["status"] for f in result["files"]}
    assert status == {"profile_2024.csv": "loaded", "messages_2024.csv": "loaded", "bad_truncated.csv": "failed"}
    assert result["people"] == 2


def test_real_cli_end_to_end(prefect_home, tmp_path, inbox):
    """What a user types: a weekly run on an inbox, then a lookup."""
    kith = [sys.executable, "-c", "from flows.cli import main; main()"]
    env = {**os.environ, "PREFECT_HOME": prefect_home, "KITH_DB": str(tmp_path / "data" / "kith.duckdb")}
    env.pop("PREFECT_API_URL", None)

    weekly = subprocess.run(kith + ["weekly", "--inbox", str(inbox), "--as-of", "2026-11-16"],
                            capture_output=True, text=True, env=env, timeout=300)
    assert weekly.returncode == 0, weekly.stderr
    assert "Reconnect list 2026-W47" in weekly.stdout
    assert weekly.stderr.strip() == ""  # none of Prefect's own chatter
    out = tmp_path / "data" / "out"
    assert stat.S_IMODE((out / "2026-W47.csv").stat().st_mode) == 0o600

    first = (out / "2026-W47.csv").read_text(encoding="utf-8").splitlines()[1].split(",")
    show = subprocess.run(kith + ["show", first[3]], capture_output=True, text=True, env=env, timeout=60)
    assert show.returncode == 0 and "Source records" in show.stdout


def test_real_cli_ingests_a_mixed_folder(prefect_home, tmp_path):
    """One export of each kind in one folder (fixtures/mixed) and one broken file: one
    command, every format loaded, and the broken file named on one line of stderr with exit 1."""
    from tests.test_sources_e2e import mixed_folder

    kith = [sys.executable, "-c", "from flows.cli import main; main()"]
    env = {**os.environ, "PREFECT_HOME": prefect_home, "KITH_DB": str(tmp_path / "data" / "kith.duckdb"),
           "COLUMNS": "200"}
    env.pop("PREFECT_API_URL", None)
    folder = mixed_folder(tmp_path)
    shutil.copy(LINKEDIN / "bad_truncated.csv", folder / "bad_truncated.csv")
    ingest = subprocess.run(kith + ["ingest", str(folder), "--as-of", "2025-03-15"],
                            capture_output=True, text=True, env=env, timeout=300)
    assert ingest.returncode == 1, ingest.stderr
    assert ingest.stderr.strip().count("\n") == 0  # one line
    assert "bad_truncated.csv: line 7: broken CSV" in ingest.stderr
    for fmt in ("linkedin_connections", "linkedin_profile", "google_csv", "outlook_csv", "vcard", "ics"):
        assert fmt in ingest.stdout, fmt
    show = subprocess.run(kith + ["show", "Priya Raman"], capture_output=True, text=True, env=env, timeout=60)
    assert show.returncode == 0, show.stderr
    for text in ("google_csv", "outlook_csv", "vcard", "ics", "linkedin_connections"):
        assert text in show.stdout, text


def test_watch_ingests_a_dropped_file_once_and_sets_a_failure_aside(prefect_home, tmp_path):
    """kith watch --once on a temp inbox: the new export loads once; junk goes to failed/."""
    kith = [sys.executable, "-c", "from flows.cli import main; main()"]
    env = {**os.environ, "PREFECT_HOME": prefect_home, "KITH_DB": str(tmp_path / "data" / "kith.duckdb"),
           "COLUMNS": "200"}
    env.pop("PREFECT_API_URL", None)
    inbox = tmp_path / "data" / "inbox"
    inbox.mkdir(parents=True)
    shutil.copy(LINKEDIN / "connections_2024_preamble.csv", inbox / "Connections.csv")
    (inbox / "junk.csv").write_bytes(b"\x00\x01\x02 not an export")
    first = subprocess.run(kith + ["watch", "--once", "--settle", "0.5", "--interval", "0.3"],
                           capture_output=True, text=True, env=env, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "Connections.csv" in first.stdout and "linkedin_connections" in first.stdout
    assert (inbox / "failed" / "junk.csv").exists() and (inbox / "failed" / "junk.csv.error.txt").exists()
    second = subprocess.run(kith + ["watch", "--once", "--settle", "0.5", "--interval", "0.3"],
                            capture_output=True, text=True, env=env, timeout=300)
    assert second.returncode == 0, second.stderr
    assert "nothing new" in second.stdout  # a new watcher looks again; the file loads once
    with duckdb.connect(str(tmp_path / "data" / "kith.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from store.source_files").fetchone()[0] == 1
