#!/usr/bin/env python3
"""How well and how fast kith resolves who is who: pairwise precision, recall and F1 on labelled data.

For each size it writes labelled exports with bench/resolution_data.py (invented people in
LinkedIn Connections, Google CSV, Outlook CSV, Apple vCard and a Google calendar, with
nicknames, typos, swapped names, dropped accents, credentials, namesakes, job changes,
personal addresses and mixed phone formats), then, each step in a fresh process so peak
memory (max RSS) is that step's own:

* ingest: ``ingest_sources`` (no Prefect) into a new DuckDB file, ``phone_region="US"``;
* resolve: ``resolve_people(con, full=True)`` alone on the ingested file (the figure the issue bounds:
  1,000,000 records in < 20 s and < 2 GB);

and finally reads ``store.person_map`` with the records' (file, record_key), maps each to
its true person and scores the clustering over record pairs: predicted pairs
Σ C(|cluster|, 2), true pairs Σ C(|person|, 2), true positives Σ C(|cluster ∩ person|, 2).
It also prints the five largest wrong merges, the missed pairs by cause, and the\nheadroom: how much recall the pairs scored but not linked could buy, at what precision.

Usage:
  python bench/bench_resolution.py [--people 10000 100000] [--seed 1] [--keep DIR]
  python bench/bench_resolution.py --records 1000000          # people scaled to ~1M records
  python bench/bench_resolution.py --skip-ingest DIR/people-10000   # re-resolve a kept run
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import polars as pl  # noqa: E402

import resolution_data  # noqa: E402

DB_NAME = "kith.duckdb"


# ------------------------------------------------------------------ metrics


def _pairs(counts: pl.Expr) -> pl.Expr:
    n = counts.cast(pl.Int64)
    return (n * (n - 1) // 2).sum()


def pairwise_metrics(frame: pl.DataFrame, predicted: str = "person_id", truth: str = "true_id") -> dict:
    """Pairwise precision, recall and F1 of a clustering: one row per record, a predicted
    cluster id and a true id each. Pairs are counted with group-bys, never enumerated."""
    pred_pairs = frame.group_by(predicted).len().select(_pairs(pl.col("len"))).item() or 0
    true_pairs = frame.group_by(truth).len().select(_pairs(pl.col("len"))).item() or 0
    tp = frame.group_by(predicted, truth).len().select(_pairs(pl.col("len"))).item() or 0
    precision = tp / pred_pairs if pred_pairs else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "predicted_pairs": pred_pairs, "true_pairs": true_pairs,
            "precision": precision, "recall": recall, "f1": f1,
            "clusters": frame[predicted].n_unique(), "true_people": frame[truth].n_unique()}


# ------------------------------------------------------------------ steps (each in a fresh process)


def child(mode: str, run_dir: str) -> dict:
    run = Path(run_dir)
    from flows.db import connect

    started = time.perf_counter()
    if mode == "ingest":
        from flows.ingest import ingest_sources
        from flows.sources import discover
        from transforms.records import ParseContext

        con = connect(run / DB_NAME)
        reports = ingest_sources(con, discover([run / "exports"]), options=ParseContext(phone_region="US"))
        con.close()
        extra = {"files": [{"file": Path(r.source).name, "status": r.status, "format": r.format,
                            "read": r.records_read, "new": r.new, "rejected": r.rejected,
                            "reasons": dict(r.reasons), "error": r.error} for r in reports]}
    else:
        from flows.people import resolve_people

        con = connect(run / DB_NAME)
        base_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        people = resolve_people(con, full=True)  # (a kept run is resolved already: incremental would do nothing)
        con.close()
        extra = {"people": people, "base_mb": base_mb}
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"mode": mode, "seconds": seconds, "peak_mb": peak_mb, **extra}


def measure(mode: str, run: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, str(run)], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------ evaluation


def load_truth(run: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(stored records with their predicted person and true id, labels that match no stored record)."""
    import duckdb

    con = duckdb.connect(str(run / DB_NAME), read_only=True)
    records = con.execute(
        """select r.record_id, f.display_path, r.record_key, r.source_kind, r.full_name, r.name_key,
                  r.emails, r.phones, r.linkedin_slug, m.person_id, m.link_reason, m.is_owner
           from store.person_records r
           join store.source_files f using (file_id)
           left join store.person_map m using (record_id)"""
    ).pl()
    con.close()
    records = records.with_columns(
        pl.col("display_path").str.split("/").list.last().alias("file_name")).drop("display_path")
    labels = pl.read_csv(run / "labels.csv", schema_overrides={"file_name": pl.String, "record_key": pl.String,
                                                               "true_id": pl.Int64})
    joined = records.join(labels, on=["file_name", "record_key"], how="left")
    unstored = labels.join(records.select("file_name", "record_key"), on=["file_name", "record_key"], how="anti")
    return joined, unstored


