"""iCalendar (.ics) exports from Google, Outlook/Exchange and Apple: who the owner met, and when.

Every occurrence of every event becomes one interaction per other person who took part
(export-formats.md §4). Single events are read by a small content-line scanner of our own:
icalendar 7.3 parses about 700 events a second, far too slow for a 100,000-event export.
Only series (RRULE, RDATE, RECURRENCE-ID overrides) are rebuilt as icalendar components
from the values we read and expanded with recurring-ical-events, so both paths share one
reading of times and time zones.

Rules, decided for kith:

* Occurrences are expanded up to ``now + 90 days``; those starting after ``now`` are kind
  ``scheduled``, the rest ``meeting``.
* Skipped without a reject (they are valid records with nothing to load): cancelled events
  and occurrences (``STATUS:CANCELLED``, ``METHOD:CANCEL``, Outlook's ``Canceled:`` title),
  occurrences the owner declined, and events with nobody but the owner.
* Not people: ``CUTYPE`` RESOURCE, ROOM or GROUP, and Google's ``…calendar.google.com``
  resource, group and placeholder addresses. Attendees who declined, or who are only copied
  for information (``ROLE=NON-PARTICIPANT``), did not meet: no interaction, not counted.
* Series that repeat more often than daily, name a day that does not exist (30 February) or
  have more than MAX_OCCURRENCES occurrences up to the horizon are rejected: no calendar
  holds such meetings, and dateutil would spend seconds or gigabytes on them.
* Times: ``Z`` is UTC; a TZID is an IANA name, a Windows name (CLDR table), the file's own
  VTIMEZONE or a Windows display name (``(UTC-05:00) Eastern Time (US & Canada)``); floating
  times are in ``X-WR-TIMEZONE`` when the calendar has one, else UTC; all-day events happen at
  00:00 of their date, without zone conversion.
* A single invitation (``METHOD:REQUEST`` and the other iTIP messages) whose owner cannot be
  told loads everyone in it, with one kept note (OWNER_UNKNOWN_NOTE) saying how to name the
  owner; a calendar export whose owner cannot be told is an error naming kith.toml.
"""

from __future__ import annotations

import gc
import re
import zoneinfo
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any


from transforms.normalize import clean_text, fold, normalize_email, split_addressed_name
from transforms.records import (Columns, INTERACTION_SCHEMA, PERSON_RECORD_SCHEMA, REJECT_SCHEMA, ExportError, Owner,
                                ParseContext, ParseResult, frame, reject, stable_hash)

FORMAT = "ics"
LABEL = "iCalendar"
HORIZON = timedelta(days=90)  # how far past ``now`` series are expanded (the 'scheduled' window)
MAX_OCCURRENCES = 20_000  # per series up to the horizon; more is not a meeting (FREQ=MINUTELY)
OWNER_HELP = "set [owner] emails = [\"you@example.com\"] in kith.toml"
# The same words in every file, so that kith ingest can say it once for a folder of invitations.
OWNER_UNKNOWN_NOTE = ("owner unknown: an invitation does not say which of its people is you, so everyone in it "
                      f"was loaded; to leave yourself out, {OWNER_HELP}")
# iTIP messages (RFC 5546) mailed between a meeting's people, as opposed to a calendar (PUBLISH).
_INVITATION_METHODS = frozenset({"REQUEST", "REPLY", "ADD", "COUNTER", "DECLINECOUNTER", "REFRESH"})

# Properties of a VEVENT that the parser reads; everything else (DESCRIPTION, X-ALT-DESC…) is skipped.
_NEEDED = frozenset({"UID", "DTSTART", "DTEND", "DURATION", "SUMMARY", "STATUS", "RRULE", "RDATE", "EXDATE",
                     "RECURRENCE-ID", "SEQUENCE", "ATTENDEE", "ORGANIZER"})
_NOT_PEOPLE_CUTYPES = frozenset({"RESOURCE", "ROOM", "GROUP"})
# Google: …@resource.calendar.google.com, …@group.calendar.google.com, …@group.v.calendar.google.com,
# …@import.calendar.google.com, unknownorganizer@calendar.google.com.
_NOT_PEOPLE_DOMAIN = re.compile(r"(^|\.)calendar\.google\.com$")
# Outlook keeps a cancelled meeting on attendees' calendars with a prefixed title (localised).
_CANCELLED_TITLE = re.compile(r"^\s*(canceled|cancelled|abgesagt|annulé|annule|cancelado|annullato|geannuleerd|"
                              r"anulowane|inställt|aflyst|avlyst|peruttu)\s*:", re.IGNORECASE)
_BEGIN_CAL = re.compile(r"^[ \t]*BEGIN[ \t]*:[ \t]*VCALENDAR[ \t]*$", re.IGNORECASE | re.MULTILINE)
# name, parameters (quoted strings may hold ':' and ';'), value
_CONTENT_LINE = re.compile(r'([^;:]*)((?:"[^"]*"|[^":])*):(.*)\Z', re.DOTALL)
_FOLD = re.compile(r"\r?\n[ \t]")
_HEAD = re.compile(r"([A-Za-z0-9-]+)[ \t]*(?=[;:])")  # a property name
_WANTED = _NEEDED | {"BEGIN", "END", "X-WR-CALNAME", "X-WR-TIMEZONE", "METHOD"}
_PREFIXES = frozenset(name[:3] for name in _WANTED)  # a cheap first test, before the regex
_TZID = re.compile(r"^TZID[ \t]*(?:;[^:\n]*)?:([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)", re.MULTILINE | re.IGNORECASE)
_PARAM = re.compile(r';\s*([^=;]*?)\s*=((?:"[^"]*"|[^";])*)')
# Parameters that end inside an unquoted ``TZID=(UTC-05:00) …``: that colon is the offset's.
_OFFSET_COLON = re.compile(r"=\s*\(\s*(?:UTC|GMT)\s*[+-]\s*\d{1,2}\Z", re.IGNORECASE)
# A Windows display name: "(UTC-05:00) Eastern Time (US & Canada)", "(GMT+01:00) Amsterdam, …".
_DISPLAY_NAME = re.compile(r"\(\s*(?:UTC|GMT)\s*(?:([+-])\s*(\d{1,2})(?::?(\d{2}))?)?\s*\)\s*(\S.*)",
                           re.IGNORECASE | re.DOTALL)
