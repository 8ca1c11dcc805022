"""The inbox watcher: a file is handed over once, only when it has stopped changing."""

from __future__ import annotations

from pathlib import Path

from flows.watch import FAILED_DIR, InboxWatcher, not_yet_ingested, set_failed_aside


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_file_is_ready_once_after_it_stops_changing(tmp_path):
    clock = Clock()
    watcher = InboxWatcher(tmp_path, settle_seconds=2, clock=clock)
    export = tmp_path / "contacts.csv"
    export.write_text("Name,Email\n")
    assert watcher.ready() == []  # first sight
    clock.now = 1
    with export.open("a") as f:
        f.write("Ann,ann@x.io\n")  # still being written
    assert watcher.ready() == []
    clock.now = 2.5
    assert watcher.ready() == []  # unchanged, but only for 1.5 s
    clock.now = 3.5
    assert watcher.ready() == [export]
    clock.now = 10
    assert watcher.ready() == []  # handed over already


def test_partial_downloads_hidden_files_and_the_failed_folder_are_ignored(tmp_path):
    clock = Clock()
    watcher = InboxWatcher(tmp_path, settle_seconds=0, clock=clock)
    for name in ("export.zip.crdownload", "calendar.ics.part", ".DS_Store", "~$contacts.csv"):
        (tmp_path / name).write_text("x")
    (tmp_path / FAILED_DIR).mkdir()
    (tmp_path / FAILED_DIR / "bad.csv").write_text("x")
    (tmp_path / "good.vcf").write_text("BEGIN:VCARD\n")
    watcher.ready()
    clock.now = 1
    assert watcher.ready() == [tmp_path / "good.vcf"]


def test_a_changed_file_is_handed_over_again(tmp_path):
    clock = Clock()
    watcher = InboxWatcher(tmp_path, settle_seconds=1, clock=clock)
    export = tmp_path / "c.csv"
    export.write_text("a\n")
    watcher.ready()
    clock.now = 2
    assert watcher.ready() == [export]
    export.write_text("a\nb\n")
    clock.now = 3
    assert watcher.ready() == []
    clock.now = 5
    assert watcher.ready() == [export]


def test_a_failed_file_is_moved_aside_with_its_error(tmp_path):
    bad = tmp_path / "junk.csv"
    bad.write_bytes(b"\x00\x01")
    (tmp_path / "failed").mkdir()
    (tmp_path / "failed" / "junk.csv").write_text("an older one")
    moved = set_failed_aside(tmp_path, [
        {"source": str(bad), "status": "failed", "error": "line 1: binary data, not a text export"},
        {"source": str(tmp_path / "ok.csv"), "status": "loaded", "error": None},
    ])
    assert moved == [tmp_path / "failed" / "junk (2).csv"] and not bad.exists()
    note = Path(str(moved[0]) + ".error.txt").read_text()
    assert "binary data" in note


def test_only_files_with_unseen_content_need_a_flow(tmp_path):
    import zipfile

    from flows.sources import sha256

    seen, fresh = tmp_path / "seen.csv", tmp_path / "fresh.csv"
    seen.write_text("First Name,Last Name\nAda,Lovelace\n")
    fresh.write_text("First Name,Last Name\nGrace,Hopper\n")
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(seen, "Connections.csv")
        z.write(fresh, "Invitations.csv")
    known = {sha256(seen.read_bytes())}
    new, already = not_yet_ingested([seen, fresh, archive, tmp_path / "gone.csv"], known)
    assert already == [seen]
    assert new == [fresh, archive, tmp_path / "gone.csv"]  # one member unseen; a vanished file: the flow says why
    new, already = not_yet_ingested([archive], known | {sha256(fresh.read_bytes())})
    assert (new, already) == ([], [archive])


def test_records_stored_but_never_resolved_make_the_watcher_run_the_flow(tmp_path):
    """A run killed between an import's commit and its resolution left records without a
    person: `kith watch` must finish the job, not find "nothing new"."""
    from flows.cli import _resolution_pending
    from flows.db import connect
    from flows.ingest import ingest_sources
    from flows.people import resolve_people
    from flows.sources import discover
    from tests.conftest import LINKEDIN

    db = tmp_path / "k.duckdb"
    assert not _resolution_pending(db)  # no database yet
    con = connect(db)
    ingest_sources(con, discover([LINKEDIN / "connections_2024_preamble.csv"]))
    con.close()
    assert _resolution_pending(db)
    con = connect(db)
    resolve_people(con)
    con.close()
    assert not _resolution_pending(db)
