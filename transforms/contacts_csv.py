"""Contact CSVs: Google Contacts, Outlook, and any other CSV whose header names a person.

Three formats share one row builder (see shared/reference/export-formats.md §2):

* ``google_csv``: Google's current export (``First Name,…,E-mail 1 - Label,E-mail 1 - Value``)
  and the legacy one (``Name,Given Name,…,E-mail 1 - Type``, UTF-16LE with a BOM). The
  ``E-mail``/``Phone``/``Website`` groups repeat as often as the fullest contact needs, and
  one cell can hold several values joined with `` ::: ``.
* ``outlook_csv``: Outlook desktop (92 columns), Outlook.com (61 columns), Google's "Outlook
  CSV", and German Outlook (``Vorname``, ``Nachname``, ``E-Mail-Adresse``, …).
* ``contacts_csv``: anything else whose header names a person, through a table of synonyms
  (``Full Name``, ``E-mail``, ``Mobile``, ``Organisation``, …) and the user's ``--map``.

Columns are matched by name, never by position. Which column feeds which field is worked
out once per file (a *plan*), so the per-row work is a few dictionary look-ups.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Callable


from transforms.csv_table import HEADER_SEARCH_ROWS, canonical, find_header, read_records, sniff_delimiter
from transforms.dates import MONTHS, parse_date
from transforms.normalize import (CREDENTIALS, clean_text, linkedin_slug, linkedin_url, name_key, normalize_email,
                                  phone_value, split_display_name)
from transforms.records import (INTERACTION_SCHEMA, PERSON_RECORD_SCHEMA, REJECT_SCHEMA, ExportError, ParseContext,
                                ParseResult, frame, frame_of_tuples, gc_paused, reject, stable_hash)

GOOGLE = "google_csv"
OUTLOOK = "outlook_csv"
GENERIC = "contacts_csv"

LABELS = {
    GOOGLE: "Google Contacts CSV",
    OUTLOOK: "Outlook contacts CSV",
    GENERIC: "contacts CSV",
}

# The fields ``--map "Header=field"`` may name.
KITH_FIELDS = ("name", "first_name", "last_name", "email", "phone", "company", "title", "linkedin", "birthday")

# A plan maps each field to the header names (canonical) that feed it, in the order used.
# Beyond KITH_FIELDS, plans use 'middle_name' (joined into the full name) and 'website'
# (any URL column: only a linkedin.com/in/ value is kept, others are ignored silently).
Plan = dict[str, list[str]]

# ---------------------------------------------------------------- Google

_GOOGLE_GROUP = re.compile(r"^(e-mail|phone|website|address|relation|event|im|custom field|organization|external id)"
                           r" \d+ - ([a-z ]+)$")
_GOOGLE_MARKERS = frozenset({"labels", "group membership", "organization name", "organization title",
                             "phonetic first name", "file as", "given name", "family name", "additional name",
                             "given name yomi", "family name yomi"})


def is_google_header(header: list[str]) -> bool:
    """Google's current (``First Name``) or legacy (``Given Name``/``Family Name``) layout."""
    names = set(header)
    current = "first name" in names and "last name" in names
    legacy = "given name" in names and "family name" in names
    if not (current or legacy):
        return False
    if names & _GOOGLE_MARKERS - {"given name", "family name"}:
        return True
    return any(_GOOGLE_GROUP.match(h) for h in header)


def _google_plan(header: list[str]) -> Plan:
    plan: Plan = {}
    fixed = {
        "name": "name", "first name": "first_name", "given name": "first_name",
        "middle name": "middle_name", "additional name": "middle_name",
        "last name": "last_name", "family name": "last_name",
        "organization name": "company", "organization title": "title", "birthday": "birthday",
    }
    for h in header:
        field = fixed.get(h)
        if field is None and (m := _GOOGLE_GROUP.match(h)):
            kind, part = m.groups()
            field = {("e-mail", "value"): "email", ("phone", "value"): "phone", ("website", "value"): "website",
                     ("organization", "name"): "company", ("organization", "title"): "title"}.get((kind, part))
        if field:
            plan.setdefault(field, []).append(h)
    return plan


# ---------------------------------------------------------------- Outlook

