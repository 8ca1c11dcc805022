"""The ``kith`` command: a thin shell over flows/ and transforms/.

Commands that only read or annotate the database (``show``) never import Prefect; only
``ingest`` and ``weekly`` run as Prefect flows.
"""

from __future__ import annotations

import sys
from contextlib import closing
from datetime import date, datetime
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from flows.paths import SAMPLE_CONFIG, Paths, sample_as_of

HELP = """
kith keeps your professional relationships from going cold.

It reads the exports you already have (LinkedIn's data export, Google and Outlook
contact CSVs, vCards, calendar .ics files), works out who is who, measures how long each relationship has been quiet against its own rhythm, and each
week lists the few people most worth a message, with the reason.

\b
Try it on the bundled synthetic sample:
    kith weekly --sample
Then on your own exports (the LinkedIn .zip as downloaded, a folder of files):
    kith ingest ~/Downloads/Basic_LinkedInDataExport_11-16-2026.zip
    kith ingest ~/Downloads/contacts.csv ~/Downloads/calendar.ics
    kith weekly
    kith show "Jane Doe"

Tell kith who you are in data/kith.toml ([owner] names and emails) and the country of
phone numbers written without +CC (phone_region = "DE"); see the README.

The database is a DuckDB file (default data/kith.duckdb, or --db / KITH_DB) that you can
query yourself: see the views people, person_sources, interactions, relationship_scores
and reconnect_lists in the README.
"""

app = typer.Typer(help=HELP, no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                  context_settings={"help_option_names": ["-h", "--help"]})
console = Console()
err = Console(stderr=True)


class State:
    db: Optional[Path] = None
    config: Optional[Path] = None
    verbose: bool = False


state = State()


@app.callback()
def main_options(
    db: Optional[Path] = typer.Option(None, "--db", envvar="KITH_DB", metavar="PATH",
                                      help="The DuckDB file [default: data/kith.duckdb]."),
    config: Optional[Path] = typer.Option(None, "--config", envvar="KITH_CONFIG", metavar="FILE",
                                          help="Settings file [default: kith.toml beside the database]."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show Prefect's own logs too."),
) -> None:
    state.db, state.config, state.verbose = db, config, verbose


def _check_settings(db: Path) -> Optional[str]:
    """Read the settings before any flow starts, so a mistake in kith.toml is a one-line
    error and not a failed run. Returns the file to pass on, if one was named."""
    from flows.config import ConfigError, config_path, load_settings

    try:
        load_settings(config_path(db, state.config), required=state.config is not None)
    except ConfigError as exc:
        err.print(f"kith: {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    return str(state.config) if state.config else None


def _parse_map(value: Optional[str]) -> dict[str, str]:
    """``"Mail=email,Firma=company"`` -> {"mail": "email", "firma": "company"}."""
    if not value:
        return {}
    from transforms.contacts_csv import KITH_FIELDS
    from transforms.csv_table import canonical

    mapping: dict[str, str] = {}
    for part in (value or "").split(","):
        if not part.strip():
            continue
        column, sep, target = part.partition("=")
        target = target.strip().lower()
        if not sep or not column.strip() or target not in KITH_FIELDS:
            raise typer.BadParameter(
                f"expected COLUMN=FIELD pairs separated by commas, FIELD one of {', '.join(KITH_FIELDS)}; "
                f"got {part.strip()!r}", param_hint="--map")
        mapping[canonical(column)] = target
    return mapping


def _parse_date(value: Optional[str], option: str) -> Optional[date]:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"expected a date as YYYY-MM-DD, got {value!r}", param_hint=option) from None


def _run_flow(name: str, **kwargs):
    """Import Prefect (quietly configured) only when a flow actually runs."""
    from flows import prefect_env

    prefect_env.configure(verbose=state.verbose)
    from flows import pipeline

    return getattr(pipeline, name)(**kwargs)


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., metavar="PATH...", help="Export files, folders or .zip archives."),
    as_of: Optional[str] = typer.Option(None, "--as-of", metavar="YYYY-MM-DD", help="Score as of this day [default: today]."),
    column_map: Optional[str] = typer.Option(
        None, "--map", metavar="COLUMN=FIELD,...",
        help="For a contact CSV kith does not recognise: which column holds what, e.g. "
             "\"Mail=email,Firma=company\". Fields: name, first_name, last_name, email, phone, company, "
             "title, linkedin, birthday."),
) -> None:
    """Load export files: files, folders (recursively) and the LinkedIn .zip as downloaded.

    \b
    Reads LinkedIn's data export (Connections, messages, Invitations, Profile),
    Google and Outlook contact CSVs (Outlook's English and German layouts),
    other contact CSVs whose header names people (or with --map), vCards (.vcf)
    from Apple, Google and Android, and calendars (.ics) from Google, Outlook and Apple.

    The format is detected from each file's content, not its name. Loading the same file
    twice changes nothing; a file that cannot be read is reported with its line and
    nothing from it is stored.
    """
    from flows.report import print_ingest

    day = _parse_date(as_of, "--as-of") or date.today()
    mapping = _parse_map(column_map)
    paths_ = Paths.for_db(state.db)
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        err.print(f"kith: no such file or folder: {', '.join(missing)}")
        raise typer.Exit(2)
    config = _check_settings(paths_.db)
    result = _run_flow("ingest_flow", db=str(paths_.db), paths=[str(p) for p in paths], as_of=day,
                       config=config, column_map=mapping)
    failed = print_ingest(console, err, result)
    raise typer.Exit(1 if failed else 0)