def wrong_merges(frame: pl.DataFrame, top: int = 5) -> pl.DataFrame:
    """The largest predicted clusters holding more than one true person."""
    bad = (frame.group_by("person_id")
           .agg(pl.len().alias("records"), pl.col("true_id").n_unique().alias("true_people"),
                pl.col("full_name").drop_nulls().unique().head(4).alias("names"),
                pl.col("link_reason").unique().alias("reasons"))
           .filter(pl.col("true_people") > 1)
           .sort(["records", "person_id"], descending=[True, False]))
    return bad.head(top)


def missed_pairs(frame: pl.DataFrame) -> dict[str, int]:
    """Pairs of one true person's records put in different clusters, by why they were not
    linked. Enumerated only within true people (a few records each)."""
    cols = ["record_id", "true_id", "person_id", "source_kind", "name_key", "emails", "phones", "linkedin_slug"]
    side = frame.select(cols)
    pairs = (side.join(side, on="true_id", suffix="_b")
             .filter((pl.col("record_id") < pl.col("record_id_b")) & (pl.col("person_id") != pl.col("person_id_b"))))
    if pairs.height == 0:
        return {}
    e164 = lambda c: pl.col(c).list.eval(pl.element().filter(pl.element().str.starts_with("+")))  # noqa: E731
    pairs = pairs.with_columns(
        (pl.col("emails").list.set_intersection("emails_b").list.len() > 0).alias("email"),
        (e164("phones").list.set_intersection(e164("phones_b")).list.len() > 0).alias("phone"),
        (pl.col("linkedin_slug") == pl.col("linkedin_slug_b")).fill_null(False).alias("slug"),
        (pl.col("name_key") == pl.col("name_key_b")).fill_null(False).alias("same_name"),
    )
    cause = (pl.when(pl.col("slug") | pl.col("email")).then(pl.lit("share a slug or email (resolver bug?)"))
             .when(pl.col("phone")).then(pl.lit("share a phone, names disagree"))
             .when(pl.col("same_name")).then(pl.lit("no shared key, same name key"))
             .otherwise(pl.lit("no shared key, names differ")))
    kinds = pl.concat_str([pl.min_horizontal("source_kind", "source_kind_b"),
                           pl.max_horizontal("source_kind", "source_kind_b")], separator=" ~ ")
    by_cause = pairs.group_by(cause.alias("cause")).len().sort("len", descending=True)
    by_kinds = pairs.group_by(kinds.alias("kinds")).len().sort("len", descending=True).head(6)
    out = {f"cause: {c}": n for c, n in by_cause.iter_rows()}
    out.update({f"sources: {k}": n for k, n in by_kinds.iter_rows()})
    return out


def unlinked_offers(run: Path) -> pl.DataFrame:
    """The scored pairs kith did not link (a, b, score, reason), from the run's database."""
    import duckdb

    con = duckdb.connect(str(run / DB_NAME), read_only=True)
    offers = con.execute("select record_id_a a, record_id_b b, score, reason from store.match_pairs "
                         "where decision <> 'link'").pl()
    con.close()
    return offers


