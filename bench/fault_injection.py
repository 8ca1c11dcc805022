#!/usr/bin/env python3
"""Kill kith with SIGKILL at many moments and check that nothing is ever lost or bricked.

A synthetic world (bench/make_sample.py, ``--people`` connections) is loaded the way a user
would, one command at a time, each a real ``kith`` process:

    ingest    kith ingest linkedin/              (a new database: every migration runs)
    decide    kith merge, kith snooze, kith tier (the user's decisions)
    ingest2   kith ingest google/ apple/
    watch     kith watch --once                  (the calendar dropped into the inbox)
    resolve   kith resolve --full
    weekly    kith weekly
    backup    kith backup

A clean run records, before each step, a copy of the data folder, and after it a fingerprint
of the database: the source files, person records, interactions, people (which records each
person holds, by id), rules, actions and the weekly list (no timestamps). Then for each kill
point: the copy from before its step is laid out afresh, the step runs, and it is killed
``offset`` seconds after its first database work (the first line kith writes to its trace,
KITH_TRACE). After the kill the check asserts that

* kith's ``connect`` opens the database, and so does DuckDB alone (kith never leaves a log
  that DuckDB cannot replay: flows/db.py, ``recover_wal``);
* the decisions made before the kill are all still there;
* no process of kith's is left: the temporary Prefect server a flow started is gone;
* a half-written backup is never under its final name;
* running the step again ends with exactly the fingerprint of the clean run after it (later
  steps are functions of that state, so the whole run ends as the clean one does).

Kill offsets are spread evenly over each step's working time in the clean run, the first at
0 s (migrations of the new database, for the first step). Each line printed says where the
kill landed: the last trace line written before it.

Usage: python bench/fault_injection.py [--people 3000] [--points 24] [--rounds 3]
       python bench/fault_injection.py --direct    (steps as plain Python, no Prefect: fast)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-16"
CONFIG = ROOT / "data" / "sample" / "kith.toml"
DIRECT = """
import sys
from flows.cli import main
sys.argv = ["kith", *sys.argv[1:]]
main()
"""


@dataclass
class Step:
    name: str
    args: list[str]           # after `kith --db DB`; {world} and {data} are filled in
    flow: bool                # runs a Prefect flow (a temporary server)
    killable: bool = True


def steps(direct: bool) -> list[Step]:
    """The user's commands, in order. ``direct`` runs ingest and weekly without Prefect
    (kith resolve and the plain functions) for the fast check in the tests."""
    ingest = ["ingest", "--as-of", AS_OF]
    return [
        Step("ingest", ["_direct_ingest" if direct else "ingest", "{world}/linkedin", *ingest[1:]], not direct),
        Step("decide", ["_decide"], False, killable=False),
        Step("ingest2", ["_direct_ingest" if direct else "ingest", "{world}/google", "{world}/apple", *ingest[1:]],
             not direct),
        Step("watch", ["_direct_ingest", "{world}/calendar", *ingest[1:]] if direct else
             ["watch", "--once", "--inbox", "{data}/inbox", "--settle", "0", "--interval", "0.2"], not direct),
        Step("resolve", ["resolve", "--full"], False),
        Step("weekly", ["_direct_weekly"] if direct else ["weekly", "--as-of", AS_OF, "--inbox", "{data}/inbox"],
             not direct),
        Step("backup", ["backup", "{data}/backups/copy.duckdb"], False),
    ]


# ---------------------------------------------------------------- running one step

DIRECT_INGEST = """
import sys
from contextlib import closing
from datetime import date
from pathlib import Path
from flows.config import load_settings
from flows.db import connect
from flows.ingest import ingest_sources
from flows.people import resolve_people
from flows.scoring import set_as_of
from flows.sources import discover
from transforms.records import ParseContext
db, *paths, _, as_of = sys.argv[1:]
settings = load_settings(Path(db).with_name("kith.toml"))
with closing(connect(Path(db))) as con:
    ingest_sources(con, discover([Path(p) for p in paths]),
                   options=ParseContext(owner=settings.owner, phone_region=settings.phone_region))
    resolve_people(con, settings.owner)
    set_as_of(con, date.fromisoformat(as_of))