# English (desktop, Outlook.com, Google's "Outlook CSV") and German (desktop) column names.
# German names follow a German Outlook export quoted in an Open-Xchange importer test
# (bug 9367) and roundcube's de_DE csv2vcard map.
_OUTLOOK_FIELDS: dict[str, tuple[str, ...]] = {
    "first_name": ("first name", "vorname"),
    "middle_name": ("middle name", "weitere vornamen", "zweiter vorname"),
    "last_name": ("last name", "nachname"),
    "email": ("e-mail address", "e-mail 2 address", "e-mail 3 address",
              "e-mail-adresse", "e-mail 2: adresse", "e-mail 3: adresse"),
    # most telling first; faxes, telex and TTY lines are left out (often shared by a whole office)
    "phone": ("mobile phone", "mobiltelefon", "primary phone", "haupttelefon", "business phone",
              "telefon geschäftlich", "home phone", "telefon privat", "telefon (privat)",
              "mobile phone 2", "mobiltelefon 2", "business phone 2", "telefon geschäftlich 2",
              "home phone 2", "telefon privat 2", "telefon (privat 2)", "other phone", "weiteres telefon",
              "car phone", "autotelefon", "company main phone", "telefon firma", "assistant's phone",
              "telefon assistent", "callback", "rückmeldung", "radio phone", "isdn", "pager"),
    "company": ("company", "firma"),
    "title": ("job title", "position"),  # Outlook's 'Title' is the name prefix (Mr., Dr.)
    "birthday": ("birthday", "geburtstag"),
    "website": ("web page", "personal web page", "webseite"),
}
_OUTLOOK_EMAIL = frozenset(_OUTLOOK_FIELDS["email"])
_OUTLOOK_NAMES = frozenset(_OUTLOOK_FIELDS["first_name"] + _OUTLOOK_FIELDS["last_name"])
# Columns only Outlook-style exports have (a header needs three of them besides names and e-mail).
_OUTLOOK_ONLY = frozenset(
    set(_OUTLOOK_FIELDS["phone"]) | set(_OUTLOOK_FIELDS["middle_name"]) | set(_OUTLOOK_FIELDS["website"])
    | {"job title", "suffix", "business fax", "home fax", "other fax", "business street", "business city",
       "business postal code", "business country/region", "home street", "home city", "home postal code",
       "home country/region", "e-mail type", "e-mail display name", "e-mail 2 type", "e-mail 2 display name",
       "office location", "assistant's name", "manager's name", "anniversary", "categories", "given yomi",
       "surname yomi", "company yomi", "imaddress", "telex", "tty/tdd phone", "internet free busy",
       "anrede", "abteilung", "straße geschäftlich", "ort geschäftlich", "postleitzahl geschäftlich",
       "straße privat", "ort privat", "postleitzahl privat", "fax geschäftlich", "fax privat", "e-mail-typ",
       "e-mail: angezeigter name", "jahrestag", "kategorien", "notizen", "namenszusatz", "büro"})


def is_outlook_header(header: list[str]) -> bool:
    """An Outlook-style header (English or German): a name and an e-mail column plus at least
    three columns that only Outlook's layout has, and none of Google's own columns."""
    names = set(header)
    if not (names & _OUTLOOK_NAMES and names & _OUTLOOK_EMAIL):
        return False
    if len(names & _OUTLOOK_ONLY) < 3:
        return False
    if names & _GOOGLE_MARKERS or any(_GOOGLE_GROUP.match(h) for h in header):
        return False
    return True


def _outlook_plan(header: list[str]) -> Plan:
    names = set(header)
    return {field: [c for c in columns if c in names] for field, columns in _OUTLOOK_FIELDS.items()}


# ---------------------------------------------------------------- generic

_NOT_LETTERS = re.compile(r"[^a-z]+")


def _squash(name: str) -> str:
    """Header name with case, digits, spaces and punctuation removed: 'E-mail 2' -> 'email'."""
    return _NOT_LETTERS.sub("", name.lower())


