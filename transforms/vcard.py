"""vCard files (``.vcf``): vCard 2.1 (Android, old phones), 3.0 (Apple, Google) and 4.0.

One person record per ``BEGIN:VCARD … END:VCARD`` card. The quirks handled are the ones in
shared/reference/export-formats.md §3: Apple ``itemN.`` groups, ``X-ABLabel``, ``\\:`` in URLs,
``X-SOCIALPROFILE`` and ``BDAY;X-APPLE-OMIT-YEAR=1604``; Google ``BDAY:--1102``; Android 2.1
quoted-printable values with a ``CHARSET`` and ``=`` soft line breaks (even a dangling one
right before the next property); bare 2.1 parameters (``TEL;CELL;PREF``); 4.0 ``tel:`` URIs,
``KIND`` and ``--MMDD``; RFC line folding; LF, CRLF or CR line ends; big base64 photos.

This is a hand parser, not vobject, for three reasons measured or verified here:

* vobject's default reader (``allowQP=False``) does not join quoted-printable soft line
  breaks, so a long Android value spread over several lines turns into junk properties, and
  it raises ``UnicodeDecodeError`` on QP without a UTF-8 charset (reference §3.3);
* one bad line makes vobject abandon the rest of the stream, while a card must fail alone,
  with the physical line it started on;
* it builds an object per property, base64 photos included; this module skips those blobs
  line by line without decoding them. On a synthetic Apple/Android mix, vobject only reads
  ~830 cards/s; this module splits ~19,000 cards/s and fully parses ~3,000 cards/s, most of
  that time being libphonenumber.

Layout rules (decided here, the reference is silent):

* A card that meets another ``BEGIN:VCARD`` before its ``END:VCARD`` is rejected as a
  ``bad card`` and the next card starts on that line; a 2.1 ``AGENT:`` property with an
  embedded card is the exception (the embedded card is skipped, not counted).
* Text outside cards is ignored without a reject: some exporters write a first line such as
  ``ENCODING:UTF-8`` before the first ``BEGIN:VCARD`` (``matches`` allows a few such lines,
  unless one reads like a CSV header), and blank or stray lines between cards are common.
* A last card without ``END:VCARD`` means a truncated file: ``ExportError`` naming its
  BEGIN line, as for a truncated CSV, even when earlier cards were complete.
* Inside a card, a line that is not ``NAME[;params]:value`` is ignored and reported once
  per card as a kept reject; a card where no line is a property is a ``bad card``.
* ``KIND:group`` / ``KIND:location`` (and Apple's ``X-ADDRESSBOOKSERVER-KIND:group``) are
  not people and are rejected; ``KIND:org`` cards load with ``full_name`` = FN and no
  first/last name, as do Apple ``X-ABShowAs:COMPANY`` cards.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from datetime import date
from functools import lru_cache
from typing import Any

from transforms.dates import parse_date
from transforms.normalize import (clean_text, linkedin_slug, linkedin_url, name_key, normalize_email, phone_value,
                                  split_display_name)
from transforms.records import (INTERACTION_SCHEMA, PERSON_RECORD_SCHEMA, REJECT_SCHEMA, ExportError, ParseContext,
                                ParseResult, frame, reject, stable_hash)

FORMAT = "vcard"
LABEL = "vCard"
MAX_STRAY_LINES = 4  # non-blank lines before the first BEGIN:VCARD that still make a vCard file

# The properties a person record is built from; every other property is skipped unparsed.
_WANTED = frozenset({"FN", "N", "EMAIL", "TEL", "ORG", "TITLE", "URL", "X-SOCIALPROFILE", "BDAY", "KIND",
                     "X-ADDRESSBOOKSERVER-KIND", "X-ABSHOWAS", "AGENT"})
# Binary blobs: their (possibly huge, possibly unindented 2.1) base64 lines are skipped.
_BLOBS = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
# Names that start a new property after a QP soft break or inside a 2.1 base64 blob, where a
# line can also be a continuation of data. Anything starting X- counts too.
_KNOWN = frozenset("""
    BEGIN END VERSION N FN TEL EMAIL ADR LABEL ORG TITLE ROLE NOTE URL BDAY PHOTO LOGO SOUND KEY UID REV
    NICKNAME CATEGORIES GEO TZ AGENT MAILER PRODID SORT-STRING CLASS IMPP KIND GENDER ANNIVERSARY LANG
    RELATED MEMBER XML CLIENTPIDMAP SOURCE NAME PROFILE FBURL CALURI CALADRURI
