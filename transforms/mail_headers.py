"""Reading one message's header block into the few fields kith uses, fast and forgivingly.

The hot loop of a mailbox import: a Takeout mbox holds hundreds of thousands of header
blocks of ~5 KB each (Received, ARC, DKIM ...), of which kith keeps a dozen fields. So the
block is decoded as Latin-1 (one byte, one character: never fails), split into lines once,
and only the wanted fields are unfolded and decoded, the way mail clients read broken mail
(mail-formats.md §4):

* raw 8-bit header bytes are UTF-8, else Windows-1252;
* RFC 2047 encoded words are decoded with the WHATWG aliases (a label 'iso-8859-1' is read as
  Windows-1252, 'gb2312' as GB18030), an unknown charset as UTF-8; adjacent words join;
* address lists are split before names are decoded; an unquoted ``Last, First <a@b>`` is one
  person, not a bogus 'Last'; groups (``undisclosed-recipients:;``) give their members only;
* dates take the RFC 5322 form and its obsolete zones, two-digit years as RFC 5322 says;
  ``-0000`` and unknown zone names are read as UTC.

Python's ``email`` package reads all of this too, but at a fifth of the speed (its parser
reads every line of every header into objects), and its address parsing changed between
patch releases (a strict mode that drops a whole field over one bad address).
"""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import getaddresses, parsedate_tz

from transforms.normalize import normalize_email

# field name -> the key kith stores it under (several names mean the same to kith)
FIELDS = {
    "from": "from", "to": "to", "cc": "cc", "bcc": "bcc", "date": "date", "subject": "subject",
    "message-id": "message-id", "in-reply-to": "in-reply-to", "references": "references",
    "x-gm-thrid": "x-gm-thrid", "x-gmail-labels": "x-gmail-labels",
    "list-id": "list", "list-unsubscribe": "list", "list-post": "list",
    "list-unsubscribe-post": "one-click", "precedence": "precedence",
    "auto-submitted": "auto-submitted", "x-autoreply": "autoreply", "x-autorespond": "autoreply",
    "x-mozilla-status": "x-mozilla-status", "return-path": "return-path",
    "delivered-to": "delivered-to", "x-original-to": "delivered-to",
}
_REPEATABLE = {"to", "cc", "bcc", "delivered-to", "list"}  # repeats join (obsolete syntax, RFC 5322 §4.5)

_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_BETWEEN_WORDS = re.compile(r"(\?=)\s+(=\?)")
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "l1": "cp1252",
                    "us-ascii": "cp1252", "ascii": "cp1252", "iso8859-1": "cp1252", "gb2312": "gb18030",
                    "gbk": "gb18030", "x-gbk": "gb18030", "iso-8859-9": "cp1254", "tis-620": "cp874",
                    "ks_c_5601-1987": "cp949", "euc-kr": "cp949", "shift_jis": "cp932", "x-sjis": "cp932"}
_MSG_ID = re.compile(r"<([^<>\s]+)>")


@dataclass(slots=True)
class Address:
    email: str  # lowercased
    name: str | None

    def __reduce__(self):  # pickled as a plain tuple: a mailbox read in two processes sends 100,000s back
        return (Address, (self.email, self.name))


_NAME_KEYS: dict[str, str | None] = {}  # a field name as written -> its key, or None: not wanted


def read_fields(block: bytes) -> dict[str, str]:
    """The wanted fields of a header block, unfolded, as raw (undecoded) text.

    Lines that are neither a field nor a continuation (a stray ``>From `` line an export
    tool added) are skipped instead of ending the block as Python's parser does. Each field
    name as written is looked up once per mailbox (a few hundred names), not lowercased on
    every line."""
    text = block.decode("latin-1")
    lines = text.split("\r\n") if "\r\n" in text else text.split("\n")
    fields: dict[str, str] = {}
    names = _NAME_KEYS
    key = None
    parts: list[str] = []
    for line in lines:
        first = line[:1]
        if first == " " or first == "\t":
            if key is not None:
                parts.append(line)
            continue
        if key is not None:
            _put(fields, key, parts)
            key = None
        colon = line.find(":")
        if colon <= 0:
            continue
        name = line[:colon]
        try:
            key = names[name]
        except KeyError:
            key = FIELDS.get(name.rstrip().lower())
            if len(names) < 10_000:
                names[name] = key
        if key is not None:
            parts = [line[colon + 1:]]
    if key is not None:
        _put(fields, key, parts)
    return fields


