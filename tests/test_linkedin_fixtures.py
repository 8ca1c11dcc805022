"""Each LinkedIn fixture (one quirk per file, see fixtures/linkedin/README.md) parses to
exactly the people, interactions and rejects a reader of the real file would expect."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.conftest import LINKEDIN, OWNER_SLUG, fixture_text
from transforms.detect import detect, parse_bytes
from transforms.records import ExportError, Owner, ParseContext

# file, format, people, interactions, rejects (not loaded), kept rejects (a field dropped)
CASES = [
    ("connections_2024_preamble.csv", "linkedin_connections", 5, 5, 0, 0),
    ("connections_2022_preamble_no_url.csv", "linkedin_connections", 4, 4, 0, 0),
    ("connections_2018.csv", "linkedin_connections", 5, 5, 0, 1),
    ("connections_no_preamble.csv", "linkedin_connections", 3, 3, 0, 0),
    ("connections_padded_notes.csv", "linkedin_connections", 3, 3, 0, 0),
    ("connections_ghost_rows.csv", "linkedin_connections", 3, 3, 3, 0),
    ("connections_credentials_emoji.csv", "linkedin_connections", 5, 5, 0, 0),
    ("connections_excel_resave.csv", "linkedin_connections", 4, 4, 1, 0),
    ("connections_semicolon.csv", "linkedin_connections", 4, 4, 0, 0),
    ("messages_2018.csv", "linkedin_messages", 3, 5, 0, 0),
    ("messages_2021.csv", "linkedin_messages", 2, 5, 0, 0),
    ("messages_2023.csv", "linkedin_messages", 3, 5, 0, 0),
    ("messages_2024.csv", "linkedin_messages", 2, 5, 1, 0),
    ("messages_2025.csv", "linkedin_messages", 2, 4, 0, 0),
    ("messages_group_thread.csv", "linkedin_messages", 3, 6, 1, 0),
    ("invitations_2022.csv", "linkedin_invitations", 3, 3, 0, 0),
    ("invitations_2024.csv", "linkedin_invitations", 3, 3, 0, 0),
    ("profile_2024.csv", "linkedin_profile", 0, 0, 0, 0),
]


@pytest.mark.parametrize("name, fmt, n_people, n_interactions, n_rejects, n_kept", CASES)
def test_fixture_parses_to_expected_counts(name, fmt, n_people, n_interactions, n_rejects, n_kept):
    result = parse_bytes((LINKEDIN / name).read_bytes(), ParseContext(owner=Owner(names={"Alex Rivera"})))
    assert result.format == fmt
    assert result.people.height == n_people
    assert result.interactions.height == n_interactions
    assert result.rejects.filter(~result.rejects["kept"]).height == n_rejects
    assert result.rejects.filter(result.rejects["kept"]).height == n_kept
    assert result.people["record_hash"].n_unique() == n_people
    assert result.interactions["record_hash"].n_unique() == n_interactions


def test_every_fixture_is_covered():
    named = {case[0] for case in CASES} | {"bad_truncated.csv", "bad_garbage.csv", "bad_no_columns.csv"}
    assert {p.name for p in LINKEDIN.glob("*.csv")} == named


def _people(name: str):
    return parse_bytes((LINKEDIN / name).read_bytes()).people


def test_percent_encoded_slug_is_decoded_to_match_messages():
    people = _people("connections_2024_preamble.csv")
    assert people["linkedin_slug"][0] == "linnéa-aberg-4c2e1a"
    assert people["linkedin_url"][0] == "https://www.linkedin.com/in/linnéa-aberg-4c2e1a"
    messages = parse_bytes((LINKEDIN / "messages_2023.csv").read_bytes()).people
    assert "linnéa-aberg-4c2e1a" in messages["linkedin_slug"].to_list()


def test_current_connections_fields():
    people = _people("connections_2024_preamble.csv")
    amara = people.row(2, named=True)
    assert amara["emails"] == ["amara.okoye@example.com"]
    assert amara["title"] == "Director, Partnerships"
    assert people["connected_on"].to_list()[0] == date(2024, 12, 16)
    assert people["connected_on"].to_list()[-1] == date(2014, 2, 5)
    haruto = people.row(3, named=True)
    assert haruto["company"] is None and haruto["title"] is None


def test_2018_dates_and_invalid_email():
    result = parse_bytes((LINKEDIN / "connections_2018.csv").read_bytes())
    assert result.people["connected_on"].to_list() == [
        date(2018, 11, 3), date(2018, 6, 21), date(2018, 1, 8), date(2017, 12, 30), date(2015, 7, 4)]
    sofia = result.people.row(1, named=True)
    assert sofia["emails"] == []
    assert "urn:li:member:664293716" in result.rejects["reason"][0]
    assert result.rejects["line_no"][0] == 3  # header on line 1, Sofía on line 3


def test_ghost_rows_and_hidden_members_are_rejected_with_reasons():
    result = parse_bytes((LINKEDIN / "connections_ghost_rows.csv").read_bytes())
    assert result.people["full_name"].to_list() == ["Sakura Ito", "Tariq Mansour", "Elin Dahl"]
    reasons = result.rejects["reason"].to_list()
    assert [r.split(":")[0] for r in reasons] == ["ghost row", "ghost row", "hidden member"]
    assert result.rejects["record_key"].to_list() == ["2", "3", "4"]


def test_names_keep_credentials_and_emoji_but_match_without_them():
    people = _people("connections_credentials_emoji.csv")
    assert people["full_name"][0] == "Ivana Božić, Ph.D."
    assert people["full_name"][1] == "Maria 🌍 Santos"
    assert people["name_key"].to_list() == ["ivana bozic", "maria santos", "sam lee", "zabi rahman", "yaryna kovalchuk"]
    assert people["title"][0] == "Head of Research, Materials and Methods"


def test_excel_resave_with_bom_crlf_and_short_dates():
    result = parse_bytes((LINKEDIN / "connections_excel_resave.csv").read_bytes())
    assert result.people["connected_on"].to_list() == [
        date(2023, 4, 23), date(2023, 3, 6), date(2022, 11, 11), date(2021, 2, 1)]
    assert result.people["first_name"][1] == "Jos\ufffd"


def test_semicolon_delimited_european_dates():
    people = _people("connections_semicolon.csv")
    assert people["connected_on"].to_list() == [date(2021, 9, 16), date(2021, 5, 3), date(2020, 12, 28), date(2019, 1, 7)]
    assert people["title"][0] == "Director, Nordics"
    assert people["title"][3] == "Lead; Data & Analytics"
    assert people["full_name"][0] == "Søren Østergaard"


def test_header_found_after_padded_notes_line():
    assert _people("connections_padded_notes.csv")["connected_on"].to_list() == [
        date(2021, 5, 14), date(2021, 2, 2), date(2020, 10, 17)]


def _by_person(result):
    people = dict(zip(result.people["record_key"], result.people["full_name"]))
    out: dict[str, list] = {}
    for row in result.interactions.sort("occurred_at").iter_rows(named=True):
        out.setdefault(people[row["counterpart_key"]], []).append(row)
    return out


def test_2018_messages_use_direction_and_names():
    result = parse_bytes((LINKEDIN / "messages_2018.csv").read_bytes())
    assert result.owner.names == {"Alex Rivera"}
    by = _by_person(result)
    assert {k: len(v) for k, v in by.items()} == {"Priya Raman": 2, "Marcus Webb": 2, "Jordan Blake": 1}
    assert by["Priya Raman"][-1]["occurred_at"] == datetime(2018, 10, 16, 9, 2)
    assert result.people["linkedin_slug"].null_count() == 3
    sent = [r for rows in by.values() for r in rows if r["direction"] == "sent"]
    assert len(sent) == 2
    assert any(r["summary"] == "Re: Coffee next week? — Tuesday works & I'll book a table." for r in sent)


def test_2021_messages_find_owner_and_learn_recipient_urls():
    result = parse_bytes((LINKEDIN / "messages_2021.csv").read_bytes())
    assert result.owner.linkedin_slugs == {OWNER_SLUG}
    by = _by_person(result)
    assert len(by["Priya Raman"]) == 3
    assert [r["direction"] for r in by["Priya Raman"]].count("sent") == 2
    assert by["Priya Raman"][-1]["occurred_at"] == datetime(2021, 11, 2, 14, 5, 11)
    marcus = result.people.filter(result.people["full_name"] == "Marcus Webb").row(0, named=True)
    assert marcus["linkedin_slug"] is None and marcus["record_key"] == "name:marcus webb"
    assert {r["direction"] for r in by["Marcus Webb"]} == {"sent"}


def test_2023_messages_raw_unicode_slug_inmail_and_empty_content():
    result = parse_bytes((LINKEDIN / "messages_2023.csv").read_bytes())
    by = _by_person(result)
    assert len(by["Linnéa Åberg"]) == 2
    assert any(r["summary"] and "I’ll" in r["summary"] for r in by["Linnéa Åberg"])
    assert by["Dana Whitlock"][0]["summary"].startswith("Opportunity: Head of Analytics — ")
    assert datetime(2023, 1, 9, 11, 45) in {r["occurred_at"] for rows in by.values() for r in rows}


def test_2024_drafts_are_never_interactions():
    result = parse_bytes((LINKEDIN / "messages_2024.csv").read_bytes())
    by = _by_person(result)
    assert by["Priya Raman"][-1]["occurred_at"] == datetime(2024, 12, 10, 9, 0, 12)
    assert result.rejects["reason"][0].startswith("draft")
    assert len(by["Grace Whitfield"]) == 3


def test_2025_layout_without_conversation_draft_column():
    result = parse_bytes((LINKEDIN / "messages_2025.csv").read_bytes())
    by = _by_person(result)
    assert by["Amara Okoye"][-1]["occurred_at"] == datetime(2025, 10, 21, 7, 44, 13)
    assert result.owner.linkedin_slugs == {OWNER_SLUG}


def test_group_thread_uses_urls_not_comma_split_names():
    result = parse_bytes((LINKEDIN / "messages_group_thread.csv").read_bytes(), ParseContext(owner=Owner(names={"Alex Rivera"})))
    assert set(result.people["linkedin_slug"]) == {"ngozi-adeyemi-frsa-3c9d1e", "lukas-brandt-77e0a2",
                                                   "hina-watanabe-5f1b6c"}
    names = set(result.people["full_name"])
    assert "Ngozi Adeyemi, FRSA (UK), MSc (Eng)." in names
    assert set(result.interactions["n_participants"]) == {4}
    sent = result.interactions.filter(result.interactions["direction"] == "sent")
    assert sent.height == 3  # the owner's one message reached three people
    assert result.rejects["reason"][0].startswith("hidden sender")


def test_single_thread_without_a_hint_is_a_clear_error():
    """Everyone in a lone group thread takes part in every conversation: kith must not guess."""
    with pytest.raises(ExportError, match="cannot tell which participant is you"):
        parse_bytes((LINKEDIN / "messages_group_thread.csv").read_bytes())


def test_invitations_both_layouts():
    old = parse_bytes((LINKEDIN / "invitations_2022.csv").read_bytes())
    assert old.owner.names == {"Alex Rivera"}
    assert old.interactions["occurred_at"][0] == datetime(2022, 9, 12, 15, 41)
    assert old.interactions["direction"].to_list() == ["sent", "received", "sent"]
    new = parse_bytes((LINKEDIN / "invitations_2024.csv").read_bytes())
    assert new.owner.linkedin_slugs == {OWNER_SLUG}
    assert new.people["linkedin_slug"][0] == "linnéa-aberg-4c2e1a"
    assert new.interactions["summary"][1] == "Enjoyed your talk on data contracts. Would love to connect."
    assert new.interactions["summary"][0] is None


def test_profile_names_the_owner():
    assert parse_bytes((LINKEDIN / "profile_2024.csv").read_bytes()).owner.names == {"Alex Rivera"}


def test_truncated_file_fails_whole_naming_the_line():
    with pytest.raises(ExportError) as info:
        parse_bytes((LINKEDIN / "bad_truncated.csv").read_bytes())
    assert info.value.line_no is not None and info.value.line_no >= 7
    assert "truncated" in str(info.value)


@pytest.mark.parametrize("name", ["bad_garbage.csv", "bad_no_columns.csv"])
def test_unreadable_files_are_refused(name):
    with pytest.raises(ExportError):
        parse_bytes((LINKEDIN / name).read_bytes())


def test_format_is_detected_from_content_not_name():
    text = fixture_text("messages_2024.csv")
    assert detect(text).name == "linkedin_messages"
    assert detect("foo,bar\n1,2") is None
