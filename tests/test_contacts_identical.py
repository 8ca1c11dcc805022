"""Contact ingest gives exactly today's results (issue 21, "Fast everywhere").

Each input below (the bundled sample's contact files, every contact CSV, vCard and LinkedIn
fixture, and a synthetic address book built from a fixed seed that strews the quirks of real
exports, phones above all, over 600 rows) is parsed with no phone region and with three, and
everything the parser returns is reduced to one hash: people and rejects sorted row by row,
the records read, the owner, or the error. The synthetic book and the sample are also
ingested into DuckDB twice (the second time as a newer export with half its rows), and the
stored records, rejects and file reports are hashed. The expected hashes were recorded before
the contact ingest was made fast; a change to any output changes its hash.

If a change to the results is intended, record the new hashes with
``python tests/test_contacts_identical.py`` and say why in the commit.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from datetime import datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from transforms.detect import detect  # noqa: E402
from transforms.records import ExportError, ParseContext  # noqa: E402
from transforms.text import decode  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
SAMPLE = ROOT / "data" / "sample" / "inbox"
NOW = datetime(2026, 11, 16, 12, 0)
REGIONS = ("", "SE", "DE", "US")
MAP = {"Mail": "email", "Firma": "company"}


def inputs() -> dict[str, bytes]:
    """Name -> file bytes: the sample's contact files, every contact fixture, the synthetic book."""
    files = {f"sample/{p.relative_to(SAMPLE)}": p.read_bytes() for p in sorted(SAMPLE.rglob("*"))
             if p.is_file() and p.suffix.lower() in (".csv", ".vcf")}
    for folder in ("contacts", "vcard", "linkedin", "mixed"):
        for path in sorted((FIXTURES / folder).rglob("*")):
            if path.is_file() and path.suffix.lower() in (".csv", ".vcf"):
                files[str(path.relative_to(FIXTURES))] = path.read_bytes()
    files["synthetic.csv"] = synthetic_contacts().encode("utf-8")
    return files


def digest(data: bytes, region: str) -> str:
    """One hash of everything the detected parser gives for ``data``, rows in sorted order."""
    context = ParseContext(phone_region=region or None, column_map=MAP, now=NOW)
    try:
        text = decode(data)
        fmt = detect(text, context)
        if fmt is None:
            return _hash(["unrecognised"])
        result = fmt.parse(text, context)
    except ExportError as exc:
        return _hash(["ExportError", str(exc), exc.line_no])
    parts = [fmt.name, result.format, result.records_read, sorted(result.owner.emails),
             sorted(result.owner.names), sorted(result.owner.linkedin_slugs), result.exported_on, result.left_out]
    for frame in (result.people, result.interactions, result.rejects):
        parts.append([f"{name}:{dtype}" for name, dtype in frame.schema.items()])
        parts.append(sorted(json.dumps(row, default=str, ensure_ascii=False) for row in frame.to_dicts()))
    return _hash(parts)