"""

DIRECT_WEEKLY = """
import sys
from contextlib import closing
from datetime import date
from pathlib import Path
from flows.config import load_settings
from flows.db import connect
from flows.people import resolve_people
from flows.scoring import set_as_of, store_weekly_list
db = Path(sys.argv[1])
settings = load_settings(db.with_name("kith.toml"))
with closing(connect(db)) as con:
    resolve_people(con, settings.owner)
    set_as_of(con, date.fromisoformat(%r))
    store_weekly_list(con, date.fromisoformat(%r), 10)
""" % (AS_OF, AS_OF)


def command(step: Step, db: Path, world: Path) -> list[str]:
    args = [a.format(world=world, data=db.parent) for a in step.args]
    if args[0] == "_direct_ingest":
        return [sys.executable, "-c", DIRECT_INGEST, str(db), *args[1:]]
    if args[0] == "_direct_weekly":
        return [sys.executable, "-c", DIRECT_WEEKLY, str(db)]
    if args[0] == "_decide":
        return [sys.executable, "-c", DECIDE, str(db)]
    return [sys.executable, "-c", DIRECT, "--db", str(db), *args]


# The user's decisions: a merge of two people, a snooze, a tier. Picked from the database
# by rule (the first people by id: ids are stable), so every run picks the same ones.
DECIDE = """
import subprocess, sys
from pathlib import Path
from flows.db import connect
db = sys.argv[1]
con = connect(Path(db), read_only=True)
names = [str(r[0]) for r in con.execute('''
    select person_id from people where display_name is not null order by person_id limit 4''').fetchall()]
con.close()
kith = [sys.executable, "-c", "import sys; from flows.cli import main; sys.argv[0] = 'kith'; main()", "--db", db]
for args in (["merge", names[0], names[1], "--note", "fault check"], ["snooze", names[2], "--until", "2027-01-10"],
             ["tier", names[3], "2"]):
    done = subprocess.run(kith + args, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"kith {' '.join(args)}: {done.stderr}")
"""


def run_step(step: Step, db: Path, world: Path, trace: Path, kill_after: float | None = None,
             kill_on: str | None = None, timeout: float = 900) -> tuple[int | None, float, str]:
    """Run one step; with ``kill_after``, SIGKILL it that many seconds after its first trace
    line; with ``kill_on``, as soon as a trace line holds that text. Returns (return code or
    None when killed, seconds from first trace line to the end or the kill, the last trace
    line before the end)."""
    env = {**os.environ, "KITH_TRACE": str(trace), "KITH_LOCK_TIMEOUT": "120"}
    env.pop("PREFECT_API_URL", None)
    trace.unlink(missing_ok=True)
    process = subprocess.Popen(command(step, db, world), cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    started = time.monotonic()
    first: float | None = None
    while True:
        if first is None and trace.exists() and trace.stat().st_size:
            first = time.monotonic()
        if process.poll() is not None:
            err = process.stderr.read()
            if process.returncode != 0:
                raise RuntimeError(f"step {step.name} failed ({process.returncode}): {err[-2000:]}")
            return process.returncode, time.monotonic() - (first or started), last_line(trace)
        due = kill_after is not None and first is not None and time.monotonic() - first >= kill_after
        if kill_on is not None and first is not None and kill_on in trace.read_text(encoding="utf-8"):
            due = True
        if due:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            process.stderr.close()
            return None, time.monotonic() - first, last_line(trace)
        if time.monotonic() - started > timeout:
            process.kill()
            raise RuntimeError(f"step {step.name} took more than {timeout:.0f} s")
        time.sleep(0.002)


def last_line(trace: Path) -> str:
    if not trace.exists():
        return "(before any database work)"
    events = [line.split(" ", 2)[2] for line in trace.read_text(encoding="utf-8").strip().splitlines()]
    if not events:
        return "(before any database work)"
    # a generic mark (open, checkpoint) says more with the step it belongs to
    return " > ".join(events[-2:]) if len(events) > 1 and events[-1].split()[0] in GENERIC else events[-1]


GENERIC = {"open", "checkpoint"}


# ---------------------------------------------------------------- what must come out the same

FINGERPRINT = {
    "files": "select sha256, format from store.source_files order by sha256",
    "records": "select record_hash from store.person_records order by record_hash",
    "interactions": "select record_hash, record_id from store.interaction_records order by record_hash",
    "people": """select m.person_id, list(r.record_hash order by r.record_hash)
                 from store.person_map m join store.person_records r using (record_id)
                 group by m.person_id order by m.person_id""",
    "rules": """select kind, least(record_hash_a, record_hash_b), greatest(record_hash_a, record_hash_b), source, note
                from store.resolution_rules order by all""",
    "actions": "select kind, record_hashes, on_date, layer, note from store.user_actions order by all",
    "list": "select week, rank, person_id, display_name, reason from reconnect_lists order by week, rank",
}
DECISIONS = ("rules", "actions")


def fingerprint(db: Path) -> dict[str, str]:
    """Each part of the state as a short digest (through kith's own connect, in a child
    process so a failure to open is reported, not inherited)."""
    code = f"""