_UNIVERSAL = re.compile(r"co-?ordinated universal time", re.IGNORECASE)
_DATE_TIME = re.compile(r"\s*(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?\s*\Z", re.IGNORECASE)
_DURATION = re.compile(r"\s*([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?\s*\Z",
                       re.IGNORECASE)
_UTC = timezone.utc


def matches(text: str, context: ParseContext | None = None) -> bool:
    """A ``BEGIN:VCALENDAR`` line among the first non-empty lines."""
    head = [line for line in text[:4096].lstrip("\ufeff").splitlines() if line.strip()][:5]
    return any(_BEGIN_CAL.match(line) for line in head)


def parse(text: str, context: ParseContext | None = None) -> ParseResult:
    """Meetings (and scheduled meetings) with each attendee, and the attendees as people."""
    # Millions of small objects and no reference cycles: the cyclic collector would only
    # re-walk them (a third of the time on a 100,000-event file). Restored on the way out.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _parse(text, context)
    finally:
        if collecting:
            gc.enable()


def _parse(text: str, context: ParseContext | None) -> ParseResult:
    context = context or ParseContext()
    now = _naive_utc(context.now if context.now is not None else datetime.now(_UTC))
    scan = _scan(text)
    reader = _Reader(scan)
    events: list[_Event] = []
    rejects: list[dict] = []
    for raw in scan.events:
        if raw.broken:
            rejects.append(reject(raw.key, raw.line, raw.broken))
            continue
        try:
            event = reader.read(raw)
        except _Bad as exc:
            rejects.append(reject(raw.key, raw.line, f"bad event: {exc}"))
            continue
        except Exception as exc:  # a value no rule foresaw: lose the event, keep the file
            rejects.append(reject(raw.key, raw.line, f"bad event: {type(exc).__name__}: {str(exc)[:120]}"))
            continue
        rejects.extend(reject(event.uid_key, event.line, note, kept=True) for note in event.notes)
        events.append(event)
        raw.props = {}  # read: let the raw strings go (a third of the memory on large files)
    try:
        owner, owner_emails = _detect_owner(events, scan, context.owner)
        owner_known = True
    except _OwnerUnknown as unknown:
        if scan.method not in _INVITATION_METHODS:
            raise ExportError(str(unknown)) from None
        owner, owner_emails, owner_known = Owner(), set(), False
        rejects.append(reject(unknown.event.uid_key, unknown.event.line, OWNER_UNKNOWN_NOTE, kept=True))
    for event in events:
        event.settle(owner_emails, owner_known)
    interactions = Columns(INTERACTION_SCHEMA)
    _occurrences(events, now, interactions, rejects)
    return ParseResult(
        format=FORMAT, records_read=len(scan.events),
        people=frame(_people(events, owner_emails), PERSON_RECORD_SCHEMA),
        interactions=interactions.frame(),
        rejects=frame(rejects, REJECT_SCHEMA), owner=owner,
    )


# --------------------------------------------------------------------------- scanning


class _Bad(Exception):
    """A VEVENT that cannot be loaded; the message says what was wrong."""


@dataclass
class _RawEvent:
    ordinal: int  # 1-based among the file's VEVENTs
    line: int  # physical line of BEGIN:VEVENT
    props: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # NAME -> [(raw params, value)]
    broken: str | None = None

    @property
    def key(self) -> str:
        uids = self.props.get("UID")
        uid = _unescape(uids[0][1]).strip() if uids else ""
        return uid or f"event {self.ordinal}"


@dataclass
class _Scan:
    events: list[_RawEvent] = field(default_factory=list)
    timezones: dict[str, str] = field(default_factory=dict)  # TZID -> VTIMEZONE text
    calname: str | None = None
    x_wr_timezone: str | None = None
    method: str | None = None


def _scan(text: str) -> _Scan:
    """Cut the calendar into VEVENTs and VTIMEZONEs, checking the nesting, and keep the
    (unfolded) properties the parser reads.

    Lines are visited once; only the few properties in ``_WANTED`` are unfolded and split.
    A file that ends inside a component is truncated: ExportError. A VEVENT that is never
    closed before the next one begins is rejected and the scan goes on.
    """
    scan = _Scan()
    if "\n" not in text:
        text = text.replace("\r", "\n")  # classic Mac line ends
    lines = text.split("\n")  # CRLF lines keep their "\r": removed below, only from wanted lines
    del text
    state = _ScanState(scan, lines)
    wanted, prefixes, head = _WANTED, _PREFIXES, _HEAD
    pending: list[str] | None = None  # parts of a wanted logical line still being unfolded
    pending_name, pending_line = "", 0
    for number, line in enumerate(lines, 1):
        if line[:1] in (" ", "\t") and line:
            if pending is not None:
                pending.append(line[1:])
            continue
        if pending is not None:
            state.take(pending_name, pending_line, _join(pending))
            pending = None
        if line[:3].upper() in prefixes:
            m = head.match(line)
            if m:
                name = m.group(1).upper()
                if name in wanted:
                    pending, pending_name, pending_line = [line], name, number
    if pending is not None:
        state.take(pending_name, pending_line, _join(pending))
    if not state.seen_calendar:
        raise ExportError("not an iCalendar file: no BEGIN:VCALENDAR line", line_no=1)
    if state.stack:
        inner, began = state.stack[-1]
        last = len(lines)
        while last > 1 and not lines[last - 1].strip():
            last -= 1
        hint = " (or, if nothing is missing, add END:VCALENDAR as the last line)" if inner == "VCALENDAR" else ""
        raise ExportError(
            f"the calendar is truncated: it ends inside {inner} (begun on line {began}) where END:{inner} "
            f"was expected; export it again{hint}", line_no=last)
    return scan


