#!/usr/bin/env python3
"""How long the everyday commands take, as a user types them: medians of N runs each.

Everything runs in a temporary folder of its own: a Prefect home (``XDG_STATE_HOME``), a
copy of the bundled sample's database (``KITH_DB``), and small contact CSVs (invented
people, bench/bench_ingest.py's layout). Each command runs once unmeasured first, so the
figures are warm (the operating system's caches, Prefect's database built), then N times.
``done`` and ``snooze`` are undone after each run (unmeasured), so every run does the same.

The commands:

* ``kith --help``; ``kith show``, ``kith done``, ``kith snooze``, ``kith config`` and
  ``kith review`` (no input: it shows the first pair and ends) on the sample;
* ``kith weekly --sample`` with no Prefect server running (each run starts and stops
  Prefect's temporary server);
* the same while ``kith serve`` runs in the same Prefect home, and ``kith ingest`` of a new
  1,000-row contact CSV into the sample's database (a fresh copy and a new file each run).

Usage: python bench/bench_commands.py [--runs 5] [--only show,done,...] [--person "Wei Liu"]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import bench_ingest  # noqa: E402

KITH = [str(Path(sys.executable).with_name("kith"))]  # the console script a user runs
SERVE_WAIT = 120  # seconds kith serve may take to announce its server
CSV_ROWS = 1000


def run(args: list[str], env: dict[str, str]) -> float:
    """Seconds one command takes, end to end; a failure stops the bench with its output."""
    started = time.perf_counter()
    out = subprocess.run(KITH + args, cwd=ROOT, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    if out.returncode:
        raise SystemExit(f"kith {' '.join(args)} failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    return seconds


def timed(name: str, args: list[str], env: dict[str, str], runs: int, after: list[str] | None = None,
          before=None) -> dict:
    """Median, min and max of ``runs`` runs after one warm-up; ``after`` (a command) and
    ``before`` (a function of the run number) are unmeasured."""
    times = []
    for i in range(runs + 1):
        if before:
            before(i)
        seconds = run(args, env)
        if after:
            run(after, env)
        if i:
            times.append(seconds)
    row = {"command": name, "median_s": round(statistics.median(times), 2), "min_s": round(min(times), 2),
           "max_s": round(max(times), 2), "runs": runs}
    print(f"{name:<58} {row['median_s']:>6.2f} s  (min {row['min_s']:.2f}, max {row['max_s']:.2f})", flush=True)
    return row


def sample_database(env: dict[str, str]) -> Path:
    """The sample's database, built by one `kith weekly --sample` if there is none yet."""
    db = ROOT / "data" / "sample-run" / "kith.duckdb"
    if not db.exists():
        run(["weekly", "--sample"], env)
    return db


class Serve:
    """`kith serve` in the background, until the context ends; ready once it has announced
    its server (kith-server.json in the Prefect home)."""

    def __init__(self, env: dict[str, str], state: Path) -> None:
        self.env, self.state, self.proc = env, state, None

    def __enter__(self) -> "Serve":
        self.proc = subprocess.Popen(KITH + ["serve"], cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.time() + SERVE_WAIT
        while time.time() < deadline:
            if list(self.state.rglob("kith-server.json")):
                return self
            if self.proc.poll() is not None:
                raise SystemExit("kith serve stopped before announcing its server")
            time.sleep(0.5)
        raise SystemExit(f"kith serve did not announce its server within {SERVE_WAIT} s")

    def __exit__(self, *exc) -> None:
        self.proc.send_signal(2)  # Ctrl-C: serve stops its server and withdraws the announcement
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, 9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--person", default="Wei Liu")
    parser.add_argument("--only", default="", help="comma-separated: help,show,done,snooze,config,review,cold,served,ingest")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args()
    only = set(filter(None, args.only.split(",")))
    want = lambda name: not only or name in only  # noqa: E731

    work = Path(tempfile.mkdtemp(prefix="kith-bench-commands-"))
    state = work / "state"
    env = {**os.environ, "XDG_STATE_HOME": str(state), "PYTHONPATH": str(ROOT)}
    # (and Python keeps compiled modules, as on a user's machine: the warm-up run writes them)
    for key in ("PREFECT_API_URL", "PREFECT_HOME", "KITH_DB", "KITH_CONFIG", "PYTHONDONTWRITEBYTECODE"):
        env.pop(key, None)
    db = work / "kith.duckdb"
    shutil.copy(sample_database(env), db)
    mine = {**env, "KITH_DB": str(db)}
    p = args.person
    rows = []
    try:
        if want("help"):
            rows.append(timed("kith --help", ["--help"], mine, args.runs))
        if want("show"):
            rows.append(timed(f'kith show "{p}"', ["show", p], mine, args.runs))
        if want("done"):
            rows.append(timed(f'kith done "{p}"', ["done", p], mine, args.runs, after=["done", p, "--undo"]))
        if want("snooze"):
            rows.append(timed(f'kith snooze "{p}" --weeks 2', ["snooze", p, "--weeks", "2"], mine, args.runs,
                              after=["snooze", p, "--undo"]))
        if want("config"):
            rows.append(timed("kith config", ["config"], mine, args.runs))
        if want("review"):
            rows.append(timed("kith review (its first pair, then end of input)", ["review"], mine, args.runs))
        if want("cold"):
            rows.append(timed("kith weekly --sample (no server running)", ["weekly", "--sample"], env, args.runs))
        if want("served") or want("ingest"):
            with Serve(env, state):
                if want("served"):
                    rows.append(timed("kith weekly --sample (kith serve running)", ["weekly", "--sample"], env,
                                      args.runs))
                if want("ingest"):
                    csv = work / "contacts.csv"  # (the same 1,000 people, new to each fresh copy)
                    bench_ingest.write_contacts(csv, CSV_ROWS)
                    rows.append(timed(f"kith ingest, a new {CSV_ROWS:,}-row contact CSV (kith serve running)",
                                      ["ingest", str(csv)], mine, args.runs,
                                      before=lambda i: shutil.copy(sample_database(env), db)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
