"""Each iCalendar fixture (one quirk per file, see fixtures/ics/README.md) parses to exactly the
meetings, people and rejects a reader of the calendar would expect. Every test passes an
explicit ``now`` so nothing depends on today's date."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, settings, strategies as st

from tests.conftest import FIXTURES
from transforms import ics
from transforms.records import INTERACTION_SCHEMA, PERSON_RECORD_SCHEMA, REJECT_SCHEMA, ExportError, Owner, ParseContext
from transforms.text import decode

ICS = FIXTURES / "ics"
OWNER = "alex.rivera@example.com"
NOW = datetime(2025, 2, 1, 12, 0)


def parse(name: str, hint: bool = True, now: datetime = NOW, **kwargs):
    owner = Owner(emails={OWNER}) if hint else Owner()
    return ics.parse(decode((ICS / name).read_bytes()), ParseContext(owner=owner, now=now, **kwargs))


def at(*parts: int) -> datetime:
    return datetime(*parts)


def rows(result, name: str | None = None) -> list[dict]:
    out = result.interactions.sort("occurred_at", "counterpart_key").to_dicts()
    return [r for r in out if name is None or r["counterpart_key"] == name]


# file, owner hint needed, VEVENTs, people, interactions, rejects (not loaded), kept rejects
CASES = [
    ("google_export.ics", False, 5, 4, 6, 0, 0),
    ("outlook_exchange.ics", False, 6, 4, 6, 0, 0),
    ("apple_icloud.ics", False, 3, 3, 4, 0, 0),
    ("weekly_1to1.ics", True, 2, 1, 8, 0, 0),
    ("declined_by_owner.ics", True, 1, 2, 0, 0, 0),
    ("all_hands.ics", True, 1, 41, 40, 0, 0),
    ("moved_override.ics", True, 3, 1, 3, 0, 0),
    ("rdate_extra.ics", True, 1, 1, 5, 0, 0),
    ("this_and_following.ics", False, 2, 2, 9, 0, 0),
    ("future_scheduled.ics", False, 3, 1, 18, 0, 0),
    ("one_broken_event.ics", False, 3, 2, 2, 1, 0),
    ("timezones.ics", True, 6, 1, 6, 0, 1),
    ("method_cancel.ics", True, 1, 2, 0, 0, 0),
    ("outlook_display_names.ics", True, 8, 1, 8, 0, 1),
    ("invitation_request.ics", True, 1, 2, 2, 0, 0),
]


@pytest.mark.parametrize("name, needs_hint, n_events, n_people, n_interactions, n_rejects, n_kept", CASES)
def test_fixture_parses_to_expected_counts(name, needs_hint, n_events, n_people, n_interactions, n_rejects, n_kept):
    for hint in (True, False) if not needs_hint else (True,):
        result = parse(name, hint=hint)
        assert result.format == "ics"
        assert result.records_read == n_events
        assert result.people.height == n_people
        assert result.interactions.height == n_interactions
        assert result.rejects.filter(~result.rejects["kept"]).height == n_rejects
        assert result.rejects.filter(result.rejects["kept"]).height == n_kept
        assert result.people["record_hash"].n_unique() == n_people
        assert result.interactions["record_hash"].n_unique() == n_interactions
        assert dict(result.interactions.schema) == INTERACTION_SCHEMA
        assert dict(result.people.schema) == PERSON_RECORD_SCHEMA
        assert dict(result.rejects.schema) == REJECT_SCHEMA
        # the owner is never a person nor a counterpart
        assert OWNER not in result.people["record_key"].to_list()
        assert OWNER not in result.interactions["counterpart_key"].to_list()
        # every counterpart is a person record of the same file
        assert set(result.interactions["counterpart_key"]) <= set(result.people["record_key"])


def test_every_fixture_is_covered():
    named = {case[0] for case in CASES} | {"truncated.ics"}
    assert {p.name for p in ICS.glob("*.ics")} == named


@pytest.mark.parametrize("name", sorted(p.name for p in ICS.glob("*.ics")))
def test_matches_every_calendar(name):
    assert ics.matches(decode((ICS / name).read_bytes()), ParseContext())


def test_does_not_match_other_exports():
    assert not ics.matches("First Name,Last Name,URL\nAda,Lovelace,\n", ParseContext())
    assert not ics.matches("BEGIN:VCARD\nVERSION:3.0\nFN:Ada\nEND:VCARD\n", ParseContext())
    assert ics.matches("\ufeff\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", ParseContext())


# ----------------------------------------------------------------------------- vendors


def test_google_export():
    result = parse("google_export.ics", hint=False)
    assert result.owner.emails == {OWNER}
    assert result.owner.names == {"Alex Rivera"}
    kickoff = [r for r in rows(result) if r["title"] == "Project kickoff"]
    assert [r["counterpart_key"] for r in kickoff] == ["marcus.webb@example.net", "priya.raman@example.org"]
    for r in kickoff:
        assert r["occurred_at"] == at(2024, 3, 12, 9)
        assert r["n_participants"] == 3
        assert r["duration_minutes"] == 60.0
        assert r["kind"] == "meeting" and r["direction"] is None
        assert r["line_no"] == 26
        assert r["record_key"] == r["conversation_id"] == "7kq2m9d1s0c3b5n8p4r6t2v1x9@google.com"
        assert r["summary"] == "Project kickoff"
    lunch = rows(result, "sofia.nunez@example.org")
    assert len(lunch) == 1
    assert lunch[0]["occurred_at"] == at(2024, 3, 20) and lunch[0]["duration_minutes"] is None
    assert lunch[0]["n_participants"] == 2 and lunch[0]["line_no"] == 52
    sync = [r for r in rows(result) if r["title"] == "Weekly sync"]
    assert [r["occurred_at"] for r in sync] == [at(2024, 3, 18, 9), at(2024, 3, 25, 9), at(2024, 4, 1, 8)]
    assert [r["record_key"] for r in sync][0] == "5h4g3f2d1s0a9p8o7i6u5y4t3r@google.com@2024-03-18T09:00:00"
    people = {p["record_key"]: p for p in result.people.to_dicts()}
    assert set(people) == {"priya.raman@example.org", "marcus.webb@example.net", "jordan.blake@example.com",
                           "sofia.nunez@example.org"}
    assert people["marcus.webb@example.net"]["full_name"] is None  # CN was the address itself
    assert people["priya.raman@example.org"]["full_name"] == "Priya Raman"  # unfolded mid-word
    assert people["sofia.nunez@example.org"]["name_key"] == "sofia nunez"
    assert people["sofia.nunez@example.org"]["emails"] == ["sofia.nunez@example.org"]
    assert people["sofia.nunez@example.org"]["source_kind"] == "ics"
    assert people["jordan.blake@example.com"]["line_no"] == 26


def test_outlook_exchange_windows_zones_and_cancellations():
    result = parse("outlook_exchange.ics", hint=False)
    assert result.owner.emails == {OWNER}  # detected: mixed-case Alex.Rivera@Example.com lowercased
    budget = [r for r in rows(result) if r["title"] == "Budget review"]
    assert {r["counterpart_key"] for r in budget} == {"max.muster@example.de", "sam.lee@example.com"}
    assert {(r["occurred_at"], r["n_participants"], r["duration_minutes"]) for r in budget} == {
        (at(2024, 6, 10, 12), 3, 90.0)}
    design = rows(result, "grace.okafor@example.com")
    assert [r["occurred_at"] for r in design] == [at(2024, 1, 8, 17), at(2024, 1, 15, 17), at(2024, 1, 18, 17)]
    omar = rows(result, "omar.haddad@example.net")
    assert [(r["title"], r["occurred_at"], r["duration_minutes"], r["n_participants"]) for r in omar] == [
        ("Partner briefing", at(2024, 7, 2, 9), 45.0, 2)]
    people = {p["record_key"]: p for p in result.people.to_dicts()}
    assert "room.elbe@example.de" not in people
    max_ = people["max.muster@example.de"]
    assert (max_["full_name"], max_["first_name"], max_["last_name"], max_["name_key"]) == (
        "Muster, Max", "Max", "Muster", "max muster")
    assert people["omar.haddad@example.net"]["line_no"] == 89


def test_apple_email_parameter_floating_and_all_day():
    result = parse("apple_icloud.ics", hint=False)
    assert result.owner.emails == {OWNER}
    assert {p["record_key"] for p in result.people.to_dicts()} == {
        "lena.fischer@example.org", "noah.berg@example.org", "mia.kowalski@example.com"}
    lena = rows(result, "lena.fischer@example.org")
    assert [(r["occurred_at"], r["duration_minutes"]) for r in lena] == [
        (at(2024, 4, 15, 8, 30), 60.0), (at(2024, 6, 10, 20), 60.0)]
    offsite = [r for r in rows(result) if r["title"] == "Team offsite"]
    assert {r["counterpart_key"] for r in offsite} == {"noah.berg@example.org", "mia.kowalski@example.com"}
    assert {(r["occurred_at"], r["duration_minutes"], r["n_participants"]) for r in offsite} == {
        (at(2024, 5, 2), None, 3)}


# ----------------------------------------------------------------------------- acceptance


def test_weekly_one_to_one_with_exdate_and_cancelled_override_gives_eight_meetings():
    result = parse("weekly_1to1.ics")
    got = rows(result)
    assert len(got) == 8
    assert {r["kind"] for r in got} == {"meeting"}
    assert [r["occurred_at"] for r in got] == [
        at(2024, 9, 2, 8), at(2024, 9, 9, 8), at(2024, 9, 23, 8), at(2024, 9, 30, 8),
        at(2024, 10, 14, 8), at(2024, 10, 21, 8), at(2024, 10, 28, 9), at(2024, 11, 4, 9)]
    assert got[0]["record_key"] == "one-to-one-priya@example.com@2024-09-02T08:00:00"
    assert {r["line_no"] for r in got} == {22}
    assert {r["conversation_id"] for r in got} == {"one-to-one-priya@example.com"}


def test_meeting_the_owner_declined_gives_nothing():
    result = parse("declined_by_owner.ics")
    assert result.interactions.height == 0
    assert result.rejects.height == 0


def test_all_hands_with_forty_others():
    result = parse("all_hands.ics")
    assert result.interactions.height == 40
    assert set(result.interactions["n_participants"]) == {41}
    assert "kit.declines@example.org" not in result.interactions["counterpart_key"].to_list()
    assert "kit.declines@example.org" in result.people["record_key"].to_list()
    assert not {"auditorium@example.org", "everyone@example.org"} & set(result.people["record_key"])


# ----------------------------------------------------------------------------- recurrence


def test_override_moves_one_occurrence_and_owner_declines_another():
    result = parse("moved_override.ics")
    got = rows(result)
    assert [(r["occurred_at"], r["duration_minutes"], r["line_no"], r["title"]) for r in got] == [
        (at(2024, 1, 9, 15), 30.0, 4, "Mentoring"),
        (at(2024, 1, 16, 15), 30.0, 4, "Mentoring"),
        (at(2024, 1, 24, 17), 60.0, 14, "Mentoring (moved)"),
    ]
    assert got[2]["record_key"] == "mentoring-chen@example.com@2024-01-24T17:00:00"


def test_rdate_adds_dates_and_periods():
    got = rows(parse("rdate_extra.ics"))
    assert [(r["occurred_at"], r["duration_minutes"]) for r in got] == [
        (at(2024, 2, 5, 13), 45.0), (at(2024, 2, 20, 13), 45.0), (at(2024, 3, 5, 13), 45.0),
        (at(2024, 3, 15, 9), 120.0), (at(2024, 4, 5, 13), 45.0)]


def test_this_and_following_split_is_two_series():
    result = parse("this_and_following.ics", hint=False)
    got = rows(result)
    old = [r for r in got if r["title"] == "Standup"]
    new = [r for r in got if r["title"] == "Standup (new time)"]
    assert [r["occurred_at"] for r in old] == [at(2024, 1, 1, 8), at(2024, 1, 8, 8), at(2024, 1, 15, 8)]
    assert len(new) == 6 and {r["n_participants"] for r in new} == {3}
    assert sorted({r["occurred_at"] for r in new}) == [at(2024, 1, 22, 8, 30), at(2024, 1, 29, 8, 30),
                                                      at(2024, 2, 5, 8, 30)]
    assert {r["conversation_id"] for r in new} == {"3a7c9e1g5i2k4m6o8q0s_R20240122T083000@google.com"}


def test_future_occurrences_are_scheduled_up_to_ninety_days():
    result = parse("future_scheduled.ics", hint=False)
    got = rows(result)
    meetings = [r for r in got if r["kind"] == "meeting"]
    scheduled = [r for r in got if r["kind"] == "scheduled"]
    assert [r["occurred_at"] for r in meetings] == [at(2025, 1, 6, 16), at(2025, 1, 13, 16), at(2025, 1, 20, 16),
                                                   at(2025, 1, 27, 16)]
    assert len(scheduled) == 14
    assert scheduled[0]["occurred_at"] == at(2025, 2, 3, 16)
    # X-WR-TIMEZONE:Europe/Berlin turns the UTC start into Berlin wall time (17:00), as
    # x_wr_timezone.to_standard does, so the series keeps 17:00 local after the DST change
    assert scheduled[-1]["occurred_at"] == at(2025, 4, 28, 15)
    assert [r["record_key"] for r in scheduled if r["title"] == "Lunch"] == ["lunch0310sam@google.com"]
    assert "Conference dinner" not in {r["title"] for r in got}


def test_kind_is_part_of_the_hash_and_reparsing_is_idempotent():
    first = parse("future_scheduled.ics", hint=False)
    again = parse("future_scheduled.ics", hint=False)
    assert first.interactions["record_hash"].to_list() == again.interactions["record_hash"].to_list()
    later = parse("future_scheduled.ics", hint=False, now=datetime(2025, 2, 4))
    def hash_on(result, moment):
        return [r["record_hash"] for r in rows(result) if r["occurred_at"] == moment]
    assert hash_on(first, at(2025, 2, 3, 16)) != hash_on(later, at(2025, 2, 3, 16))  # scheduled, then met
    assert hash_on(first, at(2025, 1, 27, 16)) == hash_on(later, at(2025, 1, 27, 16))


# ----------------------------------------------------------------------------- time zones


def test_time_zones():
    result = parse("timezones.ics")
    by_uid = {r["conversation_id"]: r["occurred_at"] for r in rows(result)}
    assert by_uid == {
        "tz-custom-quoted@example.com": at(2024, 1, 14, 23),  # custom VTIMEZONE, AEDT +11
        "tz-custom-unquoted@example.com": at(2024, 7, 15, 0),  # unquoted commas, AEST +10
        "tz-windows@example.com": at(2024, 3, 1, 0),  # Tokyo Standard Time -> Asia/Tokyo
        "tz-global@example.com": at(2024, 7, 1, 8),  # /freeassociation.sourceforge.net/Europe/Berlin
        "tz-unknown@example.com": at(2024, 8, 1, 14),  # unknown: read in X-WR-TIMEZONE (EDT)
        "tz-floating@example.com": at(2024, 1, 15, 15),  # floating: in X-WR-TIMEZONE (EST)
    }
    kept = result.rejects.to_dicts()
    assert len(kept) == 1 and kept[0]["kept"] and kept[0]["record_key"] == "tz-unknown@example.com"
    assert "Mars Standard Time" in kept[0]["reason"]


def test_custom_zone_of_one_file_does_not_leak_into_the_next():
    text = decode((ICS / "timezones.ics").read_bytes())
    shifted = text.replace("TZOFFSETTO:+1100", "TZOFFSETTO:+0900")
    ctx = ParseContext(owner=Owner(emails={OWNER}), now=NOW)
    first = {r["conversation_id"]: r["occurred_at"] for r in ics.parse(text, ctx).interactions.to_dicts()}
    second = {r["conversation_id"]: r["occurred_at"] for r in ics.parse(shifted, ctx).interactions.to_dicts()}
    assert first["tz-custom-quoted@example.com"] == at(2024, 1, 14, 23)
    assert second["tz-custom-quoted@example.com"] == at(2024, 1, 15, 1)


def test_outlook_web_access_display_name_zones():
    """OWA and Exchange name zones by their Windows display name: the file's VTIMEZONE when it
    has one (quoted or not: the offset's colon is not the value's), else the IANA zone the
    name's places or Windows key point to; a name that points nowhere keeps its stated offset."""
    result = parse("outlook_display_names.ics")
    by_uid = {r["conversation_id"]: (r["occurred_at"], r["duration_minutes"]) for r in rows(result)}
    assert by_uid == {
        "display-vtimezone-quoted": (at(2024, 7, 15, 14), 60.0),  # the file's VTIMEZONE, EDT
        "display-vtimezone-unquoted": (at(2024, 1, 15, 15), 30.0),  # same, EST, TZID=(UTC-05:00) … unquoted
        "display-cities-summer": (at(2024, 7, 1, 8), 60.0),  # no VTIMEZONE: Europe/Berlin, CEST
        "display-cities-unquoted-winter": (at(2024, 10, 28, 9), 60.0),  # the day after DST ends: CET
        "display-gmt-prefix": (at(2024, 1, 15, 9), 60.0),  # Outlook 2007's (GMT+01:00) …
        "display-us-pacific": (at(2024, 6, 10, 16), 30.0),  # Pacific Time (US & Canada): PDT
        "customized-time-zone": (at(2024, 2, 29, 22), 60.0),  # the file's own rules, +11 in March
        "display-stated-offset": (at(2024, 3, 1, 5), 60.0),  # no zone known: its stated UTC+04:00
    }
    kept = result.rejects.to_dicts()
    assert [(r["record_key"], r["kept"]) for r in kept] == [("display-stated-offset", True)]
    assert kept[0]["reason"] == ("time zone '(UTC+04:00) Port Louis' is not known: times read at its "
                                 "stated offset UTC+04:00, without daylight saving")