def _join(parts: list[str]) -> str:
    """One unfolded logical line from its physical lines, without their CRs."""
    if len(parts) == 1:
        line = parts[0]
        return line[:-1] if line.endswith("\r") else line
    return "".join(part[:-1] if part.endswith("\r") else part for part in parts)


class _ScanState:
    """The component nesting while scanning, and what each wanted line does to it."""

    def __init__(self, scan: _Scan, lines: list[str]):
        self.scan = scan
        self.lines = lines
        self.stack: list[tuple[str, int]] = []  # (component name, line it began on)
        self.seen_calendar = False
        self.event: _RawEvent | None = None
        self.n_events = 0

    def take(self, name: str, number: int, line: str) -> None:
        if name == "BEGIN" or name == "END":
            value = line.partition(":")[2].strip().upper()
            self.begin(value, number) if name == "BEGIN" else self.end(value, number)
            return
        depth = len(self.stack)
        if depth == 2 and self.event is not None:
            parsed = _split_content_line(line)
            if parsed is not None:
                props = self.event.props
                if name in props:
                    props[name].append(parsed)
                else:
                    props[name] = [parsed]
        elif depth == 1 and name in ("X-WR-CALNAME", "X-WR-TIMEZONE", "METHOD"):
            parsed = _split_content_line(line)
            if parsed:
                value = _unescape(parsed[1]).strip() or None
                scan = self.scan
                if name == "X-WR-CALNAME":
                    scan.calname = scan.calname or value
                elif name == "X-WR-TIMEZONE":
                    scan.x_wr_timezone = scan.x_wr_timezone or value
                else:
                    scan.method = scan.method or (value or "").upper()

    def begin(self, comp: str, number: int) -> None:
        stack = self.stack
        if not stack:
            if comp == "VCALENDAR":
                stack.append((comp, number))
                self.seen_calendar = True
            return  # junk outside any calendar
        if comp in ("VEVENT", "VCALENDAR", "VTIMEZONE") and len(stack) > 1:
            del stack[1:]  # the component we are in was never closed: drop it
            self.close_event(f"bad event: no END:VEVENT before line {number}")
        if comp == "VCALENDAR":
            return  # a nested or repeated header: keep reading the one calendar
        if len(stack) == 1 and comp == "VEVENT":
            self.n_events += 1
            self.event = _RawEvent(self.n_events, number)
        stack.append((comp, number))

    def end(self, comp: str, number: int) -> None:
        stack = self.stack
        if not any(c == comp for c, _line in stack):
            return  # a stray END: nothing to close
        while stack:
            top, began = stack.pop()
            if top == "VTIMEZONE" and len(stack) == 1:
                self.keep_timezone(began, number)
            elif top == "VEVENT" and self.event is not None:
                self.close_event(None if comp == "VEVENT" else f"bad event: no END:VEVENT before line {number}")
            if top == comp:
                break

    def close_event(self, reason: str | None) -> None:
        event = self.event
        if event is not None:
            if reason and not event.broken:
                event.broken = reason
            self.scan.events.append(event)
            self.event = None

    def keep_timezone(self, first: int, last: int) -> None:
        block = "\r\n".join(line.rstrip("\r") for line in self.lines[first - 1:last]) + "\r\n"
        m = _TZID.search(block)
        if m:
            tzid = _unescape(_FOLD.sub("", m.group(1))).strip()
            if tzid:
                self.scan.timezones.setdefault(tzid, block)


def _split_content_line(line: str) -> tuple[str, str] | None:
    """(raw parameters, value) of a content line, or None when it has no ':'."""
    colon = line.find(":")
    if colon < 0:
        return None
    head = line[:colon]
    if '"' in head:  # a quoted parameter value may hold ':' and ';'
        m = _CONTENT_LINE.match(line)
        if m:
            return m.group(2), m.group(3)
    if "(" in head and _OFFSET_COLON.search(head):  # Exchange: TZID=(UTC-05:00) Eastern Time…:value
        colon = line.find(":", colon + 1)
        if colon < 0:
            return None
        head = line[:colon]
    at = head.find(";")
    return (head[at:] if at >= 0 else ""), line[colon + 1:]


def _params(raw: str) -> dict[str, str]:
    params: dict[str, str] = {}
    if not raw:
        return params
    if '"' not in raw:  # the common case, without a regex
        pairs = (part.partition("=") for part in raw.split(";")[1:])
        found = ((k, v) for k, eq, v in pairs if eq)
    else:
        found = (m.groups() for m in _PARAM.finditer(raw))
    for key, value in found:
        key = key.strip().upper()
        value = value.strip()
        if '"' in value:
            value = value.replace('"', "")
        if "^" in value:  # RFC 6868 caret escapes
            value = value.replace("^^", "\x00").replace("^n", "\n").replace("^'", '"').replace("\x00", "^")
        if key and key not in params:
            params[key] = value
    return params


def _unescape(value: str) -> str:
    if "\\" not in value:
        return value
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


# --------------------------------------------------------------------------- reading one VEVENT


@dataclass
class _Attendee:
    email: str | None
    name: str | None  # CN as written (quotes removed)
    partstat: str
    role: str
    human: bool
    organizer: bool = False


