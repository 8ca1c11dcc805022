"""Migrations are applied once and recorded; models build in dependency order; files are private."""

from __future__ import annotations

import stat

import duckdb
import pytest

from flows.db import DatabaseMissing, PUBLIC_FOLDER, SQL_DIR, connect, migration_files, model_order

PUBLIC_COLUMNS = {
    "people": ["person_id", "display_name", "first_name", "last_name", "emails", "phones", "linkedin_url",
               "company", "title", "connected_on", "source_records", "first_seen_at", "birthday"],
    "person_sources": ["person_id", "record_id", "source_kind", "source_file", "record_key", "line_no", "name",
                       "emails", "phones", "linkedin_url", "company", "title", "connected_on", "link_reason",
                       "ingested_at", "birthday"],
    "interactions": ["person_id", "occurred_at", "kind", "direction", "weight", "n_participants",
                     "conversation_id", "summary", "source_file", "record_key", "interaction_id",
                     "duration_minutes", "title"],
    "relationship_scores": ["person_id", "display_name", "as_of", "last_interaction_on", "last_interaction_kind",
                            "days_since", "interaction_days", "contact_days", "contact_days_last_year",
                            "expected_gap_days", "overdue_ratio", "strength", "priority", "status", "company",
                            "title", "connected_on", "reason", "layer", "layer_source"],
    "source_files": ["file_id", "source_file", "format", "exported_on", "ingested_at", "records_read",
                     "records_new", "records_known", "records_rejected", "size_bytes", "sha256"],
    "rejected_records": ["source_file", "format", "record_key", "line_no", "reason", "kept", "ingested_at"],
    "reconnect_lists": ["week", "as_of", "rank", "person_id", "display_name", "reason", "days_since",
                        "expected_gap_days", "overdue_ratio", "strength", "priority", "created_at"],
}


def test_migrations_recorded_once(db_path):
    con = connect(db_path)
    versions = [v for v, _, _ in migration_files()]
    assert con.execute("select version from schema_migrations order by version").fetchall() == [(v,) for v in versions]
    con.close()
    con = connect(db_path)  # second open applies nothing new
    assert con.execute("select count(*) from schema_migrations").fetchone()[0] == len(versions)
    con.close()


def test_public_interface_columns_are_stable(con):
    """The views people query are a contract: renaming or dropping a column fails here."""
    for view, columns in PUBLIC_COLUMNS.items():
        got = [row[0] for row in con.execute(f"describe {view}").fetchall()]
        assert got == columns, view


def test_models_sorted_after_their_dependencies():
    order = [p.stem for p in model_order(sorted((SQL_DIR / "models").rglob("*.sql")))]
    assert order.index("stg_interactions") < order.index("int_interaction_days") < order.index("relationship_scores")
    assert order.index("people") < order.index("relationship_scores") < order.index("reconnect_candidates")
    assert all((SQL_DIR / "models" / PUBLIC_FOLDER / f"{v}.sql").exists()
               for v in PUBLIC_COLUMNS if v != "reconnect_lists")


def test_model_cycle_is_reported(tmp_path):
    (tmp_path / "a.sql").write_text("select * from b")
    (tmp_path / "b.sql").write_text("select * from a")
    with pytest.raises(ValueError, match="cycle"):
        model_order([tmp_path / "a.sql", tmp_path / "b.sql"])


def test_database_and_folder_are_private(db_path):
    connect(db_path).close()
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(db_path.parent.stat().st_mode) == 0o700


def test_readers_need_an_existing_database(tmp_path):
    with pytest.raises(DatabaseMissing, match="kith ingest"):
        connect(tmp_path / "nope.duckdb", read_only=True)


def test_failed_migration_leaves_nothing_half_applied(db_path, monkeypatch, tmp_path):
    import flows.db as db

    bad = tmp_path / "sql"
    (bad / "migrations").mkdir(parents=True)
    (bad / "migrations" / "001_initial.sql").write_text((SQL_DIR / "migrations" / "001_initial.sql").read_text())
    (bad / "migrations" / "002_broken.sql").write_text("create table store.half (x int); select nonsense from nowhere;")
    monkeypatch.setattr(db, "SQL_DIR", bad)
    con = duckdb.connect(str(db_path.parent / "m.duckdb")) if db_path.parent.mkdir(parents=True) is None else None
    with pytest.raises(duckdb.Error):
        db.migrate(con)
    assert con.execute("select max(version) from schema_migrations").fetchone()[0] == 1
    assert con.execute("select count(*) from information_schema.tables where table_name = 'half'").fetchone()[0] == 0