_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "fullname", "display name", "contact", "contact name", "person", "person name"),
    "first_name": ("first name", "firstname", "given name", "forename", "first"),
    "last_name": ("last name", "lastname", "surname", "family name", "last"),
    "email": ("email", "e-mail", "mail", "email address", "e-mail address", "work email", "personal email",
              "home email", "other email", "primary email", "business email", "emails", "email value"),
    "phone": ("phone", "mobile", "cell", "telephone", "tel", "work phone", "home phone", "mobile phone",
              "cell phone", "phone number", "mobile number", "telephone number", "business phone",
              "primary phone", "other phone", "phones", "phone value"),
    "company": ("company", "organization", "organisation", "employer", "account", "company name",
                "organization name", "organisation name", "org"),
    "title": ("title", "job title", "position", "role", "organization title", "jobtitle"),
    "linkedin": ("linkedin", "linkedin url", "linkedin profile", "profile url", "linkedin profile url"),
    "birthday": ("birthday", "birth date", "birthdate", "date of birth", "dob"),
    "website": ("website", "web site", "url", "web page", "homepage", "home page", "personal web page",
                "website value"),
}
_SYNONYM_FIELD = {_squash(s): field for field, words in _SYNONYMS.items() for s in words}
_NAME_FIELDS = frozenset({"name", "first_name", "last_name"})


def _column_map(context: ParseContext | None) -> dict[str, str]:
    """``--map`` as {canonical header: field}, both sides compared like header names."""
    if context is None or not context.column_map:
        return {}
    out = {}
    for header, field in context.column_map.items():
        field = (field or "").strip().lower()
        if field in KITH_FIELDS:
            out[canonical(header)] = field
    return out


def _generic_plan(header: list[str], mapping: dict[str, str]) -> Plan:
    plan: Plan = {}
    squashed_map = {_squash(h): f for h, f in mapping.items() if _squash(h)}
    for h in header:
        field = mapping.get(h) or squashed_map.get(_squash(h)) or _SYNONYM_FIELD.get(_squash(h))
        if field:
            plan.setdefault(field, []).append(h)
    return plan


def _names_a_person(plan: Plan) -> bool:
    """A name or e-mail column plus one more kith field (a bare URL column does not count:
    ``Name,URL,Folder`` is a bookmarks file, not people)."""
    fields = {f for f, cols in plan.items() if cols and f in KITH_FIELDS}
    return bool(fields & (_NAME_FIELDS | {"email"})) and len(fields) >= 2


def generic_acceptor(context: ParseContext | None) -> Callable[[list[str]], bool]:
    mapping = _column_map(context)
    return lambda header: _names_a_person(_generic_plan(header, mapping))


# ---------------------------------------------------------------- public pairs

def matches_google(text: str, context: ParseContext | None = None) -> bool:
    return find_header(text, is_google_header) is not None


def matches_outlook(text: str, context: ParseContext | None = None) -> bool:
    return find_header(text, is_outlook_header) is not None


def matches_generic(text: str, context: ParseContext | None = None) -> bool:
    return find_header(text, generic_acceptor(context)) is not None


def parse_google(text: str, context: ParseContext | None = None) -> ParseResult:
    """People from a Google Contacts CSV (current or legacy layout)."""
    expected = "'First Name', 'Last Name' and 'E-mail 1 - Value' (or legacy 'Given Name', 'Family Name')"
    return _parse(text, context, GOOGLE, is_google_header, lambda h, ctx: _google_plan(h), expected)


def parse_outlook(text: str, context: ParseContext | None = None) -> ParseResult:
    """People from an Outlook contacts CSV (desktop, Outlook.com, Google's Outlook CSV, German)."""
    expected = "'First Name', 'Last Name', 'E-mail Address', 'Business Phone', ... (or 'Vorname', 'Nachname', ...)"
    return _parse(text, context, OUTLOOK, is_outlook_header, lambda h, ctx: _outlook_plan(h), expected)


def parse_generic(text: str, context: ParseContext | None = None) -> ParseResult:
    """People from any CSV whose header names a person (synonyms and ``--map``)."""
    mapping = _column_map(context)
    expected = "a header naming a person (name, email, phone, ...)"
    return _parse(text, context, GENERIC, generic_acceptor(context),
                  lambda h, ctx: _generic_plan(h, mapping), expected)


# ---------------------------------------------------------------- parsing

def _parse(text: str, context: ParseContext | None, fmt: str, accepts: Callable[[list[str]], bool],
           make_plan: Callable[[list[str], ParseContext], Plan], expected: str) -> ParseResult:
    context = context or ParseContext()
    if find_header(text, accepts) is None:
        raise ExportError(f"no contact columns found: expected {expected}; found {first_row(text)}")
    with gc_paused():
        return _parse_table(text, context, fmt, accepts, make_plan)


