"""vCard 2.1/3.0/4.0: each fixture (one quirk per file, see fixtures/vcard/README.md) parses to
exactly the people and rejects a reader of the file would expect, and no input crashes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms import vcard
from transforms.records import (INTERACTION_SCHEMA, PERSON_RECORD_SCHEMA, REJECT_SCHEMA, ExportError, ParseContext)
from transforms.text import decode

VCARD = Path(__file__).parent / "fixtures" / "vcard"


def parse_fixture(name: str, context: ParseContext | None = None):
    return vcard.parse(decode((VCARD / name).read_bytes()), context)


def people(name: str, context: ParseContext | None = None) -> list[dict]:
    return parse_fixture(name, context).people.to_dicts()


def rejects(name: str) -> list[tuple[str, int, str, bool]]:
    return [tuple(r.values()) for r in parse_fixture(name).rejects.to_dicts()]


# file, cards read, people, rejects (not loaded), kept rejects (a field dropped)
CASES = [
    ("apple_30.vcf", 3, 3, 0, 0),
    ("apple_utf16be.vcf", 1, 1, 0, 0),
    ("google_30.vcf", 4, 4, 0, 1),
    ("android_21_qp_utf8.vcf", 3, 3, 0, 0),
    ("android_21_latin1.vcf", 3, 3, 0, 0),
    ("agent_21.vcf", 1, 1, 0, 0),
    ("vcard_40.vcf", 6, 5, 1, 1),
    ("folded_lines.vcf", 2, 2, 0, 0),
    ("crlf_bom.vcf", 2, 2, 0, 0),
    ("big_photo.vcf", 2, 2, 0, 0),
    ("broken_middle.vcf", 5, 3, 2, 1),
    ("empty_card.vcf", 4, 1, 3, 0),
    ("stray_first_line.vcf", 2, 2, 0, 0),
]
FAILING = {"bad_truncated.vcf", "bad_not_vcard.vcf"}


@pytest.mark.parametrize("name, n_read, n_people, n_rejects, n_kept", CASES)
def test_fixture_parses_to_expected_counts(name, n_read, n_people, n_rejects, n_kept):
    result = parse_fixture(name)
    assert result.format == "vcard"
    assert result.records_read == n_read
    assert result.people.height == n_people
    assert result.rejects.filter(~result.rejects["kept"]).height == n_rejects
    assert result.rejects.filter(result.rejects["kept"]).height == n_kept
    assert result.people["record_hash"].n_unique() == n_people
    assert result.people.schema == PERSON_RECORD_SCHEMA
    assert result.rejects.schema == REJECT_SCHEMA
    assert result.interactions.schema == INTERACTION_SCHEMA and result.interactions.height == 0
    assert set(result.people["source_kind"]) <= {"vcard"}
    assert result.people["connected_on"].null_count() == n_people


def test_every_fixture_is_covered_and_listed_in_the_readme():
    files = {p.name for p in VCARD.glob("*.vcf")}
    assert files == {case[0] for case in CASES} | FAILING
    readme = (VCARD / "README.md").read_text(encoding="utf-8")
    for name in files:
        assert f"`{name}`" in readme


@pytest.mark.parametrize("name", sorted({case[0] for case in CASES} | FAILING))
def test_matches_by_content(name):
    assert vcard.matches(decode((VCARD / name).read_bytes()), ParseContext()) == (name != "bad_not_vcard.vcf")


def test_matches_begin_after_a_few_stray_lines_but_not_after_a_csv_header():
    assert vcard.matches("\ufeff\n\n  begin:vcard  \nVERSION:3.0\n", ParseContext())
    assert vcard.matches("ENCODING:UTF-8\nBEGIN:VCARD\nVERSION:3.0\n", ParseContext())
    assert vcard.matches("\ufeffContacts backup 2024-05-01 10:42\r\n\r\nBEGIN:VCARD\r\n", ParseContext())
    assert not vcard.matches("First Name,Last Name\nBEGIN:VCARD\n", ParseContext())
    assert not vcard.matches("Name;E-mail\nBEGIN:VCARD\n", ParseContext())
    assert not vcard.matches("Name\tE-mail\nBEGIN:VCARD\n", ParseContext())
    assert not vcard.matches("a\nb\nc\nd\ne\nBEGIN:VCARD\n", ParseContext())  # too far down to be a header
    assert not vcard.matches("", ParseContext())
    assert not vcard.matches("BEGIN:VCALENDAR\n", ParseContext())


def test_stray_line_before_the_first_card_is_read_past():
    """Some exporters write ``ENCODING:UTF-8`` (or other junk) before the first BEGIN:VCARD:
    the cards load, the stray line is no reject, and the file is detected as a vCard."""
    from transforms.detect import detect

    result = parse_fixture("stray_first_line.vcf")
    assert [(p["record_key"], p["line_no"], p["full_name"], p["emails"], p["phones"])
            for p in result.people.to_dicts()] == [
        ("1", 2, "Astrid Lindqvist", ["astrid.lindqvist@example.se"], []),
        ("2", 8, "Kofi Mensah", [], ["+233245550136"])]
    assert result.rejects.height == 0
    assert detect(decode((VCARD / "stray_first_line.vcf").read_bytes())).name == "vcard"


def test_csv_exports_are_still_not_taken_for_vcards():
    from tests.conftest import FIXTURES
    from transforms.detect import detect

    for path in sorted((FIXTURES / "contacts").glob("*.csv")) + sorted((FIXTURES / "linkedin").glob("*.csv")):
        try:
            text = decode(path.read_bytes())
        except ExportError:
            continue  # a fixture of binary junk
        assert not vcard.matches(text, ParseContext()), path.name
        fmt = detect(text)
        assert fmt is None or fmt.name != "vcard", path.name


def test_apple_groups_labels_social_profile_and_omitted_year():
    maren, emeka, bakery = people("apple_30.vcf")
    assert (maren["record_key"], maren["line_no"]) == ("1", 1)
    assert maren["full_name"] == "Maren Holt-Voss"
    assert (maren["first_name"], maren["last_name"], maren["name_key"]) == ("Maren", "Holt-Voss", "maren holt-voss")
    assert maren["emails"] == ["maren.holtvoss@example.com", "maren.holtvoss@example.org"]
    assert maren["phones"] == ["+491705550123", "+49305550199"]
    assert maren["company"] == "Brightwater Labs, Inc."
    assert maren["title"] == "Head of Research, Materials"
    assert maren["linkedin_slug"] == "maren-holt-voss-1a2b3c"  # from X-SOCIALPROFILE, not the homepage URL
    assert maren["linkedin_url"] == "https://www.linkedin.com/in/maren-holt-voss-1a2b3c"
    assert maren["birthday"] == "--05-24"  # X-APPLE-OMIT-YEAR=1604, not 'born 1604'
    assert (emeka["record_key"], emeka["line_no"]) == ("2", 24)
    assert emeka["full_name"] == "Dr. Emeka Okafor, Jr."
    assert (emeka["first_name"], emeka["last_name"]) == ("Emeka", "Okafor, Jr.")
    assert emeka["name_key"] == "emeka okafor"
    assert emeka["title"] == "VP, Sales; EMEA"
    assert emeka["linkedin_slug"] == "emeka-okafor-jr"  # item1.URL with its label before it, http\://
    assert emeka["birthday"] == "1985-03-14"
    assert bakery["full_name"] == "Harbor & Pine Bakery"
    assert (bakery["first_name"], bakery["last_name"]) == (None, None)  # X-ABShowAs:COMPANY
    assert bakery["name_key"] == "harbor pine bakery"
    assert bakery["phones"] == ["+442079460321"]


def test_apple_utf16_big_endian_without_bom():
    (person,) = people("apple_utf16be.vcf")
    assert person["full_name"] == "Ǽgean Ľdamonté"
    assert person["emails"] == ["aegean@example.com"]


def test_google_categories_compact_birthday_and_bad_email():
    ayesha, tomasz, nameless, keoni = people("google_30.vcf")
    assert ayesha["emails"] == ["ayesha.q@example.com", "a.qureshi@northwind.example"]
    assert ayesha["phones"] == ["(415) 555-0134"]  # no +CC and no region: kept as written
    assert ayesha["birthday"] == "--11-02"
    assert (tomasz["company"], tomasz["title"]) == ("Lumen Foundry", "Staff Engineer")  # item1.ORG / item1.TITLE
    assert tomasz["linkedin_slug"] == "tomasz-wierzbicki-77f0"
    assert tomasz["emails"] == []
    assert (nameless["full_name"], nameless["name_key"]) == (None, None)
    assert nameless["emails"] == ["no-name.contact@example.org"]
    assert keoni["phones"] == ["+18085550187"]  # two spellings of one number, deduplicated
    assert keoni["birthday"] == "1979-12-01"
    assert rejects("google_30.vcf") == [("2", 12, "not an email address: 'tomasz at lumen foundry' (dropped)", True)]


def test_phone_region_from_context():
    google = people("google_30.vcf", ParseContext(phone_region="US"))
    assert google[0]["phones"] == ["+14155550134"]
    android = people("android_21_qp_utf8.vcf", ParseContext(phone_region="DE"))
    assert android[0]["phones"] == ["+491705550147", "+49895550112"]


def test_android_quoted_printable_utf8_and_soft_breaks():
    juergen, dang, aiko = people("android_21_qp_utf8.vcf")
    assert juergen["full_name"] == "Jürgen Müller"  # dangling '=' before TEL does not swallow TEL
    assert (juergen["first_name"], juergen["last_name"]) == ("Jürgen", "Müller")
    assert juergen["name_key"] == "jurgen muller"
    assert juergen["phones"] == ["0170 5550147", "+49895550112"]  # TEL;CELL;PREF bare parameters
    assert juergen["emails"] == ["juergen.mueller@example.de"]
    assert dang["full_name"] == "Đặng Thị Hương"  # soft breaks, the last followed by an empty line
    assert (dang["first_name"], dang["last_name"]) == ("Thị Hương", "Đặng")
    assert dang["phones"] == ["+84905550163"]
    assert dang["company"] == "Sông Hồng Trading"  # soft break inside a word, then ';'
    assert (aiko["line_no"], aiko["emails"]) == (23, ["aiko.nakamura@example.jp"])
    assert aiko["phones"] == ["+49305550100"]  # the ADR continuation 'Berlin;;…' is not a property


def test_android_latin1_charsets():
    agnes, ines, tomas = people("android_21_latin1.vcf")
    assert agnes["full_name"] == "Agnès Lefèvre"  # QP with CHARSET=ISO-8859-1
    assert (ines["first_name"], ines["last_name"]) == ("Inés", "Núñez")  # raw 8-bit bytes
    assert tomas["full_name"] == "Tomás Muñoz"  # QP without CHARSET, no FN: built from N
    assert tomas["name_key"] == "tomas munoz"


def test_agent_embedded_card_is_skipped():
    (lotte,) = people("agent_21.vcf")
    assert lotte["full_name"] == "Lotte Schreiber"
    assert lotte["emails"] == ["lotte.schreiber@example.de"]
    assert lotte["phones"] == []  # the agent's TEL is not hers


def test_vcard_40_kind_tel_uris_and_birthdays():
    ngozi, northwind, rafael, ilse, pedro = people("vcard_40.vcf")
    assert ngozi["phones"] == ["+15555550142", "+442079460958"]  # tel: URIs, ;ext= dropped
    assert ngozi["birthday"] == "--03-14"
    assert ngozi["emails"] == ["ngozi@example.com"]
    assert northwind["full_name"] == "Northwind Cooperative"
    assert (northwind["first_name"], northwind["last_name"]) == (None, None)  # KIND:org
    assert northwind["birthday"] == "1996-04-15"
    assert rafael["birthday"] == "1990-07-04"
    assert ilse["birthday"] is None
    assert pedro["birthday"] == "--03-14"
    assert pedro["phones"] == ["+351215550199"]
    assert rejects("vcard_40.vcf") == [
        ("3", 19, "not a person: KIND is 'group'", False),
        ("5", 33, "unreadable date: BDAY is 'circa 1800' (dropped)", True),
    ]


def test_folded_lines():
    christoph, mei = people("folded_lines.vcf")
    assert christoph["full_name"] == "Christoph Alexander von Rüdesheim-Langenbach"  # fold kept one of two spaces
    assert (christoph["first_name"], christoph["last_name"]) == ("Christoph", "von Rüdesheim-Langenbach")
    assert christoph["company"] == "Internationale Gesellschaft für sehr lange Firmennamen und Folding, GmbH"
    assert christoph["emails"] == ["christoph.vrl@example.de"]  # folded inside the name and params (tab)
    assert christoph["title"] == "Leiter, Forschung"  # folded inside an escape
    assert mei["linkedin_slug"] == "mei-lin-9b8a7c"
    assert mei["line_no"] == 17


def test_crlf_bom_lower_case_and_blank_lines():
    sanna, olu = people("crlf_bom.vcf")
    assert (sanna["line_no"], sanna["emails"]) == (2, ["sanna.virtanen@example.fi"])
    assert (olu["line_no"], olu["phones"]) == (10, ["+2348035550177"])


def test_big_photo_is_skipped():
    wanjiru, beatriz = people("big_photo.vcf")
    assert wanjiru["emails"] == ["wanjiru.mwangi@example.ke"]  # after 600+ folded base64 lines
    assert beatriz["line_no"] == 819
    assert beatriz["phones"] == ["+34600555012"]  # after unindented 2.1 base64 and its blank line
    assert rejects("big_photo.vcf") == []


def test_broken_card_in_the_middle_rejects_only_that_card():
    result = parse_fixture("broken_middle.vcf")
    assert result.people["full_name"].to_list() == ["Farah Haddad", "Hana Novak", "Ivo Petrov"]
    assert result.people["record_key"].to_list() == ["1", "3", "5"]
    assert result.people["line_no"].to_list() == [1, 12, 22]
    assert rejects("broken_middle.vcf") == [
        ("2", 7, "bad card: no END:VCARD before the next BEGIN:VCARD on line 12", False),
        ("4", 18, "bad card: no line is a vCard property (line 19: 'this is not a vcard line')", False),
        ("5", 22, "unreadable line: 1 line is not NAME:value, first line 26: 'a stray line of text' (ignored)", True),
    ]


def test_empty_cards_are_rejected():
    (zola,) = people("empty_card.vcf")
    assert zola["full_name"] == "Zola Mbeki" and zola["emails"] == [] and zola["phones"] == []
    empty = "empty: no name, email, phone or LinkedIn profile"
    assert rejects("empty_card.vcf") == [("1", 1, empty, False), ("2", 4, empty, False), ("3", 11, empty, False)]


def test_truncated_file_fails_whole_naming_the_begin_line():
    with pytest.raises(ExportError) as info:
        parse_fixture("bad_truncated.vcf")
    assert info.value.line_no == 13
    assert str(info.value) == ("line 13: truncated file: the card that begins on line 13 has no END:VCARD "
                               "(END:VCARD expected before the end of the file)")


def test_text_that_is_not_vcard_fails():
    with pytest.raises(ExportError, match="not a vCard file: no BEGIN:VCARD line"):
        parse_fixture("bad_not_vcard.vcf")
    with pytest.raises(ExportError):
        vcard.parse("")


# --- small inline cards -----------------------------------------------------------------------

def card(*lines: str, eol: str = "\n") -> str:
    return eol.join(["BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD"]) + eol


def one(*lines: str, **kw) -> dict:
    (person,) = vcard.parse(card(*lines, **kw)).people.to_dicts()
    return person


@pytest.mark.parametrize("raw, params, expected", [
    ("1985-03-14", {}, "1985-03-14"),
    ("19850314", {}, "1985-03-14"),
    ("1985-03-14T00:00:00Z", {}, "1985-03-14"),
    ("19850314T120000", {}, "1985-03-14"),
    ("1985-03-14T00:00:00+02:00", {}, "1985-03-14"),
    ("--0314", {}, "--03-14"),
    ("--03-14", {}, "--03-14"),
    ("--0229", {}, "--02-29"),
    ("1604-03-14", {"X-APPLE-OMIT-YEAR": ["1604"]}, "--03-14"),
    ("1604-03-14", {}, "1604-03-14"),
    ("0000-03-14", {}, "--03-14"),
    ("14.03.1985", {}, "1985-03-14"),
    ("--0230", {}, None),
    ("1985-13-01", {}, None),
    ("circa 1800", {}, None),
    ("1985", {}, None),
    ("---14", {}, None),
])
def test_parse_birthday(raw, params, expected):
    assert vcard.parse_birthday(raw, params) == expected


def test_birthday_value_date_param_and_apple_param_in_a_card():
    assert one("FN:A B", "BDAY;VALUE=date:1985-03-14")["birthday"] == "1985-03-14"
    assert one("FN:A B", "BDAY;X-APPLE-OMIT-YEAR=1604:1604-12-31")["birthday"] == "--12-31"


def test_name_fallbacks_and_escapes():
    only_fn = one("FN:Jane Q. Doe")
    assert (only_fn["first_name"], only_fn["last_name"], only_fn["name_key"]) == ("Jane Q.", "Doe", "jane q doe")
    only_n = one("N:Doe;Jane;Quinn;Dr.;PhD")
    assert (only_n["full_name"], only_n["first_name"], only_n["last_name"]) == ("Jane Quinn Doe", "Jane", "Doe")
    escaped = one(r"N:O\;Brien\\x;Ann\,Marie,Lou;;", r"FN:Ann\, Marie\nO'Brien")
    assert escaped["last_name"] == "O;Brien\\x"
    assert escaped["first_name"] == "Ann,Marie Lou"  # escaped comma kept, list comma joins
    assert escaped["full_name"] == "Ann, Marie O'Brien"  # \n unescaped, then white space folded


def test_quoted_parameter_with_colon_and_uri_email():
    person = one('FN:A B', 'EMAIL;X-LABEL="desk: 2;b":mailto:Desk@Example.com', "EMAIL:desk@example.com")
    assert person["emails"] == ["desk@example.com"]


def test_linkedin_from_x_user_only_and_non_profile_social():
    assert one("FN:A B", "X-SOCIALPROFILE;type=linkedin;x-user=Ann-B-1:x-apple:ann-b-1")["linkedin_slug"] == "ann-b-1"
    result = vcard.parse(card("FN:A B", "X-SOCIALPROFILE;type=linkedin:https://www.linkedin.com/company/acme",
                              "URL:https://www.linkedin.com/company/acme"))
    assert result.people["linkedin_slug"].to_list() == [None]
    assert [r["reason"] for r in result.rejects.to_dicts()] == [
        "not a LinkedIn profile URL: 'https://www.linkedin.com/company/acme' (dropped)"]


def test_phone_without_digits_is_a_kept_reject():
    result = vcard.parse(card("FN:A B", "TEL:ask reception", "TEL;TYPE=cell:+44 7700 900123"))
    assert result.people["phones"].to_list() == [["+447700900123"]]
    assert result.rejects["reason"].to_list() == ["not a phone number: 'ask reception' (dropped)"]


def test_line_ends_lf_crlf_and_cr_give_the_same_records():
    lines = ("FN:Pat Lee", "N:Lee;Pat;;;", "EMAIL:pat@example.com", "TEL:+1 202 555 0111", "BDAY:--0704")
    frames = [vcard.parse(card(*lines, eol=eol) * 2).people for eol in ("\n", "\r\n", "\r")]
    assert frames[0].equals(frames[1]) and frames[0].equals(frames[2])
    assert frames[0]["line_no"].to_list() == [1, 9]


def test_record_hash_is_stable_across_exports_and_changes_with_content():
    lines = ["FN:Pat Lee", "N:Lee;Pat;;;", "EMAIL:pat@example.com", "ORG:Acme;", "TITLE:CTO"]
    first = vcard.parse(card(*lines)).people["record_hash"][0]
    refolded = card("PHOTO;ENCODING=b:QUJD", "FN:Pat", "  Lee", "N:Lee;Pat;;;", "item1.EMAIL:PAT@example.com",
                    "ORG:Acme;Board", "TITLE:CTO", "CATEGORIES:starred", eol="\r\n")
    moved = vcard.parse(card("FN:Someone Else", "EMAIL:x@example.com") + refolded).people
    assert moved["record_hash"][1] == first
    changed = vcard.parse(card(*lines[:-1], "TITLE:CEO")).people["record_hash"][0]
    assert changed != first


def test_no_end_before_next_begin_inside_qp_and_blob_modes():
    text = ("BEGIN:VCARD\nVERSION:2.1\nFN;ENCODING=QUOTED-PRINTABLE:Ann=\nBEGIN:VCARD\nFN:Bo Li\nEND:VCARD\n"
            "BEGIN:VCARD\nPHOTO;ENCODING=BASE64:QUJD\nQUJD\nBEGIN:VCARD\nFN:Cy Ng\nEND:VCARD\n")
    result = vcard.parse(text)
    assert result.records_read == 4
    assert result.people["full_name"].to_list() == ["Bo Li", "Cy Ng"]
    assert result.rejects["reason"].to_list() == [
        "bad card: no END:VCARD before the next BEGIN:VCARD on line 4",
        "bad card: no END:VCARD before the next BEGIN:VCARD on line 10"]


# --- robustness ---------------------------------------------------------------------------------

SKELETON = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Pat Lee\r\n{}\r\nEMAIL:pat@example.com\r\n"
            "END:VCARD\r\nBEGIN:VCARD\r\nFN:Bo Li\r\n{}\r\nEND:VCARD\r\n")
VCARD_ALPHABET = st.sampled_from(list("BEGINDVCARFTL:;=,.\\\"-\r\n \t0123456789aé€\ufeff") +
                                 ["QUOTED-PRINTABLE", "BEGIN:VCARD", "END:VCARD", "item1.", "=C3=BC", "TEL;",
                                  "BDAY:", "EMAIL:", "N:", "ORG:", "AGENT:", "PHOTO;ENCODING=b:", "\\n", "tel:"])
vcardish = st.lists(VCARD_ALPHABET, max_size=60).map("".join)


def _parse_or_export_error(text: str) -> None:
    try:
        result = vcard.parse(text, ParseContext(phone_region="DE"))
    except ExportError:
        return
    assert not any("unexpected" in r for r in result.rejects["reason"].to_list())
    assert result.people.height + result.rejects.filter(~result.rejects["kept"]).height == result.records_read


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_raise_only_export_error(data):
    try:
        text = decode(data)
    except ExportError:
        return
    _parse_or_export_error(text)
    _parse_or_export_error("BEGIN:VCARD\n" + text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=80), vcardish), st.one_of(st.text(max_size=80), vcardish))
def test_arbitrary_text_in_a_card_raises_only_export_error(a, b):
    _parse_or_export_error(SKELETON.format(a, b))