""".split())
_ENCODINGS = frozenset({"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"})

_HEAD = re.compile(r"(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)(?=[;:])")
_DELIMITED = re.compile(r"[,;\t]")  # a stray line that reads like a CSV header row
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_SPLIT_TOKEN = re.compile(r"\\.|;", re.DOTALL)
_LIST_TOKEN = re.compile(r"\\.|,", re.DOTALL)
_phone = lru_cache(maxsize=65536)(phone_value)  # switchboards repeat across cards
_BDAY = re.compile(r"^(?:(\d{4})-?|--)(\d{2})-?(\d{2})(?:T[0-9:.]*(?:Z|[+-]\d{2}:?\d{2})?)?$")


def matches(text: str, context: ParseContext | None = None) -> bool:
    """A vCard file: ``BEGIN:VCARD`` (any case, BOM allowed) is its first non-blank line, or
    comes after at most MAX_STRAY_LINES lines an exporter wrote before it (``ENCODING:UTF-8``).

    A stray line with a field delimiter (``,`` ``;`` or a tab) reads like a CSV header, and a
    CSV that holds a pasted card in a cell is a CSV: no match, the CSV formats decide.
    """
    stray = 0
    for line in text[:4096].lstrip("\ufeff").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.upper() == "BEGIN:VCARD":
            return True
        stray += 1
        if stray > MAX_STRAY_LINES or _DELIMITED.search(line):
            return False
    return False


def parse(text: str, context: ParseContext | None = None) -> ParseResult:
    """People (one per card) and rejects from the text of a .vcf file."""
    context = context or ParseContext()
    cards, n_cards = _cards(text)
    people: list[dict[str, Any]] = []
    rejects: list[dict[str, Any]] = []
    for number, begin_no, props, problem in cards:
        key = str(number)
        if problem:
            rejects.append(reject(key, begin_no, problem))
            continue
        try:
            person = _person(key, begin_no, props, context, rejects)
        except Exception as exc:  # noqa: BLE001 - a card must fail alone, never the file
            rejects.append(reject(key, begin_no, f"bad card: unexpected {type(exc).__name__} ({exc})"))
            continue
        if person:
            people.append(person)
    return ParseResult(
        format=FORMAT, records_read=n_cards,
        people=frame(people, PERSON_RECORD_SCHEMA),
        interactions=frame([], INTERACTION_SCHEMA),
        rejects=frame(rejects, REJECT_SCHEMA),
    )


# ---------------------------------------------------------------------------------------------
# Lines -> cards of logical lines


def _property_start(line: str) -> bool:
    """Whether a line right after a QP soft break or inside a 2.1 blob starts a new property."""
    m = _HEAD.match(line)
    if not m:
        return False
    name = m.group(2).upper()
    return name in _KNOWN or name.startswith("X-")


def _is_qp(logical: str) -> bool:
    colon = logical.find(":")
    head = logical[:colon] if colon >= 0 else logical
    return "QUOTED-PRINTABLE" in head.upper()


def _cards(text: str) -> tuple[list[tuple[int, int, list[tuple[int, str]], str | None]], int]:
    """Cards as (number, BEGIN line, [(line, logical line)], problem) and the BEGIN count.

    Unfolds RFC folding, joins quoted-printable soft breaks and skips blob data. Raises
    ExportError for text with no card and for a last card that never ends.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
    cards: list[tuple[int, int, list[tuple[int, str]], str | None]] = []
    number = 0
    in_card = False
    begin_no = 0
    props: list[tuple[int, str]] = []
    pieces: list[str] | None = None  # the logical line being built
    start_no = 0
    mode = 0  # 0 normal, 1 after a QP soft break, 2 inside a blob being skipped
    agent_depth = 0  # nested 2.1 AGENT cards being skipped
    last_was_empty_agent = False

    def finish() -> None:
        nonlocal pieces
        if pieces is not None:
            props.append((start_no, "".join(pieces)))
            pieces = None

    for index, line in enumerate(lines):
        line_no = index + 1
        if not in_card:
            if line.strip().upper() == "BEGIN:VCARD":
                number += 1
                in_card, begin_no, props, pieces, mode, agent_depth = True, line_no, [], None, 0, 0
                last_was_empty_agent = False
            continue  # blank lines and stray text between cards are ignored
        first = line[:1]
        if agent_depth:
            word = line.strip().upper()
            if word == "BEGIN:VCARD":
                agent_depth += 1
            elif word == "END:VCARD":
                agent_depth -= 1
            continue
        if mode == 1:  # after a QP soft break: the data goes on unless a property starts
            if not line.strip():
                mode = 0
                continue
            if not _property_start(line):
                if pieces is not None:
                    if pieces[-1].endswith("="):
                        pieces[-1] = pieces[-1][:-1]
                    pieces.append(line)
                mode = 1 if line.endswith("=") else 0
                continue
            mode = 0
        elif mode == 2:  # blob: skip folded or unindented base64 until a property or a blank
            if first == " " or first == "\t":
                continue
            if not line.strip():
                mode = 0
                continue
            if not _property_start(line):
                continue
            mode = 0
        elif first == " " or first == "\t":
            if pieces is not None:
                pieces.append(line[1:])
                if line.endswith("=") and _is_qp("".join(pieces)):
                    mode = 1
            continue
        # a line that starts something: a property, END, a nested BEGIN, or junk
        finish()
        stripped = line.strip()
        if not stripped:
            continue
        word = stripped.upper()
        if word == "END:VCARD":
            cards.append((number, begin_no, props, None))
            in_card = False
            continue
        if word == "BEGIN:VCARD":
            if last_was_empty_agent:
                agent_depth = 1
                last_was_empty_agent = False
                continue
            cards.append((number, begin_no, [], f"bad card: no END:VCARD before the next BEGIN:VCARD on line {line_no}"))
            number += 1
            begin_no, props, pieces, mode = line_no, [], None, 0
            continue
        m = _HEAD.match(line)
        name = m.group(2).upper() if m else ""
        if name in _BLOBS:
            mode = 2
            last_was_empty_agent = False
            continue
        last_was_empty_agent = name == "AGENT" and line.rstrip().endswith(":")
        pieces, start_no = [line], line_no
        if line.endswith("=") and _is_qp(line):
            mode = 1
    if in_card:
        raise ExportError(
            f"truncated file: the card that begins on line {begin_no} has no END:VCARD "
            f"(END:VCARD expected before the end of the file)", line_no=begin_no)
    if number == 0:
        raise ExportError("not a vCard file: no BEGIN:VCARD line", line_no=1)
    return cards, number


