"""The weekly list as calendar reminders: one all-day event per person, in an .ics file.

Each event is on the day after the list's as-of date (so it lands while the list is still
this week's, and before a birthday in the next 7 days), with a display alarm at 09:00 local
time (floating: a relative trigger of PT9H from the all-day start, as Apple Calendar writes
it; RFC 5545 allows absolute triggers only in UTC). UIDs are stable per (week, person), so
importing the same week's file again updates the events rather than duplicating them, and
DTSTAMP comes from the as-of date: the same inputs give the same bytes.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from icalendar import Alarm, Calendar, Event

from flows.html_report import mailto, safe_http_url
from flows.outputs import write_private

PRODID = "-//kith//weekly list//EN"
UID_DOMAIN = "kith.local"
ALARM_AT = timedelta(hours=9)


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _text(value: object) -> str:
    """One line of text: control characters (other than newline) dropped."""
    text = "" if value is None else str(value)
    return "".join(c for c in text if c == "\n" or ord(c) >= 0x20 and c != "\x7f").strip()


def reminder_day(as_of: object) -> date:
    return _as_date(as_of) + timedelta(days=1)


def event_uid(week: str, person_id: object) -> str:
    return f"{week}-person-{person_id}@{UID_DOMAIN}"


def _description(row: dict) -> str:
    reason = _text(row.get("reason"))
    lines = [reason]
    who = " at ".join(_text(v) for v in (row.get("title"), row.get("company")) if v)
    if who and who not in reason:
        lines.append(who)
    url = safe_http_url(row.get("linkedin_url"))
    emails = row.get("emails") or []
    if isinstance(emails, str):
        emails = [emails]
    email = next((e for e in emails if mailto(e)), None)
    links = ([f"LinkedIn: {url}"] if url else []) + ([f"Email: {email.strip()}"] if email else [])
    if links:
        lines.append("")
        lines += links
    return "\n".join(lines).strip()


def render_reminders(rows: list[dict], week: str, as_of: object) -> str:
    """An RFC 5545 calendar (CRLF, folded lines) with one VEVENT per listed person."""
    day = reminder_day(as_of)
    stamp = datetime.combine(_as_date(as_of), time(0, 0), tzinfo=timezone.utc)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"kith reconnect list {week}")
    for row in rows:
        name = _text(row.get("display_name")).replace("\n", " ") or "someone"
        event = Event()
        event.add("uid", event_uid(week, row.get("person_id")))
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", f"Reconnect: {name}")
        event.add("description", _description(row))
        url = safe_http_url(row.get("linkedin_url"))
        if url:
            event.add("url", url)
        event.add("transp", "TRANSPARENT")
        event.add("class", "PRIVATE")
        event.add("categories", ["kith"])
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Reconnect: {name}")
        alarm.add("trigger", ALARM_AT)
        event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")


def write_reminders(out_dir: Path, rows: list[dict], week: str, as_of: object) -> Path:
    """``<out>/<week>.ics``, 0600, written atomically."""
    return write_private(Path(out_dir) / f"{week}.ics", render_reminders(rows, week, as_of))
