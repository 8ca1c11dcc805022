"""Which export a file is, from its content: the header row, never the file name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from transforms import linkedin_connections, linkedin_invitations, linkedin_messages, linkedin_profile
from transforms.csv_table import find_header
from transforms.records import ExportError, Owner, ParseResult
from transforms.text import decode


@dataclass(frozen=True)
class Format:
    name: str
    label: str  # what a person calls it
    accepts: Callable[[list[str]], bool]
    parse: Callable[..., ParseResult]
    needs_owner_hint: bool = False


FORMATS = (
    Format(linkedin_profile.FORMAT, "LinkedIn profile", linkedin_profile.is_profile_header, linkedin_profile.parse_profile),
    Format(linkedin_connections.FORMAT, "LinkedIn connections", linkedin_connections.is_connections_header,
           linkedin_connections.parse_connections),
    Format(linkedin_invitations.FORMAT, "LinkedIn invitations", linkedin_invitations.is_invitations_header,
           linkedin_invitations.parse_invitations),
    Format(linkedin_messages.FORMAT, "LinkedIn messages", linkedin_messages.is_messages_header,
           linkedin_messages.parse_messages, needs_owner_hint=True),
)
BY_NAME = {f.name: f for f in FORMATS}


def detect(text: str) -> Format | None:
    """The format whose header appears in the first lines of ``text``, or None."""
    for fmt in FORMATS:
        if find_header(text, fmt.accepts) is not None:
            return fmt
    return None


def parse_bytes(data: bytes, owner_hint: Owner | None = None) -> ParseResult:
    """Decode, detect and parse one export file. Raises ExportError when it cannot be read."""
    text = decode(data)
    fmt = detect(text)
    if fmt is None:
        raise ExportError("not a recognised export: no known header (LinkedIn Connections, messages, "
                          "Invitations or Profile) in the first lines")
    if fmt.needs_owner_hint:
        return fmt.parse(text, owner_hint)
    return fmt.parse(text)