import hashlib, json, sys
from pathlib import Path
from flows.db import connect
con = connect(Path(sys.argv[1]))
queries = {FINGERPRINT!r}
out = {{}}
for name, sql in queries.items():
    rows = con.execute(sql).fetchall()
    out[name] = f"{{len(rows)}}:" + hashlib.sha256(repr(rows).encode()).hexdigest()[:16]
con.close()
print(json.dumps(out))
"""
    result = subprocess.run([sys.executable, "-c", code, str(db)], cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"kith could not open {db} after the kill: {result.stderr.strip()[-1500:]}")
    return json.loads(result.stdout)


def duckdb_alone_opens(db: Path) -> bool:
    probe = subprocess.run([sys.executable, "-c", "import duckdb, sys; duckdb.connect(sys.argv[1]).close()",
                            str(db)], capture_output=True)
    return probe.returncode == 0


def guard_processes(pid: int) -> list[int]:
    """Processes a kith with this pid started through flows/server_guard.py (its servers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"flows.server_guard" in argv and str(pid).encode() in argv:
            found.append(int(entry.name))
    return found


def kith_processes_left(pid: int, wait: float = 8.0) -> list[int]:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        left = guard_processes(pid)
        if not left:
            return []
        time.sleep(0.2)
    return guard_processes(pid)


# ---------------------------------------------------------------- the check

@dataclass
class CleanRun:
    before: list[Path]                    # data folder copies, one per step
    after: list[dict[str, str]]           # fingerprints, one per step
    working: list[float]                  # seconds from a step's first trace line to its end
    last_pid: list[int] = field(default_factory=list)


def lay_out(copy: Path, data: Path) -> Path:
    if data.exists():
        shutil.rmtree(data)
    shutil.copytree(copy, data)
    return data / "kith.duckdb"


def prepare(world: Path, work: Path) -> Path:
    """The first data folder: kith.toml (the owner) and an inbox holding the calendar, for
    ``kith watch``; the database does not exist yet."""
    start = work / "start"
    (start / "inbox").mkdir(parents=True)
    shutil.copy(CONFIG, start / "kith.toml")
    shutil.copytree(world / "calendar", start / "inbox" / "calendar")
    return start


def clean_run(plan: list[Step], world: Path, work: Path) -> CleanRun:
    current = prepare(world, work)
    before, after, working = [], [], []
    data = work / "clean"
    for i, step in enumerate(plan):
        before.append(current)
        db = lay_out(current, data)
        _, seconds, _ = run_step(step, db, world, work / "trace-clean")
        working.append(seconds)
        after.append(fingerprint(db))
        current = work / f"after-{i}"
        shutil.copytree(data, current)
    return CleanRun(before, after, working)


# Moments named by what kith is doing, on top of the moments spread over time: between the
# migrations of a new database (an ALTER TABLE among them, the statement DuckDB cannot replay
# from its log), and between an import's commit and its checkpoint.
EVENTS = {"ingest": ["migration 003 start", "migration 006 start", "committed"]}


def kill_points(plan: list[Step], clean: CleanRun, count: int, least: int = 2) -> list[tuple[int, float | str]]:
    """About ``count`` (step, offset or trace event) pairs: the EVENTS, and offsets spread
    over the killable steps' working time, each step at least ``least``, the first at 0 s."""
    killable = [i for i, s in enumerate(plan) if s.killable]
    total = sum(clean.working[i] for i in killable)
    points: list[tuple[int, float | str]] = []
    for i in killable:
        points += [(i, event) for event in EVENTS.get(plan[i].name, [])]
        n = max(least, round(count * clean.working[i] / total))
        points += [(i, clean.working[i] * k / n) for k in range(n)]
    return points


def check_point(plan: list[Step], clean: CleanRun, world: Path, work: Path, index: int,
                when: float | str) -> dict:
    step = plan[index]
    data = work / "killed"
    db = lay_out(clean.before[index], data)
    at_event = isinstance(when, str)
    code, at, hit = run_step(step, db, world, work / "trace-kill", kill_after=None if at_event else when,
                             kill_on=when if at_event else None)
    pid_file = work / "trace-kill"
    pids = {int(line.split(" ", 2)[1]) for line in pid_file.read_text().splitlines()} if pid_file.exists() else set()
    left = sorted({p for pid in pids for p in kith_processes_left(pid)})
    alone = duckdb_alone_opens(db) if db.exists() else True
    state = fingerprint(db) if db.exists() else None
    before = clean.after[index - 1] if index else None
    lost = [k for k in DECISIONS if before and state and state[k] != before[k]]
    backups = data / "backups"
    partial_backup = backups.exists() and any(
        p.name == "copy.duckdb" and not _opens(p) for p in backups.iterdir())
    finished_backup = step.name == "backup" and (backups / "copy.duckdb").exists()  # killed after its rename
    if not finished_backup:
        run_step(step, db, world, work / "trace-rerun")
    rerun = fingerprint(db)
    differs = [k for k in rerun if rerun[k] != clean.after[index][k]]
    return {"step": step.name, "when": when if at_event else f"+{when:.2f} s", "killed": code is None, "at": round(at, 3), "hit": hit,
            "duckdb_alone_opens": alone, "decisions_lost": lost, "processes_left": left,
            "half_backup": partial_backup, "rerun_differs": differs,
            "ok": alone and not lost and not left and not partial_backup and not differs}


def _opens(path: Path) -> bool:
    probe = subprocess.run([sys.executable, "-c", "import duckdb, sys; duckdb.connect(sys.argv[1], read_only=True)"
                            ".execute('select count(*) from store.person_records').fetchone()", str(path)],
                           capture_output=True)
    return probe.returncode == 0


def run_check(people: int, points: int, direct: bool, work: Path, seed: int = 7, least: int = 2,
              report=print) -> list[dict]:
    world = work / "world"
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_sample.py"), "--out", str(world),
                    "--people", str(people), "--seed", str(seed)], check=True, capture_output=True)
    plan = steps(direct)
    started = time.monotonic()
    clean = clean_run(plan, world, work)
    report(f"clean run: {sum(clean.working):.1f} s of database work over {len(plan)} steps ("
           + ", ".join(f"{s.name} {w:.1f} s" for s, w in zip(plan, clean.working)) + f"); "
           f"{time.monotonic() - started:.0f} s in all")
    results = []
    for n, (index, when) in enumerate(kill_points(plan, clean, points, least), 1):
        result = check_point(plan, clean, world, work, index, when)
        results.append(result)
        report(f"{n:3d} {result['step']:<8} {result['when']:>20}  "
               f"{'killed' if result['killed'] else 'ended first'} in: {_short(result['hit']):<64} "
               f"{'ok' if result['ok'] else 'FAIL ' + json.dumps(result)}"
               + ("" if result["duckdb_alone_opens"] else "  (kith left a log DuckDB cannot replay)"))
    return results