def _hash(parts: list) -> str:
    return hashlib.sha256(json.dumps(parts, default=str, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


# ----------------------------------------------------------------------------- synthetic

_HEADER = ("First Name,Middle Name,Last Name,Name Prefix,Name Suffix,Organization Name,Organization Title,"
           "Birthday,Notes,Labels,E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,"
           "Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value,Phone 3 - Label,Phone 3 - Value,"
           "Website 1 - Label,Website 1 - Value")
_FIRST = ["Ada", "Ben", "Chidi", "Dana", "Elif", "Łukasz", "Zoë", "Dr. Kwame", "", "Jean-Luc", "O'Neil", "  Uma  ",
          "José", "Ἀλέξανδρος", "李", "Anna-Lena", "MARY", "jo", "Sam 🚀"]
_LAST = ["Åberg", "Brooks", "Castillo, PhD", "", "Müller-Lüdenscheidt", "Nakamura", "van der Berg", "Yıldız",
         "Okafor MBA", "D'Souza", "Smith Jr.", "Ng"]
_COMPANIES = ["Blue Harbor Labs", "", "Stellwerk Daten GmbH", "Kumo Works K.K. ::: Old Co", "  Vela  Mobility  "]
# Phones as people type them: E.164, spaced, dotted, bracketed, national, with IDD, trunk
# prefixes after +CC, extensions, letters, other scripts' digits, junk and near-junk.
_PHONES = [
    "+1 (415) 555-0100", "+1 415 555 0100", "+1.415.555.0100", "+14155550100", "(415) 555-0100", "415-555-0100",
    "415.555.0100 x12", "+1 415 555 0100 ext. 5", "+1-800-FLOWERS", "1-800-356-9377", "+1 415 555 010",
    "0049 30 1234567", "0 0 49 30 1234567", "+49 (0)30 1234567", "+49 30 12345678", "030 1234567", "030/1234567",
    "0171 2345678", "+49 171 2345678", "+49 1712345678", "(030) 123 456 78", "+49-30-1234-567", "+4930",
    "+46 70 123 45 67", "+46 070 123 45 67", "070-123 45 67", "+46 8 123 456 78", "08-123 456 78", "+46701234567",
    "+44 20 7946 0958", "+44 (0) 20 7946 0958", "020 7946 0958", "+44 7700 900672", "07700 900672",
    "+39 06 1234 5678", "+39 333 123 4567", "+39 02 1234567", "+7 8 495 123 45 67", "+7 495 123-45-67",
    "+33 1 42 68 53 00", "+33 (0)6 12 34 56 78", "+81 3-1234-5678", "+86 10 1234 5678", "+61 2 9374 4000",
    "+800 1234 5678", "+882 1234 5678", "+979 1 2345 6789", "+0 123 456", "+12", "12", "1 2", "123", "+123",
    "++49 30 1234567", "+ 49 30 1234567", "49 30 1234567", "tel:+1-415-555-0100", "+1 415 555 0100;ext=7",
    "+٤٩ ٣٠ ١٢٣٤٥٦٧", "+４９ ３０ １２３４５６７", "ext. only", "n/a", "  +46 70 174 06 54  ", "+46 70 174 06 54 #",
    "+1 (415) 555-0100 / x3", "+49 30 1234567, +49 30 7654321", "+49 30 123456789012345678", "0", "00", "000 12",
    "+1 415 555 0100 ::: +46 70 123 45 67", "+1 415 555 0100 ; 030 1234567", "555-0100", "+1 (212) 555 0199",
    "+353 1 234 5678", "+353 (0)1 234 5678", "+55 11 91234-5678", "+54 9 11 1234-5678", "+52 1 55 1234 5678",
    "+234 803 123 4567", "+91 98765 43210", "+358 40 1234567", "+358 040 1234567", "+36 06 1 234 5678",
    "+(49) 30 1234567", "(+49) 30 1234567", "+49 30 1234567 #12", "+1 415 555 0100#", "1 415 555 0100",
    "011 49 30 1234567", "+1 (0) 415 555 0100", "+998 90 123 45 67", "+9 123 456", "+999 123 456 78",
]
_EMAILS = ["{}@corp.example", "{}@Corp.Example", "<{}@home.example>", "mailto:{}@x.example", "not an email",
           "{}@a.example; {}@b.example", "", "Name <{}@angle.example>", "{}(at)example.com", "{}@a.example ::: {}@c.example"]
_BIRTHDAYS = ["", "", "1985-07-02", "--03-14", "3/14/1985", "14.03.1985", "0/0/00", "1/0/00", "sometime in May",
              "Mar 14, 1985", "14 March", "1604-03-14", "4501-01-01", "1992-02-29", "1993-02-29", "31/12/1980"]
_WEBS = ["", "", "https://www.linkedin.com/in/p{}", "linkedin.com/in/p{}/", "https://example.com/p{}",
         "http://se.linkedin.com/in/p{} ::: https://blog.example", "https://[x", "https://www.linkedin.com/company/x"]


def synthetic_contacts(seed: int = 21, rows: int = 600) -> str:
    """A Google CSV with the quirks of real address books at random (fixed seed): every phone
    form above in one, two or three columns and joined with ``:::``, shared switchboards,
    names with credentials and other scripts, multi-line notes, blank lines, empty rows."""
    rng = random.Random(seed)
    lines = [_HEADER]
    for i in range(rows):
        if rng.random() < 0.03:
            lines.append("")
            continue
        handle = f"p{i}"
        phones = [rng.choice(_PHONES) if rng.random() < 0.8 else "" for _ in range(3)]
        if rng.random() < 0.15:
            phones[0] = f"{phones[0]} ::: {rng.choice(_PHONES)}"
        email = rng.choice(_EMAILS).format(handle, handle)
        notes = rng.choice(["", "", "Met at the fair,\nsecond line", "say \"hi\"", "a;b"])
        cells = [rng.choice(_FIRST), rng.choice(["", "", "Q.", "Lucía"]), rng.choice(_LAST), rng.choice(["", "Dr."]),
                 rng.choice(["", "PhD"]), rng.choice(_COMPANIES), rng.choice(["", "Engineer", "CTO ::: Founder"]),
                 rng.choice(_BIRTHDAYS), notes, "* myContacts", "* Work", email, "", rng.choice(["", f"{handle}@x.example"]),
                 "Mobile", phones[0], "Work", phones[1], "Home", phones[2], "Profile", rng.choice(_WEBS).format(i)]
        if rng.random() < 0.03:
            cells = [""] * 9 + ["* myContacts"] + [""] * 12
        lines.append(",".join(_quote(c) for c in cells))
    return "\n".join(lines) + "\n"


def _quote(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"' if any(c in cell for c in ',"\n') else cell


# ----------------------------------------------------------------------------- stored


def stored_digest(tmp: Path) -> str:
    """Ingest the sample's contacts and the synthetic book, then a newer export holding half
    the book's rows; hash the reports and every stored record, reject, parsed name and owner identity."""
    from flows.db import connect
    from flows.ingest import ingest_sources
    from flows.sources import discover

    book = synthetic_contacts()
    first, again = tmp / "first", tmp / "again"
    first.mkdir()
    again.mkdir()
    (first / "book.csv").write_text(book, encoding="utf-8")
    for path in sorted(SAMPLE.rglob("*")):
        if path.is_file() and path.suffix.lower() in (".csv", ".vcf"):
            (first / f"{path.parent.name}_{path.name}").write_bytes(path.read_bytes())
    header, *rows = book.split("\n")
    (again / "book.csv").write_text("\n".join([header, *rows[::2]]), encoding="utf-8")
    con = connect(tmp / "kith.duckdb")
    parts = []
    for folder in (first, again):
        for report in ingest_sources(con, discover([folder]), options=ParseContext(phone_region="SE", now=NOW)):
            parts.append({**report.as_dict(), "source": Path(report.source).name})
    for table, order in (("person_records", "record_hash"), ("ingest_rejects", "all"), ("name_parts", "all"),
                         ("owner_identities", "all")):
        columns = "* exclude (parser_version)" if table == "name_parts" else "*"  # (a hash of the source code)
        result = con.execute(f"select {columns} from store.{table} order by {order}")
        columns = [d[0] for d in result.description]
        parts.append([table, columns, [list(row) for row in result.fetchall()]])
    parts.append(con.execute("select format, records_read, records_new, records_known, records_rejected "
                             "from store.source_files order by file_id").fetchall())
    con.close()
    return _hash(parts)


# ----------------------------------------------------------------------------- the tests


def cases() -> list[tuple[str, str]]:
    return [(name, region) for name in sorted(inputs()) for region in REGIONS]


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return inputs()


@pytest.mark.parametrize("name, region", cases())
def test_parsed_contacts_identical_to_before(files, name, region):
    key = f"{name}|{region}"
    assert key in EXPECTED, f"no recorded hash for {key}: record with python {__file__}"
    assert digest(files[name], region) == EXPECTED[key], key


def test_stored_contacts_identical_to_before(tmp_path):
    assert stored_digest(tmp_path) == EXPECTED["stored"]


def test_every_contact_file_is_compared():
    names = {name for name, _region in cases()}
    assert "synthetic.csv" in names and "sample/google/contacts.csv" in names
    assert {str(p.relative_to(FIXTURES)) for p in (FIXTURES / "contacts").glob("*.csv")} <= names


def test_synthetic_book_exercises_the_quirks():
    result = detect(synthetic_contacts(), ParseContext(phone_region="DE")).parse(
        synthetic_contacts(), ParseContext(phone_region="DE"))
    phones = [p for row in result.people["phones"].to_list() for p in row]
    assert result.records_read > 550 and len(set(phones)) >= 50
    assert any(not p.startswith("+") for p in phones) and any(p.startswith("+49") for p in phones)
    assert result.rejects.filter(result.rejects["kept"]).height > 20
    assert result.rejects.filter(~result.rejects["kept"]).height > 5


EXPECTED: dict[str, str] = {  # "input|phone region" -> digest, recorded by running this file
    "contacts/bad_no_columns.csv|": "ddf7ea3eb4156858",
    "contacts/bad_no_columns.csv|SE": "ddf7ea3eb4156858",
    "contacts/bad_no_columns.csv|DE": "ddf7ea3eb4156858",
    "contacts/bad_no_columns.csv|US": "ddf7ea3eb4156858",
    "contacts/bad_truncated.csv|": "09f37b460d275f76",
    "contacts/bad_truncated.csv|SE": "09f37b460d275f76",
    "contacts/bad_truncated.csv|DE": "09f37b460d275f76",
    "contacts/bad_truncated.csv|US": "09f37b460d275f76",
    "contacts/generic_needs_map.csv|": "c5522bbeb192e5d3",
    "contacts/generic_needs_map.csv|SE": "c5522bbeb192e5d3",
    "contacts/generic_needs_map.csv|DE": "c5522bbeb192e5d3",
    "contacts/generic_needs_map.csv|US": "c5522bbeb192e5d3",
    "contacts/generic_synonyms.csv|": "50fa07a7cb08f9f2",
    "contacts/generic_synonyms.csv|SE": "50fa07a7cb08f9f2",
    "contacts/generic_synonyms.csv|DE": "50fa07a7cb08f9f2",
    "contacts/generic_synonyms.csv|US": "50fa07a7cb08f9f2",
    "contacts/google_bad_rows.csv|": "8527d8baef2e9383",
    "contacts/google_bad_rows.csv|SE": "8527d8baef2e9383",
    "contacts/google_bad_rows.csv|DE": "8527d8baef2e9383",
    "contacts/google_bad_rows.csv|US": "8527d8baef2e9383",
    "contacts/google_current.csv|": "7478d2ce93fb57c3",
    "contacts/google_current.csv|SE": "d46bce8d083d36bd",
    "contacts/google_current.csv|DE": "7cb730cc90658d9d",
    "contacts/google_current.csv|US": "e18812b24afe789a",
    "contacts/google_excel_resave.csv|": "436ea610b8ed9ee3",
    "contacts/google_excel_resave.csv|SE": "436ea610b8ed9ee3",
    "contacts/google_excel_resave.csv|DE": "436ea610b8ed9ee3",
    "contacts/google_excel_resave.csv|US": "436ea610b8ed9ee3",
    "contacts/google_legacy_utf16.csv|": "f681eadacdabd80c",
    "contacts/google_legacy_utf16.csv|SE": "f681eadacdabd80c",
    "contacts/google_legacy_utf16.csv|DE": "f681eadacdabd80c",
    "contacts/google_legacy_utf16.csv|US": "f681eadacdabd80c",
    "contacts/google_outlook_csv.csv|": "cfabdef56988ad40",
    "contacts/google_outlook_csv.csv|SE": "cfabdef56988ad40",
    "contacts/google_outlook_csv.csv|DE": "cfabdef56988ad40",
    "contacts/google_outlook_csv.csv|US": "cfabdef56988ad40",
    "contacts/outlook_com.csv|": "52d52faa456aba06",
    "contacts/outlook_com.csv|SE": "52d52faa456aba06",
    "contacts/outlook_com.csv|DE": "52d52faa456aba06",
    "contacts/outlook_com.csv|US": "52d52faa456aba06",
    "contacts/outlook_desktop_cp1252.csv|": "0a39011b2a65395b",
    "contacts/outlook_desktop_cp1252.csv|SE": "29cafd86a2f4b562",
    "contacts/outlook_desktop_cp1252.csv|DE": "346bee515ea8fb5b",
    "contacts/outlook_desktop_cp1252.csv|US": "0687f60a8b8c1d3c",
    "contacts/outlook_german_semicolon.csv|": "466960974e7064d7",
    "contacts/outlook_german_semicolon.csv|SE": "f5faf7da175b174f",
    "contacts/outlook_german_semicolon.csv|DE": "0bd87ae858b2437f",
    "contacts/outlook_german_semicolon.csv|US": "2888f27619ea90ca",
    "linkedin/bad_garbage.csv|": "f10404b7c515b009",
    "linkedin/bad_garbage.csv|SE": "f10404b7c515b009",
    "linkedin/bad_garbage.csv|DE": "f10404b7c515b009",
    "linkedin/bad_garbage.csv|US": "f10404b7c515b009",
    "linkedin/bad_no_columns.csv|": "ddf7ea3eb4156858",
    "linkedin/bad_no_columns.csv|SE": "ddf7ea3eb4156858",
    "linkedin/bad_no_columns.csv|DE": "ddf7ea3eb4156858",
    "linkedin/bad_no_columns.csv|US": "ddf7ea3eb4156858",
    "linkedin/bad_truncated.csv|": "c9c977b2d528d2d5",
    "linkedin/bad_truncated.csv|SE": "c9c977b2d528d2d5",
    "linkedin/bad_truncated.csv|DE": "c9c977b2d528d2d5",
    "linkedin/bad_truncated.csv|US": "c9c977b2d528d2d5",
    "linkedin/connections_2018.csv|": "500325cc73539634",
    "linkedin/connections_2018.csv|SE": "500325cc73539634",
    "linkedin/connections_2018.csv|DE": "500325cc73539634",
    "linkedin/connections_2018.csv|US": "500325cc73539634",
    "linkedin/connections_2022_preamble_no_url.csv|": "1061b5a7b906249c",
    "linkedin/connections_2022_preamble_no_url.csv|SE": "1061b5a7b906249c",
    "linkedin/connections_2022_preamble_no_url.csv|DE": "1061b5a7b906249c",
    "linkedin/connections_2022_preamble_no_url.csv|US": "1061b5a7b906249c",
    "linkedin/connections_2024_preamble.csv|": "d3ed3d23f3f13e90",
    "linkedin/connections_2024_preamble.csv|SE": "d3ed3d23f3f13e90",
    "linkedin/connections_2024_preamble.csv|DE": "d3ed3d23f3f13e90",
    "linkedin/connections_2024_preamble.csv|US": "d3ed3d23f3f13e90",
    "linkedin/connections_credentials_emoji.csv|": "c2da08f187510fe1",
    "linkedin/connections_credentials_emoji.csv|SE": "c2da08f187510fe1",
    "linkedin/connections_credentials_emoji.csv|DE": "c2da08f187510fe1",
    "linkedin/connections_credentials_emoji.csv|US": "c2da08f187510fe1",
    "linkedin/connections_excel_resave.csv|": "e0fc7b40b0e02a7b",
    "linkedin/connections_excel_resave.csv|SE": "e0fc7b40b0e02a7b",
    "linkedin/connections_excel_resave.csv|DE": "e0fc7b40b0e02a7b",
    "linkedin/connections_excel_resave.csv|US": "e0fc7b40b0e02a7b",
    "linkedin/connections_ghost_rows.csv|": "64b723bbc305c9be",
    "linkedin/connections_ghost_rows.csv|SE": "64b723bbc305c9be",
    "linkedin/connections_ghost_rows.csv|DE": "64b723bbc305c9be",
    "linkedin/connections_ghost_rows.csv|US": "64b723bbc305c9be",
    "linkedin/connections_no_preamble.csv|": "826a63861e580614",
    "linkedin/connections_no_preamble.csv|SE": "826a63861e580614",
    "linkedin/connections_no_preamble.csv|DE": "826a63861e580614",
    "linkedin/connections_no_preamble.csv|US": "826a63861e580614",
    "linkedin/connections_padded_notes.csv|": "d9c48e993212a4dd",
    "linkedin/connections_padded_notes.csv|SE": "d9c48e993212a4dd",
    "linkedin/connections_padded_notes.csv|DE": "d9c48e993212a4dd",
    "linkedin/connections_padded_notes.csv|US": "d9c48e993212a4dd",
    "linkedin/connections_semicolon.csv|": "9bf69dcf81037e09",
    "linkedin/connections_semicolon.csv|SE": "9bf69dcf81037e09",
    "linkedin/connections_semicolon.csv|DE": "9bf69dcf81037e09",
    "linkedin/connections_semicolon.csv|US": "9bf69dcf81037e09",
    "linkedin/invitations_2022.csv|": "c0a6047261ab0164",
    "linkedin/invitations_2022.csv|SE": "c0a6047261ab0164",
    "linkedin/invitations_2022.csv|DE": "c0a6047261ab0164",
    "linkedin/invitations_2022.csv|US": "c0a6047261ab0164",
    "linkedin/invitations_2024.csv|": "2749a7951b43c28d",
    "linkedin/invitations_2024.csv|SE": "2749a7951b43c28d",
    "linkedin/invitations_2024.csv|DE": "2749a7951b43c28d",
    "linkedin/invitations_2024.csv|US": "2749a7951b43c28d",
    "linkedin/messages_2018.csv|": "61f18da9c8c88121",
    "linkedin/messages_2018.csv|SE": "61f18da9c8c88121",
    "linkedin/messages_2018.csv|DE": "61f18da9c8c88121",
    "linkedin/messages_2018.csv|US": "61f18da9c8c88121",
    "linkedin/messages_2021.csv|": "6585b36282f2c457",
    "linkedin/messages_2021.csv|SE": "6585b36282f2c457",
    "linkedin/messages_2021.csv|DE": "6585b36282f2c457",
    "linkedin/messages_2021.csv|US": "6585b36282f2c457",
    "linkedin/messages_2023.csv|": "7fe36832c2160c9d",
    "linkedin/messages_2023.csv|SE": "7fe36832c2160c9d",
    "linkedin/messages_2023.csv|DE": "7fe36832c2160c9d",
    "linkedin/messages_2023.csv|US": "7fe36832c2160c9d",
    "linkedin/messages_2024.csv|": "41df1cc5d325972e",
    "linkedin/messages_2024.csv|SE": "41df1cc5d325972e",
    "linkedin/messages_2024.csv|DE": "41df1cc5d325972e",
    "linkedin/messages_2024.csv|US": "41df1cc5d325972e",
    "linkedin/messages_2025.csv|": "31eb1e42e4b6a59a",
    "linkedin/messages_2025.csv|SE": "31eb1e42e4b6a59a",
    "linkedin/messages_2025.csv|DE": "31eb1e42e4b6a59a",
    "linkedin/messages_2025.csv|US": "31eb1e42e4b6a59a",
    "linkedin/messages_group_thread.csv|": "69925a0da5c6ef82",
    "linkedin/messages_group_thread.csv|SE": "69925a0da5c6ef82",
    "linkedin/messages_group_thread.csv|DE": "69925a0da5c6ef82",
    "linkedin/messages_group_thread.csv|US": "69925a0da5c6ef82",
    "linkedin/profile_2024.csv|": "08e99706af604d83",
    "linkedin/profile_2024.csv|SE": "08e99706af604d83",
    "linkedin/profile_2024.csv|DE": "08e99706af604d83",
    "linkedin/profile_2024.csv|US": "08e99706af604d83",
    "mixed/contacts.vcf|": "fc3d77a6fa552de6",
    "mixed/contacts.vcf|SE": "fc3d77a6fa552de6",
    "mixed/contacts.vcf|DE": "fc3d77a6fa552de6",
    "mixed/contacts.vcf|US": "fc3d77a6fa552de6",
    "mixed/google_contacts.csv|": "8d319a9ed6278a89",
    "mixed/google_contacts.csv|SE": "8d319a9ed6278a89",
    "mixed/google_contacts.csv|DE": "8d319a9ed6278a89",
    "mixed/google_contacts.csv|US": "8d319a9ed6278a89",
    "mixed/linkedin/Connections.csv|": "8ef45695fcbaa86d",
    "mixed/linkedin/Connections.csv|SE": "8ef45695fcbaa86d",
    "mixed/linkedin/Connections.csv|DE": "8ef45695fcbaa86d",
    "mixed/linkedin/Connections.csv|US": "8ef45695fcbaa86d",
    "mixed/linkedin/Profile.csv|": "08e99706af604d83",
    "mixed/linkedin/Profile.csv|SE": "08e99706af604d83",
    "mixed/linkedin/Profile.csv|DE": "08e99706af604d83",
    "mixed/linkedin/Profile.csv|US": "08e99706af604d83",
    "mixed/outlook_contacts.csv|": "0a7a3607f82f0dad",
    "mixed/outlook_contacts.csv|SE": "0a7a3607f82f0dad",
    "mixed/outlook_contacts.csv|DE": "0a7a3607f82f0dad",
    "mixed/outlook_contacts.csv|US": "0a7a3607f82f0dad",
    "sample/apple/contacts.vcf|": "449c5cdb996b2d5c",
    "sample/apple/contacts.vcf|SE": "e58172907f530205",
    "sample/apple/contacts.vcf|DE": "f1c94e0507fff484",
    "sample/apple/contacts.vcf|US": "70e09f6e31d5650d",
    "sample/google/contacts.csv|": "f2c776a4ee6c8f8d",
    "sample/google/contacts.csv|SE": "f63287f633a1bcb7",
    "sample/google/contacts.csv|DE": "03d9962c449f40b0",
    "sample/google/contacts.csv|US": "91dc583b66eac080",
    "sample/linkedin/Connections.csv|": "e5efab19e77f0c57",
    "sample/linkedin/Connections.csv|SE": "e5efab19e77f0c57",
    "sample/linkedin/Connections.csv|DE": "e5efab19e77f0c57",
    "sample/linkedin/Connections.csv|US": "e5efab19e77f0c57",
    "sample/linkedin/Invitations.csv|": "7069bc815a8d1aa1",
    "sample/linkedin/Invitations.csv|SE": "7069bc815a8d1aa1",
    "sample/linkedin/Invitations.csv|DE": "7069bc815a8d1aa1",
    "sample/linkedin/Invitations.csv|US": "7069bc815a8d1aa1",
    "sample/linkedin/Profile.csv|": "3777ebae8ce113b6",
    "sample/linkedin/Profile.csv|SE": "3777ebae8ce113b6",
    "sample/linkedin/Profile.csv|DE": "3777ebae8ce113b6",
    "sample/linkedin/Profile.csv|US": "3777ebae8ce113b6",
    "sample/linkedin/messages.csv|": "1259535c1b97d974",
    "sample/linkedin/messages.csv|SE": "1259535c1b97d974",
    "sample/linkedin/messages.csv|DE": "1259535c1b97d974",
    "sample/linkedin/messages.csv|US": "1259535c1b97d974",
    "synthetic.csv|": "7e08d4934ac1184f",
    "synthetic.csv|SE": "7e436bef4d910dc8",
    "synthetic.csv|DE": "ec15b6a9debcfe66",
    "synthetic.csv|US": "5980577a6b596e39",
    "vcard/agent_21.vcf|": "71d4be6da0cdd8e3",
    "vcard/agent_21.vcf|SE": "71d4be6da0cdd8e3",
    "vcard/agent_21.vcf|DE": "71d4be6da0cdd8e3",
    "vcard/agent_21.vcf|US": "71d4be6da0cdd8e3",
    "vcard/android_21_latin1.vcf|": "e8931c7b6b4af1ee",
    "vcard/android_21_latin1.vcf|SE": "e8931c7b6b4af1ee",
    "vcard/android_21_latin1.vcf|DE": "e8931c7b6b4af1ee",
    "vcard/android_21_latin1.vcf|US": "e8931c7b6b4af1ee",
    "vcard/android_21_qp_utf8.vcf|": "d502f4e2028d118e",
    "vcard/android_21_qp_utf8.vcf|SE": "615a0946d77eb6c3",
    "vcard/android_21_qp_utf8.vcf|DE": "0037b701e03e32f9",
    "vcard/android_21_qp_utf8.vcf|US": "d502f4e2028d118e",
    "vcard/apple_30.vcf|": "b2ca80912505b2ee",
    "vcard/apple_30.vcf|SE": "b2ca80912505b2ee",
    "vcard/apple_30.vcf|DE": "b2ca80912505b2ee",
    "vcard/apple_30.vcf|US": "b2ca80912505b2ee",
    "vcard/apple_utf16be.vcf|": "7431a9c436cd0016",
    "vcard/apple_utf16be.vcf|SE": "7431a9c436cd0016",
    "vcard/apple_utf16be.vcf|DE": "7431a9c436cd0016",
    "vcard/apple_utf16be.vcf|US": "7431a9c436cd0016",
    "vcard/bad_not_vcard.vcf|": "6961594b28396097",
    "vcard/bad_not_vcard.vcf|SE": "6961594b28396097",
    "vcard/bad_not_vcard.vcf|DE": "6961594b28396097",
    "vcard/bad_not_vcard.vcf|US": "6961594b28396097",
    "vcard/bad_truncated.vcf|": "6629e1b4cded9cfa",
    "vcard/bad_truncated.vcf|SE": "6629e1b4cded9cfa",
    "vcard/bad_truncated.vcf|DE": "6629e1b4cded9cfa",
    "vcard/bad_truncated.vcf|US": "6629e1b4cded9cfa",
    "vcard/big_photo.vcf|": "1aa3318f4b7a717f",
    "vcard/big_photo.vcf|SE": "1aa3318f4b7a717f",
    "vcard/big_photo.vcf|DE": "1aa3318f4b7a717f",
    "vcard/big_photo.vcf|US": "1aa3318f4b7a717f",
    "vcard/broken_middle.vcf|": "f1b7d6d28aef3364",
    "vcard/broken_middle.vcf|SE": "f1b7d6d28aef3364",
    "vcard/broken_middle.vcf|DE": "f1b7d6d28aef3364",
    "vcard/broken_middle.vcf|US": "f1b7d6d28aef3364",
    "vcard/crlf_bom.vcf|": "ef0b1b4619038423",
    "vcard/crlf_bom.vcf|SE": "ef0b1b4619038423",
    "vcard/crlf_bom.vcf|DE": "ef0b1b4619038423",
    "vcard/crlf_bom.vcf|US": "ef0b1b4619038423",
    "vcard/empty_card.vcf|": "273d28ae99119af5",
    "vcard/empty_card.vcf|SE": "273d28ae99119af5",
    "vcard/empty_card.vcf|DE": "273d28ae99119af5",
    "vcard/empty_card.vcf|US": "273d28ae99119af5",
    "vcard/folded_lines.vcf|": "0dfabebd7d4cc273",
    "vcard/folded_lines.vcf|SE": "0dfabebd7d4cc273",
    "vcard/folded_lines.vcf|DE": "0dfabebd7d4cc273",
    "vcard/folded_lines.vcf|US": "0dfabebd7d4cc273",
    "vcard/google_30.vcf|": "6e87838466d73610",
    "vcard/google_30.vcf|SE": "2485cfc1ed664523",
    "vcard/google_30.vcf|DE": "5837929ee0c56a21",
    "vcard/google_30.vcf|US": "f7479fb2d5c4d52c",
    "vcard/stray_first_line.vcf|": "0978a0ad7ba8077e",
    "vcard/stray_first_line.vcf|SE": "0978a0ad7ba8077e",
    "vcard/stray_first_line.vcf|DE": "0978a0ad7ba8077e",
    "vcard/stray_first_line.vcf|US": "0978a0ad7ba8077e",
    "vcard/vcard_40.vcf|": "539d3960c0fe8010",
    "vcard/vcard_40.vcf|SE": "539d3960c0fe8010",
    "vcard/vcard_40.vcf|DE": "539d3960c0fe8010",
    "vcard/vcard_40.vcf|US": "539d3960c0fe8010",
    "stored": "ae59f3621d44f36d",
}


if __name__ == "__main__":  # print the table of expected hashes
    import tempfile

    all_files = inputs()
    print("EXPECTED: dict[str, str] = {  # \"input|phone region\" -> digest, recorded by running this file")
    for name, region in cases():
        print(f'    "{name}|{region}": "{digest(all_files[name], region)}",')
    with tempfile.TemporaryDirectory() as folder:
        print(f'    "stored": "{stored_digest(Path(folder))}",')
    print("}")