# ---------------------------------------------------------------------------------------------
# Logical lines -> values


def _split_line(text: str) -> tuple[str, str | None, str] | None:
    """(NAME, raw parameter text or None, raw value) of a logical line, or None when it is not
    ``[group.]NAME[;params]:value``. The group is dropped: labels are not stored."""
    m = _HEAD.match(text)
    if not m:
        return None
    name = m.group(2).upper()
    pos = m.end()
    if text[pos] == ":":
        return name, None, text[pos + 1:]
    colon = text.find(":", pos)
    if colon < 0:
        return None
    if text.find('"', pos, colon) < 0:
        return name, text[pos + 1:colon], text[colon + 1:]
    quoted = False
    for i in range(pos, len(text)):
        ch = text[i]
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            return name, text[pos + 1:i], text[i + 1:]
    return None


def _params(text: str | None) -> dict[str, list[str]]:
    """Parameters as NAME -> values. 2.1 bare words become TYPE (or ENCODING); TYPE lists are
    split on commas; TYPE, ENCODING and VALUE values are upper-cased."""
    out: dict[str, list[str]] = {}
    if not text:
        return out
    parts = text.split(";") if '"' not in text else _split_quoted(text)
    for part in parts:
        key, eq, value = part.partition("=")
        key = key.strip().upper()
        if not key:
            continue
        if not eq:
            values, key = [key], ("ENCODING" if key in _ENCODINGS else "TYPE")
        else:
            value = value.strip()
            if key in ("TYPE", "ENCODING", "VALUE"):
                values = [v.strip().strip('"').upper() for v in value.split(",")]
            else:
                values = [value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value]
        out.setdefault(key, []).extend(v for v in values if v)
    return out