@dataclass
class _Event:
    index: int
    line: int
    uid: str
    uid_key: str  # record key for rejects
    start: date | datetime  # date for all-day, else aware datetime
    end: date | datetime | None
    duration: timedelta | None
    summary: str | None
    cancelled: bool
    rrules: list[str]
    rdates: list[Any]
    exdates: list[Any]
    recurrence_id: date | datetime | None
    this_and_future: bool
    sequence: int
    attendees: list[_Attendee]
    notes: list[str] = field(default_factory=list)  # kept rejects
    # settled once the owner is known
    counterparts: list[str] = field(default_factory=list)
    n_participants: int = 0
    owner_declined: bool = False

    @property
    def is_series_part(self) -> bool:
        return bool(self.rrules or self.rdates or self.recurrence_id is not None)

    def addresses(self) -> set[str]:
        """Every human address named in the event, declined or not."""
        return {a.email for a in self.attendees if a.human and a.email}

    def settle(self, owner: set[str], owner_known: bool = True) -> None:
        """Who took part, now that the owner is known (or known to be unknown: then everyone
        who took part is a counterpart, and the owner is one of the people listed)."""
        status: dict[str, list[str]] = defaultdict(list)
        unkeyed = 0
        for a in self.attendees:
            if not a.human:
                continue
            if a.email is None:
                if a.partstat != "DECLINED" and a.role != "NON-PARTICIPANT" and not a.organizer:
                    unkeyed += 1
                continue
            status[a.email].append("ORGANIZER" if a.organizer else
                                   "NON-PARTICIPANT" if a.role == "NON-PARTICIPANT" else a.partstat)
        took_part = []
        for email, states in status.items():
            declined = "DECLINED" in states and not ({"ACCEPTED", "TENTATIVE"} & set(states))
            if email in owner:
                self.owner_declined = self.owner_declined or declined
                continue
            if declined or all(s == "NON-PARTICIPANT" for s in states):
                continue
            took_part.append(email)
        self.counterparts = took_part
        if owner_known:
            self.n_participants = len(took_part) + unkeyed + 1  # the owner counts even when not listed
        else:
            self.n_participants = max(len(took_part) + unkeyed, 2)


class _Reader:
    """Reads the properties of raw VEVENTs into values, resolving time zones once per file."""

    def __init__(self, scan: _Scan):
        self.scan = scan
        self.zones: dict[tuple[str, bool], tzinfo | None] = {}
        self.attendees: dict[tuple[str, str, bool], _Attendee] = {}  # the same people recur: read each line once
        self.floating: tzinfo = _UTC
        if scan.x_wr_timezone:
            self.floating = self._zone(scan.x_wr_timezone, use_file=False) or _UTC
        self.x_wr = self.floating if scan.x_wr_timezone and self.floating is not _UTC else None
        self.calendar_cancelled = scan.method == "CANCEL"

    def read(self, raw: _RawEvent) -> _Event:
        p = raw.props
        notes: list[str] = []
        uid = _unescape(p["UID"][0][1]).strip() if "UID" in p else ""
        if "DTSTART" not in p:
            raise _Bad("no DTSTART")
        start = self._when(*p["DTSTART"][0], "DTSTART", notes)
        end, duration = None, None
        if "DTEND" in p:
            try:
                end = self._when(*p["DTEND"][0], "DTEND", notes)
            except _Bad as exc:
                notes.append(f"{exc}: duration dropped")
        elif "DURATION" in p:
            duration = _duration(p["DURATION"][0][1])
            if duration is None:
                notes.append(f"unreadable DURATION {p['DURATION'][0][1][:40]!r}: duration dropped")
        summary = clean_text(_unescape(p["SUMMARY"][0][1])) if "SUMMARY" in p else None
        status = p["STATUS"][0][1].strip().upper() if "STATUS" in p else ""
        cancelled = (status == "CANCELLED" or self.calendar_cancelled
                     or bool(summary and _CANCELLED_TITLE.match(summary)))
        rrules = [_clean_rrule(v) for _params_raw, v in p.get("RRULE", [])]
        for rule in rrules:
            _check_rrule(rule)
        rdates = [v for raw, value in p.get("RDATE", []) for v in self._dates(raw, value, "RDATE", notes)]
        exdates = [v for raw, value in p.get("EXDATE", []) for v in self._dates(raw, value, "EXDATE", notes)]
        recurrence_id, this_and_future = None, False
        if "RECURRENCE-ID" in p:
            raw_params, value = p["RECURRENCE-ID"][0]
            recurrence_id = self._when(raw_params, value, "RECURRENCE-ID", notes)
            this_and_future = _params(raw_params).get("RANGE", "").upper() == "THISANDFUTURE"
        try:
            sequence = int(p["SEQUENCE"][0][1].strip()) if "SEQUENCE" in p else 0
        except ValueError:
            sequence = 0
        attendees = [self._attendee(raw_params, value, False) for raw_params, value in p.get("ATTENDEE", [])]
        attendees += [self._attendee(raw_params, value, True) for raw_params, value in p.get("ORGANIZER", [])[:1]]
        if end is not None and type(end) is not type(start):
            notes.append("DTEND and DTSTART are not both dates or both times: duration dropped")
            end = None
        if not uid:  # stable across re-exports of the same event
            uid = "no-uid-" + stable_hash(p["DTSTART"][0][1], summary, sorted(a.email or "" for a in attendees))
        return _Event(
            index=raw.ordinal - 1, line=raw.line, uid=uid, uid_key=raw.key, start=start, end=end, duration=duration,
            summary=summary, cancelled=cancelled, rrules=rrules, rdates=rdates, exdates=exdates,
            recurrence_id=recurrence_id, this_and_future=this_and_future, sequence=sequence,
            attendees=attendees, notes=list(dict.fromkeys(notes)),
        )

    # times -----------------------------------------------------------------

    def _when(self, raw_params: str, value: str, what: str, notes: list[str]) -> date | datetime:
        params = _params(raw_params) if raw_params else {}
        return self._value(value, params.get("TZID"), what, notes)

    def _value(self, value: str, tzid: str | None, what: str, notes: list[str]) -> date | datetime:
        m = _DATE_TIME.match(value)
        if not m:
            raise _Bad(f"unreadable {what} {value.strip()[:40]!r}")
        y, mo, d, hh, mi, ss, z = m.groups()
        try:
            if hh is None:
                return date(int(y), int(mo), int(d))
            moment = datetime(int(y), int(mo), int(d), int(hh), int(mi), min(int(ss), 59))
        except ValueError:
            raise _Bad(f"impossible {what} {value.strip()[:40]!r}") from None
        if z:
            moment = moment.replace(tzinfo=_UTC)
            return moment.astimezone(self.x_wr) if self.x_wr else moment
        if tzid:
            zone = self._zone(tzid)
            if zone is None:
                notes.append(f"unknown time zone {tzid[:60]!r}: times read as "
                             f"{self.scan.x_wr_timezone if self.x_wr else 'UTC'}")
                zone = self.floating
            elif type(zone) is _StatedOffset:
                notes.append(f"time zone {tzid[:60]!r} is not known: times read at its stated offset "
                             f"{zone.tzname(None)}, without daylight saving")
            return moment.replace(tzinfo=zone)
        return moment.replace(tzinfo=self.floating)

    def _dates(self, raw_params: str, value: str, what: str, notes: list[str]) -> list[Any]:
        params = _params(raw_params) if raw_params else {}
        tzid = params.get("TZID")
        out: list[Any] = []
        for part in value.split(","):
            if not part.strip():
                continue
            if "/" in part:  # VALUE=PERIOD: start/end or start/duration
                first, _, second = part.partition("/")
                begin = self._value(first, tzid, what, notes)
                length = _duration(second)
                out.append((begin, begin + length) if length is not None
                           else (begin, self._value(second, tzid, what, notes)))
            else:
                out.append(self._value(part, tzid, what, notes))
        return out

    def _zone(self, tzid: str, use_file: bool = True) -> tzinfo | None:
        key = (tzid, use_file)
        if key not in self.zones:
            self.zones[key] = _resolve_zone(tzid, self.scan.timezones if use_file else {})
        return self.zones[key]

    # people ----------------------------------------------------------------

    def _attendee(self, raw_params: str, value: str, organizer: bool) -> _Attendee:
        key = (raw_params, value, organizer)
        found = self.attendees.get(key)
        if found is None:
            found = self.attendees[key] = self._read_attendee(raw_params, value, organizer)
        return found

    def _read_attendee(self, raw_params: str, value: str, organizer: bool) -> _Attendee:
        params = _params(raw_params)
        text = value.strip()
        low = text.lower()
        if not low.startswith("mailto:") and ":mailto:" in low:  # Confluence: params after the colon
            at = low.index(":mailto:")
            params = {**_params(";" + text[:at]), **params}
            text = text[at + 1:]
        email = normalize_email(text) if "@" in text else None
        if email is None:
            email = normalize_email(params.get("EMAIL"))
        cutype = params.get("CUTYPE", "INDIVIDUAL").upper()
        human = cutype not in _NOT_PEOPLE_CUTYPES and not (
            email and _NOT_PEOPLE_DOMAIN.search(email.rpartition("@")[2]))
        name = clean_text(params.get("CN"))
        if name:
            name = clean_text(name.strip("'\"")) or None
        return _Attendee(email, name, params.get("PARTSTAT", "NEEDS-ACTION").upper(),
                         params.get("ROLE", "REQ-PARTICIPANT").upper(), human, organizer)