def _put(fields: dict[str, str], key: str, parts: list[str]) -> None:
    value = "".join(parts).replace("\r", "").strip() if len(parts) > 1 else parts[0].strip()
    if key in fields:
        if key in _REPEATABLE:
            fields[key] = f"{fields[key]}, {value}"
        return  # a repeated singular field: the first one counts
    fields[key] = value


def text_of(raw: str | None) -> str | None:
    """A header value as a person reads it: 8-bit bytes and encoded words decoded, white
    space folded."""
    if raw is None:
        return None
    value = _eight_bit(raw)
    if "=?" in value:
        value = decode_words(value)
    value = " ".join(value.split())
    return value or None


def _eight_bit(raw: str) -> str:
    """Latin-1-decoded header text re-read as UTF-8 (RFC 6532), else Windows-1252."""
    if raw.isascii():
        return raw
    data = raw.encode("latin-1")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def decode_words(value: str) -> str:
    """RFC 2047 encoded words decoded; white space between two words dropped (§6.2)."""
    value = _BETWEEN_WORDS.sub(r"\1\2", value)
    return _ENCODED_WORD.sub(_decode_word, value)


def _decode_word(match: re.Match) -> str:
    charset, encoding, payload = match.group(1), match.group(2), match.group(3)
    charset = charset.split("*", 1)[0].lower()  # RFC 2231 language tag: =?utf-8*en?...
    try:
        if encoding in "bB":
            data = binascii.a2b_base64(payload + "=" * (-len(payload) % 4))
        else:
            data = binascii.a2b_qp(payload.encode("latin-1"), header=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return match.group(0)
    for name in (_CHARSET_ALIASES.get(charset, charset), "utf-8"):
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace")


# --------------------------------------------------------------------------- addresses

_ADDRESS_CACHE: dict[str, list[Address]] = {}
_CACHE_LIMIT = 200_000
_ANGLE = re.compile(r"(.*?)<([^<>]*)>\s*(?:\(.*\))?\Z", re.DOTALL)
_COMMENT = re.compile(r"([^\s()<>]+)\s*\((.*)\)\Z", re.DOTALL)
_GROUP = re.compile(r'^[^",<>@]*?:(?!//)')  # "Team: a@x, b@x;" -- not "mailto:" inside <>


def addresses(raw: str | None) -> list[Address]:
    """The mailboxes of an address field (From, To, Cc), each lowercased and valid, each
    once, in order. Cached by raw value: a mailbox repeats the same few senders."""
    if not raw:
        return []
    cached = _ADDRESS_CACHE.get(raw)
    if cached is None:
        cached = _parse_addresses(raw)
        if len(_ADDRESS_CACHE) >= _CACHE_LIMIT:
            _ADDRESS_CACHE.clear()
        _ADDRESS_CACHE[raw] = cached
    return cached


def _parse_addresses(raw: str) -> list[Address]:
    found: list[Address] = []
    seen: set[str] = set()
    pending = ""  # an unquoted 'Last' waiting for its ', First <a@b>'
    for item in _split_list(_eight_bit(raw)):
        item = item.strip()
        group = _GROUP.match(item)
        if group:
            item = item[group.end():].strip()
        item = item.rstrip(";").strip()
        if not item:
            continue
        address = _one_address(item)
        if address is None:
            if "@" not in item and "<" not in item:
                pending = f"{pending}, {item}" if pending else item
            continue
        if pending:
            if address.name and "<" in item:
                address = Address(address.email, _name(f"{pending}, {address.name}"))
            pending = ""
        if address.email not in seen:
            seen.add(address.email)
            found.append(address)
    if not found and "@" in raw:  # an unusual form: Python's parser, forgiving mode
        for name, email in getaddresses([raw], strict=False) if _STRICT_ARG else getaddresses([raw]):
            addr = normalize_email(email)
            if addr and addr not in seen:
                seen.add(addr)
                found.append(Address(addr, _name(name)))
    return found


def _split_list(value: str) -> list[str]:
    """Split an address list on commas outside quotes, angle brackets and comments."""
    if '"' not in value and "(" not in value:
        if "<" not in value or value.count(",") == 0:
            return value.split(",")
    items, depth_angle, depth_paren, quoted, start, i = [], 0, 0, False, 0, 0
    while i < len(value):
        ch = value[i]
        if quoted:
            if ch == "\\":
                i += 1
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
        elif ch == "<":
            depth_angle += 1
        elif ch == ">":
            depth_angle = max(depth_angle - 1, 0)
        elif ch == "(":
            depth_paren += 1
        elif ch == ")":
            depth_paren = max(depth_paren - 1, 0)
        elif ch == "," and not depth_angle and not depth_paren:
            items.append(value[start:i])
            start = i + 1
        i += 1
    items.append(value[start:])
    return items


def _one_address(item: str) -> Address | None:
    match = _ANGLE.match(item)
    if match:
        email = normalize_email(match.group(2))
        return Address(email, _name(match.group(1))) if email else None
    match = _COMMENT.match(item)
    if match:
        email = normalize_email(match.group(1))
        return Address(email, _name(match.group(2))) if email else None
    email = normalize_email(item)
    return Address(email, None) if email else None


def _name(raw: str | None) -> str | None:
    """A display name: quotes and escapes removed, encoded words decoded; None when it is
    empty or only repeats an address."""
    if not raw:
        return None
    name = raw.strip()
    if len(name) >= 2 and name[0] == name[-1] and name[0] in "\"'":
        name = name[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    if "=?" in name:
        name = decode_words(name)
    name = " ".join(name.strip(" '\"").split())
    if not name or "@" in name and normalize_email(name.strip("<>")):
        return None
    return name


def _supports_strict() -> bool:
    import email.utils
    return bool(getattr(email.utils, "supports_strict_parsing", False))


_STRICT_ARG = _supports_strict()


def message_ids(raw: str | None) -> list[str]:
    """The ``<id>``s of a Message-ID, In-Reply-To or References field, in order."""
    if not raw:
        return []
    ids = _MSG_ID.findall(raw)
    if not ids and raw.strip() and " " not in raw.strip():
        ids = [raw.strip()]  # an id written without its angle brackets
    return ids


# --------------------------------------------------------------------------- dates

_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                        "nov", "dec"), start=1)}
_ZONES = {"ut": 0, "utc": 0, "gmt": 0, "z": 0, "est": -300, "edt": -240, "cst": -360, "cdt": -300,
          "mst": -420, "mdt": -360, "pst": -480, "pdt": -420}