def _parse_table(text: str, context: ParseContext, fmt: str, accepts: Callable[[list[str]], bool],
                 make_plan: Callable[[list[str], ParseContext], Plan]) -> ParseResult:
    header, records = read_records(text, accepts, LABELS[fmt])
    plan = make_plan(header, context)
    if fmt != GENERIC:  # --map wins over a known layout too
        mapping = _column_map(context)
        for h in header:
            if h in mapping:
                for cols in plan.values():
                    if h in cols:
                        cols.remove(h)
                plan.setdefault(mapping[h], []).insert(0, h)  # first: it wins over the layout's own column
    builder = _RowBuilder(fmt, plan, context.phone_region, header)
    people: list[tuple] = []
    rejects: list[dict] = []
    records_read = 0
    for record_no, line_no, cells in records:
        records_read = record_no
        builder.build(cells, str(record_no), line_no, people, rejects)
    return ParseResult(
        format=fmt, records_read=records_read,
        people=frame_of_tuples(people, PERSON_RECORD_SCHEMA),
        interactions=frame([], INTERACTION_SCHEMA),
        rejects=frame(rejects, REJECT_SCHEMA),
    )


def first_row(text: str) -> str:
    """The first non-empty row's cells, quoted, for an error message (one line)."""
    try:
        reader = csv.reader(io.StringIO(text[:65536]), delimiter=sniff_delimiter(text[:65536]))
        for index, row in enumerate(reader):
            if index >= HEADER_SEARCH_ROWS:
                break
            cells = [c.strip() for c in row if c.strip()]
            if cells:
                shown = ", ".join(repr(c[:40]) for c in cells[:8])
                return shown + (f" and {len(cells) - 8} more" if len(cells) > 8 else "")
    except csv.Error:
        pass
    return "no header row"


_SPLIT_MULTI = re.compile(r"\s*:::\s*")  # Google joins several values in one cell with ' ::: '
_SPLIT_EMAILS = re.compile(r"\s*(?::::|[;,])\s*")
_SPLIT_PHONES = re.compile(r"\s*(?::::|;)\s*")
_EMAIL_MARKS = re.compile(r":::|[;,]")  # (what the two splits above need to find)
_PHONE_MARKS = re.compile(r":::|;")
_ANGLE_EMAIL = re.compile(r"<([^<>\s]+@[^<>\s]+)>")


