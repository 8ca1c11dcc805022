#!/usr/bin/env python3
"""Backtest kith's weekly list against the naive baseline "longest since last contact".

It writes a synthetic export with bench/make_sample.py (LinkedIn, Google CSV, Apple vCard,
calendar), loads it without Prefect (``flows.ingest.ingest_sources``, then
``flows.people.resolve_people`` with the sample's owner), and replays the last ``--weeks``
weeks (26 by default), one as-of date a week, the last one the export date. Each week:

* **Only data before the week.** ``set_as_of`` makes every view stop at the as-of date
  (``store.run_context``). One view still looks ahead: ``int_upcoming_meetings`` reads
  meetings after the as-of date from ``store.interaction_records`` to leave out people you are
  about to meet, which in a replay would be meetings that *later happened*. So each week the
  stored interactions are cut back to those on or before the as-of date (everything, future
  bookings included, on the export date itself, when the export really knew them);
  ``--keep-future`` skips the cut, to show the size of that leak. Identity resolution is run
  once on all records (who is who does not change with the date), and ``people.company`` is
  the company in the export (only used for the company count).
* **kith** = ``store_weekly_list(con, as_of, 10)``, which also stores the list in
  ``reconnect_lists``: its rule of not relisting anyone within four weeks is part of kith.
* **baseline** = the 10 people with the most days since their last real contact (message,
  meeting or invitation note; not the connection itself), ties by person id. No memory, no
  company cap.
* **Same eligibility for both:** never the owner (not in ``people``), and only people with at
  least one real contact on or before the as-of date (kith requires it too, except for its
  "moments": a birthday, a job change, a new connection, which it may list anyway).
* **Relevant** (the ground truth, from what is known at the as-of date, in
  ``relationship_scores``): one of the 50 strongest people (strength, ties by person id)
  whose days since the last interaction exceed 3x their usual gap (``overdue_ratio > 3``):
  a strong tie gone quiet.

Metrics, averaged over the weeks: precision@10 (relevant people listed / 10, so a shorter list
scores lower), repeats (share of the listed people who were also listed the week before; the
first week has no previous week and is left out), companies (distinct companies on a list,
case-insensitive, people without a company not counted), listed (people on the list), and the
number of relevant people that week (how many there were to find, so precision@10 can be at
most min(relevant, 10) / 10). Over the whole run: found (of the people relevant in any week,
the share listed in some week while relevant; kith's four-week rule caps its weekly precision,
not this).

Usage: python bench/backtest.py [--people 300] [--seed 42] [--weeks 26] [--export-date 2026-11-16] [--keep-future]
       python bench/backtest.py --network --people 2000   (the personal-network benchmark's world)
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from contextlib import closing, redirect_stdout
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import make_sample  # noqa: E402

from flows.config import load_settings  # noqa: E402
from flows.db import connect  # noqa: E402
from flows.ingest import ingest_sources  # noqa: E402
from flows.paths import SAMPLE_CONFIG  # noqa: E402
from flows.people import resolve_people  # noqa: E402
from flows.scoring import set_as_of, store_weekly_list  # noqa: E402
from flows.sources import discover  # noqa: E402
from transforms.records import ParseContext  # noqa: E402

K = 10
STRONG_TOP = 50
QUIET_RATIO = 3.0


# --- metrics (pure: lists of person ids, sets, dicts) -----------------------------------------

def precision_at_k(listed: list, relevant: set, k: int = K) -> float:
    """Relevant people among the first k listed, over k (a list shorter than k scores lower)."""
    return sum(1 for p in listed[:k] if p in relevant) / k


def repeat_share(listed: list, previous: list | None) -> float | None:
    """Share of this list that was also on the previous one; None without a previous list or
    with an empty list."""
    if previous is None or not listed:
        return None
    before = set(previous)
    return sum(1 for p in listed if p in before) / len(listed)


def distinct_companies(listed: list, company_of: dict) -> int:
    """Distinct companies (case- and space-insensitive) among the listed; no company, not counted."""
    return len({str(c).strip().lower() for p in listed if (c := company_of.get(p)) and str(c).strip()})


def found_share(weekly_lists: list[list], weekly_relevant: list[set]) -> float | None:
    """Of the people relevant in any week, the share listed in some week while relevant."""
    ever = set().union(*weekly_relevant) if weekly_relevant else set()
    if not ever:
        return None
    hit = {p for listed, rel in zip(weekly_lists, weekly_relevant) for p in listed if p in rel}
    return len(hit) / len(ever)


def mean(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


# --- the replay -------------------------------------------------------------------------------

def week_dates(export_date: date, weeks: int) -> list[date]:
    """``weeks`` as-of dates a week apart, oldest first, the last one the export date."""
    return [export_date - timedelta(days=7 * k) for k in range(weeks - 1, -1, -1)]


def relevant_people(con) -> set:
    rows = con.execute(
        f"""with ranked as (
                select person_id, overdue_ratio,
                       row_number() over (order by strength desc nulls last, person_id) as r
                from relationship_scores where coalesce(strength, 0) > 0)
            select person_id from ranked where r <= {STRONG_TOP} and overdue_ratio > {QUIET_RATIO}""").fetchall()
    return {r[0] for r in rows}


def baseline_list(con, k: int = K) -> list:
    rows = con.execute(
        """select s.person_id
           from relationship_scores as s join models.int_person_history as h using (person_id)
           where h.last_contact_on is not null and s.contact_days > 0
           order by h.last_contact_on, s.person_id
           limit ?""", [k]).fetchall()
    return [r[0] for r in rows]


def limit_to_known(con, as_of: date, export_date: date) -> None:
    """Keep only the interactions known at ``as_of`` (all of them on the export date)."""
    con.execute("begin transaction")
    con.execute("delete from store.interaction_records")
    con.execute("insert into store.interaction_records select * from all_interactions "
                "where cast(occurred_at as date) <= ? or ? >= ?", [as_of, as_of, export_date])
    con.execute("commit")


@dataclass
class Week:
    as_of: date
    relevant: int
    kith: dict
    baseline: dict
    relevant_ids: frozenset = frozenset()
    lists: dict | None = None


def load(export: Path, db: Path, export_date: date):
    settings = load_settings(SAMPLE_CONFIG)
    options = ParseContext(owner=settings.owner, phone_region=settings.phone_region,
                           now=datetime.combine(export_date, datetime.min.time()))
    con = connect(db)
    ingest_sources(con, discover([export]), options=options)
    resolve_people(con, settings.owner)
    con.execute("create temp table all_interactions as select * from store.interaction_records")
    return con


def replay(con, export_date: date, weeks: int, keep_future: bool = False) -> list[Week]:
    company_of = dict(con.execute("select person_id, company from people").fetchall())
    out: list[Week] = []
    previous: dict[str, list | None] = {"kith": None, "baseline": None}
    for as_of in week_dates(export_date, weeks):
        if not keep_future:
            limit_to_known(con, as_of, export_date)
        set_as_of(con, as_of)
        relevant = relevant_people(con)
        lists = {"kith": [r["person_id"] for r in store_weekly_list(con, as_of, K)],
                 "baseline": baseline_list(con)}
        stats = {}
        for method, listed in lists.items():
            stats[method] = {"precision": precision_at_k(listed, relevant),
                             "repeats": repeat_share(listed, previous[method]),
                             "companies": distinct_companies(listed, company_of),
                             "listed": len(listed)}
            previous[method] = listed
        out.append(Week(as_of, len(relevant), stats["kith"], stats["baseline"], frozenset(relevant), lists))
    return out


def summarize(weeks: list[Week]) -> dict[str, dict]:
    out = {}
    for m in ("kith", "baseline"):
        out[m] = {key: mean([getattr(w, m)[key] for w in weeks]) for key in ("precision", "repeats", "companies", "listed")}
        out[m]["found"] = found_share([w.lists[m] for w in weeks], [set(w.relevant_ids) for w in weeks])
    return out


def table(weeks: list[Week]) -> str:
    summary = summarize(weeks)
    relevant = mean([w.relevant for w in weeks])
    lines = [f"{'method':<34} {'precision@10':>12} {'repeats':>8} {'companies':>10} {'listed':>7} {'found':>6}"]
    names = {"kith": "kith", "baseline": "baseline: longest since contact"}
    for m, s in summary.items():
        repeats = "-" if s["repeats"] is None else f"{s['repeats']:.2f}"
        found = "-" if s["found"] is None else f"{s['found']:.2f}"
        lines.append(f"{names[m]:<34} {s['precision']:>12.2f} {repeats:>8} {s['companies']:>10.1f} {s['listed']:>7.1f} {found:>6}")
    best = mean([min(w.relevant, K) / K for w in weeks])
    lines.append(f"{len(weeks)} weeks {weeks[0].as_of}..{weeks[-1].as_of}; relevant people per week: {relevant:.1f} "
                 f"(top {STRONG_TOP} by strength, > {QUIET_RATIO:g}x their usual gap); best possible precision@10: {best:.2f}")
    return "\n".join(lines)


def run(people: int, seed: int, weeks: int, export_date: date, workdir: Path, keep_future: bool = False,
        network: bool = False) -> list[Week]:
    """``network``: the personal-network benchmark's realistic world (bench/personal_network.py:
    a realistic name pool, personal calendar addresses, stale jobs) instead of the sample's."""
    export = workdir / "export"
    if network:
        import personal_network

        sample, world, _ = personal_network.build_world(people, seed, export_date, realism=True)
        personal_network.write_world(sample, world, export, export_date)
    else:
        with redirect_stdout(io.StringIO()):
            make_sample.main(["--out", str(export), "--people", str(people), "--seed", str(seed),
                              "--export-date", export_date.isoformat()])
    with closing(load(export, workdir / "kith.duckdb", export_date)) as con:
        return replay(con, export_date, weeks, keep_future)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--weeks", type=int, default=26)
    parser.add_argument("--export-date", type=date.fromisoformat, default=date(2026, 11, 16))
    parser.add_argument("--keep-future", action="store_true",
                        help="do not hide interactions after each as-of date (shows the look-ahead leak)")
    parser.add_argument("--per-week", action="store_true", help="also print each week's figures")
    parser.add_argument("--network", action="store_true",
                        help="the personal-network benchmark's realistic world (bench/personal_network.py)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        weeks = run(args.people, args.seed, args.weeks, args.export_date, Path(tmp), args.keep_future, args.network)
    cmd = "python bench/backtest.py " + " ".join(argv if argv is not None else sys.argv[1:])
    print(f"$ {cmd.strip()}")
    if args.per_week:
        for w in weeks:
            print(f"{w.as_of}  relevant {w.relevant:>3}  kith p@10 {w.kith['precision']:.1f} "
                  f"companies {w.kith['companies']:>2}  baseline p@10 {w.baseline['precision']:.1f} "
                  f"companies {w.baseline['companies']:>2}")
    print(table(weeks))


if __name__ == "__main__":
    main()