def headroom(offers: pl.DataFrame, frame: pl.DataFrame, min_precision: float = 0.995, top: int = 8) -> dict:
    """How much recall the stored evidence could still buy, and at what cost.

    ``offers``: the scored pairs not linked (a, b, score, reason); ``frame``: one row per
    record with its predicted ``person_id`` and ``true_id``. Every offer between two
    different predicted people (kept for review, below the link level, or kept apart by a
    guard) is an offer to merge those two people. Offers are
    grouped by their evidence (the reason's words, details in brackets dropped, and the score
    rounded down), and each group is priced with the labels: the right pairs its merges would
    add (Σ |C ∩ t| · |D ∩ t| over true people t) and the wrong ones (the rest of |C| · |D|).
    Taking the groups best first while precision stays at ``min_precision`` gives the best
    recall any re-weighting of this evidence could reach: a generous bound, since it knows
    the truth of each group and ignores merges' knock-on effects."""
    side = frame.select("record_id", "person_id")
    offers = (offers.join(side.rename({"record_id": "a", "person_id": "c"}), on="a")
              .join(side.rename({"record_id": "b", "person_id": "d"}), on="b")
              .filter(pl.col("c") != pl.col("d"))
              .with_columns(pl.min_horizontal("c", "d").alias("c"), pl.max_horizontal("c", "d").alias("d"),
                            pl.col("reason").str.replace_all(r" *\([^)]*\)", "").str.replace_all(r" +", " ")
                            .alias("evidence"),
                            pl.col("score").fill_null(0.0).floor().alias("bin")))
    # one offer per pair of people: its strongest pair's evidence
    best = offers.sort("score", descending=True, nulls_last=True).unique(["c", "d"], keep="first")
    sizes = frame.group_by("person_id").len("n")
    parts = frame.group_by("person_id", "true_id").len("k")
    right = (best.select("c", "d")
             .join(parts.rename({"person_id": "c", "k": "kc"}), on="c")
             .join(parts.rename({"person_id": "d", "k": "kd"}), on=["d", "true_id"])
             .group_by("c", "d").agg((pl.col("kc") * pl.col("kd")).sum().alias("right")))
    best = (best.join(sizes.rename({"person_id": "c", "n": "nc"}), on="c")
            .join(sizes.rename({"person_id": "d", "n": "nd"}), on="d")
            .join(right, on=["c", "d"], how="left")
            .with_columns(pl.col("right").fill_null(0),
                          (pl.col("nc") * pl.col("nd") - pl.col("right").fill_null(0)).alias("wrong")))
    groups = (best.group_by("evidence", "bin")
              .agg(pl.len().alias("offers"), pl.col("right").sum(), pl.col("wrong").sum())
              .with_columns((pl.col("right") / (pl.col("right") + pl.col("wrong"))).alias("share_right"))
              .sort(["share_right", "right"], descending=True))
    m = pairwise_metrics(frame)
    tp, pred, true = m["tp"], m["predicted_pairs"], m["true_pairs"]
    taken = 0
    for g in groups.iter_rows(named=True):
        if (tp + g["right"]) / (pred + g["right"] + g["wrong"]) < min_precision:
            break
        tp, pred, taken = tp + g["right"], pred + g["right"] + g["wrong"], taken + 1
    missed = true - m["tp"]
    offered = int(best["right"].sum())
    biggest = (best.group_by("evidence").agg(pl.col("right").sum(), pl.col("wrong").sum())
               .with_columns((pl.col("right") / (pl.col("right") + pl.col("wrong"))).alias("share_right"))
               .sort("right", descending=True).head(top))
    return {"missed": missed, "offered": offered, "never_offered": missed - offered,
            "groups_taken": taken, "bound_recall": tp / true if true else 0.0,
            "bound_recall_all_found": (tp + missed - offered) / true if true else 0.0,
            "bound_precision": tp / pred if pred else 0.0,
            "min_precision": min_precision, "biggest": biggest}


# ------------------------------------------------------------------ driver


def run_size(people: int, seed: int, base: Path, reuse: Path | None = None) -> dict:
    row: dict = {"people": people}
    if reuse is None:
        run = base / f"people-{people}"
        if run.exists():
            shutil.rmtree(run)
        manifest = resolution_data.generate(run, people, seed)
        row["generate_s"] = manifest["seconds"]
        ingest = measure("ingest", run)
        row["ingest_s"], row["ingest_mb"], row["files"] = ingest["seconds"], ingest["peak_mb"], ingest["files"]
    else:
        run = reuse
        manifest = json.loads((run / "manifest.json").read_text())
        row["people"] = manifest["people"]
        row["generate_s"] = row["ingest_s"] = row["ingest_mb"] = None
        row["files"] = []
    row["manifest"] = manifest
    resolved = measure("resolve", run)
    row["resolve_s"], row["resolve_mb"], row["base_mb"] = resolved["seconds"], resolved["peak_mb"], resolved["base_mb"]
    frame, unstored = load_truth(run)
    row["records"] = frame.height
    row["unlabelled"] = frame.filter(pl.col("true_id").is_null()).height
    row["unmapped"] = frame.filter(pl.col("person_id").is_null()).height
    row["owner_records"] = frame.filter(pl.col("is_owner").fill_null(False)).height
    row["unstored"] = dict(unstored.group_by("file_name").len().sort("file_name").iter_rows())
    scored = frame.drop_nulls(["true_id", "person_id"])
    row.update(pairwise_metrics(scored))
    row["wrong_merges"] = wrong_merges(scored)
    row["missed"] = missed_pairs(scored)
    row["headroom"] = headroom(unlinked_offers(run), scored)
    return row


