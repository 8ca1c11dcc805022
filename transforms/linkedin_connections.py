"""LinkedIn ``Connections.csv``: one row per first-degree connection.

Handles every layout seen in real exports (see shared/reference/export-formats.md §1.2):
the three-line ``Notes:`` preamble or none, with or without the ``URL`` column, the 2018
``1/8/18, 6:14 PM`` and the current ``16 Dec 2024`` dates, Excel re-saves (``;``, CRLF,
``23-Apr-23``), ghost rows that keep only the date, and hidden ``LinkedIn Member`` rows.
"""

from __future__ import annotations

from datetime import datetime, time

import polars as pl

from transforms.csv_table import read_table
from transforms.dates import parse_date
from transforms.normalize import clean_text, linkedin_slug, linkedin_url, name_key, normalize_email
from transforms.records import (ParseContext, INTERACTION_SCHEMA, PERSON_RECORD_SCHEMA, REJECT_SCHEMA, ParseResult,
                                frame, reject, stable_hash)

FORMAT = "linkedin_connections"


def is_connections_header(header: list[str]) -> bool:
    return "first name" in header and "connected on" in header and "sent at" not in header


def parse_connections(text: str, context: ParseContext | None = None) -> ParseResult:
    """People and 'connected' interactions from the text of a Connections.csv."""
    table = read_table(text, is_connections_header, "LinkedIn Connections")
    people, interactions, rejects = [], [], []
    for row in table.rows:
        key, line = str(row.record_no), row.line_no
        v = {k: (clean_text(x) or "") for k, x in row.values.items()}
        first, last = v.get("first name", ""), v.get("last name", "")
        raw_url, raw_email = v.get("url", ""), v.get("email address", "")
        raw_date = v.get("connected on", "")
        if not any([first, last, raw_url, raw_email, v.get("company"), v.get("position")]):
            rejects.append(reject(key, line, "ghost row: only 'Connected On' is filled (a hidden or deactivated member)"))
            continue
        if f"{first} {last}".strip().lower() == "linkedin member" and not raw_url:
            rejects.append(reject(key, line, "hidden member: 'LinkedIn Member' with no profile URL"))
            continue
        slug = linkedin_slug(raw_url)
        if raw_url and not slug:
            rejects.append(reject(key, line, f"not a LinkedIn profile URL: {raw_url!r} (dropped)", kept=True))
        email = normalize_email(raw_email)
        if raw_email and not email:
            rejects.append(reject(key, line, f"not an email address: {raw_email!r} (dropped)", kept=True))
        connected_on = parse_date(raw_date)
        if raw_date and not connected_on:
            rejects.append(reject(key, line, f"unreadable date: 'Connected On' is {raw_date!r} (dropped)", kept=True))
        full_name = " ".join(x for x in (first, last) if x)
        nkey = name_key(first, last)
        if not nkey and not slug:
            rejects.append(reject(key, line, "no name and no profile URL"))
            continue
        people.append({
            "record_key": key, "line_no": line, "source_kind": FORMAT,
            "full_name": full_name or None, "first_name": first or None, "last_name": last or None,
            "name_key": nkey, "emails": [email] if email else [], "phones": [],
            "linkedin_url": linkedin_url(slug), "linkedin_slug": slug,
            "company": v.get("company") or None, "title": v.get("position") or None,
            "connected_on": connected_on,
            "record_hash": stable_hash(FORMAT, slug, full_name, email, v.get("company"), v.get("position"), connected_on),
        })
        if connected_on:
            interactions.append({
                "record_key": key, "line_no": line, "counterpart_key": key, "kind": "connected",
                "occurred_at": datetime.combine(connected_on, time()), "direction": None,
                "conversation_id": None, "n_participants": 2, "summary": "Connected on LinkedIn",
                "record_hash": stable_hash("connected", slug or nkey, connected_on),
            })
    return ParseResult(
        format=FORMAT, records_read=len(table.rows),
        people=frame(people, PERSON_RECORD_SCHEMA),
        interactions=frame(interactions, INTERACTION_SCHEMA),
        rejects=frame(rejects, REJECT_SCHEMA),
    )
