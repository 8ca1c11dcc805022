"""Ingest: one transaction per file, nothing stored twice, failures leave no trace."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from flows.ingest import ingest_sources
from flows.people import resolve_people
from flows.sources import Source, discover
from tests.conftest import LINKEDIN

EXPORT = ["profile_2024.csv", "connections_2024_preamble.csv", "invitations_2024.csv", "messages_2024.csv",
          "messages_2025.csv", "messages_2023.csv"]

TABLES = ["store.source_files", "store.person_records", "store.interaction_records", "store.ingest_rejects",
          "store.owner_identities"]


def snapshot(con) -> dict:
    return {t: con.execute(f"select * from {t} order by all").fetchall() for t in TABLES}


def export_zip(tmp_path: Path, names=EXPORT, name="Basic_LinkedInDataExport_12-20-2024.zip") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        for n in names:
            member = {"profile_2024.csv": "Profile.csv", "connections_2024_preamble.csv": "Connections.csv",
                      "invitations_2024.csv": "Invitations.csv", "messages_2024.csv": "messages.csv"}.get(n, n)
            archive.write(LINKEDIN / n, member)
        archive.writestr("Skills.csv", "Name\nSQL\n")
    return path


def ingest(con, *paths):
    reports = ingest_sources(con, discover(list(paths)))
    resolve_people(con)
    return {Path(r.source.split("!")[-1]).name: r for r in reports}


def test_linkedin_zip_loads_owner_first_and_reports_per_file(con, tmp_path):
    reports = ingest(con, export_zip(tmp_path))
    assert reports["Connections.csv"].status == "loaded"
    assert (reports["Connections.csv"].records_read, reports["Connections.csv"].new) == (5, 5)
    assert reports["messages.csv"].rejected == 1 and reports["messages.csv"].reasons == {"draft": 1}
    assert reports["Skills.csv"].status == "skipped"
    assert con.execute("select exported_on from store.source_files limit 1").fetchone()[0].isoformat() == "2024-12-20"
    owner = con.execute("select value from store.owner_identities where kind = 'linkedin_slug'").fetchall()
    assert owner == [("alex-rivera-0a1b2c",)]
    names = {r[0] for r in con.execute("select display_name from people").fetchall()}
    assert "Alex Rivera" not in names and "Linnéa Åberg" in names


def test_one_person_across_files_with_lineage(con, tmp_path):
    ingest(con, export_zip(tmp_path))
    pid = con.execute("select person_id from people where display_name = 'Linnéa Åberg'").fetchone()[0]
    sources = con.execute(
        "select source_kind, record_key, line_no, source_file, link_reason from person_sources where person_id = ? "
        "order by source_kind", [pid]).fetchall()
    kinds = [s[0] for s in sources]
    assert kinds == ["linkedin_connections", "linkedin_invitations", "linkedin_messages"]
    connection = sources[0]
    assert connection[1] == "1" and connection[2] == 5  # first data record, on line 5 after the preamble
    assert connection[3].endswith(".zip!Connections.csv")
    assert all(s[4] == "same LinkedIn profile" for s in sources)
    kinds = {r[0] for r in con.execute("select kind from interactions where person_id = ?", [pid]).fetchall()}
    assert kinds == {"connected", "invitation", "message"}


def test_reingesting_the_same_files_changes_nothing(con, tmp_path):
    archive = export_zip(tmp_path)
    ingest(con, archive)
    before = snapshot(con)
    folder = tmp_path / "unzipped"
    folder.mkdir()
    zipfile.ZipFile(archive).extractall(folder)
    reports = ingest(con, archive, folder)
    assert {r.status for r in reports.values()} <= {"already ingested", "skipped"}
    assert snapshot(con) == before


def test_overlapping_export_counts_known_records(con, tmp_path):
    ingest(con, LINKEDIN / "connections_2024_preamble.csv")
    text = (LINKEDIN / "connections_2024_preamble.csv").read_text(encoding="utf-8")
    newer = tmp_path / "later.csv"
    newer.write_text(text + "\nNew,Person,https://www.linkedin.com/in/new-person,,Acme,CTO,01 Jan 2025", encoding="utf-8")
    report = ingest(con, newer)["later.csv"]
    assert (report.records_read, report.new, report.known, report.rejected) == (6, 1, 5, 0)
    assert con.execute("select count(*) from store.person_records").fetchone()[0] == 6


def test_job_change_between_exports_keeps_both_and_prefers_newest(con, tmp_path):
    old = tmp_path / "Basic_LinkedInDataExport_01-01-2024" / "Connections.csv"
    new = tmp_path / "Basic_LinkedInDataExport_06-01-2025" / "Connections.csv"
    for path, company in ((old, "Acme"), (new, "Globex")):
        path.parent.mkdir()
        path.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                        f"Ann,Lee,https://www.linkedin.com/in/ann-lee,,{company},CTO,01 Jan 2020", encoding="utf-8")
    ingest(con, new, old)
    assert con.execute("select company from people").fetchall() == [("Globex",)]
    assert con.execute("select count(*) from person_sources").fetchone()[0] == 2


@pytest.mark.parametrize("name, message", [
    ("bad_truncated.csv", "line 7: broken CSV"),
    ("bad_garbage.csv", "binary data"),
    ("bad_no_columns.csv", "not a recognised export"),
])
def test_bad_files_fail_whole_and_store_nothing(con, tmp_path, name, message):
    ingest(con, LINKEDIN / "connections_2018.csv")
    before = snapshot(con)
    report = ingest(con, LINKEDIN / name)[name]
    assert report.status == "failed"
    assert message in report.error
    assert snapshot(con) == before


def test_a_bad_file_does_not_stop_the_others(con, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in ("bad_truncated.csv", "connections_2018.csv", "bad_no_columns.csv"):
        shutil.copy(LINKEDIN / name, folder / name)
    reports = ingest(con, folder)
    assert reports["bad_truncated.csv"].status == "failed"
    assert reports["bad_no_columns.csv"].status == "skipped"  # found in a folder, not named
    assert reports["connections_2018.csv"].status == "loaded"


def test_failure_while_storing_rolls_the_file_back(con, monkeypatch):
    import flows.ingest as ingest_module

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    before = snapshot(con)
    monkeypatch.setattr(ingest_module, "_record_ids", explode)
    report = ingest(con, LINKEDIN / "connections_2018.csv")["connections_2018.csv"]
    assert report.status == "failed" and "disk full" in report.error
    assert snapshot(con) == before


def test_messages_alone_use_the_owner_learnt_earlier(con):
    ingest(con, LINKEDIN / "profile_2024.csv")
    report = ingest(con, LINKEDIN / "messages_group_thread.csv")["messages_group_thread.csv"]
    assert report.status == "loaded" and report.new == 4


def test_source_display_names_archive_members(tmp_path):
    assert Source(tmp_path / "a.zip", "x/Connections.csv").display.endswith("a.zip!x/Connections.csv")
    with pytest.raises(FileNotFoundError):
        discover([tmp_path / "missing.csv"])
