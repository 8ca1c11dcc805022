"""One export of each kind in one folder: a person found in all of them is one person with
every source, their meetings counted right, and the owner nowhere (fixtures/mixed/README.md)."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.db import connect
from flows.ingest import ingest_sources
from flows.people import resolve_people
from flows.scoring import set_as_of
from flows.sources import discover
from transforms.records import ParseContext

MIXED = Path(__file__).parent / "fixtures" / "mixed"
NOW = datetime(2025, 3, 15, 12, 0)  # after the 10 weeks of 1:1s, before the coffee with Sigrid


def mixed_folder(tmp_path: Path) -> Path:
    """The fixture folder as a user has it: LinkedIn as the .zip they downloaded."""
    folder = tmp_path / "exports"
    folder.mkdir()
    with zipfile.ZipFile(folder / "Basic_LinkedInDataExport_03-01-2025.zip", "w") as z:
        for member in (MIXED / "linkedin").iterdir():
            z.write(member, member.name)
    for name in ("google_contacts.csv", "outlook_contacts.csv", "contacts.vcf", "calendar.ics"):
        (folder / name).write_bytes((MIXED / name).read_bytes())
    return folder


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "kith.duckdb"
    con = connect(path)
    reports = ingest_sources(con, discover([mixed_folder(tmp_path)]), options=ParseContext(now=NOW))
    assert {r.format for r in reports} == {"linkedin_profile", "linkedin_connections", "google_csv", "outlook_csv",
                                           "vcard", "ics"}, [(r.source, r.status, r.error) for r in reports]
    assert all(r.status == "loaded" for r in reports)
    resolve_people(con)
    set_as_of(con, NOW.date())
    con.close()
    return path


def person_id(con, email: str) -> int:
    [(pid,)] = con.execute("select person_id from people where list_contains(emails, ?)", [email]).fetchall()
    return pid


def test_a_person_in_every_export_is_one_person_with_every_source(db):
    con = connect(db, read_only=True)
    pid = person_id(con, "priya@blueharbor.example")
    kinds = {k for (k,) in con.execute("select source_kind from person_sources where person_id = ?", [pid]).fetchall()}
    assert kinds == {"linkedin_connections", "google_csv", "outlook_csv", "vcard", "ics"}
    person = con.execute("select emails, phones, linkedin_url, company, birthday from people where person_id = ?",
                         [pid]).fetchone()
    assert person == (["priya.r@mail.example", "priya@blueharbor.example"], ["+442079460018"],
                      "https://www.linkedin.com/in/priya-raman-1a2b", "Blue Harbor Labs", "1986-03-14")


def test_meetings_are_counted_as_they_happened(db):
    con = connect(db, read_only=True)
    priya = person_id(con, "priya@blueharbor.example")
    meetings = con.execute("select occurred_at, n_participants, duration_minutes, title from interactions "
                           "where person_id = ? and kind = 'meeting' order by occurred_at", [priya]).fetchall()
    assert len(meetings) == 8  # 10 weeks, one EXDATE, one cancelled occurrence
    assert meetings[0] == (datetime(2025, 1, 6, 10, 0), 2, 30.0, "Alex / Priya")  # Lisbon is UTC in winter
    assert date(2025, 1, 20) not in {m[0].date() for m in meetings}
    assert date(2025, 2, 3) not in {m[0].date() for m in meetings}
    tom = person_id(con, "tom.brooks@lumen.example")
    assert con.execute("select count(*) from interactions where person_id = ? and kind = 'meeting'",
                       [tom]).fetchone()[0] == 0  # the owner declined
    all_hands = con.execute("select count(distinct person_id), min(n_participants), max(n_participants), max(weight) "
                            "from interactions where title = 'All hands February'").fetchone()
    assert all_hands == (40, 41, 41, 0.0)  # a broadcast: counted, weighs nothing
    sigrid = person_id(con, "sigrid@halcyon.example")  # "Holm, Sigrid" in the invite = Sigrid Holm on LinkedIn
    assert con.execute("select kind from interactions where person_id = ?", [sigrid]).fetchall() == [("connected",)]
    assert con.execute("select count(*) from store.interaction_records where kind = 'scheduled'").fetchone()[0] == 1


def test_the_owner_is_never_a_contact(db):
    con = connect(db, read_only=True)
    assert con.execute("select count(*) from people where list_contains(emails, 'alex.rivera@northwind.example') "
                       "or display_name = 'Alex Rivera'").fetchone()[0] == 0
    assert con.execute("select count(*) from store.owner_identities where value = 'alex.rivera@northwind.example'"
                       ).fetchone()[0] == 1


def test_rejects_are_queryable_with_file_and_line(db):
    con = connect(db, read_only=True)
    rows = con.execute("select source_file, format, record_key, line_no, kept from rejected_records "
                       "where not kept").fetchall()
    assert [(Path(f).name, fmt, key, line) for f, fmt, key, line, _ in rows] == [
        ("google_contacts.csv", "google_csv", "3", 4)]


def test_reimporting_the_folder_changes_nothing(db, tmp_path):
    con = connect(db)
    before = con.execute("select (select count(*) from store.person_records), "
                         "(select count(*) from store.interaction_records)").fetchone()
    reports = ingest_sources(con, discover([tmp_path / "exports"]), options=ParseContext(now=NOW))
    assert {r.status for r in reports} == {"already ingested"}
    assert con.execute("select (select count(*) from store.person_records), "
                       "(select count(*) from store.interaction_records)").fetchone() == before


def test_show_lists_every_source_and_the_meetings(db, monkeypatch):
    import flows.cli

    monkeypatch.setattr(flows.cli.console, "width", 220)
    result = CliRunner().invoke(app, ["--db", str(db), "show", "priya@blueharbor.example"])
    assert result.exit_code == 0, result.output
    for text in ("Priya Raman", "google_csv", "outlook_csv", "vcard", "ics", "linkedin_connections",
                 "Alex / Priya (30 min)", "birthday 1986-03-14", "same email address"):
        assert text in result.output, text


MALFORMED = {
    "truncated.ics": b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x@example\r\nDTSTART:20250106T100000Z\r\n"
                     b"ATTENDEE;CN=Ann:mailto:ann@x.example\r\nSUMM",
    "no_end.vcf": b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nEMAIL:ann@x.example\r\n",
    "junk.csv": bytes(range(256)) * 8,
    "columns.csv": b"colour,size,weight\nred,10,3\nblue,12,4\n",
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_file_gets_one_clear_line_and_changes_nothing(db, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(MALFORMED[name])
    con = connect(db)
    tables = ("source_files", "person_records", "interaction_records", "ingest_rejects", "owner_identities")
    before = [con.execute(f"select count(*) from store.{t}").fetchone()[0] for t in tables]
    [report] = ingest_sources(con, discover([path]), options=ParseContext(now=NOW))
    assert report.status == "failed"
    assert report.error and "\n" not in report.error
    assert [con.execute(f"select count(*) from store.{t}").fetchone()[0] for t in tables] == before
    expected = {"truncated.ics": "line", "no_end.vcf": "END:VCARD", "junk.csv": "binary",
                "columns.csv": "not a recognised export"}[name]
    assert expected in report.error, report.error