def _short(hit: str, width: int = 64) -> str:
    """A trace line for the table: file paths by their name, cut to ``width``."""
    words = [Path(w).name if "/" in w else w for w in hit.split(" ")]
    text = " ".join(words)
    return text if len(text) <= width else text[: width - 1] + "…"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=3000, help="connections in the world")
    parser.add_argument("--points", type=int, default=24, help="kill points per round (about)")
    parser.add_argument("--rounds", type=int, default=1, help="rounds in a row, each must pass")
    parser.add_argument("--direct", action="store_true", help="plain Python steps, no Prefect")
    args = parser.parse_args(argv)
    failed = 0
    for round_ in range(1, args.rounds + 1):
        with tempfile.TemporaryDirectory(prefix="kith-faults-") as tmp:
            print(f"round {round_}: {args.people} people, ~{args.points} kill points")
            results = run_check(args.people, args.points, args.direct, Path(tmp))
            bad = [r for r in results if not r["ok"]]
            killed = sum(r["killed"] for r in results)
            bricked = sum(not r["duckdb_alone_opens"] for r in results)
            print(f"round {round_}: {len(results)} points ({killed} killed mid-step), {len(bad)} failed; "
                  f"a log DuckDB alone could not replay after {bricked} of them")
            failed += len(bad)
    print(f"{'PASS' if not failed else 'FAIL'}: {failed} failed points")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
