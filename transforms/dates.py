"""Dates as LinkedIn (and Excel re-saves of its files) write them.

Month names are always English, whatever the user's language, so a fixed month table is
used instead of ``strptime('%b')``, which depends on the locale.
"""

from __future__ import annotations

import re
from datetime import date, datetime

MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}

_DAY_MON_YEAR = re.compile(r"^(\d{1,2})[ -]([A-Za-z]{3})[a-z]*[ -](\d{2}|\d{4})$")  # 16 Dec 2024, 23-Apr-23
_US_DATETIME = re.compile(  # 1/8/18, 6:14 PM   12/15/24, 7:47 AM   11/26/24 01:32 PM UTC
    r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4}),?(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?(?:\s+UTC)?$")
_ISO = re.compile(r"^(\d{4})[-/](\d{2})[-/](\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?(?:\s*(?:UTC|Z))?$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})$")  # 16.09.2021 (European Excel)


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def parse_datetime(text: str | None) -> datetime | None:
    """A naive datetime (UTC where the export says UTC), or None when empty or not a date."""
    if text is None:
        return None
    value = " ".join(text.strip().split())
    if not value:
        return None
    if m := _ISO.match(value):
        y, mo, d, hh, mm, ss = m.groups()
        return _build(int(y), int(mo), int(d), hh, mm, ss)
    if m := _DAY_MON_YEAR.match(value):
        d, mon, y = m.groups()
        month = MONTHS.get(mon.lower())
        return _build(_year(y), month, int(d)) if month else None
    if m := _US_DATETIME.match(value):
        mo, d, y, hh, mm, ss, ampm = m.groups()
        hour = int(hh) if hh else 0
        if ampm:
            hour = hour % 12 + (12 if ampm.lower() == "pm" else 0)
        return _build(_year(y), int(mo), int(d), hour, mm, ss)
    if m := _DOTTED.match(value):
        d, mo, y = m.groups()
        return _build(_year(y), int(mo), int(d))
    return None


def parse_date(text: str | None) -> date | None:
    moment = parse_datetime(text)
    return moment.date() if moment else None


def _build(y: int, mo: int | None, d: int, hh=None, mm=None, ss=None) -> datetime | None:
    try:
        return datetime(y, mo or 0, d, int(hh or 0), int(mm or 0), int(ss or 0))
    except ValueError:
        return None
