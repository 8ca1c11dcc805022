#!/usr/bin/env python3
"""Time kith's pipeline steps (without Prefect) on synthetic LinkedIn exports of growing size.

For each size it writes an export with bench/make_sample.py into a temp folder, then times:
ingest (read, detect, parse, store), a re-ingest of the same files (skipped by hash),
resolution, scoring, and picking the weekly list. Figures are wall-clock seconds on this
machine; records = data rows read (connections + messages + invitations).

Usage: python bench/bench_pipeline.py [--people 300 3000 30000]
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from contextlib import closing, redirect_stdout
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_sample  # noqa: E402

from flows.db import connect  # noqa: E402
from flows.ingest import ingest_sources  # noqa: E402
from flows.people import resolve_people  # noqa: E402
from flows.scoring import set_as_of, store_weekly_list  # noqa: E402
from flows.sources import discover  # noqa: E402

AS_OF = date(2026, 11, 16)


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def run(people: int, workdir: Path) -> dict:
    export = workdir / f"export-{people}"
    with redirect_stdout(io.StringIO()):
        make_sample.main(["--out", str(export), "--people", str(people), "--export-date", AS_OF.isoformat()])
    with closing(connect(workdir / f"kith-{people}.duckdb")) as con:
        reports, t_ingest = timed(lambda: ingest_sources(con, discover([export])))
        _, t_reingest = timed(lambda: ingest_sources(con, discover([export])))
        n_people, t_resolve = timed(lambda: resolve_people(con))
        _, t_score = timed(lambda: (set_as_of(con, AS_OF), con.execute("select count(*) from relationship_scores").fetchone()))
        _, t_list = timed(lambda: store_weekly_list(con, AS_OF, 10))
    records = sum(r.records_read for r in reports)
    return {"people": people, "records": records, "resolved": n_people, "ingest_s": t_ingest,
            "reingest_s": t_reingest, "resolve_s": t_resolve, "score_s": t_score, "list_s": t_list,
            "records_per_s": records / t_ingest}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="+", default=[300, 3000, 30000])
    args = parser.parse_args(argv)
    header = f"{'people':>8} {'records':>9} {'ingest s':>9} {'rec/s':>8} {'re-ingest s':>12} {'resolve s':>10} {'score s':>8} {'list s':>7}"
    print(header)
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.people:
            r = run(n, Path(tmp))
            print(f"{r['people']:>8} {r['records']:>9} {r['ingest_s']:>9.2f} {r['records_per_s']:>8.0f} "
                  f"{r['reingest_s']:>12.2f} {r['resolve_s']:>10.2f} {r['score_s']:>8.2f} {r['list_s']:>7.2f}",
                  flush=True)


if __name__ == "__main__":
    main()
