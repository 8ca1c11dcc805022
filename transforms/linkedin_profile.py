"""LinkedIn ``Profile.csv``: the exporting user, who is never a contact."""

from __future__ import annotations

from transforms.csv_table import read_table
from transforms.normalize import clean_text
from transforms.records import ParseContext, INTERACTION_SCHEMA, PERSON_RECORD_SCHEMA, REJECT_SCHEMA, Owner, ParseResult, frame

FORMAT = "linkedin_profile"


def is_profile_header(header: list[str]) -> bool:
    return {"first name", "last name", "headline"} <= set(header) and "connected on" not in header


def parse_profile(text: str, context: ParseContext | None = None) -> ParseResult:
    """The owner's name; no people and no interactions."""
    table = read_table(text, is_profile_header, "LinkedIn Profile")
    owner = Owner()
    for row in table.rows:
        name = clean_text(f"{row.values.get('first name', '')} {row.values.get('last name', '')}")
        if name:
            owner.names.add(name)
    return ParseResult(
        format=FORMAT, records_read=len(table.rows), people=frame([], PERSON_RECORD_SCHEMA),
        interactions=frame([], INTERACTION_SCHEMA), rejects=frame([], REJECT_SCHEMA), owner=owner,
    )