def _resolve_zone(tzid: str, file_zones: dict[str, str]) -> tzinfo | None:
    """IANA name, then Windows name (CLDR map), then the file's VTIMEZONE, then a Windows
    display name (``(UTC-05:00) Eastern Time (US & Canada)``, see _display_name_zone), then a
    guessed IANA suffix of a globally unique ID (``/freeassociation.sourceforge.net/Europe/Berlin``).

    The file's VTIMEZONE is built into a fresh tzinfo, never through icalendar's process-wide
    cache (where the first file to define a custom TZID would win for every later file).
    """
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    name = tzid.strip().strip('"').strip()
    variants = list(dict.fromkeys([name, name.strip("/"), name.rstrip(":").strip(),
                                   re.sub(r"\s+\d+$", "", name)]))
    for candidate in variants:
        zone = _iana(candidate) or _iana(WINDOWS_TO_OLSON.get(candidate))
        if zone:
            return zone
    for candidate in variants:
        block = file_zones.get(candidate)
        if block:
            zone = _custom_zone(block)
            if zone:
                return zone
    zone = _display_name_zone(name)
    if zone:
        return zone
    parts = name.strip("/").split("/")
    for at in range(1, len(parts)):
        zone = _iana("/".join(parts[at:]))
        if zone:
            return zone
    return None


def _iana(name: str | None) -> tzinfo | None:
    if not name or len(name) > 64 or not re.fullmatch(r"[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*", name):
        return None
    if name.upper() in ("UTC", "GMT", "Z", "ETC/UTC", "ETC/GMT"):
        return _UTC
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _custom_zone(block: str) -> tzinfo | None:
    import icalendar
    from icalendar.timezone import tzp

    try:
        component = icalendar.Component.from_ical(block)
        if component.name != "VTIMEZONE":
            return None
        zone = tzp.create_timezone(component)
        datetime(2000, 1, 1, tzinfo=zone).utcoffset()  # fails now rather than on every event
        return zone
    except Exception:
        return None


