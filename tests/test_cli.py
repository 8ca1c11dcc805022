"""The kith command as a person uses it: help that teaches, show without Prefect, clear errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.db import connect
from flows.ingest import ingest_sources
from flows.people import resolve_people
from flows.scoring import set_as_of
from flows.sources import discover
from tests.conftest import LINKEDIN

runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    """Tests read whole lines: render as on a wide terminal."""
    import flows.cli

    monkeypatch.setattr(flows.cli.console, "width", 200)
    monkeypatch.setattr(flows.cli.err, "width", 200)


@pytest.fixture
def loaded_db(tmp_path) -> Path:
    """A database with one LinkedIn export in it, built without Prefect."""
    archive = tmp_path / "Basic_LinkedInDataExport_12-20-2024.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for name, member in (("profile_2024.csv", "Profile.csv"), ("connections_2024_preamble.csv", "Connections.csv"),
                             ("invitations_2024.csv", "Invitations.csv"), ("messages_2023.csv", "messages.csv")):
            z.write(LINKEDIN / name, member)
    db = tmp_path / "kith.duckdb"
    con = connect(db)
    ingest_sources(con, discover([archive]))
    resolve_people(con)
    from datetime import date
    set_as_of(con, date(2025, 6, 1))
    con.close()
    return db


def test_help_teaches():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for text in ("kith weekly --sample", "kith ingest", "kith show", "--db", "KITH_DB"):
        assert text in result.output
    lines = [line.strip() for line in result.output.splitlines()]
    for example in ('kith split "Jane Doe" 42', 'kith snooze "Jane Doe" --weeks 4', "kith serve"):
        assert any(line.startswith(example) for line in lines), example  # one example a line, not rewrapped
    for command in ("ingest", "weekly", "show", "merge", "split", "review", "done", "snooze", "ignore", "tier"):
        assert runner.invoke(app, [command, "--help"]).exit_code == 0


def test_show_finds_by_name_email_url_and_id(loaded_db):
    by_name = runner.invoke(app, ["--db", str(loaded_db), "show", "linnea"])
    assert by_name.exit_code == 0, by_name.output
    assert "Linnéa Åberg" in by_name.output
    assert "Source records (3)" in by_name.output and "same LinkedIn profile" in by_name.output
    assert "Interactions (4)" in by_name.output and "Score as of 2025-06-01" in by_name.output
    assert "You connected 167 days ago" in by_name.output and "last message 2.2 years ago" in by_name.output
    pid = by_name.output.split("(person ")[1].split(")")[0]
    url = runner.invoke(app, ["--db", str(loaded_db), "show", "https://www.linkedin.com/in/linn%C3%A9a-aberg-4c2e1a/"])
    assert f"(person {pid})" in url.output
    assert f"(person {pid})" in runner.invoke(app, ["--db", str(loaded_db), "show", pid]).output
    email = runner.invoke(app, ["--db", str(loaded_db), "show", "Amara.Okoye@example.com"])
    assert "Amara Okoye" in email.output


def test_show_ambiguous_and_unknown(loaded_db):
    many = runner.invoke(app, ["--db", str(loaded_db), "show", "a"])
    assert many.exit_code == 1 and "pick one by id" in many.output
    none = runner.invoke(app, ["--db", str(loaded_db), "show", "Nobody Atall"])
    assert none.exit_code == 1 and "nobody matches" in none.output


def test_show_without_a_database_says_what_to_do(tmp_path):
    result = runner.invoke(app, ["--db", str(tmp_path / "none.duckdb"), "show", "x"])
    assert result.exit_code == 1 and "kith ingest" in result.output


def test_read_only_commands_never_import_prefect(loaded_db):
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from flows.cli import app\n"
        f"r = CliRunner().invoke(app, ['--db', {str(loaded_db)!r}, 'show', 'linnea'])\n"
        "assert r.exit_code == 0, r.output\n"
        f"r = CliRunner().invoke(app, ['--db', {str(loaded_db)!r}, 'merge', 'Haruto', 'Grace'])\n"
        f"r = CliRunner().invoke(app, ['--db', {str(loaded_db)!r}, 'split', 'linnea', '9'])\n"
        "assert r.exit_code == 0, r.output\n"
        f"r = CliRunner().invoke(app, ['--db', {str(loaded_db)!r}, 'review'], input='q\\n')\n"
        "assert r.exit_code == 0, r.output\n"
        f"for args in (['done', '1'], ['snooze', '1', '--weeks', '2'], ['ignore', '1'], ['ignore', '1', '--undo'],\n"
        f"             ['tier', '1', 'close'], ['done', '1', '--undo']):\n"
        f"    r = CliRunner().invoke(app, ['--db', {str(loaded_db)!r}, *args])\n"
        "    assert r.exit_code == 0, (args, r.output)\n"
        "r = CliRunner().invoke(app, ['--help'])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'prefect'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_quick_commands_import_only_what_they_use(loaded_db):
    """show, done, snooze, ignore, tier, config and review as typed: no Prefect, no polars
    (only the parsers and the matcher need it: merge and split resolve again, so they do),
    no Pydantic (Typer's coercion of plain values is skipped)."""
    script = (
        "import sys\n"
        "from flows.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'prefect', 'polars', 'pydantic', 'pyarrow'}))\n"
    )
    for args in (["show", "linnea"], ["done", "1"], ["done", "1", "--undo"], ["snooze", "1", "--weeks", "2"],
                 ["snooze", "1", "--undo"], ["ignore", "1"], ["tier", "1", "close"], ["config"], ["review"]):
        run = subprocess.run([sys.executable, "-c", script, "--db", str(loaded_db), *args], capture_output=True,
                             text=True, timeout=120, input="q\n")
        assert run.returncode == 0, (args, run.stderr)
        assert run.stdout.strip().splitlines()[-1] == "[]", args


def test_watch_finds_nothing_new_without_starting_prefect(loaded_db, tmp_path):
    """A cron-started watcher over exports already stored answers at once: no flow, no Prefect."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(tmp_path / "Basic_LinkedInDataExport_12-20-2024.zip", inbox)
    shutil.copy(LINKEDIN / "connections_2024_preamble.csv", inbox / "Connections.csv")
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from flows.cli import app\n"
        f"r = CliRunner().invoke(app, ['--db', {str(loaded_db)!r}, 'watch', '--once', '--inbox', {str(inbox)!r},\n"
        "                              '--settle', '0', '--interval', '0.2'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(r.output)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'prefect'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Inbox: 2 file(s), nothing new." in out.stdout
    assert out.stdout.strip().endswith("[]")


def test_ingest_rejects_missing_paths_and_bad_dates_before_any_flow(tmp_path):
    missing = runner.invoke(app, ["--db", str(tmp_path / "k.duckdb"), "ingest", str(tmp_path / "nope.zip")])
    assert missing.exit_code == 2 and "no such file" in missing.output
    bad_date = runner.invoke(app, ["--db", str(tmp_path / "k.duckdb"), "weekly", "--as-of", "16/11/2026"])
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in bad_date.output
