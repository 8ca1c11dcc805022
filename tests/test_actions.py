"""The user acts on the list: kith done / snooze / ignore / tier, Dunbar's layers, and the
dormant share of the list. Hand-built histories, exact answers; actions survive re-resolving
and a rebuilt database. No Prefect."""

from __future__ import annotations

import stat
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows import actions
from flows.actions import actions_file, restore_actions
from flows.cli import app
from flows.db import connect
from flows.people import resolve_people
from flows.scoring import set_as_of, store_weekly_list
from tests.test_scoring import AS_OF, History

runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    import flows.cli

    monkeypatch.setattr(flows.cli.console, "width", 250)
    monkeypatch.setattr(flows.cli.err, "width", 250)


def kith(db: Path, *args: str):
    return runner.invoke(app, ["--db", str(db), *args])


def build(db: Path, fill) -> None:
    """A database from a hand-built history (``fill(history)``), scored as of AS_OF, with the
    actions restored from the copy beside it, as a rebuild would."""
    con = connect(db)
    history = History(con)
    fill(history)
    history.flush()
    restore_actions(con, actions_file(db))
    history.score()
    con.close()


def scores(db: Path) -> dict[str, dict]:
    con = connect(db, read_only=True)
    cur = con.execute("select * from relationship_scores")
    names = [d[0] for d in cur.description]
    rows = {r["display_name"]: r for r in (dict(zip(names, row)) for row in cur.fetchall())}
    con.close()
    return rows


def weekly(db: Path, as_of: date = AS_OF, limit: int = 10) -> list[str]:
    con = connect(db)
    set_as_of(con, as_of)
    names = [r["display_name"] for r in store_weekly_list(con, as_of, limit)]
    con.close()
    return names


# ---------------------------------------------------------------- kith done

def ann(history):
    history.person("ann", "Ann Lee", "Acme", "CTO", date(2019, 3, 1))
    history.every("ann", 30, date(2024, 1, 1), AS_OF - timedelta(days=120))


def test_done_resets_the_timer_and_survives_resolve_and_a_rebuild(tmp_path):
    db = tmp_path / "data" / "kith.duckdb"
    build(db, ann)
    assert scores(db)["Ann Lee"]["status"] == "slipping"
    assert weekly(db) == ["Ann Lee"]

    result = kith(db, "done", "ann", "--on", "2026-11-16", "--note", "coffee in Berlin")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == ("Marked Ann Lee (person 1) as in touch on 2026-11-16: the timer restarts. "
                                     "Undo with: kith done 1 --undo --on 2026-11-16")
    a = scores(db)["Ann Lee"]
    assert (a["days_since"], a["status"], a["last_interaction_kind"]) == (0, "warm", "done")
    assert a["reason"].startswith("Last in touch today (usually every ")
    assert weekly(db) == []
    con = connect(db, read_only=True)
    assert con.execute("select kind, weight, summary, source_file from interactions where kind = 'done'").fetchall() \
        == [("done", 1.0, "coffee in Berlin", "kith done")]
    con.close()
    shown = kith(db, "show", "1")
    assert "coffee in Berlin" in shown.output and "Last in touch today" in shown.output

    # re-resolving keeps it (it names Ann's records, not her person id) ...
    con = connect(db)
    resolve_people(con)
    con.close()
    assert scores(db)["Ann Lee"]["days_since"] == 0
    # ... and so does a database rebuilt from the same exports, from the copy beside it
    mirror = actions_file(db)
    assert mirror.name == "kith-actions.csv" and stat.S_IMODE(mirror.stat().st_mode) == 0o600
    db.unlink()
    build(db, ann)
    assert scores(db)["Ann Lee"]["days_since"] == 0

    undone = kith(db, "done", "Ann Lee", "--undo", "--on", "2026-11-16")
    assert undone.exit_code == 0, undone.output
    assert "Redo with: kith done 1 --on 2026-11-16" in undone.output
    assert scores(db)["Ann Lee"]["days_since"] == 120
    again = kith(db, "done", "1", "--undo")
    assert again.exit_code == 1 and "no `kith done` for person 1" in again.output


def test_done_rejects_a_future_day_and_unknown_people(tmp_path):
    db = tmp_path / "kith.duckdb"
    build(db, ann)
    future = kith(db, "done", "ann", "--on", (date.today() + timedelta(days=2)).isoformat())
    assert future.exit_code == 2 and "in the future" in future.output
    assert kith(db, "done", "nobody here").exit_code == 1


# ---------------------------------------------------------------- snooze and ignore

def five(history):
    for i, company in enumerate(["Acme", "Acme", "Globex", "Initech", None]):
        history.person(f"p{i}", f"Person {i}", company, "Engineer", date(2018, 1, 1))
        history.every(f"p{i}", 30, date(2024, 1, 1), AS_OF - timedelta(days=60 + 5 * i))