HEADER = (f"{'people':>8} {'records':>9} {'gen s':>6} {'ingest s':>8} {'ingest MB':>9} {'resolve s':>9} "
          f"{'resolve MB':>10} {'precision':>9} {'recall':>7} {'F1':>6} {'clusters':>9} {'true ppl':>9}")


def fmt(value, spec: str, width: int) -> str:
    return f"{value:{width}{spec}}" if value is not None else f"{'-':>{width}}"


def print_row(r: dict) -> None:
    print(f"{r['people']:>8} {r['records']:>9} {fmt(r['generate_s'], '.1f', 6)} {fmt(r['ingest_s'], '.1f', 8)} "
          f"{fmt(r['ingest_mb'], '.0f', 9)} {r['resolve_s']:>9.2f} {r['resolve_mb']:>10.0f} "
          f"{r['precision']:>9.4f} {r['recall']:>7.4f} {r['f1']:>6.4f} {r['clusters']:>9} {r['true_people']:>9}",
          flush=True)


def print_details(r: dict) -> None:
    m = r["manifest"]
    print(f"\n--- {r['people']} people: {r['records']} stored records "
          f"(generated {m['total_records']}, namesake share {m['namesake_share']:.1%}; "
          f"resolve process baseline before resolving {r['base_mb']:.0f} MB)")
    for f in r["files"]:
        reasons = f"  rejects: {f['reasons']}" if f["reasons"] else ""
        error = f"  ({f['error']})" if f["error"] else ""
        print(f"  {f['file']:<16} {f['status']:<10} {str(f['format']):<22} read {f['read']:>8} "
              f"new {f['new']:>8}{reasons}{error}")
    if r["unstored"]:
        print(f"  labels with no stored record: {r['unstored']}")
    if r["unlabelled"] or r["unmapped"] or r["owner_records"]:
        print(f"  stored records without a label: {r['unlabelled']}; without a person: {r['unmapped']}; "
              f"marked owner: {r['owner_records']}")
    print(f"  pairs: predicted {r['predicted_pairs']}, true {r['true_pairs']}, correct {r['tp']}")
    print("  largest wrong merges (records / true people: names; link reasons):")
    for row in r["wrong_merges"].iter_rows(named=True):
        print(f"    {row['records']:>5} / {row['true_people']:<3} {' | '.join(row['names'])}; {', '.join(row['reasons'])}")
    if r["wrong_merges"].height == 0:
        print("    none")
    print("  missed pairs:")
    for what, n in r["missed"].items():
        print(f"    {n:>9}  {what}")
    h = r["headroom"]
    print(f"  headroom: of {h['missed']} missed pairs, {h['offered']} are between people some scored pair "
          f"joins (review, below the link level, or a guard), {h['never_offered']} were never compared.")
    print(f"    merging the best evidence groups first while precision stays >= {h['min_precision']}: "
          f"recall at most {h['bound_recall']:.4f} ({h['groups_taken']} groups, precision {h['bound_precision']:.4f}); "
          f"{h['bound_recall_all_found']:.4f} if every pair never compared were found and linked too")
    print("    evidence holding the most missed pairs (right pairs a merge would add / wrong ones / share right):")
    for g in h["biggest"].iter_rows(named=True):
        print(f"    {g['right']:>9} {g['wrong']:>9}  {g['share_right']:>5.1%}  {g['evidence'][:110]}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--records", type=int, help="size by total source records instead (people scaled to it)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write each run into DIR/people-N and keep it")
    parser.add_argument("--skip-ingest", type=Path, nargs="+", metavar="RUN_DIR",
                        help="re-resolve and score kept runs (DIR/people-N from --keep)")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "RUN_DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    if args.skip_ingest:
        jobs = [(0, run) for run in args.skip_ingest]
    else:
        sizes = args.people
        if args.records:
            sizes = [round(args.records / resolution_data.records_per_person())]
        jobs = [(n, None) for n in sizes]
    base = args.keep or Path(tempfile.mkdtemp(prefix="kith-bench-resolution-"))
    rows = []
    try:
        print(HEADER, flush=True)
        for people, reuse in jobs:
            row = run_size(people, args.seed, base, reuse)
            rows.append(row)
            print_row(row)
        for row in rows:
            print_details(row)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