# Windows display names whose Windows key cannot be read from the name and that name no IANA
# place: the ones with daylight saving now or in the recent past (where the stated offset
# alone would be an hour out), and the US ones every Outlook user meets. Keys: fold()ed.
_DISPLAY_KEYS = {
    "alaska": "Alaskan Standard Time",
    "aleutian islands": "Aleutian Standard Time",
    "arizona": "US Mountain Standard Time",
    "baja california": "Pacific Standard Time (Mexico)",
    "brasilia": "E. South America Standard Time",
    "hawaii": "Hawaiian Standard Time",
    "indiana east": "US Eastern Standard Time",
    "saint pierre and miquelon": "Saint Pierre Standard Time",
    "saskatchewan": "Canada Central Standard Time",
}


class _StatedOffset(tzinfo):
    """The offset a Windows display name states, when neither the file nor tzdata knows the
    zone: right outside daylight saving, an hour out inside it (a note says so)."""

    def __init__(self, offset: timedelta):
        self._offset = offset
        sign = "-" if offset < timedelta(0) else "+"
        minutes = abs(offset) // timedelta(minutes=1)
        self._name = f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return self._offset

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return self._name

    def __repr__(self) -> str:
        return f"_StatedOffset({self._name})"


def _display_name_zone(name: str) -> tzinfo | None:
    """The zone of a Windows display name, as Outlook Web Access, Exchange and Outlook 2007
    write TZIDs: its Windows key (``Eastern Time (US & Canada)`` is ``Eastern Standard Time``,
    mapped by icalendar's CLDR table), else the IANA zone of a place it lists (``Amsterdam,
    Berlin, …``), else the offset it states.

    No package here has a table of display names (Windows localises them and renames them
    between versions), so the name is read instead, against the CLDR and tzdata names.
    """
    m = _DISPLAY_NAME.fullmatch(name)
    if not m:
        return None
    sign, hours, minutes, text = m.groups()
    offset = timedelta(hours=int(hours or 0), minutes=int(minutes or 0)) * (-1 if sign == "-" else 1)
    if abs(offset) > timedelta(hours=14):
        return None
    text = text.strip()
    zone = _windows_key_zone(text) or _place_zone(text, offset)
    if zone:
        return zone
    if _UNIVERSAL.match(text):  # "(UTC-11:00) Coordinated Universal Time-11": exactly that offset
        return timezone(offset) if offset else _UTC
    return _StatedOffset(offset)


def _windows_key_zone(text: str) -> tzinfo | None:
    """``Eastern Time (US & Canada)`` -> ``Eastern Standard Time``, ``Central America`` ->
    ``Central America Standard Time``, or a name in _DISPLAY_KEYS; through the CLDR map."""
    keys = _windows_keys()
    guesses = (_DISPLAY_KEYS.get(fold(text)), f"{text} Standard Time",
               re.sub(r"\s+Time(?:\s*\(.*\))?\Z", " Standard Time", text))
    for guess in guesses:
        zone = _iana(keys.get(guess.lower())) if guess else None
        if zone:
            return zone
    return None


def _place_zone(text: str, offset: timedelta) -> tzinfo | None:
    """The IANA zone of a place the display name lists, preferring places on the stated
    offset (``Chihuahua, La Paz, Mazatlan`` is Mazatlan's -07:00; Chihuahua moved to -06:00),
    then the zone CLDR picks for a Windows zone (``Dublin, …, London`` is Europe/London).
    A place whose offset changed since (``(UTC+04:00) Moscow`` of 2011) is still that place."""
    places = _iana_places()
    found = list(dict.fromkeys(z for z in (places.get(p) for p in _display_places(text)) if z))
    if not found:
        return None
    on_offset = [z for z in found if offset in _standard_offsets(z)] or found
    preferred = _windows_keys().values()
    return _iana(next((z for z in on_offset if z in preferred), on_offset[0]))


def _display_places(text: str) -> list[str]:
    """Folded places of a display name: ``Yangon (Rangoon)`` -> ``yangon``, ``City of Buenos
    Aires`` -> ``buenos aires``, ``Lord Howe Island`` -> ``lord howe``."""
    text = re.sub(r"\([^)]*\)|\s-\s.*\Z", " ", text)  # "(Rangoon)", "Mid-Atlantic - Old"
    places = []
    for part in text.split(","):
        part = re.sub(r"\A\s*City of\s+|\s+(?:SAR|Is\.|Islands?)\s*\Z", "", part, flags=re.IGNORECASE)
        if fold(part):
            places.append(fold(part))
    return places


@lru_cache(maxsize=1)
def _windows_keys() -> dict[str, str]:
    """icalendar's CLDR map of Windows zone keys, by lower-cased key."""
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    return {key.lower(): zone for key, zone in WINDOWS_TO_OLSON.items()}


@lru_cache(maxsize=1)
def _iana_places() -> dict[str, str]:
    """IANA zones by their folded place (``Mexico City`` -> America/Mexico_City); read once
    per process from tzdata, only when a file names a zone by its display name."""
    places: dict[str, str] = {}
    for zone in sorted(zoneinfo.available_timezones()):
        area, _, place = zone.rpartition("/")
        if area.split("/")[0] in _IANA_AREAS:
            places.setdefault(fold(place.replace("_", " ")), zone)
    return places


_IANA_AREAS = frozenset({"Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian",
                         "Pacific"})


@lru_cache(maxsize=512)
def _standard_offsets(zone: str) -> set[timedelta]:
    """The zone's offsets without daylight saving this January and this July."""
    tz = zoneinfo.ZoneInfo(zone)
    year = datetime.now().year
    return {tz.utcoffset(moment) - (tz.dst(moment) or timedelta(0))
            for moment in (datetime(year, 1, 1), datetime(year, 7, 1))}


def _duration(value: str) -> timedelta | None:
    m = _DURATION.match(value)
    if not m or not any(m.groups()[1:]):
        return None
    sign, w, d, h, mi, s = m.groups()
    td = timedelta(weeks=int(w or 0), days=int(d or 0), hours=int(h or 0), minutes=int(mi or 0), seconds=int(s or 0))
    return -td if sign == "-" else td