def test_display_name_zone_comes_from_the_files_vtimezone_before_any_guess():
    text = decode((ICS / "outlook_display_names.ics").read_bytes())
    shifted = text.replace("TZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400", "TZOFFSETFROM:-0500\r\nTZOFFSETTO:-0300")
    assert shifted != text
    result = ics.parse(shifted, ParseContext(owner=Owner(emails={OWNER}), now=NOW))
    by_uid = {r["conversation_id"]: r["occurred_at"] for r in rows(result)}
    assert by_uid["display-vtimezone-quoted"] == at(2024, 7, 15, 13)


@pytest.mark.parametrize("tzid, zone", [
    ("(UTC-05:00) Eastern Time (US & Canada)", "America/New_York"),
    ("(GMT-05:00) Eastern Time (US & Canada)", "America/New_York"),
    ("(UTC-08:00) Pacific Time (US & Canada)", "America/Los_Angeles"),
    ("(UTC-04:00) Atlantic Time (Canada)", "America/Halifax"),
    ("(UTC-09:00) Alaska", "America/Anchorage"),
    ("(UTC-10:00) Hawaii", "Pacific/Honolulu"),
    ("(UTC-07:00) Arizona", "America/Phoenix"),
    ("(UTC-05:00) Indiana (East)", "America/Indianapolis"),
    ("(UTC-07:00) Chihuahua, La Paz, Mazatlan", "America/Mazatlan"),  # the one place on UTC-07:00 now
    ("(UTC-06:00) Guadalajara, Mexico City, Monterrey", "America/Mexico_City"),
    ("(UTC-03:00) Brasília", "America/Sao_Paulo"),
    ("(UTC+00:00) Dublin, Edinburgh, Lisbon, London", "Europe/London"),
    ("(UTC) Dublin, Edinburgh, Lisbon, London", "Europe/London"),
    ("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "Europe/Berlin"),
    ("(GMT+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "Europe/Berlin"),
    ("(UTC+01:00) Brussels, Copenhagen, Madrid, Paris", "Europe/Paris"),
    ("(UTC+02:00) Helsinki, Kyiv, Riga, Sofia, Tallinn, Vilnius", "Europe/Helsinki"),
    ("(UTC+03:00) Moscow, St. Petersburg", "Europe/Moscow"),
    ("(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi", "Asia/Kolkata"),
    ("(UTC+08:00) Beijing, Chongqing, Hong Kong, Urumqi", "Asia/Chongqing"),
    ("(UTC+09:00) Osaka, Sapporo, Tokyo", "Asia/Tokyo"),
    ("(UTC+10:00) Canberra, Melbourne, Sydney", "Australia/Sydney"),
    ("(UTC+12:00) Auckland, Wellington", "Pacific/Auckland"),
    ("(UTC+10:30) Lord Howe Island", "Australia/Lord_Howe"),
])
def test_windows_display_names_map_to_iana_zones(tzid, zone):
    assert getattr(ics._resolve_zone(tzid, {}), "key", None) == zone


def test_windows_display_name_of_no_known_place_keeps_its_stated_offset():
    from datetime import timedelta

    zone = ics._resolve_zone("(UTC+04:00) Port Louis", {})
    assert zone.utcoffset(datetime(2024, 7, 1)) == timedelta(hours=4)
    assert ics._resolve_zone("(UTC-11:00) Coordinated Universal Time-11", {}).utcoffset(None) == timedelta(hours=-11)
    assert ics._resolve_zone("(UTC) Coordinated Universal Time", {}).utcoffset(None) == timedelta(0)
    assert ics._resolve_zone("(UTC+99:00) Nowhere", {}) is None
    assert ics._resolve_zone("Customized Time Zone", {}) is None  # only its VTIMEZONE can say


# ----------------------------------------------------------------------------- invitations


def test_invitation_with_the_owner_known():
    result = parse("invitation_request.ics")
    assert [(r["counterpart_key"], r["occurred_at"], r["duration_minutes"], r["n_participants"], r["title"])
            for r in rows(result)] == [
        ("max.muster@example.de", at(2024, 9, 10, 12), 60.0, 3, "Q3 planning"),
        ("sam.lee@example.com", at(2024, 9, 10, 12), 60.0, 3, "Q3 planning")]
    assert result.rejects.height == 0


def test_invitation_without_an_owner_loads_everyone_and_says_how_to_set_the_owner():
    """A single invitation cannot tell which of its people is the user: all of them load (the
    owner's own record is set aside by resolution once kith.toml names them) and one kept note
    per file says how; the meeting's size is the people listed (the owner is among them)."""
    result = parse("invitation_request.ics", hint=False)
    assert result.owner.emails == set()
    assert sorted(result.people["record_key"]) == ["alex.rivera@example.com", "max.muster@example.de",
                                                   "sam.lee@example.com"]
    assert sorted(result.people["full_name"]) == ["Lee, Sam", "Muster, Max", "Rivera, Alex"]
    got = rows(result)
    assert [r["counterpart_key"] for r in got] == ["alex.rivera@example.com", "max.muster@example.de",
                                                   "sam.lee@example.com"]
    assert {(r["occurred_at"], r["n_participants"], r["kind"]) for r in got} == {(at(2024, 9, 10, 12), 3, "meeting")}
    notes = result.rejects.to_dicts()
    assert len(notes) == 1 and notes[0]["kept"]
    assert notes[0]["record_key"] == "040000008200E00074C5B7101A82E00800000000A1B2C3D4E5F60718293A4B5C6D7E8F90"
    assert notes[0]["reason"] == ics.OWNER_UNKNOWN_NOTE
    assert ics.OWNER_HELP in notes[0]["reason"]


def test_owner_note_reads_the_same_in_every_invitation():
    """kith ingest says a note once for the whole run when its text is the same in every file."""
    text = decode((ICS / "invitation_request.ics").read_bytes())
    other = (text.replace("A1B2C3D4E5F6", "0FEDCBA98765").replace("max.muster@example.de", "chen.wei@example.net")
             .replace("Q3 planning", "Hiring sync").replace("20240910T1", "20241003T0"))
    reasons = [ics.parse(t, ParseContext(now=NOW)).rejects["reason"].to_list() for t in (text, other)]
    assert reasons[0] == reasons[1] == [ics.OWNER_UNKNOWN_NOTE]


def test_invitation_of_a_known_owner_under_another_address_still_loads():
    result = ics.parse(decode((ICS / "invitation_request.ics").read_bytes()),
                       ParseContext(owner=Owner(emails={"alex@home.example"}), now=NOW))
    assert result.interactions.height == 3
    assert result.rejects["reason"].to_list() == [ics.OWNER_UNKNOWN_NOTE]


# ----------------------------------------------------------------------------- failures


def test_truncated_file_is_one_clear_error():
    with pytest.raises(ExportError) as info:
        parse("truncated.ics")
    message = str(info.value)
    assert info.value.line_no == 40
    assert "truncated" in message and "END:VEVENT" in message and "\n" not in message


def test_missing_end_vcalendar_is_truncated_too():
    text = decode((ICS / "rdate_extra.ics").read_bytes()).replace("END:VCALENDAR", "")
    with pytest.raises(ExportError, match="END:VCALENDAR"):
        ics.parse(text, ParseContext(owner=Owner(emails={OWNER}), now=NOW))


def test_one_broken_event_is_rejected_and_the_rest_loads():
    result = parse("one_broken_event.ics", hint=False)
    assert {r["title"] for r in rows(result)} == {"Good one", "Good two"}
    rejected = result.rejects.to_dicts()
    assert rejected == [{"record_key": "broken-start@google.com", "line_no": 35,
                         "reason": "bad event: impossible DTSTART '20241345T100000Z'", "kept": False}]


def test_broken_recurrence_is_rejected():
    text = decode((ICS / "weekly_1to1.ics").read_bytes()).replace("FREQ=WEEKLY;COUNT=10", "FREQ=SOMETIMES")
    result = ics.parse(text, ParseContext(owner=Owner(emails={OWNER}), now=NOW))
    assert result.interactions.height == 0
    assert result.rejects["record_key"].to_list() == ["one-to-one-priya@example.com"]
    assert result.rejects["reason"][0].startswith("bad event: unparsable RRULE")


def test_owner_that_cannot_be_told_is_an_error_naming_kith_toml():
    with pytest.raises(ExportError) as info:
        parse("weekly_1to1.ics", hint=False)  # one event only: no intersection to go by
    assert "[owner] emails" in str(info.value) and "kith.toml" in str(info.value)


def test_not_a_calendar():
    with pytest.raises(ExportError, match="BEGIN:VCALENDAR"):
        ics.parse("hello\nworld\n", ParseContext(now=NOW))


def test_unterminated_event_is_rejected_and_the_next_one_loads():
    text = decode((ICS / "one_broken_event.ics").read_bytes())
    text = text.replace("DTSTART:20241345T100000Z", "DTSTART:20240206T100000Z")
    text = text.replace("SUMMARY:Broken start\r\nEND:VEVENT\r\n", "SUMMARY:Broken start\r\n", 1)
    result = ics.parse(text, ParseContext(now=NOW))
    assert {r["title"] for r in rows(result)} == {"Good one", "Good two"}
    assert result.rejects["reason"].to_list() == ["bad event: no END:VEVENT before line 43"]


# ----------------------------------------------------------------------------- robustness


def _parse_or_export_error(data: bytes) -> None:
    try:
        ics.parse(decode(data), ParseContext(owner=Owner(emails={OWNER}), now=NOW))
    except ExportError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_raise_only_export_error(data):
    _parse_or_export_error(data)


_VALID = (ICS / "google_export.ics").read_bytes().decode("utf-8")
_SPLICES = st.one_of(
    st.text(max_size=200),
    st.sampled_from([
        "BEGIN:VEVENT\r\n", "END:VEVENT\r\n", "END:VCALENDAR\r\n", "BEGIN:VALARM\r\n", "BEGIN:VTIMEZONE\r\n",
        "DTSTART:99991231T235959Z\r\n", "DTSTART;VALUE=DATE:00010101\r\n", "RRULE:FREQ=SECONDLY\r\n",
        "RRULE:FREQ=DAILY;COUNT=999999999999999999999\r\n", "EXDATE:garbage\r\n", "DURATION:P99999999999W\r\n",
        "RDATE;VALUE=PERIOD:20240101T000000Z/PT\r\n", "RECURRENCE-ID:20240318T090000Z\r\n",
        'ATTENDEE;CN="unclosed:mailto:x@y.z\r\n', "DTSTART;TZID=Nowhere/Zone:20240101T100000\r\n",
        "DTSTART;TZID=Europe/Berlin:20240101T100000\r\nRRULE:FREQ=MINUTELY\r\n", " folded continuation\r\n",
        "UID:\r\n", "ATTENDEE:MAILTO:\r\n", "X-WR-TIMEZONE:../../etc/passwd\r\n",
    ]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(_VALID)), _SPLICES), min_size=1, max_size=4))
