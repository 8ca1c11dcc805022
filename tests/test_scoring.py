"""The scoring SQL on hand-built histories: rhythms, weights, reasons and the list's rules."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import polars as pl
import pytest

from flows.people import resolve_people
from flows.scoring import iso_week, read_list, set_as_of, store_weekly_list

AS_OF = date(2026, 11, 16)


class History:
    """Writes store rows directly, as an ingest would, without going through a parser."""

    def __init__(self, con):
        self.con = con
        self.file_id = con.execute(
            """insert into store.source_files (path, display_path, sha256, format, size_bytes, ingested_at,
                   records_read, records_new, records_known, records_rejected)
               values ('/x', '/x', 'h', 'test', 0, now(), 0, 0, 0, 0) returning file_id""").fetchone()[0]
        self.records: dict[str, int] = {}
        self.pending: list[tuple] = []
        self.n = 0

    def person(self, slug, name, company=None, title=None, connected_on=None):
        self.records[slug] = self.con.execute(
            """insert into store.person_records (file_id, record_key, source_kind, full_name, name_key, emails, phones,
                   linkedin_url, linkedin_slug, company, title, connected_on, record_hash)
               values (?, ?, 'linkedin_connections', ?, lower(?), [], [], ?, ?, ?, ?, ?, ?) returning record_id""",
            [self.file_id, slug, name, name, f"https://www.linkedin.com/in/{slug}", slug, company, title,
             connected_on, f"p-{slug}"]).fetchone()[0]
        if connected_on:
            self.interaction(slug, datetime.combine(connected_on, datetime.min.time()), "connected", None)
        return self

    def interaction(self, slug, when, kind="message", direction="sent", conversation=None, n=2, summary="hi"):
        self.n += 1
        self.pending.append((self.file_id, str(self.n), self.records[slug], kind, when, direction,
                             conversation or f"c-{slug}", n, summary, f"i-{self.n}"))
        return self

    def flush(self):
        if self.pending:
            rows = pl.DataFrame(self.pending, orient="row", schema=[
                "file_id", "record_key", "record_id", "kind", "occurred_at", "direction", "conversation_id",
                "n_participants", "summary", "record_hash"])
            self.con.register("test_rows", rows)
            self.con.execute("insert into store.interaction_records by name select * from test_rows")
            self.con.unregister("test_rows")
            self.pending = []

    def every(self, slug, days, start, end, both_sides=True):
        """Two-way exchanges every ``days`` days, the last one exactly on ``end``; the owner
        answers last (a thread where they wrote last is a reply owed, tested on its own)."""
        when = datetime.combine(end, datetime.min.time()) + timedelta(hours=9)
        while when.date() >= start:
            if both_sides:
                self.interaction(slug, when, direction="received")
            self.interaction(slug, when + timedelta(hours=1), direction="sent")
            when -= timedelta(days=days)
        return self

    def score(self, as_of=AS_OF):
        self.flush()
        resolve_people(self.con)
        set_as_of(self.con, as_of)
        return {r[0]: dict(zip([d[0] for d in self.con.description], r))
                for r in self.con.execute("select display_name, * exclude (display_name) from relationship_scores").fetchall()}


@pytest.fixture
def history(con):
    return History(con)


def test_own_rhythm_and_reason(history):
    history.person("ann", "Ann Lee", "Acme", "CTO", date(2019, 3, 1))
    history.every("ann", 30, date(2024, 1, 1), AS_OF - timedelta(days=120))
    ann = history.score()["Ann Lee"]
    # monthly contact since 2024, shrunk a little toward 7 days: Ann is the strongest tie, so layer 1
    assert ann["layer"] == 1 and ann["layer_source"] == "strength"
    assert 27 <= ann["expected_gap_days"] <= 30
    assert ann["days_since"] == 120 and ann["status"] == "slipping"
    assert ann["overdue_ratio"] == pytest.approx(120 / ann["expected_gap_days"], rel=0.01)
    assert ann["reason"].startswith("Last message 120 days ago (usually every ~")
    assert "Connected since Mar 2019." in ann["reason"] and ann["reason"].endswith("Now CTO at Acme.")


def test_short_history_leans_on_the_prior(history):
    history.person("bo", "Bo Ray", connected_on=date(2026, 1, 1))
    history.interaction("bo", datetime(2026, 4, 2, 10)).interaction("bo", datetime(2026, 6, 1, 10))
    bo = history.score()["Bo Ray"]
    # two days of contact 60 days apart; Bo is the strongest tie, so layer 1 with a prior of 7 days:
    # (2 * 7 + 60) / (2 + 1) = 24.7; the connection day is not contact
    assert bo["layer"] == 1 and bo["expected_gap_days"] == pytest.approx(24.7)
    history.person("cat", "Cat New", connected_on=date(2026, 1, 1))
    cat = history.score()["Cat New"]
    assert cat["layer"] == 1 and cat["expected_gap_days"] == pytest.approx(7.0)


def test_two_way_thread_day_outweighs_one_way(history, con):
    history.person("cy", "Cy Fox").person("di", "Di Moe")
    history.interaction("cy", datetime(2026, 5, 1, 9), direction="sent")
    history.interaction("cy", datetime(2026, 5, 1, 10), direction="received")
    history.interaction("di", datetime(2026, 5, 1, 9), direction="sent")
    history.score()
    weights = dict(con.execute(
        "select p.display_name, max(i.weight) from interactions i join people p using (person_id) "
        "where kind = 'message' group by 1").fetchall())
    assert weights == {"Cy Fox": 0.5, "Di Moe": 0.2}


def test_strength_decays_and_future_is_ignored(history):
    history.person("ed", "Ed Old").person("fi", "Fi New")
    history.interaction("ed", datetime(2024, 11, 16, 9))
    history.interaction("fi", datetime(2026, 11, 1, 9))
    history.interaction("fi", datetime(2027, 1, 1, 9))  # after as-of: not yet happened
    scores = history.score()
    assert scores["Fi New"]["days_since"] == 15
    assert scores["Ed Old"]["strength"] < scores["Fi New"]["strength"]
    assert scores["Ed Old"]["strength"] == pytest.approx(0.2 * 0.5 ** (730 / 365), rel=0.01)


def build_list_case(history):
    for i, company in enumerate(["Acme", "Acme", "Acme", "Globex", None]):
        slug = f"p{i}"
        history.person(slug, f"Person {i}", company, "Engineer", date(2018, 1, 1))
        history.every(slug, 14 + i, date(2023, 1, 1), date(2026, 3, 1))
    history.person("recent", "Recent Rae", "Initech", None, date(2018, 1, 1))
    history.every("recent", 30, date(2023, 1, 1), date(2026, 6, 1)).interaction("recent", datetime(2026, 11, 10, 9))
    history.person("only", "Only Connected", "Umbrella", None, date(2015, 1, 1))
    history.score()


def test_list_rules_company_cap_quiet_days_and_real_exchanges(history, con):
    build_list_case(history)
    rows = store_weekly_list(con, AS_OF, 10)
    names = [r["display_name"] for r in rows]
    assert sum(1 for r in rows if r["company"] == "Acme") == 2
    assert "Recent Rae" not in names  # in touch 6 days ago
    assert "Only Connected" not in names  # never exchanged a word
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert all(r["reason"] for r in rows)


def test_list_is_deterministic_and_kept_per_week(history, con):
    build_list_case(history)
    first = store_weekly_list(con, AS_OF, 3)
    again = store_weekly_list(con, AS_OF, 3)
    assert [r["person_id"] for r in first] == [r["person_id"] for r in again]
    set_as_of(con, AS_OF + timedelta(days=7))
    second = store_weekly_list(con, AS_OF + timedelta(days=7), 3)
    weeks = con.execute("select week, count(*) from reconnect_lists group by week order by week").fetchall()
    assert weeks == [(iso_week(AS_OF), 3), (iso_week(AS_OF + timedelta(days=7)), 2)]  # the third Acme moves up
    assert len(read_list(con, iso_week(AS_OF))) == 3
    # nobody listed last week is listed again within four weeks ...
    assert not {r["person_id"] for r in first} & {r["person_id"] for r in second}
    # ... and they come back after that
    set_as_of(con, AS_OF + timedelta(days=35))
    later = store_weekly_list(con, AS_OF + timedelta(days=35), 3)
    assert {r["person_id"] for r in first} & {r["person_id"] for r in later}


def test_a_meeting_on_the_calendar_keeps_someone_off_the_list(history, con):
    build_list_case(history)
    ids = {r["display_name"]: r["person_id"] for r in store_weekly_list(con, AS_OF, 10)}
    assert "Person 0" in ids
    history.interaction("p0", datetime(2026, 11, 20, 9), kind="scheduled", direction=None)
    history.interaction("p3", datetime(2026, 11, 25, 9), kind="meeting", direction=None, n=40)  # an all-hands
    history.score()
    names = [r["display_name"] for r in store_weekly_list(con, AS_OF, 10)]
    assert "Person 0" not in names and "Person 3" in names


def test_meetings_are_in_the_reason(history):
    history.person("mo", "Mo Chen", "Acme", "CTO", date(2020, 1, 1))
    for month in range(1, 7):
        history.interaction("mo", datetime(2026, month, 10, 14), kind="meeting", direction=None, n=2)
    mo = history.score()["Mo Chen"]
    assert mo["reason"].startswith("Last meeting 159 days ago")
    assert "You met 6 times in the last year, last 159 days ago." in mo["reason"]


def test_iso_week_edges():
    assert iso_week(date(2026, 11, 16)) == "2026-W47"
    assert iso_week(date(2027, 1, 1)) == "2026-W53"


def test_moments_raise_a_person_and_say_why(history, con):
    build_list_case(history)
    # a warm friend with a birthday in five days, and a quiet one whose job changed between exports
    history.person("bea", "Bea Warm", "Hooli", None, date(2018, 1, 1))
    history.every("bea", 20, date(2025, 1, 1), date(2026, 10, 30))
    con.execute("update store.person_records set birthday = '--11-21' where record_key = 'bea'")
    older = con.execute(
        """insert into store.source_files (path, display_path, sha256, format, size_bytes, exported_on, ingested_at,
               records_read, records_new, records_known, records_rejected)
           values ('/old', '/old', 'h-old', 'linkedin_connections', 0, '2025-06-01', now(), 0, 0, 0, 0)
           returning file_id""").fetchone()[0]
    con.execute("update store.source_files set exported_on = '2026-11-10' where file_id = ?", [history.file_id])
    history.person("jo", "Jo Moved", "Vandelay", "VP Data", date(2017, 1, 1))
    history.every("jo", 60, date(2024, 1, 1), date(2026, 9, 1))
    con.execute("""insert into store.person_records (file_id, record_key, source_kind, full_name, name_key, emails,
                       phones, linkedin_url, linkedin_slug, company, title, connected_on, record_hash)
                   values (?, 'jo', 'linkedin_connections', 'Jo Moved', 'jo moved', [], [],
                           'https://www.linkedin.com/in/jo', 'jo', 'Kramerica', 'Analyst', '2017-01-01', 'p-jo-old')""",
                [older])
    history.person("neo", "Neo Conn", "Initrode", None, date(2026, 11, 5))
    history.score()
    rows = store_weekly_list(con, AS_OF, 10)
    names = [r["display_name"] for r in rows]
    # birthday, job change, new connection: every third place, the lapsed ties around them, and
    # once those run out (four here) the moments fill in
    assert [n for n in names if n in ("Bea Warm", "Jo Moved", "Neo Conn")] == ["Bea Warm", "Jo Moved", "Neo Conn"]
    assert names.index("Bea Warm") == 2 and names.index("Jo Moved") == 5 and names.index("Neo Conn") == 6
    reasons = {r["display_name"]: r["reason"] for r in rows}
    assert reasons["Bea Warm"].startswith("Their birthday is on Saturday 21 November.")
    assert reasons["Jo Moved"].startswith("Now VP Data at Vandelay (changed since your Jun 2025 export; was Analyst at Kramerica).")
    assert reasons["Neo Conn"] == "Connected 11 days ago; no messages since. At Initrode."


def test_a_one_to_one_outweighs_an_all_hands_and_a_broadcast_does_not_reset_the_timer(history, con):
    history.person("one", "Oona One").person("big", "Bram Big")
    history.every("one", 30, date(2025, 1, 1), date(2026, 6, 1))
    history.every("big", 30, date(2025, 1, 1), date(2026, 6, 1))
    history.interaction("one", datetime(2026, 10, 1, 10), kind="meeting", direction=None, n=2)
    history.interaction("big", datetime(2026, 10, 1, 10), kind="meeting", direction=None, n=41)
    scores = history.score()
    weights = dict(con.execute("select p.display_name, max(i.weight) from interactions i join people p "
                               "using (person_id) where kind = 'meeting' group by 1").fetchall())
    assert weights["Oona One"] == 1.0 and weights["Bram Big"] == 0.0
    assert scores["Oona One"]["strength"] > scores["Bram Big"]["strength"]
    assert scores["Oona One"]["days_since"] == (AS_OF - date(2026, 10, 1)).days
    assert scores["Bram Big"]["days_since"] == (AS_OF - date(2026, 6, 1)).days  # the all-hands is not contact


def _birthday_in_five_days(con, slug):
    con.execute("update store.person_records set birthday = '--11-21' where record_key = ?", [slug])


def test_a_birthday_is_a_moment_only_where_there_is_a_relationship(history, con):
    """Two-way contact (messages both ways, a meeting) or a layer you set makes a birthday a
    reason to write; a card in the address book, a connection or one-way messages do not."""
    from flows.actions import set_tier

    build_list_case(history)
    history.person("mutual", "Mia Mutual", "Hooli", None, date(2018, 1, 1))
    history.every("mutual", 20, date(2025, 1, 1), date(2026, 10, 30))
    history.person("met", "Mo Met", "Pied Piper", None, None)
    history.interaction("met", datetime(2026, 9, 1, 10), kind="meeting", direction=None, n=3)
    history.person("oneway", "Olli Oneway", "Soylent", None, date(2019, 1, 1))
    history.every("oneway", 30, date(2025, 1, 1), date(2026, 6, 1), both_sides=False)
    history.person("card", "Cara Card", "Wonka", None, date(2016, 1, 1))
    history.person("tiered", "Tia Tiered", "Tyrell", None, date(2016, 1, 1))
    for slug in ("mutual", "met", "oneway", "card", "tiered"):
        _birthday_in_five_days(con, slug)
    history.score()
    tia = con.execute("select person_id from people where display_name = 'Tia Tiered'").fetchone()[0]
    set_tier(con, tia, 2)
    rows = store_weekly_list(con, AS_OF, 20)
    moments = {r["display_name"] for r in rows if r["reason"].startswith("Their birthday")}
    assert moments == {"Mia Mutual", "Mo Met", "Tia Tiered"}
    names = {r["display_name"] for r in rows}
    assert "Cara Card" not in names and "Olli Oneway" not in moments
    basis = dict(con.execute("""select p.display_name, r.relationship_basis from models.int_relationships r
                                join people p using (person_id)""").fetchall())
    assert basis["Mia Mutual"] == "you wrote to each other" and basis["Mo Met"] == "you met"
    assert basis["Tia Tiered"] == "you gave them a layer" and basis.get("Olli Oneway") is None
    assert tia in {r["person_id"] for r in rows}

    from flows.html_report import network_health, render_report

    health = network_health(con)
    also = {b["name"]: b["day"] for b in health["also_birthdays"]}
    assert also == {"Cara Card": "Saturday 21 November"}  # Olli is listed: a lapsed tie, with no moment
    page = render_report(rows, iso_week(AS_OF), AS_OF, health)
    assert "Also this week: a birthday of Cara Card (Saturday 21 November)." in page


def test_moments_take_at_most_a_third_of_the_places_unless_nothing_else_is_due(history, con):
    for i in range(6):
        slug = f"friend{i}"
        history.person(slug, f"Friend {i}", f"Firm {i}", None, date(2018, 1, 1))
        history.every(slug, 20, date(2025, 1, 1), date(2026, 11, 1))  # warm: not due, but a birthday
        _birthday_in_five_days(con, slug)
    for i in range(8):
        slug = f"lapsed{i}"
        history.person(slug, f"Lapsed {i}", f"Co {i}", None, date(2018, 1, 1))
        history.every(slug, 14, date(2024, 1, 1), date(2026, 3, 1))
    history.score()
    rows = store_weekly_list(con, AS_OF, 9)
    kinds = ["moment" if r["reason"].startswith("Their birthday") else "lapsed" for r in rows]
    assert kinds == ["lapsed", "lapsed", "moment"] * 3
    everyone = store_weekly_list(con, AS_OF, 50)
    assert sum(r["reason"].startswith("Their birthday") for r in everyone) == 6  # then they fill in


def test_a_day_with_a_connection_and_an_equal_invitation_counts_as_contact_every_time(history, con):
    """Connecting and an invitation with a note weigh the same (0.3): which one names the day
    must not depend on how DuckDB happens to aggregate (it once flipped between runs)."""
    history.person("marek", "Marek Oh", "Saltmarsh", None, date(2025, 12, 15))
    history.interaction("marek", datetime(2025, 12, 15, 0), kind="invitation", direction="received", summary="Hi!")
    history.every("marek", 30, date(2025, 12, 26), date(2025, 12, 26))
    history.score()
    days = {con.execute("select contact_days from relationship_scores where display_name = 'Marek Oh'").fetchone()[0]
            for _ in range(20)}
    assert days == {2}  # the invitation day and the message day


def test_a_reply_owed_leads_the_list_above_birthdays_at_most_three_a_week(history, con):
    """They wrote last (a LinkedIn message here) 2-30 days ago and you have not written since:
    the list opens with them, even in touch this week; a birthday comes after."""
    for i in range(5):
        slug = f"waiting{i}"
        history.person(slug, f"Waiting {i}", f"Firm {i}", None, date(2018, 1, 1))
        history.every(slug, 20, date(2025, 1, 1), date(2026, 10, 20))
        history.interaction(slug, datetime(2026, 11, 10 - i, 9), direction="received", conversation=f"t-{slug}")
    history.person("answered", "Ann Answered", "Co A", None, date(2018, 1, 1))
    history.every("answered", 20, date(2025, 1, 1), date(2026, 10, 20))
    history.interaction("answered", datetime(2026, 11, 9, 9), direction="received", conversation="t-a")
    history.interaction("answered", datetime(2026, 11, 10, 9), direction="sent", conversation="other")
    history.person("stale", "Sam Stale", "Co S", None, date(2018, 1, 1))
    history.every("stale", 20, date(2025, 1, 1), date(2026, 9, 1))
    history.interaction("stale", datetime(2026, 10, 1, 9), direction="received", conversation="t-s")  # 46 days
    history.person("bday", "Bea Birthday", "Co B", None, date(2018, 1, 1))
    history.every("bday", 20, date(2025, 1, 1), date(2026, 11, 1))
    _birthday_in_five_days(con, "bday")
    history.score()
    rows = store_weekly_list(con, AS_OF, 10)
    names = [r["display_name"] for r in rows]
    assert all(n.startswith("Waiting") for n in names[:3])
    assert all(r["reason"].startswith("Wrote to you on LinkedIn") for r in rows[:3])
    assert rows[0]["reason"].startswith("Wrote to you on LinkedIn on Tuesday and is waiting for your reply.")
    assert sum(n.startswith("Waiting") for n in names) == 3  # at most three a week
    assert "Ann Answered" not in names  # she wrote to Ann since, in another thread
    owed = [r["display_name"] for r in rows if "waiting for your reply" in r["reason"]]
    assert "Sam Stale" not in owed  # 46 days: too long ago to be waiting (a lapsed tie, listed as one)
    assert names.index("Bea Birthday") > 2
