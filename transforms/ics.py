"""iCalendar (.ics) exports from Google, Outlook/Exchange and Apple: who the owner met, and when.

Every occurrence of every event becomes one interaction per other person who took part
(export-formats.md §4). Single events are read by a content-line scanner of our own
(icalendar 7.3 parses about 700 events a second, far too slow for a 100,000-event export):
regexes over the whole text find the BEGIN/END lines and the few properties read, so no
Python runs per line, and each distinct ATTENDEE line and time is read once per file.
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

import re
from hashlib import blake2b
import zoneinfo
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from itertools import chain, filterfalse
from operator import attrgetter
from typing import Any

import polars as pl

from transforms.normalize import clean_text, fold, normalize_email, split_addressed_name
from transforms.records import (INTERACTION_SCHEMA, PERSON_RECORD_SCHEMA, REJECT_SCHEMA, ExportError, Owner,
                                ParseContext, ParseResult, frame, gc_paused, reject, stable_hash)

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
_PEOPLE = frozenset({"ATTENDEE", "ORGANIZER"})
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
# The properties of one VEVENT: NAME -> [(raw parameters, value)], or [raw text] for ATTENDEE and ORGANIZER.
_Props = dict[str, list[Any]]
_TIMES_KEPT = 1 << 16  # distinct times (or titles) remembered by _Reader (then it starts afresh)


def matches(text: str, context: ParseContext | None = None) -> bool:
    """A ``BEGIN:VCALENDAR`` line among the first non-empty lines."""
    head = [line for line in text[:4096].lstrip("\ufeff").splitlines() if line.strip()][:5]
    return any(_BEGIN_CAL.match(line) for line in head)


def parse(text: str, context: ParseContext | None = None) -> ParseResult:
    """Meetings (and scheduled meetings) with each attendee, and the attendees as people."""
    with gc_paused():  # (millions of small objects, no cycles: see records.gc_paused)
        return _parse(text, context)


def _parse(text: str, context: ParseContext | None) -> ParseResult:
    context = context or ParseContext()
    now = _naive_utc(context.now if context.now is not None else datetime.now(_UTC))
    scan = _scan(text)
    reader = _Reader(scan)
    events: list[_Event] = []
    rejects: list[dict] = []
    for raw in scan.events:
        props = scan.props(raw)
        if raw.broken:
            rejects.append(reject(_key(raw, props), raw.line, raw.broken))
            continue
        try:
            event = reader.read(raw, props)
        except _Bad as exc:
            rejects.append(reject(_key(raw, props), raw.line, f"bad event: {exc}"))
            continue
        except Exception as exc:  # a value no rule foresaw: lose the event, keep the file
            rejects.append(reject(_key(raw, props), raw.line,
                                  f"bad event: {type(exc).__name__}: {str(exc)[:120]}"))
            continue
        if event.notes:
            rejects.extend(reject(event.uid_key, event.line, note, kept=True) for note in event.notes)
        events.append(event)
    counts = _attendee_counts(events)
    try:
        owner, owner_emails = _detect_owner(events, scan, context.owner, counts)
        owner_known = True
    except _OwnerUnknown as unknown:
        if scan.method not in _INVITATION_METHODS:
            raise ExportError(str(unknown)) from None
        owner, owner_emails, owner_known = Owner(), set(), False
        rejects.append(reject(unknown.event.uid_key, unknown.event.line, OWNER_UNKNOWN_NOTE, kept=True))
    _settle(events, counts, owner_emails, owner_known)
    interactions = _Interactions()
    _occurrences(events, now, now + HORIZON, interactions, rejects)
    return ParseResult(
        format=FORMAT, records_read=len(scan.events),
        people=frame(_people(events, owner_emails, counts), PERSON_RECORD_SCHEMA),
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
    spans: list[tuple[int, int]] = field(default_factory=list)  # its own text between BEGIN/END lines
    broken: str | None = None


@dataclass
class _Scan:
    text: str = ""  # the file, line ends as found (classic Mac CRs made LFs)
    events: list[_RawEvent] = field(default_factory=list)
    timezones: dict[str, str] = field(default_factory=dict)  # TZID -> VTIMEZONE text
    calname: str | None = None
    x_wr_timezone: str | None = None
    method: str | None = None

    def props(self, event: _RawEvent) -> _Props:
        """NAME -> [(raw parameters, value)] of the properties the parser reads, in file order.

        ATTENDEE and ORGANIZER lines are kept as found (raw text after the name, folds and
        all), and read only the first time that exact text is met (_Reader._attendees): the
        same people recur in thousands of events, written the same way."""
        props: _Props = {}
        attendees: list[str] = []
        organizers: list[str] = []
        text = self.text
        for start, end in event.spans:
            for attendee, organizer, name, params, value, raw in _PROPERTY.findall(text, start, end):
                if attendee:
                    attendees.append(attendee)
                    continue
                if organizer:
                    organizers.append(organizer)
                    continue
                if name not in _NEEDED:
                    name = name.upper()
                if raw:  # folded, or quotes or parentheses before the value
                    entry = _split_content_line(name + _unfold(raw))
                    if entry is None:
                        continue
                else:
                    entry = (params, value)
                found = props.get(name)
                if found is None:
                    props[name] = [entry]
                else:
                    found.append(entry)
        if attendees:
            props["ATTENDEE"] = attendees
        if organizers:
            props["ORGANIZER"] = organizers
        return props


# Content lines are found by regexes over the whole text, each starting at a line's "\n" (a
# literal first character lets the regex engine skip to candidates at C speed; a match at
# offset 0 is tried apart). A name is ASCII letters in any case, then blanks and ';' or ':'
# on its first physical line; continuation lines (a blank first) belong to it.
_LOGICAL = r"[^\n]*(?:\n[ \t][^\n]*)*"
_BOUNDARY = re.compile(r"\n((?:BEGIN|END)[ \t]*[;:]" + _LOGICAL + ")", re.I | re.A)  # BEGIN and END lines
_FIRST_BOUNDARY = re.compile(r"(?:BEGIN|END)[ \t]*[;:]" + _LOGICAL, re.I | re.A)
_CALENDAR_PROPERTY = re.compile(r"\n(X-WR-CALNAME|X-WR-TIMEZONE|METHOD)[ \t]*([;:]" + _LOGICAL + ")", re.I | re.A)
# A property the parser reads, as (the raw text after ATTENDEE, "", "", "", "", "") or ("", the
# raw text after ORGANIZER, "", "", "", "") or, for the others, ("", "", name, raw parameters,
# value, "") when the line is not folded and holds no quote or parenthesis before its first
# colon (then the first colon ends the parameters), else ("", "", name, "", "", the raw text
# after the name). The raw text starts with ';' or ':', so it is never empty.
_PROPERTY = re.compile(
    r"\n(?:ATTENDEE[ \t]*([;:]" + _LOGICAL + r")|ORGANIZER[ \t]*([;:]" + _LOGICAL + r")|"
    r"(" + "|".join(sorted(_NEEDED - _PEOPLE)) + r")[ \t]*"
    r"(?:((?:;[^:\"(\n]*)?):([^\r\n]*)\r?(?![^\n])(?!\n[ \t])|([;:]" + _LOGICAL + ")))", re.I | re.A)


def _scan(text: str) -> _Scan:
    """Cut the calendar into VEVENTs and VTIMEZONEs, checking the nesting.

    Only BEGIN and END lines are visited one by one (a regex finds them); each VEVENT keeps
    the spans of text that are its own (not a nested VALARM's), read later by _Scan.props.
    A file that ends inside a component is truncated: ExportError. A VEVENT that is never
    closed before the next one begins is rejected and the scan goes on.
    """
    if "\n" not in text:
        text = text.replace("\r", "\n")  # classic Mac line ends
    scan = _Scan(text)
    state = _ScanState(scan)
    number, counted, after = 1, 0, -1
    first = _FIRST_BOUNDARY.match(text)
    for m in chain((first,) if first else (), _BOUNDARY.finditer(text)):
        start, raw = (0, m.group()) if m is first else (m.start(1), m.group(1))
        if after >= 0:
            state.gap(after, start)
        number += text.count("\n", counted, start)
        counted = start
        begins, comp = _PLAIN_BOUNDARIES.get(raw) or _boundary(raw)
        if begins:
            state.begin(comp, number, start)
        else:
            state.end(comp, number, start)
        after = m.end()
    if after >= 0:
        state.gap(after, len(text))
    if not state.seen_calendar:
        raise ExportError("not an iCalendar file: no BEGIN:VCALENDAR line", line_no=1)
    if state.stack:
        inner, began, _at = state.stack[-1]
        lines = text.split("\n")
        last = len(lines)
        while last > 1 and not lines[last - 1].strip():
            last -= 1
        hint = " (or, if nothing is missing, add END:VCALENDAR as the last line)" if inner == "VCALENDAR" else ""
        raise ExportError(
            f"the calendar is truncated: it ends inside {inner} (begun on line {began}) where END:{inner} "
            f"was expected; export it again{hint}", line_no=last)
    return scan


def _boundary(raw: str) -> tuple[bool, str]:
    """(BEGIN rather than END, the component) of a BEGIN or END line."""
    line = _unfold(raw)
    return line[0] in "bB", line.partition(":")[2].strip().upper()


# BEGIN and END lines as nearly all files write them, read without _boundary
_PLAIN_BOUNDARIES = {f"{word}:{comp}{cr}": (word == "BEGIN", comp) for word in ("BEGIN", "END")
                     for comp in ("VCALENDAR", "VEVENT", "VTIMEZONE", "VALARM", "STANDARD", "DAYLIGHT")
                     for cr in ("", "\r")}


def _unfold(raw: str) -> str:
    """One logical line from its physical lines: folds and the CR of each line removed."""
    if "\n" in raw:
        raw = _FOLD.sub("", raw)
    return raw[:-1] if raw.endswith("\r") else raw


def _key(event: _RawEvent, props: _Props) -> str:
    """The record key of an event's rejects: its UID, else its place in the file."""
    uids = props.get("UID")
    uid = _unescape(uids[0][1]).strip() if uids else ""
    return uid or f"event {event.ordinal}"


class _ScanState:
    """The component nesting while scanning, and what each BEGIN or END line does to it."""

    def __init__(self, scan: _Scan):
        self.scan = scan
        self.stack: list[tuple[str, int, int]] = []  # (component name, line it began on, offset of that line)
        self.seen_calendar = False
        self.event: _RawEvent | None = None
        self.n_events = 0

    def gap(self, start: int, end: int) -> None:
        """The text between two BEGIN/END lines belongs to the component then open."""
        depth = len(self.stack)
        if depth == 2 and self.event is not None:
            self.event.spans.append((start, end))
        elif depth == 1 and end - start > 2:
            self.calendar_properties(start, end)

    def calendar_properties(self, start: int, end: int) -> None:
        scan = self.scan
        for name, raw in _CALENDAR_PROPERTY.findall(scan.text, start, end):
            parsed = _split_content_line(name + _unfold(raw))
            if parsed:
                value = _unescape(parsed[1]).strip() or None
                name = name.upper()
                if name == "X-WR-CALNAME":
                    scan.calname = scan.calname or value
                elif name == "X-WR-TIMEZONE":
                    scan.x_wr_timezone = scan.x_wr_timezone or value
                else:
                    scan.method = scan.method or (value or "").upper()

    def begin(self, comp: str, number: int, at: int) -> None:
        stack = self.stack
        if not stack:
            if comp == "VCALENDAR":
                stack.append((comp, number, at))
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
        stack.append((comp, number, at))

    def end(self, comp: str, number: int, at: int) -> None:
        stack = self.stack
        if not (stack and stack[-1][0] == comp) and not any(c == comp for c, _line, _at in stack):
            return  # a stray END: nothing to close
        while stack:
            top, _began, began_at = stack.pop()
            if top == "VTIMEZONE" and len(stack) == 1:
                self.keep_timezone(began_at, at)
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
        """The VTIMEZONE from the line at offset ``first`` to the (physical) line at ``last``."""
        text = self.scan.text
        stop = text.find("\n", last)
        lines = text[first:stop if stop >= 0 else len(text)].split("\n")
        block = "\r\n".join(line.rstrip("\r") for line in lines) + "\r\n"
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


@dataclass(eq=False, slots=True)  # one object per distinct line, counted by identity (_attendee_counts)
class _Attendee:
    email: str | None
    name: str | None  # CN as written (quotes removed)
    partstat: str
    role: str
    human: bool
    organizer: bool = False
    # derived once per distinct line, not once per event
    state: str = field(init=False)  # how they took part, for settle
    unkeyed: bool = field(init=False)  # a person without an address who took part
    named: bool = field(init=False)  # the CN is a name, not an address
    address: str | None = field(init=False)  # the email of a human
    invited: bool = field(init=False)  # a human attendee (not only the organizer)
    takes_part: bool = field(init=False)  # their one state is neither declined nor only copied
    mine: bool = field(init=False, default=False)  # the owner's address: set by _settle

    def __post_init__(self) -> None:
        self.state = ("ORGANIZER" if self.organizer else
                      "NON-PARTICIPANT" if self.role == "NON-PARTICIPANT" else self.partstat)
        self.unkeyed = (self.human and self.email is None and self.partstat != "DECLINED"
                        and self.role != "NON-PARTICIPANT" and not self.organizer)
        self.named = bool(self.name) and not normalize_email(self.name)
        self.address = self.email if self.human and self.email else None
        self.invited = self.human and not self.organizer
        self.takes_part = self.state not in ("DECLINED", "NON-PARTICIPANT")


@dataclass(slots=True)
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
        found = {a.address for a in self.attendees}
        found.discard(None)
        return found

    def _states(self) -> tuple[dict[str, Any], int]:
        """How each address took part (its one state, or a list when listed more than once),
        and how many people without an address took part."""
        status: dict[str, Any] = {}
        unkeyed = 0
        for a in self.attendees:
            email = a.address
            if email is None:
                unkeyed += a.unkeyed
                continue
            states = status.get(email)
            if states is None:
                status[email] = a.state
            elif type(states) is str:
                status[email] = [states, a.state]
            else:
                states.append(a.state)
        return status, unkeyed

    def settle(self, owner: set[str], owner_known: bool, owner_declines: dict[tuple[_Attendee, ...], bool]) -> None:
        """Who took part, now that the owner is known (or known to be unknown: then everyone
        who took part is a counterpart, and the owner is one of the people listed).

        Attendees know whether they are the owner (_settle). When everyone else has an address
        of their own, each of them took part unless their one state says not; only the owner
        may be listed twice (as organizer and attendee), and whether the owner declined is
        worked out once per distinct set of the owner's lines (``owner_declines``)."""
        attendees = self.attendees
        others = list(filterfalse(_MINE, attendees))
        addresses = list(map(_ADDRESS, others))
        if None in addresses or len(set(addresses)) < len(addresses):
            self._settle_carefully(owner, owner_known)
            return
        if len(others) < len(attendees):
            mine = tuple(filter(_MINE, attendees))
            declined = owner_declines.get(mine)
            if declined is None:
                declined = owner_declines[mine] = _owner_declined(mine)
            self.owner_declined = declined
        took_part = list(map(_ADDRESS, filter(_TAKES_PART, others)))
        self.counterparts = took_part
        self.n_participants = len(took_part) + 1 if owner_known else max(len(took_part), 2)

    def _settle_carefully(self, owner: set[str], owner_known: bool) -> None:
        """settle for events where someone other than the owner is listed twice or has no address."""
        status: dict[str, Any] = {a.address: a.state for a in self.attendees}  # email -> how they took part
        unkeyed = 0
        if len(status) < len(self.attendees) or None in status:  # listed twice, or without an address
            status, unkeyed = self._states()
        took_part = []
        for email, states in status.items():
            if type(states) is str:
                declined, silent = states == "DECLINED", states == "NON-PARTICIPANT"
            else:
                declined = "DECLINED" in states and "ACCEPTED" not in states and "TENTATIVE" not in states
                silent = all(s == "NON-PARTICIPANT" for s in states)
            if email in owner:
                self.owner_declined = self.owner_declined or declined
                continue
            if declined or silent:
                continue
            took_part.append(email)
        self.counterparts = took_part
        if owner_known:
            self.n_participants = len(took_part) + unkeyed + 1  # the owner counts even when not listed
        else:
            self.n_participants = max(len(took_part) + unkeyed, 2)


_MINE = attrgetter("mine")
_ADDRESS = attrgetter("address")
_TAKES_PART = attrgetter("takes_part")
_INVITED = attrgetter("invited")


def _owner_declined(mine: tuple[_Attendee, ...]) -> bool:
    """Whether the owner declined, from the owner's lines in one event (an address listed
    more than once declined only if no line accepts, even tentatively)."""
    states: dict[str, list[str]] = {}
    for a in mine:
        states.setdefault(a.address, []).append(a.state)
    return any("DECLINED" in found and "ACCEPTED" not in found and "TENTATIVE" not in found
               for found in states.values())


def _settle(events: list[_Event], counts: Counter[_Attendee], owner: set[str], owner_known: bool) -> None:
    """Settle every event once the owner's addresses are known; each distinct attendee line
    (the keys of ``counts``) is matched against them once, not once per event."""
    for a in counts:
        a.mine = a.address is not None and a.address in owner
    owner_declines: dict[tuple[_Attendee, ...], bool] = {}
    for event in events:
        event.settle(owner, owner_known, owner_declines)


class _Reader:
    """Reads the properties of raw VEVENTs into values, resolving time zones once per file."""

    def __init__(self, scan: _Scan):
        self.scan = scan
        self.zones: dict[tuple[str, bool], tzinfo | None] = {}
        self.times: dict[tuple[str, str], date | datetime] = {}  # (raw parameters, value) -> time
        # the same people recur: each distinct line is read once
        self.attendees: dict[str, _Attendee | bool] = {}
        self.organizers: dict[str, _Attendee | bool] = {}
        self.summaries: dict[str, tuple[str | None, bool]] = {}  # SUMMARY value -> _summary's answer
        self.floating: tzinfo = _UTC
        if scan.x_wr_timezone:
            self.floating = self._zone(scan.x_wr_timezone, use_file=False) or _UTC
        self.x_wr = self.floating if scan.x_wr_timezone and self.floating is not _UTC else None
        self.calendar_cancelled = scan.method == "CANCEL"

    def read(self, raw: _RawEvent, p: _Props) -> _Event:
        notes: list[str] = []
        uid = _unescape(p["UID"][0][1]).strip() if "UID" in p else ""
        uid_key = uid or f"event {raw.ordinal}"  # as _key gives it
        if "DTSTART" not in p:
            raise _Bad("no DTSTART")
        start = self._when(p["DTSTART"][0], "DTSTART", notes)
        end, duration = None, None
        if "DTEND" in p:
            try:
                end = self._when(p["DTEND"][0], "DTEND", notes)
            except _Bad as exc:
                notes.append(f"{exc}: duration dropped")
        elif "DURATION" in p:
            duration = _duration(p["DURATION"][0][1])
            if duration is None:
                notes.append(f"unreadable DURATION {p['DURATION'][0][1][:40]!r}: duration dropped")
        summary, cancelled = self._summary(p["SUMMARY"][0][1]) if "SUMMARY" in p else (None, False)
        if not cancelled:
            status = p["STATUS"][0][1].strip().upper() if "STATUS" in p else ""
            cancelled = status == "CANCELLED" or self.calendar_cancelled
        rrules, rdates, exdates = [], [], []
        if "RRULE" in p:
            rrules = [_clean_rrule(v) for _params_raw, v in p["RRULE"]]
            for rule in rrules:
                _check_rrule(rule)
        if "RDATE" in p:
            rdates = [v for raw_params, value in p["RDATE"] for v in self._dates(raw_params, value, "RDATE", notes)]
        if "EXDATE" in p:
            exdates = [v for raw_params, value in p["EXDATE"]
                       for v in self._dates(raw_params, value, "EXDATE", notes)]
        recurrence_id, this_and_future = None, False
        if "RECURRENCE-ID" in p:
            entry = p["RECURRENCE-ID"][0]
            recurrence_id = self._when(entry, "RECURRENCE-ID", notes)
            this_and_future = _params(entry[0]).get("RANGE", "").upper() == "THISANDFUTURE"
        try:
            sequence = int(p["SEQUENCE"][0][1].strip()) if "SEQUENCE" in p else 0
        except ValueError:
            sequence = 0
        attendees = self._attendees(p["ATTENDEE"], False) if "ATTENDEE" in p else []
        if "ORGANIZER" in p:
            organizers = p["ORGANIZER"]
            organizer = self.organizers.get(organizers[0])
            if organizer:  # the common case: one ORGANIZER line, read before
                attendees.append(organizer)
            else:
                attendees += self._attendees(organizers, True)
        if end is not None and type(end) is not type(start):
            notes.append("DTEND and DTSTART are not both dates or both times: duration dropped")
            end = None
        if not uid:  # stable across re-exports of the same event
            uid = "no-uid-" + stable_hash(p["DTSTART"][0][1], summary, sorted(a.email or "" for a in attendees))
        return _Event(
            index=raw.ordinal - 1, line=raw.line, uid=uid, uid_key=uid_key, start=start, end=end, duration=duration,
            summary=summary, cancelled=cancelled, rrules=rrules, rdates=rdates, exdates=exdates,
            recurrence_id=recurrence_id, this_and_future=this_and_future, sequence=sequence,
            attendees=attendees, notes=list(dict.fromkeys(notes)) if notes else [],
        )

    def _summary(self, value: str) -> tuple[str | None, bool]:
        """(the title, whether it says the meeting was cancelled) of a SUMMARY value; each
        distinct one read once (a series' or a team's meetings share their title)."""
        found = self.summaries.get(value)
        if found is None:
            summary = clean_text(_unescape(value))
            found = (summary, bool(summary and _CANCELLED_TITLE.match(summary)))
            if len(self.summaries) >= _TIMES_KEPT:
                self.summaries.clear()
            self.summaries[value] = found
        return found

    # times -----------------------------------------------------------------

    def _when(self, key: tuple[str, str], what: str, notes: list[str]) -> date | datetime:
        """The time of a DTSTART, DTEND or RECURRENCE-ID from its (raw parameters, value); each
        distinct one read once (meetings start on the hour and half hour), unless reading it
        left a note."""
        found = self.times.get(key)
        if found is not None:
            return found
        raw_params, value = key
        params = _params(raw_params) if raw_params else {}
        noted = len(notes)
        found = self._value(value, params.get("TZID"), what, notes)
        if len(notes) == noted:
            if len(self.times) >= _TIMES_KEPT:
                self.times.clear()
            self.times[key] = found
        return found

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

    def _attendees(self, lines: list[str], organizer: bool) -> list[_Attendee]:
        """The people of ATTENDEE (or the first ORGANIZER) lines, each distinct line read once."""
        cache = self.organizers if organizer else self.attendees
        if not organizer:
            found = list(map(cache.get, lines))
            if None not in found and False not in found:  # all read before, all with a value
                return found
        out = []
        for line in lines:
            found = cache.get(line)
            if found is None:
                found = cache[line] = self._read_line(line, organizer)
            if found:
                out.append(found)
                if organizer:
                    break
        return out

    def _read_line(self, raw: str, organizer: bool) -> _Attendee | bool:
        """The attendee of an ATTENDEE or ORGANIZER line (the raw text after its name), or
        False for a line without a value."""
        parsed = _split_content_line("ATTENDEE" + _unfold(raw))
        if parsed is None:
            return False
        return self._read_attendee(*parsed, organizer)

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


def _detect_owner(events: list[_Event], scan: _Scan, hint: Owner,
                  counts: Counter[_Attendee]) -> tuple[Owner, set[str]]:
    """The owner's addresses: kith.toml and earlier files, Google's calendar name, else the
    address that is in every event with people (at least two such events). Raises
    _OwnerUnknown when the events have people and none of them can be told to be the owner."""
    known = {e for e in (normalize_email(x) for x in hint.emails) if e}
    calname = normalize_email(scan.calname) if scan.calname and "@" in scan.calname else None
    with_people = [event for event in events if any(map(_INVITED, event.attendees))]
    # everyone those events name, from the distinct attendee lines (shared between events)
    everyone = {a.address for a in set(chain.from_iterable(event.attendees for event in with_people))}
    everyone.discard(None)
    detected: set[str] = set()
    if calname:
        detected.add(calname)
    if with_people and not ((known | detected) & everyone):
        by_uid = _named_by_uid(with_people)
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
    names: Counter[str] = Counter()
    for a, n in counts.items():
        if a.named and a.email in emails:
            names[a.name] += n
    if names:
        owner.names.add(names.most_common(1)[0][0])
    return owner, emails


def _named_by_uid(with_people: list[_Event]) -> dict[str, set[str]]:
    """UID -> every address its events name (the events with people), in order of first appearance."""
    by_uid: dict[str, set[str]] = {}
    for event in with_people:
        named = by_uid.get(event.uid)
        if named is None:
            by_uid[event.uid] = event.addresses()
        else:
            named |= event.addresses()
    return by_uid


# --------------------------------------------------------------------------- occurrences


class _Interactions:
    """Interaction rows, gathered an occurrence at a time: what every person met in one
    occurrence shares is kept once per occurrence and repeated by polars in ``frame`` (a
    100,000-event file meets 500,000 people: 10 columns filled row by row cost a second)."""

    SHARED = tuple(name for name in INTERACTION_SCHEMA if name not in ("counterpart_key", "record_hash"))

    def __init__(self) -> None:
        self.shared: list[tuple] = []  # per occurrence: its values of SHARED, in that order
        self.occurrence: list[int] = []  # per row: the occurrence it belongs to
        self.counterparts: list[str] = []  # per row
        self.hashes: list[str] = []  # per row
        self.encoded: dict[str, bytes] = {}  # each counterpart's address as UTF-8, encoded once

    def extend(self, other: _Interactions) -> None:
        offset = len(self.shared)
        self.shared.extend(other.shared)
        self.occurrence.extend([n + offset for n in other.occurrence])
        self.counterparts.extend(other.counterparts)
        self.hashes.extend(other.hashes)

    def frame(self) -> pl.DataFrame:
        """The rows in INTERACTION_SCHEMA, as records.Columns would have built them."""
        columns = zip(*self.shared) if self.shared else ([] for _name in self.SHARED)
        shared = pl.DataFrame(dict(zip(self.SHARED, map(list, columns))),
                              schema={name: INTERACTION_SCHEMA[name] for name in self.SHARED})
        rows = shared[pl.Series(self.occurrence, dtype=pl.Int64)] if self.occurrence else shared.clear()
        return rows.with_columns(
            pl.Series("counterpart_key", self.counterparts, dtype=INTERACTION_SCHEMA["counterpart_key"]),
            pl.Series("record_hash", self.hashes, dtype=INTERACTION_SCHEMA["record_hash"]),
        ).select(list(INTERACTION_SCHEMA))


def _occurrences(events: list[_Event], now: datetime, horizon: datetime, out: _Interactions,
                 rejects: list[dict]) -> None:
    groups: dict[str, Any] = {}  # uid -> its one event, or a list of its events (edits, series)
    for event in events:
        found = groups.get(event.uid)
        if found is None:
            groups[event.uid] = event
        elif type(found) is list:
            found.append(event)
        else:
            groups[event.uid] = [found, event]
    for uid, group in groups.items():
        if type(group) is not list:  # one event: the common case
            if group.counterparts and not group.is_series_part:
                _emit_single(group, now, horizon, out, rejects)
                continue
            group = [group]
        if not any(e.counterparts for e in group):
            continue  # nobody to have met, whatever the recurrence says
        if any(e.is_series_part for e in group):
            rows = _Interactions()
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
            _emit_single(event, now, horizon, out, rejects)


def _emit_single(event: _Event, now: datetime, horizon: datetime, out: _Interactions, rejects: list[dict]) -> None:
    """The interactions of an event that is not part of a series."""
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
          out: _Interactions) -> None:
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
    shared = out.shared
    emails = event.counterparts
    out.occurrence += [len(shared)] * len(emails)
    # record_key, line_no, kind, occurred_at, direction, conversation_id, n_participants, summary,
    # duration_minutes, title (_Interactions.SHARED)
    shared.append((f"{event.uid}@{stamp}" if in_series else event.uid, event.line, kind, at, None, event.uid,
                   event.n_participants, event.summary, duration, event.summary))
    out.counterparts += emails
    # stable_hash(kind, uid, stamp, email), its text built once per event (all four are str)
    prefix = f"{kind}\x1f{event.uid}\x1f{stamp}\x1f".encode("utf-8")
    encoded = out.encoded
    try:
        out.hashes += [blake2b(prefix + encoded[email], digest_size=12).hexdigest() for email in emails]
    except KeyError:
        encoded.update((email, email.encode("utf-8")) for email in emails)
        out.hashes += [blake2b(prefix + encoded[email], digest_size=12).hexdigest() for email in emails]


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


def _attendee_counts(events: list[_Event]) -> Counter[_Attendee]:
    """How many events name each distinct attendee line, in the order they first appear
    (counted in C: attendees are shared objects, one per distinct line)."""
    return Counter(chain.from_iterable(event.attendees for event in events))


def _people(events: list[_Event], owner: set[str], counts: Counter[_Attendee]) -> list[dict]:
    """One person per address, named by the name written most often beside it."""
    first_seen: dict[_Attendee, int] = {}  # line of the first event naming each attendee line
    for event in reversed(events):
        first_seen.update(dict.fromkeys(event.attendees, event.line))
    first_line: dict[str, int] = {}
    names: dict[str, Counter] = defaultdict(Counter)
    for a, n in counts.items():  # in order of first appearance, as the events list them
        email = a.address
        if email is None or email in owner:
            continue
        if email not in first_line:
            first_line[email] = first_seen[a]
        if a.named and a.name.lower() != email:
            names[email][a.name] += n
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
