#!/usr/bin/env python3
"""How fast kith reads a large mailbox, against Python's own mailbox + email parser.

Writes (or reuses) a synthetic Gmail-Takeout mbox from ``bench/mail_data.py`` (default
200,000 messages, about 2.2 GB, CRLF), then times each method in a fresh process of its own,
so that peak RSS is that method's alone:

* ``baseline-mailbox``: ``mailbox.mbox(path)``, every message fully parsed (compat32), reading
  From/To/Cc/Date/Subject/Message-ID: "Python's mailbox + email parser";
* ``baseline-headers``: the same with ``factory=BytesHeaderParser(policy=compat32).parse``
  (headers only): a stronger baseline;
* ``kith-read``: ``flows.mail_read.read_path`` (kith's reader and parser, no database);
* ``kith-ingest``: the real CLI end to end, ``kith --db <tmp>/kith.duckdb ingest <mbox>``, with
  its wall time and peak RSS measured from a wrapper process (RUSAGE_CHILDREN).

``--baseline-limit N`` times the baselines on their first N messages only and extrapolates:
mailbox.mbox first scans the whole file for its table of contents (timed in full), and the
per-message part is scaled from N to all messages. The output says when it did.

Usage: python bench/bench_mail.py [--messages 200000] [--seed 7] [--dir DIR]
                                  [--baseline-limit N] [--methods a,b] [--json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

import mail_data  # noqa: E402

METHODS = ("baseline-mailbox", "baseline-headers", "kith-read", "kith-ingest")
FIELDS = ("From", "To", "Cc", "Date", "Subject", "Message-ID")
DEFAULT_DIR = Path(tempfile.gettempdir()) / "kith-bench-mail"


# ---------------------------------------------------------------------------------------------
# the file


def generator_version() -> str:
    """A fingerprint of mail_data.py, so a file written by an older generator is not reused."""
    return hashlib.sha256(Path(mail_data.__file__).read_bytes()).hexdigest()[:16]


def mailbox_file(folder: Path, messages: int, seed: int, log) -> tuple[Path, mail_data.MboxTruth, str]:
    """The generated mbox and its truth: reused when its sidecar matches (messages, seed,
    size on disk, generator version), written otherwise."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"kith-mail-{messages}-s{seed}.mbox"
    sidecar = path.with_suffix(".truth.json")
    if path.exists() and sidecar.exists():
        try:
            saved = json.loads(sidecar.read_text())
            truth = mail_data.MboxTruth.from_json(json.dumps(saved["truth"]))
        except (ValueError, TypeError, KeyError):
            saved, truth = {}, None
        if (truth is not None and saved.get("generator") == generator_version() and truth.messages == messages
                and truth.seed == seed and truth.bytes_written == path.stat().st_size):
            return path, truth, "reused"
    log(f"writing {messages:,} messages (seed {seed}) to {path} ...")
    started = time.perf_counter()
    truth = mail_data.write_mbox(path, messages, seed)
    seconds = time.perf_counter() - started
    sidecar.write_text(json.dumps({"generator": generator_version(), "truth": json.loads(truth.to_json())}))
    return path, truth, f"written in {seconds:.1f} s"


# ---------------------------------------------------------------------------------------------
# the methods, each run in a child process (--run-method)


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def run_baseline(path: str, limit: int | None, headers_only: bool) -> dict:
    import mailbox
    from email.parser import BytesHeaderParser
    from email.policy import compat32
    from itertools import islice

    started = time.perf_counter()
    if headers_only:
        parser = BytesHeaderParser(policy=compat32)
        box = mailbox.mbox(path, factory=lambda f: parser.parse(f), create=False)
    else:
        box = mailbox.mbox(path, create=False)
    found = len(box)  # builds the table of contents: one pass over the whole file
    toc_seconds = time.perf_counter() - started
    parsed = 0
    for msg in islice(box, limit):
        for name in FIELDS:
            msg.get(name)
        parsed += 1
    box.close()
    seconds = time.perf_counter() - started
    out = {"found": found, "seconds": seconds, "peak_mb": peak_mb(), "toc_seconds": round(toc_seconds, 2)}
    if parsed < found:
        per_message = (seconds - toc_seconds) / max(parsed, 1)
        out.update(measured_seconds=round(seconds, 2), parsed=parsed,
                   seconds=toc_seconds + per_message * found, extrapolated=True)
    return out


def run_kith_read(path: str) -> dict:
    try:
        from flows.mail_read import read_path
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("flows"):
            return {"unavailable": "not available (flows.mail_read missing)"}
        raise
    started = time.perf_counter()
    result = read_path(Path(path))
    seconds = time.perf_counter() - started
    return {"found": result.records_read, "seconds": seconds, "peak_mb": peak_mb(),
            "child_peak_mb": peak_mb(resource.RUSAGE_CHILDREN)}


def run_kith_ingest(path: str, timeout: float) -> dict:
    kith = Path(sys.executable).parent / "kith"
    exe = str(kith) if kith.exists() else shutil.which("kith")
    if exe is None:
        return {"unavailable": "not available (no kith executable next to this Python)"}
    with tempfile.TemporaryDirectory(prefix="kith-bench-ingest-") as tmp:
        db = Path(tmp) / "kith.duckdb"
        env = dict(os.environ, PREFECT_HOME=str(Path(tmp) / "prefect"))
        env.pop("KITH_DB", None)
        started = time.perf_counter()
        try:
            done = subprocess.run([exe, "--db", str(db), "ingest", path], env=env, capture_output=True,
                                  text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"unavailable": f"timed out after {timeout:.0f} s"}
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
            return {"unavailable": f"not available (exit {done.returncode}: "
                                   f"{lines[-1].strip() if lines else 'no output'})"}
        found = None
        try:
            import duckdb

            with duckdb.connect(str(db), read_only=True) as con:
                found = con.execute("select sum(records_read) from store.source_files").fetchone()[0]
        except Exception as exc:  # the figure is optional; the timing is what matters
            print(f"kith-ingest: could not count records: {exc}", file=sys.stderr)
    return {"found": found, "seconds": seconds, "peak_mb": peak_mb(resource.RUSAGE_CHILDREN)}


