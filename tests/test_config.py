"""kith.toml: optional, checked strictly, overridable from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.config import ConfigError, config_path, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kith.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_defaults(tmp_path):
    settings = load_settings(tmp_path / "kith.toml", environ={})
    assert settings.phone_region is None and not settings.owner.emails and settings.path is None


def test_owner_and_region_are_read_and_normalized(tmp_path):
    path = write(tmp_path, '''
phone_region = "de"
[owner]
names = ["Mara Lindqvist"]
emails = ["Mara@Example.com", "mailto:mara@work.example"]
linkedin = "https://www.linkedin.com/in/Mara-Lindqvist/"
''')
    settings = load_settings(path, environ={})
    assert settings.phone_region == "DE"
    assert settings.owner.emails == {"mara@example.com", "mara@work.example"}
    assert settings.owner.names == {"Mara Lindqvist"}
    assert settings.owner.linkedin_slugs == {"mara-lindqvist"}
    assert settings.origins["owner.emails"] == str(path)


def test_environment_overrides_the_file(tmp_path):
    path = write(tmp_path, 'phone_region = "DE"\n')
    settings = load_settings(path, environ={"KITH_PHONE_REGION": "gb", "KITH_OWNER_EMAILS": "a@x.io, b@y.io"})
    assert settings.phone_region == "GB"
    assert settings.owner.emails == {"a@x.io", "b@y.io"}
    assert settings.origins["phone_region"] == "$KITH_PHONE_REGION"


@pytest.mark.parametrize("text, message", [
    ('phone_regoin = "DE"\n', "unknown setting 'phone_regoin'"),
    ('[owner]\nemails = ["not-an-address"]\n', "owner.emails: 'not-an-address' is not an email address"),
    ('phone_region = "Germany"\n', "is not a country code"),
    ('[owner]\nnames = [1, 2]\n', "owner.names should be a list of strings"),
    ('phone_region = \n', "not valid TOML"),
])
def test_mistakes_are_named(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(write(tmp_path, text), environ={})


def test_config_lives_beside_the_database_unless_named(tmp_path, monkeypatch):
    monkeypatch.delenv("KITH_CONFIG", raising=False)
    assert config_path(tmp_path / "kith.duckdb") == tmp_path / "kith.toml"
    assert config_path(tmp_path / "kith.duckdb", Path("/etc/k.toml")) == Path("/etc/k.toml")


def test_cli_stops_on_a_bad_config_before_any_flow(tmp_path):
    write(tmp_path, "[owner]\nemail = 'x@y.io'\n")
    export = tmp_path / "c.csv"
    export.write_text("Name,Email\nAnn,ann@x.io\n")
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "kith.duckdb"), "ingest", str(export)])
    assert result.exit_code == 2
    assert "unknown setting 'owner.email'" in result.output


def test_cli_rejects_a_bad_map(tmp_path):
    export = tmp_path / "c.csv"
    export.write_text("Name,Mail\nAnn,ann@x.io\n")
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "k.duckdb"), "ingest", str(export), "--map", "Mail=e-mail"])
    assert result.exit_code == 2
    assert "COLUMN=FIELD" in result.output


def test_a_map_makes_an_unknown_csv_loadable(tmp_path):
    from flows.cli import _parse_map
    from flows.db import connect
    from flows.ingest import ingest_sources
    from flows.sources import discover
    from transforms.records import ParseContext

    export = tmp_path / "crm.csv"
    export.write_text("Kontakt;Mail;Firma\nAnn Lee;ann@x.example;Acme\nRaj Patel;raj@y.example;Initech\n", encoding="utf-8")
    mapping = _parse_map("Kontakt=name, Mail=email,Firma=company")
    assert mapping == {"kontakt": "name", "mail": "email", "firma": "company"}
    con = connect(tmp_path / "k.duckdb")
    [plain] = ingest_sources(con, discover([export]))
    assert plain.status == "failed" and "Kontakt" in plain.error
    [mapped] = ingest_sources(con, discover([export]), options=ParseContext(column_map=mapping))
    assert (mapped.status, mapped.format, mapped.new) == ("loaded", "contacts_csv", 2)
    assert con.execute("select full_name, emails, company from store.person_records order by record_id").fetchall() == [
        ("Ann Lee", ["ann@x.example"], "Acme"), ("Raj Patel", ["raj@y.example"], "Initech")]


def test_folders_list_size_timezone_and_schedule(tmp_path):
    path = write(tmp_path, 'inbox = "drops"\nout = "/srv/kith/out"\nlist_size = 15\n'
                           'timezone = "Europe/Stockholm"\nschedule = "30 7 * * 1-5"\n')
    settings = load_settings(path, environ={"KITH_LIST_SIZE": "12"})
    assert settings.inbox == tmp_path / "drops" and settings.out == Path("/srv/kith/out")
    assert (settings.list_size, settings.timezone, settings.schedule) == (12, "Europe/Stockholm", "30 7 * * 1-5")
    rows = {key: (value, origin) for key, value, origin in settings.effective()}
    assert rows["list_size"] == ("12", "$KITH_LIST_SIZE")
    assert rows["timezone"] == ("Europe/Stockholm", str(path))
    assert rows["phone_region"][1] == "default"


def test_defaults_are_explained(tmp_path):
    rows = {key: (value, origin) for key, value, origin in load_settings(tmp_path / "none.toml", environ={}).effective()}
    assert rows["schedule"] == ("0 8 * * 1", "default")
    assert rows["inbox"] == ("inbox/ beside the database", "default")


@pytest.mark.parametrize("text, message", [
    ("list_size = 0\n", "list_size should be between 1 and 500"),
    ('timezone = "Mars/Olympus"\n', "is not a time zone name"),
    ('schedule = "every monday"\n', "should be a cron expression"),
    ('list_size = "ten"\n', "list_size should be a whole number"),
])
def test_more_mistakes_are_named(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(write(tmp_path, text), environ={})


def test_kith_config_shows_each_setting_and_its_origin(tmp_path, monkeypatch):
    import flows.cli

    monkeypatch.setattr(flows.cli.console, "width", 200)
    write(tmp_path, 'phone_region = "SE"\n')
    monkeypatch.setenv("KITH_LIST_SIZE", "7")
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "kith.duckdb"), "config"])
    assert result.exit_code == 0, result.output
    lines = {line.split("│")[1].strip(): line for line in result.output.splitlines() if line.count("│") >= 3}
    assert "SE" in lines["phone_region"] and str(tmp_path / "kith.toml") in lines["phone_region"]
    assert "7" in lines["list_size"] and "$KITH_LIST_SIZE" in lines["list_size"]
    assert "default" in lines["schedule"]


def test_kith_backup_copies_and_refuses_to_overwrite(tmp_path):
    from flows.db import connect

    connect(tmp_path / "kith.duckdb").close()
    runner = CliRunner()
    dest = tmp_path / "copy.duckdb"
    first = runner.invoke(app, ["--db", str(tmp_path / "kith.duckdb"), "backup", str(dest)])
    assert first.exit_code == 0 and dest.exists()
    again = runner.invoke(app, ["--db", str(tmp_path / "kith.duckdb"), "backup", str(dest)])
    assert again.exit_code == 2 and "exists already" in again.output
