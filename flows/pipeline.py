"""The Prefect flows behind ``kith ingest`` and ``kith weekly``.

Flows are plain functions over small tasks; tasks pass the database path and file paths,
never DataFrames, and opt out of Prefect's result caching (nothing here is worth caching
and hashing inputs costs time). Each task opens the database itself, so any one can be
retried on its own.
"""

from __future__ import annotations

import sys
from contextlib import closing, contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterator

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from flows.config import Settings, config_path, load_settings
from flows.actions import actions_file, restore_actions
from flows.db import connect
from flows.html_report import network_health, write_report
from flows.ingest import ingest_sources
from flows.outputs import list_markdown, write_list_files
from flows.people import resolve_people
from flows.reminders import write_reminders
from flows.rules import restore_rules, rules_file
from flows.scoring import iso_week, score_summary, set_as_of, store_weekly_list
from flows.sources import discover
from flows.trace import mark
from transforms.records import ParseContext

TASK_OPTIONS = {"cache_policy": NO_CACHE, "persist_result": False}


@contextmanager
def _progress_bar(what: str) -> Iterator[Callable[[int, int, str], None] | None]:
    """A progress bar on stderr while files load, only when a person is watching (a
    terminal): logs, cron mails and pipes stay clean."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn(f"{what} [bold]{{task.fields[file]}}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=Console(stderr=True), transient=True) as bar:
        task_id = bar.add_task(what, total=None, file="")

        def update(done: int, total: int, name: str) -> None:
            bar.update(task_id, completed=done, total=total, file=Path(name.split("!")[-1]).name)

        yield update


@contextmanager
def _spinner(what: str) -> Iterator[None]:
    """A spinner on stderr during one long step, only on a terminal."""
    if not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(what):
        yield


def _settings(db: str, config: str | None) -> Settings:
    """kith.toml beside the database unless the command named one (it was checked there)."""
    return load_settings(config_path(Path(db), Path(config) if config else None))


@task(name="ingest files", **TASK_OPTIONS)
def ingest_files(db: str, paths: list[str], config: str | None = None,
                 column_map: dict[str, str] | None = None, now: datetime | None = None) -> list[dict]:
    mark("task: ingest files")
    settings = _settings(db, config)
    options = ParseContext(owner=settings.owner, phone_region=settings.phone_region, column_map=column_map or {},
                           now=now)
    sources = discover([Path(p) for p in paths])
    with closing(connect(Path(db))) as con, _progress_bar("Ingesting") as progress:
        reports = ingest_sources(con, sources, progress=progress, options=options)
    log = get_run_logger()  # INFO: seen in Prefect's UI under `kith serve`, not on the CLI's console
    for r in reports:
        if r.status == "failed":
            log.info("%s failed: %s", r.source, r.error)
        elif r.status == "loaded":
            log.info("%s (%s): %d read, %d new, %d known, %d rejected", r.source, r.format, r.records_read,
                     r.new, r.known, r.rejected)
    return [report.as_dict() for report in reports]


@task(name="resolve people", **TASK_OPTIONS)
def resolve(db: str, config: str | None = None) -> int:
    """Who is who, with the user's merges, splits, snoozes, tiers and the rest (restored from
    their copies beside the database when the database was rebuilt)."""
    mark("task: resolve people")
    with closing(connect(Path(db))) as con, _spinner("Working out who is who"):
        restore_rules(con, rules_file(Path(db)))
        restore_actions(con, actions_file(Path(db)))
        return resolve_people(con, _settings(db, config).owner)


@task(name="score relationships", **TASK_OPTIONS)
def score(db: str, as_of: date) -> dict[str, int]:
    mark("task: score relationships")
    with closing(connect(Path(db))) as con:
        set_as_of(con, as_of)
        return score_summary(con)


@task(name="pick this week's list", **TASK_OPTIONS)
def pick_list(db: str, as_of: date, limit: int) -> list[dict]:
    mark("task: pick this week's list")
    with closing(connect(Path(db))) as con:
        rows = store_weekly_list(con, as_of, limit)
    get_run_logger().info("This week's list (%s): %s", iso_week(as_of), ", ".join(r["display_name"] for r in rows))
    return rows


TABLE_COLUMNS = ["rank", "name", "company", "reason", "days_since", "overdue_ratio"]


def list_table(rows: list[dict]) -> list[dict]:
    """The list as rows for a Prefect table artifact (plain JSON values)."""
    def number(value):
        return None if value is None else float(value)
    return [{"rank": int(r["rank"]), "name": r.get("display_name"), "company": r.get("company"),
             "reason": r.get("reason"), "days_since": None if r.get("days_since") is None else int(r["days_since"]),
             "overdue_ratio": number(r.get("overdue_ratio"))} for r in rows]


@task(name="write outputs", **TASK_OPTIONS)
def write_outputs(db: str, rows: list[dict], out_dir: str, as_of: date) -> list[str]:
    """The list as Markdown, CSV, an HTML report with the network's health, and an .ics of
    reminders; and as Prefect artifacts (Markdown, and a table)."""
    week = iso_week(as_of)
    mark("task: write outputs")
    with closing(connect(Path(db))) as con:
        health = network_health(con)
    paths = write_list_files(Path(out_dir), rows, week, as_of)
    paths += [write_report(Path(out_dir), rows, week, as_of, health), write_reminders(Path(out_dir), rows, week, as_of)]
    create_markdown_artifact(key="kith-weekly-list", markdown=list_markdown(rows, week, as_of),
                             description=f"kith reconnect list {week}")
    create_table_artifact(key="kith-weekly-table", table=list_table(rows),
                          description=f"kith reconnect list {week}, as a table")
    return [str(p) for p in paths]


@flow(name="kith-ingest", log_prints=False)
def ingest_flow(db: str, paths: list[str], as_of: date | None = None, config: str | None = None,
                column_map: dict[str, str] | None = None) -> dict:
    """Load export files, then re-resolve people and re-score as of ``as_of`` (today)."""
    as_of = as_of or date.today()
    reports = ingest_files(db, paths, config, column_map)
    people = resolve(db, config)
    statuses = score(db, as_of)
    return {"files": reports, "people": people, "statuses": statuses}


@flow(name="kith-weekly", log_prints=False)
def weekly_flow(db: str, inbox: str, out_dir: str, as_of: date | None = None, limit: int = 10,
                config: str | None = None, snapshot_at: datetime | None = None) -> dict:
    """Ingest anything new in the inbox, resolve, score, keep and write this week's list.

    ``snapshot_at`` is when the inbox's exports were made, when that is not now (the
    bundled sample): calendar occurrences after it are scheduled, not met. Without
    ``as_of`` (a scheduled run) the week is today's."""
    as_of = as_of or date.today()
    reports = ingest_files(db, [inbox], config, now=snapshot_at) if Path(inbox).is_dir() else []
    people = resolve(db, config)
    statuses = score(db, as_of)
    rows = pick_list(db, as_of, limit)
    files = write_outputs(db, rows, out_dir, as_of)
    return {"files": reports, "people": people, "statuses": statuses, "list": rows,
            "outputs": files, "week": iso_week(as_of)}