def child_main(method: str, path: str, limit: int | None, timeout: float) -> None:
    if method == "baseline-mailbox":
        out = run_baseline(path, limit, headers_only=False)
    elif method == "baseline-headers":
        out = run_baseline(path, limit, headers_only=True)
    elif method == "kith-read":
        out = run_kith_read(path)
    elif method == "kith-ingest":
        out = run_kith_ingest(path, timeout)
    else:
        raise SystemExit(f"unknown method {method!r}")
    print(json.dumps({"method": method, **out}))


def measure(method: str, path: Path, limit: int | None, timeout: float) -> dict:
    cmd = [sys.executable, __file__, "--run-method", method, str(path), "--ingest-timeout", str(timeout)]
    if limit and method.startswith("baseline"):
        cmd += ["--limit", str(limit)]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=BENCH.parent)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        return {"method": method, "unavailable": f"failed ({lines[-1].strip() if lines else 'no output'})"}
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------
# output


def table(results: list[dict], size: int, messages: int) -> list[str]:
    """msgs/s counts the messages really in the file (the truth), whatever a method found."""
    rows = [f"{'method':<18}{'msgs/s':>10}{'MB/s':>9}{'wall s':>10}{'peak RSS MB':>13}{'found':>10}  notes"]
    for r in results:
        if "unavailable" in r:
            rows.append(f"{r['method']}: {r['unavailable']}")
            continue
        notes = []
        if r.get("extrapolated"):
            notes.append(f"extrapolated from {r['parsed']:,} messages ({r['measured_seconds']:.1f} s measured, "
                         f"incl. the {r['toc_seconds']:.1f} s table-of-contents scan of the whole file)")
        elif "toc_seconds" in r:
            notes.append(f"table-of-contents scan {r['toc_seconds']:.1f} s")
        if r.get("child_peak_mb"):
            notes.append(f"second reader process peak {r['child_peak_mb']:.0f} MB")
        found = r.get("found")
        shown = f"{found:,}" if found is not None else "?"
        rate = messages / r["seconds"]
        rows.append(f"{r['method']:<18}{rate:>10,.0f}{size / 1e6 / r['seconds']:>9,.1f}{r['seconds']:>10.1f}"
                    f"{r['peak_mb']:>13,.0f}{shown:>10}  {'; '.join(notes)}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR,
                        help=f"where the mbox is written and reused [default: {DEFAULT_DIR}]")
    parser.add_argument("--baseline-limit", type=int, metavar="N",
                        help="time the baselines on the first N messages only and extrapolate")
    parser.add_argument("--methods", default=",".join(METHODS), help=f"comma-separated, of {', '.join(METHODS)}")
    parser.add_argument("--ingest-timeout", type=float, default=3600.0, help="seconds before kith-ingest is stopped")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object, no table")
    parser.add_argument("--run-method", nargs=2, metavar=("METHOD", "MBOX"), help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_method:
        child_main(*args.run_method, args.limit, args.ingest_timeout)
        return

    def log(text: str) -> None:
        print(text, file=sys.stderr if args.json else sys.stdout, flush=True)

    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    unknown = set(methods) - set(METHODS)
    if unknown:
        parser.error(f"unknown method(s): {', '.join(sorted(unknown))}")
    path, truth, how = mailbox_file(args.dir, args.messages, args.seed, log)
    size = path.stat().st_size
    log(f"{path}: {size / 1e6:,.1f} MB ({how}); truth: {truth.messages:,} messages "
        f"({truth.sent:,} sent, {truth.received:,} received, {truth.list_mail:,} list, {truth.automatic:,} automatic, "
        f"{truth.spam + truth.trash + truth.chat:,} spam/trash/chat, {truth.with_attachment:,} with attachments); "
        f"{truth.unescaped_from_lines:,} unescaped 'From ' body lines")
    if args.baseline_limit:
        log(f"baselines: timed on the first {args.baseline_limit:,} messages and extrapolated to all")
    results = []
    for method in methods:
        result = measure(method, path, args.baseline_limit, args.ingest_timeout)
        results.append(result)
        if not args.json and "unavailable" in result:
            log(f"{method}: {result['unavailable']}")
    for r in results:
        if "unavailable" not in r:
            r["msgs_per_s"] = truth.messages / r["seconds"]
            r["mb_per_s"] = size / 1e6 / r["seconds"]
    by_name = {r["method"]: r for r in results}
    ratio = None
    if "msgs_per_s" in by_name.get("kith-read", {}) and "msgs_per_s" in by_name.get("baseline-mailbox", {}):
        ratio = by_name["baseline-mailbox"]["seconds"] / by_name["kith-read"]["seconds"]
    if args.json:
        print(json.dumps({"path": str(path), "bytes": size, "file": how, "baseline_limit": args.baseline_limit,
                          "truth": truth.summary(), "results": results, "kith_read_vs_mailbox": ratio}, indent=1))
        return
    print()
    for row in table([r for r in results if "unavailable" not in r], size, truth.messages):
        print(row)
    print(f"(msgs/s: the file's {truth.messages:,} messages / wall s; 'found' is what the method counted)")
    if ratio is not None:
        print(f"\nkith-read is {ratio:.1f}× the mailbox baseline"
              + (" (baseline extrapolated)" if by_name["baseline-mailbox"].get("extrapolated") else ""))


if __name__ == "__main__":
    main()