@app.command()
def weekly(
    as_of: Optional[str] = typer.Option(None, "--as-of", metavar="YYYY-MM-DD", help="The week's date [default: today]."),
    limit: int = typer.Option(10, "--limit", "-n", min=1, max=500, help="How many people to list."),
    sample: bool = typer.Option(False, "--sample", help="Run on the bundled synthetic export, in a database of its own."),
    inbox: Optional[Path] = typer.Option(None, "--inbox", metavar="DIR", help="Folder of new exports [default: inbox/ beside the database]."),
    out: Optional[Path] = typer.Option(None, "--out", metavar="DIR", help="Where the list files go [default: out/ beside the database]."),
) -> None:
    """This week's reconnect list: ingest what is new in the inbox, resolve people, score
    every relationship, keep the list in reconnect_lists and write <out>/<ISO-week>.md and .csv."""
    from flows.report import print_ingest, print_list

    snapshot_at = None
    if sample:
        paths_ = Paths.sample()
        day = _parse_date(as_of, "--as-of") or sample_as_of()
        config = str(SAMPLE_CONFIG)
        snapshot_at = datetime.combine(sample_as_of(), datetime.min.time())  # the sample was exported that day
    else:
        paths_ = Paths.for_db(state.db, inbox, out)
        day = _parse_date(as_of, "--as-of") or date.today()
        config = _check_settings(paths_.db)
    started = datetime.now()
    result = _run_flow("weekly_flow", db=str(paths_.db), inbox=str(paths_.inbox), out_dir=str(paths_.out),
                       as_of=day, limit=limit, config=config, snapshot_at=snapshot_at)
    failed = print_ingest(console, err, result, quiet_when_nothing_new=True)
    print_list(console, result, paths_.db, (datetime.now() - started).total_seconds())
    raise typer.Exit(1 if failed else 0)


@app.command()
def show(
    person: str = typer.Argument(..., help="A person id, an email, a LinkedIn URL, or part of a name."),
    sample: bool = typer.Option(False, "--sample", help="Look in the sample's database."),
) -> None:
    """Everything known about a person: their source records and why they were linked,
    their interactions, and their score with its reason."""
    from flows.db import DatabaseMissing, connect
    from flows.report import print_person, print_matches
    from flows.show import find_people, person_detail

    db = Paths.sample().db if sample else Paths.for_db(state.db).db
    try:
        con = connect(db, read_only=True)
    except DatabaseMissing as exc:
        err.print(f"kith: {exc}")
        raise typer.Exit(1)
    with closing(con):
        matches = find_people(con, person)
        if not matches:
            err.print(f"kith: nobody matches {person!r}")
            raise typer.Exit(1)
        if len(matches) > 1:
            print_matches(console, person, matches)
            raise typer.Exit(1)
        print_person(console, person_detail(con, matches[0]["person_id"]))


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("kith: interrupted")
        sys.exit(130)
