"""Contact CSVs (Google, Outlook, any person CSV): each fixture in fixtures/contacts/ (one
quirk per file, see its README.md) parses to exactly the people and rejects a reader of the
file would expect, and only ExportError ever escapes."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.conftest import FIXTURES, LINKEDIN
from transforms import contacts_csv as cc
from transforms.records import INTERACTION_SCHEMA, PERSON_RECORD_SCHEMA, REJECT_SCHEMA, ExportError, ParseContext
from transforms.text import decode

CONTACTS = FIXTURES / "contacts"
MAP = {"Mail": "email", "Firma": "company"}

PARSERS = {cc.GOOGLE: cc.parse_google, cc.OUTLOOK: cc.parse_outlook, cc.GENERIC: cc.parse_generic}
MATCHERS = {cc.GOOGLE: cc.matches_google, cc.OUTLOOK: cc.matches_outlook, cc.GENERIC: cc.matches_generic}

# file, format, data rows, people, rejects (not loaded), kept rejects (a field dropped), phone region
CASES = [
    ("google_current.csv", cc.GOOGLE, 5, 5, 0, 0, "US"),
    ("google_legacy_utf16.csv", cc.GOOGLE, 4, 4, 0, 0, None),
    ("google_outlook_csv.csv", cc.OUTLOOK, 3, 3, 0, 0, None),
    ("outlook_desktop_cp1252.csv", cc.OUTLOOK, 4, 3, 1, 1, None),
    ("outlook_com.csv", cc.OUTLOOK, 2, 2, 0, 0, None),
    ("outlook_german_semicolon.csv", cc.OUTLOOK, 2, 2, 0, 0, "DE"),
    ("generic_synonyms.csv", cc.GENERIC, 4, 3, 1, 1, None),
    ("generic_needs_map.csv", cc.GENERIC, 2, 2, 0, 0, None),
    ("google_excel_resave.csv", cc.GOOGLE, 2, 2, 0, 0, None),
    ("google_bad_rows.csv", cc.GOOGLE, 6, 4, 2, 3, None),
]
BAD = {"bad_no_columns.csv", "bad_truncated.csv"}


def text_of(name: str) -> str:
    return decode((CONTACTS / name).read_bytes())


def parse(name: str, fmt: str, region: str | None = None, column_map: dict | None = None):
    context = ParseContext(phone_region=region, column_map=column_map if column_map is not None else MAP)
    return PARSERS[fmt](text_of(name), context)


def person(result, index: int) -> dict:
    return result.people.row(index, named=True)


@pytest.mark.parametrize("name, fmt, n_read, n_people, n_rejects, n_kept, region", CASES)
def test_fixture_parses_to_expected_counts(name, fmt, n_read, n_people, n_rejects, n_kept, region):
    result = parse(name, fmt, region)
    assert result.format == fmt
    assert result.records_read == n_read
    assert result.people.height == n_people
    assert result.rejects.filter(~result.rejects["kept"]).height == n_rejects
    assert result.rejects.filter(result.rejects["kept"]).height == n_kept
    assert result.people.schema == PERSON_RECORD_SCHEMA
    assert result.rejects.schema == REJECT_SCHEMA
    assert result.interactions.schema == INTERACTION_SCHEMA and result.interactions.height == 0
    assert set(result.people["source_kind"]) == {fmt}
    assert result.people["connected_on"].null_count() == n_people
    assert result.people["record_hash"].n_unique() == n_people


def test_every_fixture_is_covered_and_listed_in_the_readme():
    files = {p.name for p in CONTACTS.glob("*.csv")}
    assert files == {c[0] for c in CASES} | BAD
    readme = (CONTACTS / "README.md").read_text(encoding="utf-8")
    assert all(f"`{f}`" in readme for f in files)


# ---------------------------------------------------------------- detection

@pytest.mark.parametrize("name, fmt", [(c[0], c[1]) for c in CASES])
def test_each_fixture_is_claimed_by_its_own_matcher_only(name, fmt):
    text, context = text_of(name), ParseContext(column_map=MAP)
    claimed = {f for f in (cc.GOOGLE, cc.OUTLOOK) if MATCHERS[f](text, context)}
    assert claimed == ({fmt} if fmt != cc.GENERIC else set())
    if fmt == cc.GENERIC:
        assert cc.matches_generic(text, context)


def test_generic_accepts_english_google_and_outlook_headers_too():
    for name in ("google_current.csv", "google_legacy_utf16.csv", "google_outlook_csv.csv",
                 "outlook_desktop_cp1252.csv", "outlook_com.csv", "google_excel_resave.csv"):
        assert cc.matches_generic(text_of(name), ParseContext()), name


LINKEDIN_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def test_linkedin_connections_are_neither_google_nor_outlook():
    text = LINKEDIN_HEADER + "Ada,Quill,https://www.linkedin.com/in/ada-quill,,Acme,CTO,16 Dec 2024\n"
    assert not cc.matches_google(text, ParseContext())
    assert not cc.matches_outlook(text, ParseContext())
    assert cc.matches_generic(text, ParseContext())  # allowed: LinkedIn is detected first
    for path in LINKEDIN.glob("*.csv"):
        try:
            linkedin = decode(path.read_bytes())
        except ExportError:  # bad_garbage.csv
            continue
        assert not cc.matches_google(linkedin, ParseContext()), path.name
        assert not cc.matches_outlook(linkedin, ParseContext()), path.name


def test_bad_files_match_nothing_or_fail_to_load():
    text = text_of("bad_no_columns.csv")
    assert not any(m(text, ParseContext(column_map=MAP)) for m in MATCHERS.values())
    for fmt, parser in PARSERS.items():
        with pytest.raises(ExportError) as err:
            parser(text, ParseContext())
        message = str(err.value)
        assert "\n" not in message
        assert message.startswith("no contact columns found: expected ")
        assert message.endswith("found 'foo', 'bar', 'baz'")
    with pytest.raises(ExportError, match=r"^no contact columns found: expected a header naming a person "
                                          r"\(name, email, phone, \.\.\.\); found 'foo', 'bar', 'baz'$"):
        cc.parse_generic(text)


def test_truncated_file_names_the_line():
    text = text_of("bad_truncated.csv")
    assert cc.matches_google(text, ParseContext())
    with pytest.raises(ExportError, match=r"^line 3: broken CSV") as err:
        cc.parse_google(text)
    assert err.value.line_no == 3


def test_column_map_makes_a_header_recognisable():
    text = text_of("generic_needs_map.csv")
    assert not cc.matches_generic(text, ParseContext())
    assert cc.matches_generic(text, ParseContext(column_map=MAP))
    # canonical comparison: case and spaces do not matter
    assert cc.matches_generic(text, ParseContext(column_map={"  MAIL ": "email", "firma": "company"}))
    with pytest.raises(ExportError, match="found 'Kürzel', 'Mail', 'Firma', 'Bemerkung'"):
        cc.parse_generic(text)
    result = parse("generic_needs_map.csv", cc.GENERIC)
    assert result.people["emails"].to_list() == [["jan.wolters@beispiel.example"], ["marta.kowalczyk@przyklad.example"]]
    assert result.people["company"].to_list() == ["Wolters Bau", None]
    assert result.people["full_name"].to_list() == [None, None]


def test_column_map_wins_over_synonyms():
    text = "Name,Email,Role\nUma Patel,uma@example.com,Founder\n"
    result = cc.parse_generic(text, ParseContext(column_map={"Role": "company"}))
    assert person(result, 0)["company"] == "Founder" and person(result, 0)["title"] is None
    result = cc.parse_generic(text, ParseContext())
    assert person(result, 0)["title"] == "Founder" and person(result, 0)["company"] is None


def test_column_map_applies_to_known_layouts():
    result = parse("outlook_com.csv", cc.OUTLOOK, column_map={"Nickname": "title"})
    assert person(result, 0)["title"] == "Mei"


def test_kith_fields_and_labels():
    assert cc.KITH_FIELDS == ("name", "first_name", "last_name", "email", "phone", "company", "title",
                              "linkedin", "birthday")
    assert (cc.GOOGLE, cc.OUTLOOK, cc.GENERIC) == ("google_csv", "outlook_csv", "contacts_csv")
    assert set(cc.LABELS) == {cc.GOOGLE, cc.OUTLOOK, cc.GENERIC}


# ---------------------------------------------------------------- field values

def test_google_current_groups_multivalues_labels_and_linkedin_website():
    result = parse("google_current.csv", cc.GOOGLE, "US")
    ines = person(result, 0)
    assert ines["full_name"] == "Ines Calloway-Marsh"
    assert ines["emails"] == ["ines.calloway@calloway-analytics.example", "ines.cm@mailbox.example",
                              "ines.old@mailbox.example"]
    assert ines["phones"] == ["+447700900123", "+442079460018", "+442079460019"]
    assert ines["birthday"] == "--03-14"
    assert ines["linkedin_slug"] == "ines-calloway-marsh"
    assert ines["linkedin_url"] == "https://www.linkedin.com/in/ines-calloway-marsh"
    assert (ines["company"], ines["title"]) == ("Calloway Analytics", "Head of Data")
    assert result.people["line_no"].to_list() == [2, 5, 6, 7, 8]  # Ines's address spans three lines
    assert result.people["record_key"].to_list() == ["1", "2", "3", "4", "5"]
    tomasz = person(result, 1)
    assert tomasz["emails"] == ["tomasz.w@example.com"]  # the same address twice, once upper-case
    assert tomasz["phones"] == ["+14155550134"]
    assert tomasz["title"] == "Senior Engineer, Platform"
    assert tomasz["birthday"] == "1985-07-02"
    assert tomasz["linkedin_slug"] is None  # a non-LinkedIn website is ignored, not rejected
    bakery = person(result, 2)
    assert bakery["full_name"] is None and bakery["name_key"] is None
    assert (bakery["company"], bakery["phones"]) == ("Northwind Bakery", ["+14155550199"])
    ana = person(result, 3)
    assert (ana["full_name"], ana["first_name"], ana["last_name"]) == ("Ana Lucía Ferreira", "Ana", "Ferreira")
    assert ana["name_key"] == "ana ferreira"
    assert ana["birthday"] == "1992-02-29"
    assert person(result, 4)["phones"] == ["+233302214567"]


def test_phone_without_region_is_kept_as_written():
    result = parse("google_current.csv", cc.GOOGLE, None)
    assert person(result, 1)["phones"] == ["(415) 555-0134"]


def test_google_legacy_utf16_with_bom():
    raw = (CONTACTS / "google_legacy_utf16.csv").read_bytes()
    assert raw[:2] == b"\xff\xfe" and raw[3] == 0
    result = parse("google_legacy_utf16.csv", cc.GOOGLE)
    oskar = person(result, 0)
    assert oskar["emails"] == ["oskar.lindqvist@post.example", "o.lindqvist@nordvik.example"]
    assert oskar["linkedin_slug"] == "oskarlindqvist"
    assert (oskar["company"], oskar["title"], oskar["birthday"]) == ("Nordvik AB", "CTO", "1979-11-02")
    zoe = person(result, 1)
    assert (zoe["full_name"], zoe["name_key"]) == ("Zoë Ångström", "zoe angstrom")
    assert zoe["phones"] == ["+33142685300", "+33612345678"]
    beatriz = person(result, 2)  # only 'Name', written last name first
    assert (beatriz["full_name"], beatriz["first_name"], beatriz["last_name"]) == (
        "Ferreira, Beatriz", "Beatriz", "Ferreira")
    assert beatriz["name_key"] == "beatriz ferreira"
    assert person(result, 3)["emails"] == ["newsletter@shop.example"]
    assert person(result, 3)["full_name"] is None


def test_googles_outlook_csv():
    result = parse("google_outlook_csv.csv", cc.OUTLOOK)
    priyanka = person(result, 0)
    assert priyanka["linkedin_slug"] == "priyanka-deshmukh-88"
    assert priyanka["birthday"] == "1988-09-23"
    assert (priyanka["company"], priyanka["title"]) == ("Sahyadri Labs", "Research Lead")
    lars = person(result, 1)
    assert lars["emails"] == ["lars@eriksen.example", "lars.eriksen@fjord.example"]
    assert lars["phones"] == ["+4722123456"]  # home and business are the same number


def test_outlook_desktop_cp1252_zero_dates_and_exchange_address():
    raw = (CONTACTS / "outlook_desktop_cp1252.csv").read_bytes()
    assert "Björn".encode("cp1252") in raw
    result = parse("outlook_desktop_cp1252.csv", cc.OUTLOOK)
    bjorn = person(result, 0)
    assert (bjorn["full_name"], bjorn["name_key"]) == ("Björn Sälzer", "bjorn salzer")
    assert bjorn["phones"] == ["+4915123456789", "+49401234567"]  # mobile first
    assert bjorn["birthday"] == "1985-03-14"
    assert bjorn["linkedin_slug"] == "bjorn-salzer"
    assert bjorn["title"] == "Purchasing Manager"  # not 'Mr.' from Outlook's Title column
    emilie = person(result, 1)
    assert emilie["full_name"] == "Émilie Gauthier"
    assert emilie["birthday"] is None  # 0/0/00
    assert emilie["phones"] == ["01 42 68 53 00"]
    renee = person(result, 2)
    assert renee["emails"] == ["renee.okonkwo@contoso.example"]
    assert renee["birthday"] is None  # 1/0/00
    assert renee["line_no"] == 5  # Émilie's notes span two lines
    kept = result.rejects.filter(result.rejects["kept"]).row(0, named=True)
    assert kept["record_key"] == "3" and kept["reason"].startswith("not an email address: '/o=ExchangeLabs/")
    empty = result.rejects.filter(~result.rejects["kept"]).row(0, named=True)
    assert (empty["record_key"], empty["line_no"]) == ("4", 6)
    assert empty["reason"] == "empty: no name, email, phone or LinkedIn URL"


def test_outlook_com():
    result = parse("outlook_com.csv", cc.OUTLOOK)
    mei = person(result, 0)
    assert mei["linkedin_url"] == "https://www.linkedin.com/in/mei-tanaka-lowe"
    assert mei["birthday"] == "1993-04-05"
    yusuf = person(result, 1)
    assert (yusuf["full_name"], yusuf["name_key"]) == ("Yusuf Can Demir", "yusuf demir")
    assert yusuf["emails"] == ["yusuf.demir@posta.example"]


def test_german_outlook_semicolon():
    result = parse("outlook_german_semicolon.csv", cc.OUTLOOK, "DE")
    jordis = person(result, 0)
    assert jordis["full_name"] == "Jördis Weißenfels"
    assert jordis["emails"] == ["joerdis.weissenfels@elbwerk.example"]
    assert jordis["phones"] == ["+491712345678", "+49403012345"]
    assert (jordis["company"], jordis["title"]) == ("Elbwerk Logistik GmbH", "Leiterin Einkauf")
    assert jordis["birthday"] == "1985-03-14"
    hans = person(result, 1)
    assert hans["birthday"] is None  # 0.0.00
    assert hans["emails"] == ["hp.mueller@example.de"] and hans["phones"] == ["+49891234567"]


def test_generic_synonyms():
    result = parse("generic_synonyms.csv", cc.GENERIC)
    chidinma = person(result, 0)
    assert (chidinma["full_name"], chidinma["first_name"], chidinma["last_name"]) == (
        "Okafor, Chidinma", "Chidinma", "Okafor")
    assert chidinma["emails"] == ["chidinma.okafor@example.com", "c.okafor@work.example"]
    assert chidinma["phones"] == ["+2348031234567"]
    assert chidinma["linkedin_slug"] == "chidinma-okafor"
    assert (chidinma["company"], chidinma["title"], chidinma["birthday"]) == ("Lagos Fintech Hub", "Partner",
                                                                               "1987-12-01")
    rafael = person(result, 1)
    assert (rafael["first_name"], rafael["last_name"], rafael["name_key"]) == ("Rafael", "Quintero",
                                                                                "rafael quintero")
    assert rafael["emails"] == ["rafa@quintero.example", "rafael.q@example.org"]
    assert rafael["birthday"] == "1979-12-24"
    assert person(result, 2)["linkedin_slug"] is None
    assert result.rejects["reason"].to_list() == [
        "not a LinkedIn profile URL: 'https://example.com/sunniva' (dropped)",
        "empty: no name, email, phone or LinkedIn URL",
    ]
    assert result.rejects["record_key"].to_list() == ["3", "4"]


def test_excel_resave_semicolon_bom():
    raw = (CONTACTS / "google_excel_resave.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfFirst Name;")
    result = parse("google_excel_resave.csv", cc.GOOGLE)
    lukasz = person(result, 0)
    assert lukasz["full_name"] == "Łukasz Wróblewski"
    assert lukasz["title"] == "Backend Developer; Payments"
    assert lukasz["birthday"] == "1985-07-02"  # Excel's 02.07.1985
    assert lukasz["phones"] == ["+48601234567"]
    assert person(result, 1)["birthday"] == "--11-30"


def test_bad_rows_load_the_good_and_say_why():
    result = parse("google_bad_rows.csv", cc.GOOGLE)
    assert result.people["full_name"].to_list() == ["Noor Haddad", "Bob Alvarez", "Petra Novak", "Iker Etxeberria"]
    assert person(result, 1)["emails"] == []
    assert person(result, 2)["birthday"] is None
    rows = result.rejects.rows(named=True)
    assert [(r["record_key"], r["line_no"], r["kept"]) for r in rows] == [
        ("2", 3, True), ("3", 4, True), ("4", 5, False), ("5", 6, False), ("6", 7, True)]
    assert [r["reason"] for r in rows] == [
        "not an email address: 'bob(at)example.com' (dropped)",
        "unreadable birthday: 'sometime in May' (dropped)",
        "empty: no name, email, phone or LinkedIn URL",
        "empty: no name, email, phone or LinkedIn URL (not an email address: 'n/a')",
        "not a phone number: 'ext. only' (dropped)",
    ]


def test_record_hash_is_stable_and_sensitive():
    text = text_of("google_current.csv")
    a = cc.parse_google(text).people["record_hash"].to_list()
    assert cc.parse_google(text).people["record_hash"].to_list() == a
    changed = cc.parse_google(text.replace("Head of Data", "Chief Data Officer")).people["record_hash"].to_list()
    assert changed[0] != a[0] and changed[1:] == a[1:]


@pytest.mark.parametrize("raw, expected", [
    ("--03-14", ("--03-14", True)),
    ("--0314", ("--03-14", True)),
    ("1985-03-14", ("1985-03-14", True)),
    ("3/14/1985", ("1985-03-14", True)),
    ("3/14/85", ("1985-03-14", True)),
    ("14/03/1985", ("1985-03-14", True)),  # day-first locale: 14 cannot be a month
    ("14.03.1985", ("1985-03-14", True)),
    ("14.3.", ("--03-14", True)),
    ("0/0/00", (None, True)),
    ("1/0/00", (None, True)),
    ("0.0.00", (None, True)),
    ("1/1/4501", (None, True)),
    ("1604-05-24", ("--05-24", True)),
    ("March 14, 1985", ("1985-03-14", True)),
    ("14 Mar 1985", ("1985-03-14", True)),
    ("--02-29", ("--02-29", True)),
    ("1985-02-29", (None, False)),
    ("13/13/1985", (None, False)),
    ("sometime in May", (None, False)),
])
def test_parse_birthday(raw, expected):
    assert cc.parse_birthday(raw) == expected


# ---------------------------------------------------------------- robustness

@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_arbitrary_bytes_raise_only_export_error(data):
    try:
        text = decode(data)
    except ExportError:
        return
    for fmt, parser in PARSERS.items():
        try:
            parser(text, ParseContext(column_map=MAP))
        except ExportError:
            pass


HEADERS = [
    (cc.GOOGLE, "First Name,Middle Name,Last Name,Birthday,Labels,E-mail 1 - Label,E-mail 1 - Value,"
                "Phone 1 - Label,Phone 1 - Value,Website 1 - Label,Website 1 - Value,Organization Name"),
    (cc.GOOGLE, "Name,Given Name,Additional Name,Family Name,Birthday,Group Membership,E-mail 1 - Type,"
                "E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Organization 1 - Name"),
    (cc.OUTLOOK, "First Name,Last Name,Company,Job Title,Mobile Phone,Business Phone,E-mail Address,Birthday,"
                 "Web Page"),
    (cc.OUTLOOK, "Vorname;Nachname;Firma;Position;Mobiltelefon;Telefon geschäftlich;E-Mail-Adresse;Geburtstag"),
    (cc.GENERIC, "Full Name,Email,Phone,Company,Title,LinkedIn,Birthday"),
]
CELLS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["--03-14", "0/0/00", "14.03.1985", "+49 30 1234567", "a@b.example", ":::", " ::: ", "\"",
                     "linkedin.com/in/x", "https://www.linkedin.com/in/", "9999-99-99", "--99-99", "1/1/0"]),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(HEADERS), st.lists(st.lists(CELLS, max_size=12), max_size=6), st.text(max_size=80),
       st.sampled_from(["\n", "\r\n"]))
def test_text_around_a_valid_header_raises_only_export_error(header, rows, tail, newline):
    fmt, line = header
    delim = ";" if ";" in line else ","
    text = newline.join([line] + [delim.join(row) for row in rows]) + tail
    for parser in PARSERS.values():
        try:
            result = parser(text, ParseContext(phone_region="DE"))
        except ExportError:
            continue
        assert result.people.height + result.rejects.filter(~result.rejects["kept"]).height == result.records_read


def test_the_fast_frame_builder_equals_polars_own():
    from transforms.records import frame

    def slow(rows):
        return pl.DataFrame([{k: r.get(k, [] if isinstance(t, pl.List) else None) for k, t in PERSON_RECORD_SCHEMA.items()}
                             for r in rows], schema=PERSON_RECORD_SCHEMA)

    result = parse("google_current.csv", cc.GOOGLE, "US")
    rows = result.people.to_dicts()
    assert frame(rows, PERSON_RECORD_SCHEMA).equals(slow(rows))
    odd = [{"record_key": "1", "emails": ["a\x1eb"], "phones": []}, {"record_key": "2", "emails": [], "phones": [""]}]
    assert frame(odd, PERSON_RECORD_SCHEMA).equals(slow(odd))
    assert frame([], PERSON_RECORD_SCHEMA).equals(slow([]))


@given(st.text(alphabet="abcXYZ019 -", max_size=25) | st.sampled_from(["Jane Doe MBA", "Dr Sam Lee", "-", " - PhD -"]))
def test_plain_name_key_fast_path_equals_name_key(part):
    from transforms.normalize import name_key

    assert cc._PLAIN.match(part)
    assert cc._plain_name_key(part) == name_key(part)


def test_generic_needs_a_person_field_beyond_a_url():
    assert not cc.matches_generic("Name,URL,Folder\nKith docs,https://example.com,Work\n", ParseContext())
    assert cc.matches_generic("Name,Mobile\nUma Patel,+44 7700 900001\n", ParseContext())
    assert not cc.matches_generic("Email,Notes\na@example.com,hi\n", ParseContext())


def test_linkedin_matchers_do_not_claim_contact_fixtures():
    from transforms.csv_table import find_header
    from transforms import linkedin_connections, linkedin_invitations, linkedin_messages, linkedin_profile

    tests = (linkedin_connections.is_connections_header, linkedin_invitations.is_invitations_header,
             linkedin_messages.is_messages_header, linkedin_profile.is_profile_header)
    for name, *_ in CASES:
        text = text_of(name)
        assert not any(find_header(text, accepts) for accepts in tests), name


def test_decode_of_a_bom_followed_by_invalid_bytes_is_an_export_error():
    with pytest.raises(ExportError):
        decode(b"\xef\xbb\xbf\xff")
    with pytest.raises(ExportError):
        decode(b"\xff\xfe\x00\xd8")


def test_a_url_that_urlsplit_cannot_read_is_a_kept_reject():
    result = cc.parse_generic('Full Name,LinkedIn\nVera Lind,"https://[linkedin.com/in/vera"\n')
    assert person(result, 0)["linkedin_slug"] is None
    assert result.rejects["reason"].to_list() == ["not a LinkedIn profile URL: 'https://[linkedin.com/in/vera' (dropped)"]


def test_a_parse_leaves_garbage_collection_as_it_found_it():
    """The parsers pause the cyclic collector while they build records (records.gc_paused):
    it comes back on the way out, an error included, and stays off if it was off."""
    import gc

    from transforms.records import gc_paused

    assert gc.isenabled()
    with pytest.raises(ValueError):
        with gc_paused():
            assert not gc.isenabled()
            raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