def test_text_spliced_into_a_calendar_raises_only_export_error(splices):
    text = _VALID
    for at_, piece in sorted(splices, reverse=True):
        text = text[:at_] + piece + text[at_:]
    _parse_or_export_error(text.encode("utf-8"))


# ----------------------------------------------------------------------------- small inline cases

_HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//kith tests//inline//EN\r\n"
_PAIR = "ATTENDEE;PARTSTAT=ACCEPTED:mailto:chen.wei@example.net\r\nATTENDEE:mailto:alex.rivera@example.com\r\n"


def _inline(body: str):
    return ics.parse(_HEAD + body + "END:VCALENDAR\r\n", ParseContext(owner=Owner(emails={OWNER}), now=NOW))


def test_orphan_override_and_this_and_future():
    result = _inline(
        "BEGIN:VEVENT\r\nUID:orphan\r\nRECURRENCE-ID:20240105T100000Z\r\nDTSTART:20240105T120000Z\r\n"
        "DTEND:20240105T130000Z\r\n" + _PAIR + "END:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:split\r\nDTSTART:20240101T100000Z\r\nDTEND:20240101T103000Z\r\n"
        "RRULE:FREQ=DAILY;COUNT=4\r\nSUMMARY:a\r\n" + _PAIR + "END:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:split\r\nRECURRENCE-ID;RANGE=THISANDFUTURE:20240103T100000Z\r\n"
        "DTSTART:20240103T110000Z\r\nDTEND:20240103T113000Z\r\nSUMMARY:b\r\n" + _PAIR + "END:VEVENT\r\n")
    got = [(r["record_key"], r["title"]) for r in rows(result)]
    assert got == [("split@2024-01-01T10:00:00", "a"), ("split@2024-01-02T10:00:00", "a"),
                   ("split@2024-01-03T11:00:00", "b"), ("split@2024-01-04T11:00:00", "b"),
                   ("orphan@2024-01-05T12:00:00", None)]