def test_snoozed_and_ignored_people_never_appear_until_the_snooze_ends_or_ignore_is_undone(tmp_path):
    db = tmp_path / "kith.duckdb"
    build(db, five)
    con = connect(db)
    con.execute("update store.person_records set birthday = '--11-20' where record_key = 'p4'")  # a moment
    con.close()
    con = connect(db)
    ids = {r[0]: r[1] for r in con.execute("select display_name, person_id from people").fetchall()}
    actions.snooze(con, ids["Person 2"], AS_OF + timedelta(days=14))
    actions.ignore(con, ids["Person 4"])
    con.close()
    first = weekly(db)
    assert first == ["Person 3", "Person 1", "Person 0"]  # not even a birthday lists the ignored Person 4
    still = weekly(db, AS_OF + timedelta(days=7))
    assert still == []  # the others were listed a week ago; Person 2 is snoozed to the 14th
    back = weekly(db, AS_OF + timedelta(days=14))
    assert back == ["Person 2"]  # the snooze ran to this day
    con = connect(db)
    assert actions.unignore(con, ids["Person 4"]) and not actions.unignore(con, ids["Person 4"])
    con.close()
    assert weekly(db, AS_OF + timedelta(days=21)) == ["Person 4"]


def test_snooze_and_ignore_commands_say_what_they_did_and_how_to_undo(tmp_path):
    db = tmp_path / "kith.duckdb"
    build(db, five)
    until = date.today() + timedelta(weeks=3)
    snoozed = kith(db, "snooze", "Person 2", "--weeks", "3")
    assert snoozed.exit_code == 0, snoozed.output
    assert snoozed.output.strip() == f"Snoozed Person 2 (person 3): not on the list until {until}. " \
                                     "Undo with: kith snooze 3 --undo"
    shown = kith(db, "show", "3")
    assert f"Snoozed: not on the list until {until}" in shown.output
    longer = kith(db, "snooze", "3", "--weeks", "5")
    assert f"(was until {until}). Undo with: kith snooze 3 --until {until}" in longer.output
    assert kith(db, "snooze", "3").exit_code == 2  # neither --weeks nor --until
    assert "no longer snoozed" in kith(db, "snooze", "3", "--undo").output
    assert "is not snoozed" in kith(db, "snooze", "3", "--undo").output

    ignored = kith(db, "ignore", "Person 4")
    assert ignored.output.strip() == "Ignoring Person 4 (person 5): never on the list. Undo with: kith ignore 5 --undo"
    assert "Ignored: never on the list" in kith(db, "show", "5").output
    assert "Already ignoring" in kith(db, "ignore", "5").output
    assert "Redo with: kith ignore 5" in kith(db, "ignore", "5", "--undo").output
    assert kith(db, "ignore", "5", "--undo").exit_code == 1
    con = connect(db, read_only=True)
    assert con.execute("select count(*) from store.user_actions").fetchone()[0] == 0
    con.close()


# ---------------------------------------------------------------- layers

def bo(history):
    history.person("bo", "Bo Ray", connected_on=date(2026, 1, 1))
    history.interaction("bo", datetime(2026, 4, 2, 10)).interaction("bo", datetime(2026, 6, 1, 10))


def test_tier_override_changes_the_layer_and_the_expected_gap(tmp_path):
    db = tmp_path / "kith.duckdb"
    build(db, bo)
    b = scores(db)["Bo Ray"]
    assert (b["layer"], b["layer_source"], b["expected_gap_days"]) == (1, "strength", 24.7)  # (2*7 + 60) / 3

    put = kith(db, "tier", "Bo", "friends")
    assert put.exit_code == 0, put.output
    assert put.output.strip() == ("Put Bo Ray (person 1) in layer 3 (friends, the ~50 strongest ties): kith expects "
                                  "contact about every 90 days until your history says otherwise. "
                                  "Undo with: kith tier 1 auto")
    b = scores(db)["Bo Ray"]
    assert (b["layer"], b["layer_source"], b["expected_gap_days"]) == (3, "you", 80.0)  # (2*90 + 60) / 3
    assert "In layer 3 (friends, the ~50 strongest ties), set by you" in kith(db, "show", "1").output

    moved = kith(db, "tier", "1", "4")
    assert "Undo with: kith tier 1 3" in moved.output
    assert scores(db)["Bo Ray"]["expected_gap_days"] == pytest.approx(263.3)  # (2*365 + 60) / 3

    auto = kith(db, "tier", "1", "auto")
    assert "their strength puts them in layer 1" in auto.output and "Undo with: kith tier 1 4" in auto.output
    b = scores(db)["Bo Ray"]
    assert (b["layer"], b["layer_source"], b["expected_gap_days"]) == (1, "strength", 24.7)
    bad = kith(db, "tier", "1", "5")
    assert bad.exit_code == 2 and "1-4" in bad.output