def _split_quoted(text: str) -> list[str]:
    parts, current, quoted = [], [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _split_unescaped(value: str, token: re.Pattern[str], sep: str) -> list[str]:
    """Split on ``sep`` where it is not backslash-escaped; escapes stay for _unescape."""
    if "\\" not in value:
        return value.split(sep)
    parts, start = [], 0
    for m in token.finditer(value):
        if m.group() == sep:
            parts.append(value[start:m.start()])
            start = m.end()
    parts.append(value[start:])
    return parts


def _unescape(value: str) -> str:
    """``\\,`` ``\\;`` ``\\:`` (Apple) ``\\\\`` and ``\\n``/``\\N`` as RFC 6350 and Apple write them."""
    if "\\" not in value:
        return value
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _charset_decode(data: bytes, charset: str | None) -> str:
    """Bytes in the declared charset; UTF-8, then cp1252 (QP without CHARSET is often a legacy
    code page) when the declared one is unknown or does not fit."""
    for name in (charset, "utf-8"):
        if not name:
            continue
        try:
            codecs.lookup(name)
            return data.decode(name)
        except (LookupError, UnicodeDecodeError, ValueError):
            continue
    return data.decode("cp1252", errors="replace")


def _transfer_decode(raw: str, params: dict[str, list[str]]) -> str:
    """Undo 2.1 quoted-printable or base64 transfer encoding of one (component of a) value."""
    encoding = params.get("ENCODING")
    if not encoding:
        return raw
    charset = (params.get("CHARSET") or [None])[0]
    if "QUOTED-PRINTABLE" in encoding:
        return _charset_decode(binascii.a2b_qp(raw.encode("utf-8", errors="replace")), charset)
    if "BASE64" in encoding or "B" in encoding:
        try:
            data = base64.b64decode("".join(raw.split()), validate=False)
        except (binascii.Error, ValueError):
            return raw
        return _charset_decode(data, charset)
    return raw


def _text(raw: str, params: dict[str, list[str]]) -> str:
    """A single text value, decoded and unescaped."""
    return _unescape(_transfer_decode(raw, params))


def _components(raw: str, params: dict[str, list[str]]) -> list[str]:
    """A structured value (N, ORG): split on unescaped ``;``, each part decoded and unescaped;
    a part's own list (``Philip,Paul``) is joined with spaces."""
    out = []
    for part in _split_unescaped(raw, _SPLIT_TOKEN, ";"):
        decoded = _transfer_decode(part, params)
        items = _split_unescaped(decoded, _LIST_TOKEN, ",")
        out.append(" ".join(x for x in (clean_text(_unescape(i)) for i in items) if x))
    return out


def parse_birthday(raw: str, params: dict[str, list[str]] | None = None) -> str | None:
    """'YYYY-MM-DD', or '--MM-DD' when the card gives no year; None when unreadable.

    Reads ``1985-03-14``, ``19850314``, date-times (``1985-03-14T00:00:00Z``), ``--0314`` and
    ``--03-14``, Apple's ``X-APPLE-OMIT-YEAR=1604`` with ``1604-03-14`` (no year) and year
    ``0000`` (no year); then the day-first and month-name forms of transforms.dates.
    """
    params = params or {}
    value = raw.strip()
    m = _BDAY.match(value)
    if m:
        year, month, day = m.groups()
        omit = params.get("X-APPLE-OMIT-YEAR")
        if year is not None and (year == "0000" or (omit and omit[0].strip() == year)):
            year = None
        try:
            date(int(year) if year else 2000, int(month), int(day))  # 2000: Feb 29 is valid
        except ValueError:
            return None
        return f"{year}-{month}-{day}" if year else f"--{month}-{day}"
    parsed = parse_date(value)
    return parsed.isoformat() if parsed else None


# ---------------------------------------------------------------------------------------------
# A card -> a person record


def _person(key: str, line: int, props: list[tuple[int, str]], context: ParseContext,
            rejects: list[dict[str, Any]]) -> dict[str, Any] | None:
    fn = None
    n_parts: list[str] | None = None
    org = title = None
    raw_emails: list[str] = []
    raw_phones: list[str] = []
    urls: list[tuple[str, bool, dict[str, list[str]]]] = []  # (value, declared linkedin, params)
    birthdays: list[tuple[str, dict[str, list[str]]]] = []
    kind = None
    company_card = False
    bad_lines: list[tuple[int, str]] = []
    readable = 0
    for line_no, logical in props:
        split = _split_line(logical)
        if split is None:
            bad_lines.append((line_no, logical))
            continue
        readable += 1
        name, raw_params, raw = split
        if name not in _WANTED:
            continue
        params = _params(raw_params)
        if name == "FN":
            fn = fn or clean_text(_text(raw, params))
        elif name == "N":
            if n_parts is None:
                n_parts = _components(raw, params)
        elif name == "EMAIL":
            raw_emails.append(_text(raw, params).strip())
        elif name == "TEL":
            raw_phones.append(_text(raw, params).strip())
        elif name == "ORG":
            org = org or (_components(raw, params) or [None])[0] or None
        elif name == "TITLE":
            title = title or clean_text(_text(raw, params))
        elif name == "URL":
            urls.append((_text(raw, params).strip(), False, params))
        elif name == "X-SOCIALPROFILE":
            types = {t.lower() for t in params.get("TYPE", [])}
            urls.append((_text(raw, params).strip(), "linkedin" in types, params))
        elif name == "BDAY":
            birthdays.append((_text(raw, params).strip(), params))
        elif name in ("KIND", "X-ADDRESSBOOKSERVER-KIND"):
            kind = kind or (clean_text(_text(raw, params)) or "").lower() or None
        elif name == "X-ABSHOWAS":
            company_card = _text(raw, params).strip().upper() == "COMPANY"

    if props and not readable:
        first_no, first_text = bad_lines[0]
        rejects.append(reject(key, line, f"bad card: no line is a vCard property (line {first_no}: {_short(first_text)})"))
        return None
    if kind in ("group", "location"):
        rejects.append(reject(key, line, f"not a person: KIND is {kind!r}"))
        return None
    if bad_lines:
        first_no, first_text = bad_lines[0]
        count = f"{len(bad_lines)} lines are" if len(bad_lines) > 1 else "1 line is"
        rejects.append(reject(key, line, f"unreadable line: {count} not NAME:value, first line {first_no}: "
                                         f"{_short(first_text)} (ignored)", kept=True))

    # names: N gives first/last, FN the display name; each fills in for the other
    family, given, additional = ((n_parts or []) + ["", "", ""])[:3]
    first, last = given or None, family or None
    company_card = company_card or kind == "org"
    if not fn and (first or last):
        fn = clean_text(" ".join(x for x in (given, additional, family) if x))
    if fn and not (first or last) and not company_card:
        first, last = split_display_name(fn)
    nkey = name_key(first, last) or name_key(fn)

    emails: list[str] = []
    for raw in raw_emails:
        if not raw:
            continue
        email = normalize_email(raw)
        if email is None:
            rejects.append(reject(key, line, f"not an email address: {raw!r} (dropped)", kept=True))
        elif email not in emails:
            emails.append(email)

    phones: list[str] = []
    for raw in raw_phones:
        if not raw:
            continue
        number = raw[4:].lstrip("/") if raw[:4].lower() == "tel:" else raw
        if raw[:4].lower() == "tel:":
            number = number.split(";")[0]  # tel:+1-555-0100;ext=12
        phone = _phone(number, context.phone_region)
        if phone is None:
            rejects.append(reject(key, line, f"not a phone number: {raw!r} (dropped)", kept=True))
        elif phone not in phones:
            phones.append(phone)

    slug = None
    for value, declared, params in urls:
        found = linkedin_slug(value)
        if not found and declared:
            user = (params.get("X-USER") or [""])[0].strip()
            found = linkedin_slug(linkedin_url(user.lower())) if user else None
        if found:
            slug = slug or found
        elif declared and value:
            rejects.append(reject(key, line, f"not a LinkedIn profile URL: {value!r} (dropped)", kept=True))

    birthday = None
    for raw, params in birthdays:
        if not raw:
            continue
        birthday = parse_birthday(raw, params)
        if birthday is None:
            rejects.append(reject(key, line, f"unreadable date: BDAY is {raw!r} (dropped)", kept=True))
        break  # only the first BDAY counts

    company = clean_text(org)
    if not (nkey or emails or phones or slug):
        rejects.append(reject(key, line, "empty: no name, email, phone or LinkedIn profile"))
        return None
    return {
        "record_key": key, "line_no": line, "source_kind": FORMAT,
        "full_name": fn, "first_name": first, "last_name": last, "name_key": nkey,
        "emails": emails, "phones": phones,
        "linkedin_url": linkedin_url(slug), "linkedin_slug": slug,
        "company": company, "title": title, "connected_on": None, "birthday": birthday,
        "record_hash": stable_hash(FORMAT, nkey, ",".join(emails), ",".join(phones), slug, company, title, birthday),
    }


def _short(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")