def test_exchange_value_folded_after_colon_and_confluence_organizer():
    result = _inline(
        "BEGIN:VEVENT\r\nUID:exchange\r\nDTSTART;TZID=Europe/Berlin:\r\n 20200426T140000\r\n"
        "ORGANIZER:X-CONFLUENCE-USER-KEY=abc;CN=Conf User;CUTYPE=INDIVIDUAL:mailto:conf.user@example.org\r\n"
        "ATTENDEE:mailto:alex.rivera@example.com\r\nEND:VEVENT\r\n")
    assert [(r["counterpart_key"], r["occurred_at"]) for r in rows(result)] == [
        ("conf.user@example.org", at(2020, 4, 26, 12))]
    assert result.people["full_name"].to_list() == ["Conf User"]


@pytest.mark.parametrize("rule, reason", [
    ("FREQ=MINUTELY", "repeats minutely"),
    ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "does not exist"),
    ("FREQ=WEEKLY;BYDAY=MO, TU;COUNT=2\r\n X-BROKEN", "unparsable RRULE"),
])
def test_pathological_rules_are_rejected_quickly(rule, reason):
    result = _inline(f"BEGIN:VEVENT\r\nUID:r\r\nDTSTART:20240101T100000Z\r\nRRULE:{rule}\r\n{_PAIR}END:VEVENT\r\n")
    assert result.interactions.height == 0
    assert reason in result.rejects["reason"][0]


def test_series_with_too_many_occurrences_is_rejected():
    result = _inline(f"BEGIN:VEVENT\r\nUID:r\r\nDTSTART:19000101T100000Z\r\nRRULE:FREQ=DAILY\r\n{_PAIR}END:VEVENT\r\n")
    assert result.interactions.height == 0
    assert "occurrences" in result.rejects["reason"][0]


def test_a_post_nominal_after_the_comma_is_no_first_name():
    """Outlook writes "Muster, Max"; a display name with a credential after the comma is
    the name in its usual order (P.Eng. is written in parts, Peng is also a surname)."""
    from transforms.normalize import split_addressed_name as _split_name  # (shared with mail)

    assert _split_name("Muster, Max")[:2] == ("Max", "Muster")
    assert _split_name("Peng, Wenrong")[:2] == ("Wenrong", "Peng")
    assert _split_name("Saanvi Ramkar, P.Eng.")[:2] == ("Saanvi", "Ramkar")
    assert _split_name("Seo-yeon Choi, PhD")[:2] == ("Seo-yeon", "Choi")
    assert _split_name("Jinglin A. Cao, M.B.A.")[:2] == ("Jinglin A.", "Cao")
