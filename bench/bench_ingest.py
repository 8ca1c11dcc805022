#!/usr/bin/env python3
"""How fast kith reads the big exports: a calendar and a contact CSV, and the floor for each.

Writes two synthetic files (invented people only) into a temporary folder:

* a Google-style calendar export of N events (default 100,000), each with 5 attendees
  besides the owner, 30 or 60 minutes, spread over the last three years;
* a Google Contacts CSV of M rows (default 100,000) in the current layout, with two
  e-mail and two phone groups, ``::: `` multi-values, birthdays and LinkedIn websites.

Then measures each in a fresh process, so peak memory (max RSS) is that step's alone:

* ``polars.read_csv`` of the CSV: the physical floor for reading that file;
* kith's parser alone (decode, detect, parse);
* ``kith ingest`` end to end into a new DuckDB file, without Prefect (the flow adds a fixed
  start-up cost, see README), with people resolved afterwards; and, from the same run,
  its parse and store alone (``ingest_sources``: one transaction, imports and resolve not
  counted).

Usage: python bench/bench_ingest.py [--events 100000] [--contacts 100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

OWNER = "owner@northwind.example"
FIRST = ["Ada", "Ben", "Chidi", "Dana", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas", "Kavya", "Linnéa",
         "Mateo", "Nour", "Oskar", "Priya", "Quinn", "Rafael", "Sigrid", "Tunde", "Uma", "Wei", "Yara", "Zofia"]
LAST = ["Åberg", "Brooks", "Castillo", "Dubois", "Eze", "Fletcher", "García", "Haddad", "Iyer", "Kowalczyk",
        "Lefèvre", "Müller", "Nakamura", "Okafor", "Peña", "Reddy", "Sato", "Tanaka", "Vogel", "Yıldız"]
COMPANIES = ["Blue Harbor Labs", "Lumen Foundry", "Tidewater Logistics", "Halcyon Bio", "Meridian Loop",
             "Stellwerk Daten GmbH", "Kumo Works K.K.", "Vela Mobility S.A."]


def person(i: int) -> tuple[str, str, str]:
    first, last = FIRST[i % len(FIRST)], LAST[(i * 7 + i // len(FIRST)) % len(LAST)]
    return first, last, f"person{i}@corp{i % 97}.example"


def write_calendar(path: Path, events: int, attendees: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    population = max(events // 20, attendees * 4)
    start = datetime(2023, 11, 1, 8, 0)
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\n"
                f"CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:{OWNER}\r\nX-WR-TIMEZONE:UTC\r\n")
        for n in range(events):
            begin = start + timedelta(minutes=30 * rng.randrange(0, 3 * 365 * 20))
            length = rng.choice((30, 60))
            f.write(f"BEGIN:VEVENT\r\nDTSTART:{begin:%Y%m%dT%H%M%S}Z\r\n"
                    f"DTEND:{begin + timedelta(minutes=length):%Y%m%dT%H%M%S}Z\r\n"
                    f"DTSTAMP:20261101T000000Z\r\nORGANIZER;CN=Owner:mailto:{OWNER}\r\nUID:bench{n}@google.com\r\n")
            f.write(f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN={OWNER};"
                    f"X-NUM-GUESTS=0:mailto:{OWNER}\r\n")
            for i in rng.sample(range(population), attendees):
                first, last, email = person(i)
                f.write(f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=TRUE;\r\n"
                        f" CN={first} {last};X-NUM-GUESTS=0:mailto:{email}\r\n")
            f.write(f"CREATED:20231101T000000Z\r\nLAST-MODIFIED:20261101T000000Z\r\nSEQUENCE:0\r\n"
                    f"STATUS:CONFIRMED\r\nSUMMARY:Sync {n % 500}\r\nTRANSP:OPAQUE\r\nEND:VEVENT\r\n")
        f.write("END:VCALENDAR\r\n")


GOOGLE_HEADER = ("First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last Name,"
                 "Name Prefix,Name Suffix,Nickname,File As,Organization Name,Organization Title,"
                 "Organization Department,Birthday,Notes,Photo,Labels,E-mail 1 - Label,E-mail 1 - Value,"
                 "E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value,"
                 "Website 1 - Label,Website 1 - Value")


def write_contacts(path: Path, rows: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(GOOGLE_HEADER + "\n")
        for i in range(rows):
            first, last, email = person(i)
            birthday = rng.choice(["", "", f"19{rng.randrange(50, 99)}-0{rng.randrange(1, 9)}-1{rng.randrange(0, 9)}",
                                   f"--0{rng.randrange(1, 9)}-2{rng.randrange(0, 8)}"])
            second = f"{first.lower()}{i}@home.example" if i % 3 == 0 else ""
            phone = f"+46 70 {i % 1000:03d} {i // 1000 % 100:02d} {i % 89:02d}"
            phones = phone + (f" ::: +1 415 555 {i % 10000:04d}" if i % 5 == 0 else "")
            web = f"https://www.linkedin.com/in/p{i}-{last.lower()}" if i % 4 == 0 else ""
            company = COMPANIES[i % len(COMPANIES)]
            f.write(f"{first},,{last},,,,,,,,{company},Engineer,,{birthday},,,* myContacts,* Work,{email},"
                    f"{'Home' if second else ''},{second},Mobile,{phones},,,{'Profile' if web else ''},{web}\n")


def child(mode: str, path: str) -> dict:
    """One measurement, in this (fresh) process."""
    started = time.perf_counter()
    if mode == "polars":
        import polars as pl

        frame = pl.read_csv(path, infer_schema=False)
        records, extra = frame.height, {}
    elif mode == "parse":
        from transforms.detect import parse_bytes
        from transforms.records import ParseContext

        result = parse_bytes(Path(path).read_bytes(), ParseContext(now=datetime(2026, 11, 16)))
        records, extra = result.records_read, {"people": result.people.height,
                                               "interactions": result.interactions.height}
    else:
        from flows.db import connect
        from flows.ingest import ingest_sources
        from flows.people import resolve_people
        from flows.sources import discover

        db = Path(tempfile.mkdtemp()) / "bench.duckdb"
        con = connect(db)
        reading = time.perf_counter()
        [report] = ingest_sources(con, discover([Path(path)]))  # (one transaction: parse and store)
        if report.status != "loaded":
            raise SystemExit(f"{path}: {report.status}: {report.error}")
        loaded = time.perf_counter()
        people = resolve_people(con)
        records = report.records_read
        extra = {"new": report.new, "people": people, "ingest_s": round(loaded - reading, 2),
                 "resolve_s": round(time.perf_counter() - loaded, 2)}
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"mode": mode, "records": records, "seconds": seconds, "peak_mb": peak_mb, **extra}


def measure(mode: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, str(path)], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--attendees", type=int, default=5)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="kith-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    calendar, contacts = folder / "calendar.ics", folder / "contacts.csv"
    write_calendar(calendar, args.events, args.attendees)
    write_contacts(contacts, args.contacts)
    print(f"files in {folder}: calendar.ics {calendar.stat().st_size / 1e6:.1f} MB "
          f"({args.events:,} events x {args.attendees} attendees), contacts.csv "
          f"{contacts.stat().st_size / 1e6:.1f} MB ({args.contacts:,} rows)")
    print(f"{'file':<14}{'step':<24}{'records':>10}{'seconds':>10}{'records/s':>12}{'peak MB':>10}  notes")
    for path, modes in ((contacts, ("polars", "parse", "ingest")), (calendar, ("parse", "ingest"))):
        for mode in modes:
            m = measure(mode, path)
            label = {"polars": "polars.read_csv (floor)", "parse": "kith parse", "ingest": "kith ingest + resolve"}[mode]
            notes = ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in m.items()
                              if k not in ("mode", "records", "seconds", "peak_mb"))
            if mode == "ingest":  # (the same run: hash, parse and store, without imports and resolve)
                print(f"{path.name:<14}{'kith ingest (no resolve)':<24}{m['records']:>10,}{m['ingest_s']:>10.2f}"
                      f"{m['records'] / m['ingest_s']:>12,.0f}{'':>10}  parse and store, one transaction")
            print(f"{path.name:<14}{label:<24}{m['records']:>10,}{m['seconds']:>10.2f}"
                  f"{m['records'] / m['seconds']:>12,.0f}{m['peak_mb']:>10.0f}  {notes}")


if __name__ == "__main__":
    main()
