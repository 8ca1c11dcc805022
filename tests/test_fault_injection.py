"""kith killed with SIGKILL at many moments (the fast version of bench/fault_injection.py):
the database always opens, the user's decisions survive, and a rerun ends exactly as a run
that was never killed. And a killed flow leaves no Prefect server behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import fault_injection  # noqa: E402


def test_killed_at_every_step_nothing_is_lost(tmp_path):
    said: list[str] = []
    results = fault_injection.run_check(people=120, points=6, direct=True, work=tmp_path, least=1,
                                        report=said.append)
    assert len(results) >= 9, said
    assert all(r["ok"] for r in results), "\n".join(said)
    assert sum(r["killed"] for r in results) >= 6, "\n".join(said)  # most kills landed mid-step
    hits = " ".join(r["hit"] for r in results)
    assert "migration" in hits and "checkpoint" in hits  # a new database's migrations were hit too


def test_a_killed_flow_leaves_no_prefect_server(tmp_path):
    """`kith ingest` starts Prefect's temporary server; kill -9 kith mid-flow and the server
    goes too (before, each one lived on, reparented to init)."""
    trace = tmp_path / "trace"
    env = {**os.environ, "KITH_TRACE": str(trace), "PREFECT_HOME": str(tmp_path / "prefect")}
    env.pop("PREFECT_API_URL", None)
    db = tmp_path / "k.duckdb"
    kith = subprocess.Popen([sys.executable, "-c", "from flows.cli import main; main()", "--db", str(db), "ingest",
                             str(ROOT / "tests" / "fixtures" / "linkedin" / "profile_2024.csv")],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while not (trace.exists() and trace.stat().st_size) and kith.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)  # the flow is running: its task opened the database
    servers = fault_injection.guard_processes(kith.pid)
    os.kill(kith.pid, signal.SIGKILL)
    kith.wait()
    assert servers, "kith started no temporary server through the guard"
    assert fault_injection.kith_processes_left(kith.pid, wait=10) == []
    from flows.db import connect

    connect(db).close()
