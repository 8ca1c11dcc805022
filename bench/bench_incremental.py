#!/usr/bin/env python3
"""What an incremental resolution saves over a full one after a small new export, and how far
its result is from the full one's.

Starts from a kept benchmark run's database (``bench_resolution.py --keep DIR``: ingested and
resolved), which it only copies, never opens for writing. The copy is resolved in full once
(``resolve_people(con, full=True)``: this records the run an incremental one builds on), and
every record's match keys are stored (``key_records``: what the first incremental run of a
resolver version does before its own work; timed apart). Then, for each ``--new N``, on a
fresh copy of that resolved and keyed database:

1. adds a small new export of N person records, copies of stored ones under a new
   record_hash: a third as they were (a contact seen again, linked by LinkedIn profile or
   email), a third with the first name misspelt and no email or phone (linked by name and
   company, if at all), and a third new people (a first name and a surname from two other
   records, a new address);
2. times ``resolve_people(con)`` (incremental), keeps its person_map and match_pairs, then
   times ``resolve_people(con, full=True)`` on the same records;
3. compares the two: records whose person_id differs, people of one result that are not
   exactly a person of the other, and match_pairs rows (pair and decision) in one only.

Each resolution runs in a fresh process, so its time includes cold caches (as ``kith
ingest`` has) and its peak memory (max RSS) is its own.

Usage:
  python bench/bench_incremental.py /tmp/s3/rb/people-100000/kith.duckdb
  python bench/bench_incremental.py DIR/people-483215/kith.duckdb --new 100 1000 --work /tmp/inc
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402
import polars as pl  # noqa: E402

from transforms.normalize import name_key  # noqa: E402


# ------------------------------------------------------------------ one resolution (in a fresh process)


def child(mode: str, db: str) -> dict:
    """``full``: resolve_people(full=True); ``incremental``: resolve_people(); ``keys``: key_records."""
    from flows.db import connect
    from flows.people import key_records, last_run, resolve_people

    con = connect(Path(db))
    started = time.perf_counter()
    if mode == "keys":
        result = {"records": key_records(con)}
    else:
        people = resolve_people(con, full=mode == "full")
        run = last_run(con)
        result = {"mode": run.mode, "reason": run.reason, "people": people, "resolved_records": run.resolved_records}
    seconds = time.perf_counter() - started
    con.close()
    return {**result, "seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def measure(mode: str, db: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, str(db)], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------ a small new export


def _misspelt(name: str, rng: random.Random) -> str:
    """Two neighbouring letters swapped (a typo), or the name as it was when too short."""
    if len(name) < 4:
        return name
    i = rng.randrange(1, len(name) - 2)
    return name[:i] + name[i + 1] + name[i] + name[i + 2:]


def new_records(con: duckdb.DuckDBPyConnection, n: int, seed: int) -> pl.DataFrame:
    """N person records of a new export, made from stored ones (see the module docstring)."""
    rng = random.Random(seed)
    stored = con.execute("""select * exclude (record_id) from store.person_records
                            where first_name is not null and last_name is not null""").pl()
    picks = stored[sorted(rng.sample(range(stored.height), n))]
    others = stored[[rng.randrange(stored.height) for _ in range(2 * n)]]
    rows = []
    for i, row in enumerate(picks.iter_rows(named=True)):
        kind = i % 3
        if kind == 1:  # the same person, misspelt, without the keys that would link deterministically
            row.update(first_name=_misspelt(row["first_name"], rng), emails=[], phones=[], linkedin_url=None,
                       linkedin_slug=None)
        elif kind == 2:  # someone new
            first, last = others["first_name"][2 * i], others["last_name"][2 * i + 1]
            row.update(first_name=first, last_name=last, company=others["company"][2 * i],
                       emails=[f"{first}.{last}.{seed}.{i}@newmail.example".lower().replace(" ", "")], phones=[],
                       linkedin_url=None, linkedin_slug=None)
        row["full_name"] = f"{row['first_name']} {row['last_name']}"
        row["name_key"] = name_key(row["full_name"])
        row.update(record_key=str(i + 1), line_no=i + 2, record_hash=f"bench-incremental-{seed}-{i}")
        rows.append(row)
    return pl.DataFrame(rows, schema=stored.schema)


def add_export(db: Path, n: int, seed: int) -> None:
    """Store N new records as one new source file, the way ingest would."""
    con = duckdb.connect(str(db))
    records = new_records(con, n, seed)
    con.execute("begin transaction")
    file_id = con.execute(
        """insert into store.source_files (path, member, display_path, sha256, format, size_bytes, exported_on,
               ingested_at, records_read, records_new, records_known, records_rejected)
           values (?, null, ?, ?, 'google_csv', 0, null, ?, ?, ?, 0, 0) returning file_id""",
        [f"/bench/new-{n}.csv", f"/bench/new-{n}.csv", f"bench-incremental-{seed}-{n}", datetime.now(), n, n],
    ).fetchone()[0]
    con.register("bench_new", records.with_columns(pl.lit(file_id).alias("file_id")))
    columns = ", ".join(records.columns)
    con.execute(f"insert into store.person_records ({columns}) select {columns} from bench_new")
    con.execute("commit")
    con.close()


# ------------------------------------------------------------------ comparing two resolutions


def snapshot(db: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    con = duckdb.connect(str(db), read_only=True)
    mapping = con.execute("select record_id, person_id from store.person_map").pl()
    pairs = con.execute("select record_id_a, record_id_b, decision from store.match_pairs").pl()
    con.close()
    return mapping, pairs


def changed_people(mapping: pl.DataFrame, other: pl.DataFrame) -> int:
    """People of ``mapping`` whose records are not exactly one person of ``other``."""
    sizes = other.group_by("person_id").len().rename({"person_id": "other_id", "len": "other_size"})
    per_person = (mapping.join(other.rename({"person_id": "other_id"}), on="record_id")
                  .group_by("person_id").agg(pl.len().alias("size"), pl.col("other_id").n_unique().alias("n_other"),
                                             pl.col("other_id").first()))
    changed = per_person.join(sizes, on="other_id").filter(
        (pl.col("n_other") > 1) | (pl.col("size") != pl.col("other_size")))
    return changed.height


def differences(incremental: tuple[pl.DataFrame, pl.DataFrame], full: tuple[pl.DataFrame, pl.DataFrame]) -> dict:
    """How far the incremental result is from the full one: records in another person,
    people (of either result) that are not a person of the other, pairs in one result only."""
    (map_i, pairs_i), (map_f, pairs_f) = incremental, full
    moved = map_i.join(map_f, on="record_id", suffix="_full").filter(pl.col("person_id") != pl.col("person_id_full"))
    pair = ["record_id_a", "record_id_b", "decision"]
    return {"records_moved": moved.height,
            "people_incremental": changed_people(map_i, map_f), "people_full": changed_people(map_f, map_i),
            "pairs_only_incremental": pairs_i.join(pairs_f, on=pair, how="anti").height,
            "pairs_only_full": pairs_f.join(pairs_i, on=pair, how="anti").height,
            "pairs": pairs_f.height, "people": map_f["person_id"].n_unique()}


# ------------------------------------------------------------------ main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db", nargs="?", type=Path, help="a kept run's kith.duckdb (copied, never changed)")
    parser.add_argument("--new", type=int, nargs="+", default=[100, 1000], help="new records per simulated export")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, help="folder for the copies [default: a temporary one, removed]")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    if not args.db or not args.db.exists():
        parser.error("give the kith.duckdb of a kept benchmark run")
    work = args.work or Path(tempfile.mkdtemp(prefix="kith-bench-incremental-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        run(args.db, work, args.new, args.seed)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


def run(source: Path, work: Path, sizes: list[int], seed: int) -> None:
    base = work / "base.duckdb"
    shutil.copyfile(source, base)
    con = duckdb.connect(str(base), read_only=True)
    stored = con.execute("select count(*) from store.person_records").fetchone()[0]
    con.close()
    first = measure("full", base)
    keys = measure("keys", base)
    print(f"{source}: {stored:,} records, {first['people']:,} people")
    print(f"full resolution:                  {first['seconds']:6.1f} s  {first['peak_mb']:6.0f} MB")
    print(f"keying every record (once):       {keys['seconds']:6.1f} s  {keys['peak_mb']:6.0f} MB")
    print()
    print(f"{'new':>6} {'mode':>12} {'resolved':>9} {'seconds':>8} {'peak MB':>8} {'full s':>7} {'full MB':>8} "
          f"{'speed-up':>8} {'moved':>6} {'people ≠':>9} {'pairs ≠':>8}")
    for n in sizes:
        db = work / f"new-{n}.duckdb"
        shutil.copyfile(base, db)
        add_export(db, n, seed)
        inc = measure("incremental", db)
        inc_result = snapshot(db)
        full = measure("full", db)
        diff = differences(inc_result, snapshot(db))
        people_differ = f"{diff['people_incremental']}/{diff['people_full']}"
        pairs_differ = diff["pairs_only_incremental"] + diff["pairs_only_full"]
        print(f"{n:>6} {inc['mode']:>12} {inc['resolved_records']:>9,} {inc['seconds']:>8.2f} {inc['peak_mb']:>8.0f} "
              f"{full['seconds']:>7.1f} {full['peak_mb']:>8.0f} {full['seconds'] / inc['seconds']:>7.1f}x "
              f"{diff['records_moved']:>6} {people_differ:>9} {pairs_differ:>8}")
        if inc["mode"] != "incremental":
            print(f"       (full because {inc['reason']})")
        db.unlink()
    print()
    print("resolved: records the incremental run gave the matcher. moved: records whose person_id differs between")
    print("the incremental and the full result. people ≠: people of the incremental / of the full result that are")
    print("not exactly one person of the other. pairs ≠: match_pairs rows (pair and decision) in one result only.")


if __name__ == "__main__":
    main()