_RFC_DATE = re.compile(
    r"\s*(?:[A-Za-z]+,?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3})[A-Za-z]*\.?[\s-]+(\d{2,4}),?\s+(\d{1,2})[:.](\d{2})"
    r"(?:[:.](\d{2}))?(?:\.\d+)?\s*([+-]\d{2}:?\d{2}|[A-Za-z]{1,5})?")


def parse_date(raw: str | None) -> datetime | None:
    """A Date header as naive UTC, or None when it cannot be read."""
    if not raw:
        return None
    match = _RFC_DATE.match(raw)
    if match:
        day, mon, year, hour, minute, second, zone = match.groups()
        month = _MONTHS.get(mon.lower())
        if month is None:
            return None
        offset = _zone_minutes(zone)
        try:
            local = datetime(_year(year), month, int(day), int(hour), int(minute), int(second or 0))
        except ValueError:
            return None
        return local - timedelta(minutes=offset)
    return _fallback_date(raw)


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        return year + (2000 if year < 50 else 1900)
    if len(text) == 3:
        return year + 1900
    return year


def _zone_minutes(zone: str | None) -> int:
    if not zone:
        return 0
    if zone[0] in "+-":
        digits = zone[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + int(digits[2:4])
        if minutes > 14 * 60:
            return 0
        return minutes if zone[0] == "+" else -minutes
    return _ZONES.get(zone.lower(), 0)


def _fallback_date(raw: str) -> datetime | None:
    """ISO dates and the forms Python's own parser reads."""
    text = raw.strip()
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = parsedate_tz(text)
        if not parsed or parsed[0] < 1000:
            return None
        try:
            value = datetime(*parsed[:6]) - timedelta(seconds=parsed[9] or 0)
        except (ValueError, OverflowError):
            return None
        return value
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


_GMAIL_SEPARATOR = re.compile(rb"From (\d{15,20})@xxx ")
_ASCTIME = re.compile(rb"([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d)(?::(\d\d))?(?: ([+-]\d{4}))? (\d{4})\s*\Z")


def separator_time(separator: bytes) -> datetime | None:
    """When the mailbox says the message arrived: Gmail's message id (its top bits are the
    receive time in ms) or the separator's asctime."""
    match = _GMAIL_SEPARATOR.match(separator)
    if match:
        millis = int(match.group(1)) >> 20
        if 1_000_000_000_000 < millis < 4_000_000_000_000:
            return datetime(1970, 1, 1) + timedelta(milliseconds=millis)
    match = _ASCTIME.search(separator)
    if match:
        mon, day, hour, minute, second, zone, year = match.groups()
        month = _MONTHS.get(mon.decode().lower())
        if month:
            try:
                local = datetime(int(year), month, int(day), int(hour), int(minute), int(second or 0))
            except ValueError:
                return None
            return local - timedelta(minutes=_zone_minutes(zone.decode() if zone else None))
    return None