class _RowBuilder:
    """Turns one row's cells into a person record, following a plan worked out once per file.

    A record is a tuple in PERSON_RECORD_SCHEMA's order (a 100,000-row file keeps a tuple per
    person, not a dict), and a cell is found by its position in the header."""

    def __init__(self, fmt: str, plan: Plan, region: str | None, header: list[str]):
        self.fmt = fmt
        self.region = region
        position = {name: i for i, name in enumerate(header) if name}
        get = lambda field: tuple(position[c] for c in plan.get(field, ()) if c in position)  # noqa: E731
        self.name, self.first = _Field(get("name")), _Field(get("first_name"))
        self.middle, self.last = _Field(get("middle_name")), _Field(get("last_name"))
        self.company, self.title = _Field(get("company"), multi=True), _Field(get("title"), multi=True)
        self.birthday = _Field(get("birthday"), multi=True)
        self.email, self.phone = get("email"), get("phone")
        self.linkedin, self.website = get("linkedin"), get("website")
        self._phones: dict[str, str | None] = {}  # phone_value is slow (libphonenumber): cache per file
        self._name_keys: dict[str | None, str | None] = {None: None}  # first names repeat: cache per file
        self._birthdays: dict[str, tuple[str | None, bool]] = {}  # so do birthdays

    def _phone(self, raw: str) -> str | None:
        value = self._phones.get(raw, "")
        if value == "":
            value = self._phones[raw] = phone_value(raw, self.region)
        return value

    def _name_key(self, first: str | None, last: str | None) -> str | None:
        """``name_key(first, last)``, memoized per part (it joins the parts' words in order)."""
        keys = []
        for part in (first, last):
            key = self._name_keys.get(part, "")
            if key == "":
                key = self._name_keys[part] = _plain_name_key(part) if _PLAIN.match(part) else name_key(part)
            if key:
                keys.append(key)
        return " ".join(keys) or None

    def build(self, cells: list[str], key: str, line: int, people: list, rejects: list) -> None:
        dropped: list[str] = []

        full, first, middle, last = self.name(cells), self.first(cells), self.middle(cells), self.last(cells)
        if full is None:
            full = " ".join(p for p in (first, middle, last) if p) or None
        elif first is None and last is None:
            first, last = _split_full(full)
        nkey = self._name_key(first, last) if (first or last) else None
        if nkey is None and full:
            nkey = name_key(full)

        emails = self._emails(cells, dropped)
        phones = self._phones_of(cells, dropped)
        slug = self._slug(cells, dropped)
        company, title = self.company(cells), self.title(cells)

        birthday = None
        raw_birthday = self.birthday(cells)
        if raw_birthday:
            parsed = self._birthdays.get(raw_birthday)
            if parsed is None:
                parsed = self._birthdays[raw_birthday] = parse_birthday(raw_birthday)
            birthday, readable = parsed
            if not readable:
                dropped.append(f"unreadable birthday: {raw_birthday!r} (dropped)")

        if nkey is None and not emails and not phones and not slug:
            reason = "empty: no name, email, phone or LinkedIn URL"
            if dropped:  # say what was there but unusable
                reason += f" ({'; '.join(d.removesuffix(' (dropped)') for d in dropped)})"
            rejects.append(reject(key, line, reason))
            return
        for reason in dropped:
            rejects.append(reject(key, line, reason, kept=True))
        people.append((
            key, line, self.fmt, full, first, last, nkey, emails, phones, linkedin_url(slug), slug,
            company, title, None, birthday,
            stable_hash(self.fmt, full, first, last, "|".join(emails), "|".join(phones), slug, company, title,
                        birthday),
        ))

    def _emails(self, cells: list[str], dropped: list[str]) -> list[str]:
        emails: list[str] = []
        for col in self.email:
            cell = cells[col]
            if cell:
                for part in _split(cell, _SPLIT_EMAILS, _EMAIL_MARKS):
                    if not part:
                        continue
                    email = normalize_email(part)
                    if email is None and (m := _ANGLE_EMAIL.search(part)):
                        email = normalize_email(m.group(1))
                    if email is None:
                        dropped.append(f"not an email address: {clean_text(part)!r} (dropped)")
                    elif email not in emails:
                        emails.append(email)
        return emails

    def _phones_of(self, cells: list[str], dropped: list[str]) -> list[str]:
        phones: list[str] = []
        for col in self.phone:
            cell = cells[col]
            if cell:
                for part in _split(cell, _SPLIT_PHONES, _PHONE_MARKS):
                    if not part:
                        continue
                    phone = self._phone(part)
                    if phone is None:
                        dropped.append(f"not a phone number: {clean_text(part)!r} (dropped)")
                    elif phone not in phones:
                        phones.append(phone)
        return phones

    def _slug(self, cells: list[str], dropped: list[str]) -> str | None:
        slug = None
        for col in self.linkedin:
            cell = cells[col]
            if cell:
                for part in _SPLIT_MULTI.split(cell.strip()):
                    found = _slug(part) if part else None
                    if part and not found:
                        dropped.append(f"not a LinkedIn profile URL: {clean_text(part)!r} (dropped)")
                    slug = slug or found
        if slug is None:
            for col in self.website:
                cell = cells[col]
                if cell and "linkedin" in cell.lower():
                    for part in _SPLIT_MULTI.split(cell.strip()):
                        slug = slug or _slug(part)
        return slug


def _split(cell: str, separators: re.Pattern, marks: re.Pattern) -> list[str]:
    """``separators.split(cell.strip())``, without splitting the usual cell that holds one
    value (no separator ``marks`` in it)."""
    if marks.search(cell):
        return separators.split(cell.strip())
    return [cell.strip()]


def _slug(value: str) -> str | None:
    """``linkedin_slug``, except that a value urlsplit cannot read (``https://[``, an
    unclosed IPv6 bracket) is simply not a LinkedIn URL instead of a ValueError."""
    try:
        return linkedin_slug(value)
    except ValueError:
        return None


_PLAIN = re.compile(r"[A-Za-z0-9 -]*\Z")


def _plain_name_key(part: str) -> str | None:
    """``name_key(part)`` for plain ASCII letters, digits, spaces and hyphens, without the
    Unicode folding that costs ~10 µs a name (tests check it equals name_key)."""
    words = [w.strip("-") for w in part.lower().split()]
    return " ".join(w for w in words if w and w not in CREDENTIALS) or None


_UNSEEN = object()