def test_layers_follow_the_strength_rank_with_their_own_priors(tmp_path):
    def many(history):
        for i in range(160):  # one message each, person i on day AS_OF - 20 - i: the newer, the stronger
            history.person(f"m{i:03d}", f"M {i:03d}")
            history.interaction(f"m{i:03d}", datetime.combine(AS_OF - timedelta(days=20 + i), datetime.min.time()))
        history.person("zed", "Zed Nothing")  # no history at all

    db = tmp_path / "kith.duckdb"
    build(db, many)
    rows = scores(db)
    by_layer: dict[int, list[str]] = {}
    for name, row in sorted(rows.items()):
        by_layer.setdefault(row["layer"], []).append(name)
    assert {k: len(v) for k, v in by_layer.items()} == {1: 5, 2: 10, 3: 35, 4: 100, 5: 11}
    assert by_layer[1] == ["M 000", "M 001", "M 002", "M 003", "M 004"]
    assert rows["Zed Nothing"]["layer"] == 5
    # one contact day: the expected gap is the layer's prior itself
    assert [rows[n]["expected_gap_days"] for n in ("M 000", "M 005", "M 015", "M 050", "M 150")] == \
        [7.0, 30.0, 90.0, 365.0, 365.0]


# ---------------------------------------------------------------- the dormant share

def mixed(history):
    """Ten slipping ties and five dormant once-strong ones (plus two weak dormant ones)."""
    for i in range(10):
        history.person(f"s{i}", f"Slip {i}")
        history.every(f"s{i}", 30, date(2024, 11, 1), AS_OF - timedelta(days=50 + 3 * i))
    for i, weeks in enumerate([52, 40, 30, 20, 10]):
        history.person(f"d{i}", f"Dormant {i}")
        last = date(2024, 6, 1)
        history.every(f"d{i}", 7, last - timedelta(weeks=weeks - 1), last)
    for i in range(2):
        history.person(f"w{i}", f"Weak {i}")
        history.every(f"w{i}", 1, date(2023, 5, 1), date(2023, 5, 1))  # one exchange, long ago


def test_dormant_once_strong_ties_get_their_share_of_the_list(tmp_path):
    db = tmp_path / "kith.duckdb"
    build(db, mixed)
    rows = scores(db)
    assert {rows[f"Dormant {i}"]["status"] for i in range(5)} == {"dormant"}
    assert {rows[f"Slip {i}"]["status"] for i in range(10)} == {"slipping"}
    names = weekly(db, limit=10)
    # places 4, 7 and 10 (30%) go to the dormant ties, strongest before they went quiet first ...
    assert [(n, name) for n, name in enumerate(names, 1) if name.startswith("Dormant")] == \
        [(4, "Dormant 0"), (7, "Dormant 1"), (10, "Dormant 2")]
    con = connect(db, read_only=True)
    listed = con.execute("select display_name, reason, priority from reconnect_lists order by rank").fetchall()
    con.close()
    # ... the other seven to the slipping ties with the highest priority
    slipping = [(name, priority) for name, _, priority in listed if name.startswith("Slip")]
    assert len(slipping) == 7 and [p for _, p in slipping] == sorted((p for _, p in slipping), reverse=True)
    assert min(p for _, p in slipping) >= max(rows[f"Slip {i}"]["priority"] for i in range(10)
                                               if f"Slip {i}" not in dict(slipping))
    reasons = {name: reason for name, reason, _ in listed}
    assert reasons["Dormant 0"].startswith("Once a strong tie, now quiet: worth reviving. Last message 2.5 years ago")
    assert not any(reasons[name].startswith("Once") for name, _ in slipping)
    # a longer list: every once-strong dormant tie (the last two after the slipping ran out), never the weak ones
    longer = weekly(db, AS_OF + timedelta(days=35), limit=30)
    assert [(n, name) for n, name in enumerate(longer, 1) if name.startswith("Dormant")] == \
        [(4, "Dormant 0"), (7, "Dormant 1"), (10, "Dormant 2"), (14, "Dormant 3"), (15, "Dormant 4")]
    assert not [n for n in longer if n.startswith("Weak")]


def test_the_same_inputs_always_give_the_same_list(tmp_path):
    lists = []
    for n in range(2):
        db = tmp_path / f"run{n}" / "kith.duckdb"
        build(db, mixed)
        first = weekly(db, limit=8)
        assert weekly(db, limit=8) == first  # re-running the week
        con = connect(db, read_only=True)
        lists.append(con.execute("select rank, person_id, display_name, reason, priority from reconnect_lists "
                                 "order by rank").fetchall())
        con.close()
    assert lists[0] == lists[1] and len(lists[0]) == 8


def test_actions_follow_the_records_into_a_merged_person(tmp_path):
    db = tmp_path / "kith.duckdb"
    build(db, five)
    assert kith(db, "ignore", "Person 4").exit_code == 0
    assert kith(db, "tier", "Person 1", "closest").exit_code == 0
    merged = kith(db, "merge", "Person 1", "Person 4")
    assert merged.exit_code == 0, merged.output
    row = [r for r in scores(db).values() if r["person_id"] == 2][0]  # Person 1 keeps the smaller id
    assert (row["layer"], row["layer_source"]) == (1, "you")
    con = connect(db)
    assert actions.standing(con, 2) == {"ignored": True, "snoozed_until": None, "tier": 1}
    con.close()
    assert not {"Person 1", "Person 4"} & set(weekly(db))  # ignored through the record it came with