def _clean_rrule(value: str) -> str:
    """Exchange writes ``BYDAY=MO, TU`` and folds before ``;WKST``: drop the white space."""
    return re.sub(r"\s+", "", value)


_MONTH_DAYS = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def _check_rrule(rule: str) -> None:
    """Refuse rules that are unreadable, or that no calendar uses for meetings and that would
    keep dateutil busy for many seconds (sub-daily repeats, a 30 February)."""
    from icalendar import vRecur

    try:
        parsed = vRecur.from_ical(rule)
    except Exception as exc:
        raise _Bad(f"unparsable RRULE {rule[:60]!r} ({exc})") from None
    if "FREQ" not in parsed:
        raise _Bad(f"unparsable RRULE {rule[:60]!r} (no FREQ)")
    freq = str(parsed["FREQ"][0]).upper()
    if freq in ("SECONDLY", "MINUTELY", "HOURLY"):
        raise _Bad(f"RRULE repeats {freq.lower()}: not a meeting series")
    months = [m for m in parsed.get("BYMONTH", []) if isinstance(m, int)]
    days = [d for d in parsed.get("BYMONTHDAY", []) if isinstance(d, int)]
    if months and days and not any(abs(d) <= _MONTH_DAYS.get(m, 31) for m in months for d in days):
        raise _Bad(f"RRULE {rule[:60]!r} names a day that does not exist")


def _check_size(event: _Event, horizon: datetime) -> None:
    """Count the occurrences of each RRULE lazily, before recurring-ical-events materialises
    them all in a list (dateutil's ``between``)."""
    from dateutil.rrule import rrulestr

    start = _naive(event.start)
    for rule in event.rrules:
        kept, stop = [], horizon
        for part in rule.split(";"):
            key, _, value = part.partition("=")
            if key.upper() == "UNTIL":
                m = _DATE_TIME.match(value)
                if m:
                    y, mo, d, hh, mi, ss, _z = m.groups()
                    try:
                        stop = min(stop, datetime(int(y), int(mo), int(d), int(hh or 23), int(mi or 59),
                                                  min(int(ss or 59), 59)))
                    except ValueError:
                        pass
            elif part:
                kept.append(part)
        upper = rule.upper()
        if "BYHOUR" not in upper and "BYMINUTE" not in upper and "BYSECOND" not in upper \
                and (stop - start).days < MAX_OCCURRENCES:
            continue  # at most one a day (sub-daily FREQs are refused): no need to count
        n = 0
        for moment in rrulestr(";".join(kept), dtstart=start):
            if moment > stop:
                break
            n += 1
            if n > MAX_OCCURRENCES:
                raise _Bad(f"the recurrence has over {MAX_OCCURRENCES} occurrences up to {stop:%Y-%m-%d}")


# --------------------------------------------------------------------------- owner


class _OwnerUnknown(Exception):
    """No address in the file is known or found to be the owner's; ``event`` is the first with people."""

    def __init__(self, message: str, event: _Event):
        super().__init__(message)
        self.event = event


def _detect_owner(events: list[_Event], scan: _Scan, hint: Owner) -> tuple[Owner, set[str]]:
    """The owner's addresses: kith.toml and earlier files, Google's calendar name, else the
    address that is in every event with people (at least two such events). Raises
    _OwnerUnknown when the events have people and none of them can be told to be the owner."""
    known = {e for e in (normalize_email(x) for x in hint.emails) if e}
    calname = normalize_email(scan.calname) if scan.calname and "@" in scan.calname else None
    by_uid: dict[str, set[str]] = defaultdict(set)  # events with attendees: everyone they name
    for event in events:
        if any(a.human and not a.organizer for a in event.attendees):
            by_uid[event.uid] |= event.addresses()
    everyone = set().union(*by_uid.values()) if by_uid else set()
    detected: set[str] = set()
    if calname:
        detected.add(calname)
    if by_uid and not ((known | detected) & everyone):
        everywhere = set.intersection(*by_uid.values()) if len(by_uid) >= 2 else set()
        if len(everywhere) == 1:
            detected |= everywhere
        elif calname or not any(e.uid in by_uid and not e.cancelled for e in events):
            pass  # Google named the calendar after its owner; or nothing here would load anyway
        else:
            first = next(e for e in events if e.uid in by_uid)
            if len(everywhere) > 1:
                raise _OwnerUnknown(f"cannot tell which address is yours: {', '.join(sorted(everywhere)[:4])} are "
                                    f"in every event; {OWNER_HELP}", first)
            raise _OwnerUnknown(f"cannot tell which address in this calendar is yours; {OWNER_HELP}", first)
    emails = known | detected
    owner = Owner(emails=(detected | (known & everyone)))
    names = Counter(a.name for e in events for a in e.attendees
                    if a.email in emails and a.name and not normalize_email(a.name))
    if names:
        owner.names.add(names.most_common(1)[0][0])
    return owner, emails


# --------------------------------------------------------------------------- occurrences