class _Field:
    """A field's columns, read as ``_first_value`` reads them. A field with one column keeps
    each distinct cell's value: companies, titles, first names and birthdays repeat down a file."""

    def __init__(self, columns: tuple[int, ...], multi: bool = False):
        self.columns, self.multi = columns, multi
        self.values: dict[str, str | None] | None = {} if len(columns) == 1 else None

    def __call__(self, cells: list[str]) -> str | None:
        if self.values is None:
            return _first_value(cells, self.columns, self.multi)
        cell = cells[self.columns[0]]
        value = self.values.get(cell, _UNSEEN)
        if value is _UNSEEN:
            value = self.values[cell] = _first_value(cells, self.columns, self.multi)
        return value


def _first_value(cells: list[str], columns: tuple[int, ...], multi: bool = False) -> str | None:
    """The first non-empty cell among ``columns`` (its first `` ::: `` part when ``multi``), cleaned."""
    for col in columns:
        cell = cells[col]
        if cell and not cell.isspace():
            if multi and ":::" in cell:
                for part in _SPLIT_MULTI.split(cell):
                    if text := clean_text(part):
                        return text
                continue
            if text := clean_text(cell):
                return text
    return None


def _split_full(full: str) -> tuple[str | None, str | None]:
    """First and last name of a lone full name; ``Doe, Jane`` is read as last name first,
    while ``Jane Doe, PhD`` (a credential after the comma) is not."""
    parts = [p.strip() for p in full.split(",")]
    while len(parts) > 1 and name_key(parts[-1]) is None:  # trailing credentials: 'Ph.D.', 'MBA'
        parts.pop()
    if len(parts) == 2 and parts[0] and parts[1]:
        return parts[1], parts[0]
    return split_display_name(full)


# ---------------------------------------------------------------- birthdays

_BDAY_NO_YEAR = re.compile(r"^--(\d{1,2})-?(\d{1,2})$")  # Google CSV --03-14, vCard --0314
_BDAY_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_BDAY_SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2}|\d{1})(?:[ ,].*)?$")  # Outlook 3/14/1985, 0/0/00
_BDAY_DOT = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2}|\d{1})?(?:\s.*)?$")  # 14.03.1985, 14.3.
_BDAY_WORDS = re.compile(r"^(?:([A-Za-z]{3,})\.? (\d{1,2})|(\d{1,2})\.? ([A-Za-z]{3,})\.?),? ?(\d{4})?$")


def parse_birthday(raw: str) -> tuple[str | None, bool]:
    """('YYYY-MM-DD' or '--MM-DD' or None, readable). Outlook's zero dates (``0/0/00``,
    ``1/0/00``, ``00.00.0000``) and its 'no date' year 4501 read as no birthday."""
    text = raw.strip()
    if not text:
        return None, True
    if m := _BDAY_NO_YEAR.match(text):
        return _birthday(None, int(m.group(1)), int(m.group(2)))
    if m := _BDAY_ISO.match(text):
        y, mo, d = (int(g) for g in m.groups())
        return _birthday(y, mo, d)
    if m := _BDAY_SLASH.match(text):
        mo, d, y = (int(g) for g in m.groups())
        if mo > 12 and d <= 12:  # a day-first locale (14/03/1985)
            mo, d = d, mo
        return _birthday(_full_year(y, len(m.group(3))), mo, d)
    if m := _BDAY_DOT.match(text):
        d, mo, y = m.groups()
        year = _full_year(int(y), len(y)) if y else None
        return _birthday(year, int(mo), int(d))
    if m := _BDAY_WORDS.match(text):
        mon1, d1, d2, mon2, y = m.groups()
        month = MONTHS.get((mon1 or mon2)[:3].lower())
        if month:
            return _birthday(int(y) if y else None, month, int(d1 or d2))
    parsed = parse_date(text)
    if parsed:
        return parsed.isoformat(), True
    return None, False


def _full_year(year: int, digits: int) -> int:
    if digits > 2:
        return year
    this_year = date.today().year
    return year + 2000 if year + 2000 <= this_year else year + 1900


def _birthday(year: int | None, month: int, day: int) -> tuple[str | None, bool]:
    if month == 0 or day == 0:
        return None, True  # Outlook's "no date"
    if year is not None and year >= 4500:
        return None, True
    if year is not None and year <= 1604:
        year = None  # Apple writes 1604 for "no year"
    try:
        date(year or 2000, month, day)  # 2000 is a leap year: --02-29 is a real birthday
    except ValueError:
        return None, False
    return (f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"), True


