"""The ``kith`` command: a thin shell over flows/ and transforms/.

Commands that only read or annotate the database (``show``, ``merge``, ``split``,
``review``, ``done``, ``snooze``, ``ignore``, ``tier``) never import Prefect; only ``ingest`` and ``weekly`` run as Prefect flows.
"""

from __future__ import annotations

import sys
from contextlib import closing
from datetime import date, datetime
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

from flows import quick_params
from flows.paths import SAMPLE_CONFIG, Paths, sample_as_of

quick_params.install()  # plain values without Pydantic (~150 ms of every command)

HELP = """
kith keeps your professional relationships from going cold.

It reads the exports you already have (LinkedIn's data export, Google and Outlook
contact CSVs, vCards, calendar .ics files, mailboxes), works out who is who, measures
how long each relationship has been quiet against its own rhythm, and each week lists
the few people most worth a message, with the reason, starting with the replies you owe.

\b
Try it on the bundled synthetic sample:
    kith weekly --sample
Then on your own exports (the LinkedIn .zip as downloaded, a folder of files):
    kith ingest ~/Downloads/Basic_LinkedInDataExport_11-16-2026.zip
    kith ingest ~/Downloads/contacts.csv ~/Downloads/calendar.ics
    kith weekly
    kith show "Jane Doe"

\b
When kith got someone wrong, you have the last word:
    kith merge "Jane Doe" jane@work.example     two people who are one
    kith split "Jane Doe" 42                    a record that is someone else
    kith review                                 pairs kith was unsure about

\b
And the last word on the list:
    kith done "Jane Doe"                        you were in touch: the timer restarts
    kith snooze "Jane Doe" --weeks 4            not on the list for four weeks
    kith ignore "Jane Doe"                      never on the list
    kith tier "Jane Doe" close                  one of your ~15 closest (1-4, or auto)

\b
Let it run by itself:
    kith serve                                  the weekly job on a schedule (Mondays 08:00)
    kith watch                                  ingest each export you drop in the inbox
    kith backup                                 a safe copy of the database

Tell kith who you are in data/kith.toml ([owner] names and emails) and the country of
phone numbers written without +CC (phone_region = "DE"); `kith config` shows what is in
effect. See the README.

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


def _load_settings(db: Path):
    """The settings, read before any flow starts, so a mistake in kith.toml is a one-line
    error and not a failed run."""
    from flows.config import ConfigError, config_path, load_settings

    try:
        return load_settings(config_path(db, state.config), required=state.config is not None)
    except ConfigError as exc:
        err.print(f"kith: {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2)


def _check_settings(db: Path) -> Optional[str]:
    """Check the settings; returns the file to pass on to a flow, if one was named."""
    _load_settings(db)
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
    server = prefect_env.use_temporary_server()  # starts while Prefect and the pipeline are imported
    from flows import pipeline

    if server:
        from flows.temporary_server import ServerFailed

        try:
            server.wait()
        except ServerFailed as exc:
            _fail(str(exc), 5)
    if server or prefect_env.on_serves_server():
        with prefect_env.without_heartbeats():
            return getattr(pipeline, name)(**kwargs)
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
    from Apple, Google and Android, calendars (.ics) from Google, Outlook and Apple,
    and mail: mbox files (Gmail Takeout, Apple Mail's Export Mailbox, Thunderbird's
    folders) and .eml messages. Of mail only headers are read, never a body.

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
    limit: Optional[int] = typer.Option(None, "--limit", "-n", min=1, max=500,
                                        help="How many people to list [default: list_size in kith.toml, or 10]."),
    sample: bool = typer.Option(False, "--sample", help="Run on the bundled synthetic export, in a database of its own."),
    inbox: Optional[Path] = typer.Option(None, "--inbox", metavar="DIR", help="Folder of new exports [default: inbox in kith.toml, or inbox/ beside the database]."),
    out: Optional[Path] = typer.Option(None, "--out", metavar="DIR", help="Where the list files go [default: out in kith.toml, or out/ beside the database]."),
) -> None:
    """This week's reconnect list: ingest what is new in the inbox, resolve people, score
    every relationship, keep the list in reconnect_lists and write <out>/<ISO-week>.md, .csv,
    .html (a report with charts) and .ics (a reminder per person)."""
    from flows.report import print_ingest, print_list

    snapshot_at = None
    if sample:
        paths_ = Paths.sample()
        day = _parse_date(as_of, "--as-of") or sample_as_of()
        config = str(SAMPLE_CONFIG)
        snapshot_at = datetime.combine(sample_as_of(), datetime.min.time())  # the sample was exported that day
        limit = limit or 10
    else:
        db = Paths.for_db(state.db).db
        settings = _load_settings(db)
        paths_ = Paths.for_db(state.db, inbox or settings.inbox, out or settings.out)
        day = _parse_date(as_of, "--as-of") or date.today()
        config = str(state.config) if state.config else None
        limit = limit or settings.list_size
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
        detail = person_detail(con, matches[0]["person_id"])
        print_person(console, detail)
        from flows.report import print_standing

        print_standing(console, con, matches[0]["person_id"], detail.score)


def _db_path(sample: bool) -> Path:
    return Paths.sample().db if sample else Paths.for_db(state.db).db


def _open_for_rules(sample: bool):
    """The database opened for writing decisions, with any rules restored from the copy
    beside it (a rebuilt database), and the owner from the settings. No Prefect."""
    from flows.config import ConfigError, config_path, load_settings
    from flows.db import connect
    from flows.rules import restore_rules, rules_file

    db = _db_path(sample)
    if not db.exists():
        err.print(f"kith: no kith database at {db}: run `kith ingest` or `kith weekly` first", highlight=False,
                  soft_wrap=True)
        raise typer.Exit(1)
    try:
        settings = load_settings(SAMPLE_CONFIG if sample else config_path(db, state.config),
                                 required=sample or state.config is not None)
    except ConfigError as exc:
        err.print(f"kith: {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    con = connect(db)
    restored = restore_rules(con, rules_file(db))
    if restored:
        from flows.people import resolve_people

        resolve_people(con, settings.owner)
        err.print(f"kith: restored {restored} of your decisions from {rules_file(db)}", highlight=False, soft_wrap=True)
    return con, db, settings


def _one_person(con, query: str) -> dict:
    """The person ``query`` names, or a one-line error (a table of matches when several)."""
    from flows.report import print_matches
    from flows.show import find_people

    matches = find_people(con, query)
    if not matches:
        err.print(f"kith: nobody matches {query!r}", highlight=False)
        raise typer.Exit(1)
    if len(matches) > 1:
        print_matches(console, query, matches)
        raise typer.Exit(1)
    return matches[0]


def _apply(con, db: Path, settings) -> None:
    """Keep the copy of the rules beside the database, then re-resolve everyone."""
    from flows.people import resolve_people
    from flows.rules import rules_file, write_rules_file

    write_rules_file(con, rules_file(db))
    resolve_people(con, settings.owner)


@app.command()
def merge(
    person_a: str = typer.Argument(..., metavar="A", help="A person: an id, an email, a LinkedIn URL, or part of a name."),
    person_b: str = typer.Argument(..., metavar="B", help="The other person, the same way."),
    note: Optional[str] = typer.Option(None, "--note", metavar="TEXT", help="Why, for your future self."),
    sample: bool = typer.Option(False, "--sample", help="Work on the sample's database."),
) -> None:
    """Tell kith that A and B are one person.

    \b
    kith keeps this decision over any evidence, through re-ingesting and rebuilding:
        kith merge "Jane Doe" jane.doe@oldjob.example
        kith merge 12 40 --note "same Jane, new surname"
    It replaces an earlier split or review answer that kept them apart (the newest
    decision wins). The merged person keeps the smaller id. Undo with `kith split`,
    which merge prints ready to copy.
    """
    from flows.report import print_merged
    from flows.rules import RuleError, merge as merge_people, person_records

    con, db, settings = _open_for_rules(sample)
    with closing(con):
        a, b = _one_person(con, person_a), _one_person(con, person_b)
        if a["person_id"] == b["person_id"]:
            err.print(f"kith: {person_a!r} and {person_b!r} are already one person ({a['person_id']})", highlight=False)
            raise typer.Exit(1)
        second = b if a["person_id"] < b["person_id"] else a
        undo = [r["record_id"] for r in person_records(con, second["person_id"])]
        both = [r["record_id"] for p in (a, b) for r in person_records(con, p["person_id"])]
        try:
            change = merge_people(con, a["person_id"], b["person_id"], note=note)
        except RuleError as exc:
            err.print(f"kith: {exc}", highlight=False)
            raise typer.Exit(1)
        _apply(con, db, settings)
        if not print_merged(console, err, con, both, undo, change):
            raise typer.Exit(1)


@app.command()
def split(
    person: str = typer.Argument(..., metavar="PERSON", help="The person: an id, an email, a LinkedIn URL, or part of a name."),
    records: list[str] = typer.Argument(..., metavar="RECORD",
                                        help="Records that are not this person: the id `kith show` lists, or FILE:RECORD_KEY."),
    note: Optional[str] = typer.Option(None, "--note", metavar="TEXT", help="Why, for your future self."),
    sample: bool = typer.Option(False, "--sample", help="Work on the sample's database."),
) -> None:
    """Tell kith that a source record is not this person.

    \b
    `kith show PERSON` lists the person's records with their ids; name one or more:
        kith split "Jane Doe" 42
        kith split 12 Connections.csv:17 --note "another Jane Doe"
    The records are kept apart from the rest of the person from now on (several
    records named together may stay one person). It replaces an earlier merge of them
    (the newest decision wins); `kith split` is how you undo a `kith merge`.
    """
    from flows.report import print_split
    from flows.rules import RuleError, find_record, person_records, split as split_records

    con, db, settings = _open_for_rules(sample)
    with closing(con):
        who = _one_person(con, person)
        mine = person_records(con, who["person_id"])
        chosen = []
        for text in records:
            found = find_record(mine, text)
            if found is None:
                err.print(f"kith: {text!r} is not one of {who['display_name']} ({who['person_id']})'s records: "
                          f"`kith show {who['person_id']}` lists them with their ids", highlight=False, soft_wrap=True)
                raise typer.Exit(1)
            chosen.append(found["record_id"])
        try:
            change = split_records(con, who["person_id"], chosen, note=note)
        except RuleError as exc:
            err.print(f"kith: {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(1)
        _apply(con, db, settings)
        print_split(console, con, [r["record_id"] for r in mine], chosen, change)


@app.command()
def review(
    limit: Optional[int] = typer.Option(None, "--limit", "-n", min=1, help="Ask about at most this many pairs."),
    list_only: bool = typer.Option(False, "--list", help="Print the queue as a table; ask nothing."),
    as_json: bool = typer.Option(False, "--json", help="With --list: the queue as JSON, for scripts."),
    everything: bool = typer.Option(False, "--all", help="Also the pairs of people with no history and no moment "
                                    "(the answer changes nothing on your list)."),
    sample: bool = typer.Option(False, "--sample", help="Work on the sample's database."),
) -> None:
    """Decide the pairs of records kith was unsure about, most at stake first.

    Only pairs whose answer changes something you see: at least one side is someone you
    have a history with or who has a moment this week. The pairs where most history would
    move come first (with `--all`, every unsure pair).

    \b
    Each pair is shown side by side with kith's score and reason; answer
        y  the same person     n  not the same person
        s  skip for now        q  stop here (answers so far are kept)
    Answers are kept like `kith merge` and `kith split` decisions, and everyone is
    re-resolved once at the end. `kith review --list` shows the queue without asking.
    """
    import click

    from flows.report import print_review_pair, print_review_queue
    from flows.rules import RuleError, decide_pair, review_queue

    if as_json and not list_only:
        raise typer.BadParameter("--json goes with --list", param_hint="--json")
    con, db, settings = _open_for_rules(sample)
    with closing(con):
        queue = review_queue(con, limit, everything)
        if list_only:
            print_review_queue(console, queue, as_json)
            return
        if not queue:
            console.print("Nothing to review: kith is sure about every pair it compared.")
            return
        same = different = skipped = 0
        for n, pair in enumerate(queue, 1):
            print_review_pair(console, pair, n, len(queue))
            try:
                answer = click.prompt("Same person? [y]es / [n]o / [s]kip / [q]uit", prompt_suffix=" ",
                                      type=click.Choice(["y", "yes", "n", "no", "s", "skip", "q", "quit"],
                                                        case_sensitive=False), show_choices=False)
            except click.exceptions.Abort:  # end of input or Ctrl-C: keep what was answered
                console.print()
                break
            answer = answer.lower()[0]
            if answer == "q":
                break
            if answer == "s":
                skipped += 1
                continue
            try:
                decide_pair(con, pair["a"]["record_id"], pair["b"]["record_id"], same=answer == "y")
            except RuleError as exc:
                err.print(f"kith: {exc}", highlight=False)
                continue
            if answer == "y":
                same += 1
            else:
                different += 1
        if same or different:
            _apply(con, db, settings)
        left = len(review_queue(con, everything=everything))
        console.print(f"Kept {same} 'same' and {different} 'different' answer(s); skipped {skipped}. "
                      + (f"{left} pair(s) left to review." if left else "Nothing left to review."), highlight=False)


@app.command("resolve")
def resolve_command(
    full: bool = typer.Option(False, "--full", help="Resolve every record from scratch, not only the people "
                              "new records can touch."),
    sample: bool = typer.Option(False, "--sample", help="Work on the sample's database."),
) -> None:
    """Work out who is who now, without importing anything. No Prefect.

    \b
    kith does this on its own after every import: only the people that new records can
    touch are resolved again, and everyone when the matching code, your decisions or who
    you are changed. `--full` resolves every record from scratch (a minute or two at a
    million records). Says how many people there are and which way it ran.
    """
    from flows.people import last_run, resolve_people

    con, db, settings = _open_for_rules(sample)
    with closing(con):
        people = resolve_people(con, settings.owner, full=full)
        run = last_run(con)
        console.print(f"{people} people; resolved {run.resolved_records} of {run.records} records "
                      f"({run.mode}: {run.reason}).", highlight=False)


# ---------------------------------------------------------------- acting on the list

def _open_for_actions(sample: bool):
    """The database opened for writing actions, with rules and actions restored from their
    copies beside it when the database was rebuilt. No Prefect."""
    from flows.actions import actions_file, restore_actions
    from flows.db import connect
    from flows.rules import rules_file

    db = _db_path(sample)
    if not db.exists():
        _fail(f"no kith database at {db}: run `kith ingest` or `kith weekly` first")
    con = connect(db)
    if rules_file(db).exists() and not con.execute("select count(*) from store.resolution_rules").fetchone()[0]:
        con.close()  # a rebuilt database: restore the rules (and re-resolve) first, with the settings
        con, db, _ = _open_for_rules(sample)
    restored = restore_actions(con, actions_file(db))
    if restored:
        err.print(f"kith: restored {restored} of your actions from {actions_file(db)}", highlight=False, soft_wrap=True)
    return con, db


def _keep_actions(con, db: Path) -> None:
    from flows.actions import actions_file, write_actions_file

    write_actions_file(con, actions_file(db))


def _who(person: dict) -> str:
    return f"{person['display_name']} (person {person['person_id']})"


def _fail(message: str, code: int = 1):
    err.print(f"kith: {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _scored_as_of(con) -> Optional[date]:
    row = con.execute("select max(as_of) from store.run_context").fetchone()
    return row[0] if row else None


@app.command()
def done(
    person: str = typer.Argument(..., metavar="PERSON", help="An id, an email, a LinkedIn URL, or part of a name."),
    on: Optional[str] = typer.Option(None, "--on", metavar="YYYY-MM-DD", help="The day you were in touch [default: today]."),
    note: Optional[str] = typer.Option(None, "--note", metavar="TEXT", help="What it was, for your future self."),
    undo: bool = typer.Option(False, "--undo", help="Remove the `kith done` on --on (or the latest one)."),
    sample: bool = typer.Option(False, "--sample", help="Work on the sample's database."),
) -> None:
    """Tell kith you were in touch with PERSON (a call, a coffee, a message kith cannot see).

    \b
    It counts like a real day of contact (weight 1, like a 30-minute 1:1): the timer
    restarts, and it shows in `kith show` and the interactions view (kind 'done'):
        kith done "Jane Doe"
        kith done 12 --on 2026-11-12 --note "coffee in Berlin"
    Undo with `kith done PERSON --undo --on DAY`.
    """
    from flows.actions import ActionError, mark_done, undo_done

    day = _parse_date(on, "--on")
    if not undo and day is None:
        day = date.today()
    if day is not None and day > date.today():
        raise typer.BadParameter(f"{day} is in the future: mark it on the day", param_hint="--on")
    con, db = _open_for_actions(sample)
    with closing(con):
        who = _one_person(con, person)
        pid = who["person_id"]
        if undo:
            try:
                removed = undo_done(con, pid, day)
            except ActionError as exc:
                _fail(str(exc))
            _keep_actions(con, db)
            console.print(f"Removed your `kith done` for {_who(who)} on {removed[0]}. "
                          f"Redo with: kith done {pid} --on {removed[0]}", highlight=False, soft_wrap=True)
            return
        mark_done(con, pid, day, note)
        _keep_actions(con, db)
        as_of = _scored_as_of(con)
        later = f" (scores are as of {as_of}: it counts from the next `kith weekly`)" if as_of and day > as_of else ""
        console.print(f"Marked {_who(who)} as in touch on {day}: the timer restarts{later}. "
                      f"Undo with: kith done {pid} --undo --on {day}", highlight=False, soft_wrap=True)


@app.command()
def snooze(
    person: str = typer.Argument(..., metavar="PERSON", help="An id, an email, a LinkedIn URL, or part of a name."),
    weeks: Optional[int] = typer.Option(None, "--weeks", min=1, max=520, metavar="N", help="For N weeks from today."),
    until: Optional[str] = typer.Option(None, "--until", metavar="YYYY-MM-DD", help="Until this day."),
    undo: bool = typer.Option(False, "--undo", help="Remove the snooze."),
    sample: bool = typer.Option(False, "--sample", help="Work on the sample's database."),
) -> None:
    """Keep PERSON off the list for a while (they are back on the list from that day).

    \b
        kith snooze "Jane Doe" --weeks 6
        kith snooze 12 --until 2027-01-10
    A new snooze replaces the earlier one. Undo with `kith snooze PERSON --undo`.
    """
    from datetime import timedelta

    from flows.actions import snooze as snooze_person, unsnooze

    day = _parse_date(until, "--until")
    if not undo:
        if (weeks is None) == (day is None):
            raise typer.BadParameter("give either --weeks N or --until YYYY-MM-DD", param_hint="--weeks/--until")
        day = day or date.today() + timedelta(weeks=weeks)
        if day <= date.today():
            raise typer.BadParameter(f"{day} is not after today", param_hint="--until")
    con, db = _open_for_actions(sample)
    with closing(con):
        who = _one_person(con, person)
        pid = who["person_id"]
        if undo:
            earlier = unsnooze(con, pid)
            if earlier is None:
                _fail(f"{_who(who)} is not snoozed")
            _keep_actions(con, db)
            console.print(f"{_who(who)} is no longer snoozed (was until {earlier}). "
                          f"Redo with: kith snooze {pid} --until {earlier}", highlight=False, soft_wrap=True)
            return
        earlier = snooze_person(con, pid, day)
        _keep_actions(con, db)
        undo_hint = f"kith snooze {pid} --until {earlier}" if earlier and earlier > date.today() else f"kith snooze {pid} --undo"
        console.print(f"Snoozed {_who(who)}: not on the list until {day}"
                      + (f" (was until {earlier})" if earlier else "") + f". Undo with: {undo_hint}",
                      highlight=False, soft_wrap=True)


@app.command()
def ignore(
    person: str = typer.Argument(..., metavar="PERSON", help="An id, an email, a LinkedIn URL, or part of a name."),
    undo: bool = typer.Option(False, "--undo", help="List them again when they are due."),
    note: Optional[str] = typer.Option(None, "--note", metavar="TEXT", help="Why, for your future self."),
    sample: bool = typer.Option(False, "--sample", help="Work on the sample's database."),
) -> None:
    """Never put PERSON on the list (they stay in the database and in `kith show`).

    \b
        kith ignore "Old Recruiter"
        kith ignore 12 --undo
    """
    from flows.actions import ignore as ignore_person, unignore

    con, db = _open_for_actions(sample)
    with closing(con):
        who = _one_person(con, person)
        pid = who["person_id"]
        if undo:
            if not unignore(con, pid):
                _fail(f"{_who(who)} is not ignored")
            _keep_actions(con, db)
            console.print(f"{_who(who)} can be on the list again when due. Redo with: kith ignore {pid}",
                          highlight=False, soft_wrap=True)
            return
        added = ignore_person(con, pid, note)
        if added:
            _keep_actions(con, db)
        console.print(f"{'Ignoring' if added else 'Already ignoring'} {_who(who)}: never on the list. "
                      f"Undo with: kith ignore {pid} --undo", highlight=False, soft_wrap=True)


@app.command()
def tier(
    person: str = typer.Argument(..., metavar="PERSON", help="An id, an email, a LinkedIn URL, or part of a name."),
    layer: str = typer.Argument(..., metavar="LAYER",
                                help="1 closest (~5), 2 close (~15), 3 friends (~50), 4 acquaintances (~150), or auto."),
    sample: bool = typer.Option(False, "--sample", help="Work on the sample's database."),
) -> None:
    """Put PERSON in one of Dunbar's layers, whatever their strength says.

    \b
    kith ranks everyone by strength: the strongest 5 are layer 1 (closest), up to 15
    layer 2 (close), up to 50 layer 3 (friends), up to 150 layer 4 (acquaintances). A
    layer sets how often kith expects you to be in touch before there is much history
    (a week, a month, a quarter, a year):
        kith tier "Jane Doe" closest
        kith tier 12 3
        kith tier 12 auto          back to the layer their strength gives
    """
    from flows.actions import ActionError, layer_label, parse_layer, set_tier

    try:
        wanted = parse_layer(layer)
    except ActionError as exc:
        raise typer.BadParameter(str(exc).removeprefix("LAYER must be "), param_hint="LAYER") from None
    con, db = _open_for_actions(sample)
    with closing(con):
        who = _one_person(con, person)
        pid = who["person_id"]
        earlier = set_tier(con, pid, wanted)
        _keep_actions(con, db)
        undo_hint = f"kith tier {pid} {earlier if earlier is not None else 'auto'}"
        if wanted is None:
            row = con.execute("select layer from relationship_scores where person_id = ?", [pid]).fetchone()
            now = f"; their strength puts them in {layer_label(row[0])}" if row else ""
            console.print(f"{_who(who)}: no layer of yours any more{now}. Undo with: {undo_hint}",
                          highlight=False, soft_wrap=True)
            return
        g0 = con.execute("select layer_prior_gap_days[?] from models.params", [wanted]).fetchone()[0]
        console.print(f"Put {_who(who)} in {layer_label(wanted)}: kith expects contact about every {g0:.0f} days "
                      f"until your history says otherwise. Undo with: {undo_hint}", highlight=False, soft_wrap=True)


@app.command()
def config() -> None:
    """The settings in effect and where each comes from (kith.toml, an environment
    variable, or the default)."""
    from rich.table import Table

    db = Paths.for_db(state.db).db
    settings = _load_settings(db)
    from flows.config import config_path

    path = config_path(db, state.config)
    table = Table(title=f"Settings ({path}{'' if path.exists() else ', not there: all defaults'})",
                  title_justify="left")
    for column in ("setting", "value", "from"):
        table.add_column(column)
    for key, value, origin in settings.effective():
        table.add_row(key, escape(value), escape(origin))
    console.print(table)
    console.print(f"database: {escape(str(db))}", highlight=False)


@app.command()
def backup(
    dest: Optional[Path] = typer.Argument(None, metavar="[FILE]",
                                          help="Where to [default: backups/kith-<date-time>.duckdb beside the database]."),
) -> None:
    """A consistent copy of the database (and your merges, snoozes and other decisions),
    safe while kith runs: it waits for a writer to finish, then copies."""
    from flows.backup import backup_database

    db = Paths.for_db(state.db).db
    if not db.exists():
        _fail(f"no kith database at {db}")
    try:
        written = backup_database(db, dest)
    except FileExistsError as exc:
        _fail(str(exc), 2)
    console.print("Backed up to " + ", ".join(escape(str(p)) for p in written), highlight=False)


@app.command()
def watch(
    inbox: Optional[Path] = typer.Option(None, "--inbox", metavar="DIR", help="The folder to watch [default: inbox in kith.toml, or inbox/ beside the database]."),
    interval: float = typer.Option(2.0, "--interval", min=0.2, help="Seconds between looks."),
    settle: float = typer.Option(3.0, "--settle", min=0.0, help="A file is ready once it has not changed for this long."),
    once: bool = typer.Option(False, "--once", help="Ingest what is ready now and stop (for cron: with nothing new it answers at once, without starting Prefect)."),
) -> None:
    """Watch the inbox and ingest each new export once it is completely written. A file that
    fails is moved to <inbox>/failed/ with its error beside it; the others still load.
    Stop with Ctrl-C."""
    import time

    from flows.report import print_ingest
    from flows.watch import InboxWatcher, not_yet_ingested, set_failed_aside

    db = Paths.for_db(state.db).db
    settings = _load_settings(db)
    folder = Path(inbox or settings.inbox or Paths.for_db(state.db).inbox)
    folder.mkdir(parents=True, exist_ok=True)
    config = str(state.config) if state.config else None
    watcher = InboxWatcher(folder, settle_seconds=settle)
    console.print(f"Watching {escape(str(folder))} (Ctrl-C to stop)" if not once else
                  f"Looking in {escape(str(folder))}", highlight=False)
    deadline = time.monotonic() + settle + 2 * interval
    while True:
        ready = watcher.ready()
        ready, known = not_yet_ingested(ready, _stored_digests(db)) if ready else ([], [])
        if known and not ready and _resolution_pending(db):
            ready = known  # stored by a run killed before it resolved them: the flow finishes the job
        elif known and not ready:
            console.print(f"Inbox: {len(known)} file(s), nothing new.")
        if ready:
            result = _run_flow("ingest_flow", db=str(db), paths=[str(p) for p in ready], as_of=date.today(),
                               config=config)
            print_ingest(console, err, result, quiet_when_nothing_new=True)
            for moved in set_failed_aside(folder, result.get("files") or []):
                err.print(f"kith: moved {escape(moved.name)} to {escape(str(moved.parent))} (see its .error.txt)",
                          highlight=False)
        if once and time.monotonic() > deadline:
            return
        time.sleep(interval)


def _resolution_pending(db: Path) -> bool:
    """Whether stored records wait for a person (an import committed, then the run was killed
    before it resolved them). Unknown (busy, no database): no."""
    from flows.db import DatabaseBusy, DatabaseMissing, connect

    try:
        con = connect(db, read_only=True, timeout=0)
    except (DatabaseMissing, DatabaseBusy):
        return False
    with closing(con):
        return con.execute("""select exists (select 1 from store.person_records r
                                             where not exists (select 1 from store.person_map m
                                                               where m.record_id = r.record_id))""").fetchone()[0]


def _stored_digests(db: Path) -> set[str]:
    """The content hashes of every file already ingested (none when there is no database
    yet, or when another run is writing it: the flow then decides, as it always can)."""
    from flows.db import DatabaseBusy, DatabaseMissing, connect

    try:
        con = connect(db, read_only=True, timeout=0)
    except (DatabaseMissing, DatabaseBusy):
        return set()
    with closing(con):
        return {row[0] for row in con.execute("select sha256 from store.source_files").fetchall()}


@app.command()
def serve(
    cron: Optional[str] = typer.Option(None, "--cron", help="When to run, as cron [default: schedule in kith.toml, or \"0 8 * * 1\": Mondays 08:00]."),
    timezone: Optional[str] = typer.Option(None, "--timezone", help="IANA zone of the schedule [default: timezone in kith.toml, or this machine's]."),
) -> None:
    """Keep the weekly job scheduled with Prefect, until Ctrl-C. Uses the Prefect server in
    PREFECT_API_URL if set; otherwise starts a local one (and stops it on exit)."""
    from flows.config import ConfigError, _schedule, _timezone

    db = Paths.for_db(state.db).db
    settings = _load_settings(db)
    try:
        cron_ = _schedule(cron, "--cron") if cron else settings.schedule
        zone = _timezone(timezone, "--timezone") if timezone else settings.timezone
    except ConfigError as exc:
        _fail(str(exc), 2)
    import os

    from flows import prefect_env

    # runs under serve are watched in Prefect's UI: their logs go there, at INFO
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "true")
    prefect_env.configure(verbose=state.verbose)
    from flows.serve import prefect_server

    paths_ = Paths.for_db(state.db, settings.inbox, settings.out)
    parameters = {"db": str(paths_.db.resolve()), "inbox": str(paths_.inbox.resolve()),
                  "out_dir": str(paths_.out.resolve()), "limit": settings.list_size,
                  "config": str(state.config.resolve()) if state.config else None}
    with prefect_server() as url:
        # Prefect reads PREFECT_API_URL once, when it is imported: only now that the server
        # answers (and the variable is set) may it load, or it would serve the deployment on a
        # temporary server of its own and the schedule would never reach this one.
        from prefect import serve as prefect_serve

        from flows.serve import weekly_deployment

        deployment = weekly_deployment(parameters, cron_, zone)
        schedule = deployment.schedules[0].schedule
        console.print(f"Serving kith-weekly on {escape(url)}: cron {escape(schedule.cron)} "
                      f"({escape(schedule.timezone)}). Ctrl-C to stop.", highlight=False)
        prefect_serve(deployment, print_starting_message=False)


def main() -> None:
    """Console-script entry point."""
    from flows.db import DatabaseBusy, DatabaseDamaged

    try:
        app()
    except KeyboardInterrupt:
        err.print("kith: interrupted")
        sys.exit(130)
    except DatabaseBusy as exc:
        err.print(f"kith: {exc}", highlight=False, soft_wrap=True)
        sys.exit(3)
    except DatabaseDamaged as exc:
        err.print(f"kith: {exc}", highlight=False, soft_wrap=True)
        sys.exit(4)