def _occurrences(events: list[_Event], now: datetime, out: Columns, rejects: list[dict]) -> None:
    horizon = now + HORIZON
    groups: dict[str, list[_Event]] = defaultdict(list)
    for event in events:
        groups[event.uid].append(event)
    for uid, group in groups.items():
        if not any(e.counterparts for e in group):
            continue  # nobody to have met, whatever the recurrence says
        if any(e.is_series_part for e in group):
            rows = Columns(INTERACTION_SCHEMA)
            try:
                for event, start, end in _expand(uid, group, horizon):
                    _emit(event, start, end, True, now, horizon, rows)
            except _Bad as exc:
                rejects.append(reject(group[0].uid_key, group[0].line, f"bad event: {exc}"))
                continue
            except Exception as exc:
                rejects.append(reject(group[0].uid_key, group[0].line,
                                      f"bad event: recurrence cannot be expanded ({type(exc).__name__}: "
                                      f"{str(exc)[:120]})"))
                continue
            out.extend(rows)
        else:
            event = max(enumerate(group), key=lambda pair: (pair[1].sequence, pair[0]))[1]  # latest edit wins
            try:
                end = event.end if event.end is not None else (
                    event.start + event.duration if event.duration is not None else None)
                _emit(event, event.start, end, False, now, horizon, out)
            except (OverflowError, ValueError) as exc:
                rejects.append(reject(event.uid_key, event.line, f"bad event: time out of range ({exc})"))


def _expand(uid: str, group: list[_Event], horizon: datetime) -> list[tuple[_Event, Any, Any]]:
    """Occurrences of one series up to the horizon, each with the VEVENT (master or override)
    that describes it."""
    import icalendar
    import recurring_ical_events

    calendar = icalendar.Calendar()
    for event in group:
        _check_size(event, horizon)
        component = icalendar.Event()
        component["UID"] = icalendar.vText(uid)
        component.add("DTSTART", event.start)
        if event.end is not None:
            component.add("DTEND", event.end)
        elif event.duration is not None:
            component.add("DURATION", event.duration)
        for rule in event.rrules:
            component.add("RRULE", icalendar.vRecur.from_ical(rule))
        if event.rdates:
            component.add("RDATE", event.rdates)
        if event.exdates:
            component.add("EXDATE", event.exdates)
        if event.recurrence_id is not None:
            component.add("RECURRENCE-ID", event.recurrence_id,
                          parameters={"RANGE": "THISANDFUTURE"} if event.this_and_future else None)
        component.add("SEQUENCE", event.sequence)
        component["X-KITH-INDEX"] = str(event.index)
        calendar.add_component(component)
    by_index = {event.index: event for event in group}
    starts = [_naive(e.start) for e in group] + [_naive(e.recurrence_id) for e in group if e.recurrence_id is not None]
    starts += [_naive(d[0] if isinstance(d, tuple) else d) for e in group for d in e.rdates]
    span_start = min(starts) - timedelta(days=2)
    if span_start > horizon:
        return []
    found = []
    query = recurring_ical_events.of(calendar)
    for series in query.series:
        for n, occurrence in enumerate(series.between(span_start, horizon + timedelta(days=2))):
            if n >= MAX_OCCURRENCES:
                raise _Bad(f"the recurrence has over {MAX_OCCURRENCES} occurrences up to {horizon:%Y-%m-%d}")
            event = by_index[int(str(_source_component(occurrence)["X-KITH-INDEX"]))]
            found.append((event, occurrence.start, occurrence.end))
    return found


def _source_component(occurrence: Any) -> Any:
    """The VEVENT (master or override) an occurrence comes from. ``as_component`` copies it and
    rewrites its times, half the cost of a series; recurring-ical-events 3.8 keeps the original
    as ``occurrence._adapter._component``, used when present."""
    component = getattr(getattr(occurrence, "_adapter", None), "_component", None)
    return component if component is not None else occurrence.as_component(False)


def _emit(event: _Event, start: Any, end: Any, in_series: bool, now: datetime, horizon: datetime,
          out: Columns) -> None:
    if event.cancelled or event.owner_declined or not event.counterparts:
        return
    at = _naive_utc(start)
    if at > horizon:
        return
    duration = None
    if isinstance(start, datetime) and (event.end is not None or event.duration is not None) \
            and isinstance(end, datetime):
        minutes = (end - start).total_seconds() / 60
        duration = minutes if minutes >= 0 else None
    kind = "meeting" if at <= now else "scheduled"
    stamp = at.isoformat()
    record_key = f"{event.uid}@{stamp}" if in_series else event.uid
    columns = out.columns
    for email in event.counterparts:
        columns["record_key"].append(record_key)
        columns["line_no"].append(event.line)
        columns["counterpart_key"].append(email)
        columns["kind"].append(kind)
        columns["occurred_at"].append(at)
        columns["direction"].append(None)
        columns["conversation_id"].append(event.uid)
        columns["n_participants"].append(event.n_participants)
        columns["summary"].append(event.summary)
        columns["duration_minutes"].append(duration)
        columns["title"].append(event.summary)
        columns["record_hash"].append(stable_hash(kind, event.uid, stamp, email))


def _naive(value: date | datetime) -> datetime:
    """A comparable naive datetime in the value's own wall time."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime(value.year, value.month, value.day)


def _naive_utc(value: date | datetime) -> datetime:
    """UTC without tzinfo; dates are midnight of that date, naive times are already UTC."""
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            return value.replace(tzinfo=None)
        return value.astimezone(_UTC).replace(tzinfo=None)
    return datetime(value.year, value.month, value.day)


# --------------------------------------------------------------------------- people


def _people(events: list[_Event], owner: set[str]) -> list[dict]:
    first_line: dict[str, int] = {}
    names: dict[str, Counter] = defaultdict(Counter)
    for event in events:
        for a in event.attendees:
            if not a.human or not a.email or a.email in owner:
                continue
            first_line.setdefault(a.email, event.line)
            if a.name and a.name.lower() != a.email and not normalize_email(a.name):
                names[a.email][a.name] += 1
    people = []
    for email, line in first_line.items():
        full = names[email].most_common(1)[0][0] if names[email] else None
        first, last, key = split_addressed_name(full)
        people.append({
            "record_key": email, "line_no": line, "source_kind": FORMAT, "full_name": full,
            "first_name": first, "last_name": last, "name_key": key, "emails": [email], "phones": [],
            "record_hash": stable_hash(FORMAT, email, full),
        })
    return people
