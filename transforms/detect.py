"""Which export a file is, from its content (a header row, a BEGIN line), never its name.

Each format module registers here with a ``matches(text)`` test and a
``parse(text, context)`` function returning a ParseResult. FORMATS is also the load order:
files that name the owner come before the files whose owner they help find.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from transforms import (contacts_csv, ics, linkedin_connections, linkedin_invitations, linkedin_messages,
                        linkedin_profile, mail, vcard)
from transforms.csv_table import find_header
from transforms.records import ExportError, ParseContext, ParseResult
from transforms.text import decode


@dataclass(frozen=True)
class Format:
    name: str
    label: str  # what a person calls it
    matches: Callable[[str, ParseContext], bool]  # the context carries --map for generic CSVs
    parse: Callable[[str, ParseContext], ParseResult]


def csv_header(accepts: Callable[[list[str]], bool]) -> Callable[[str, ParseContext], bool]:
    """A ``matches`` test for CSV exports: a header row ``accepts`` recognises in the first lines."""
    return lambda text, context: find_header(text, accepts) is not None


FORMATS: list[Format] = [
    Format(linkedin_profile.FORMAT, "LinkedIn profile", csv_header(linkedin_profile.is_profile_header),
           linkedin_profile.parse_profile),
    Format(ics.FORMAT, ics.LABEL, ics.matches, ics.parse),  # early: a calendar names its owner
    Format(linkedin_connections.FORMAT, "LinkedIn connections", csv_header(linkedin_connections.is_connections_header),
           linkedin_connections.parse_connections),
    Format(linkedin_invitations.FORMAT, "LinkedIn invitations", csv_header(linkedin_invitations.is_invitations_header),
           linkedin_invitations.parse_invitations),
    Format(linkedin_messages.FORMAT, "LinkedIn messages", csv_header(linkedin_messages.is_messages_header),
           linkedin_messages.parse_messages),
    Format(contacts_csv.GOOGLE, contacts_csv.LABELS[contacts_csv.GOOGLE], contacts_csv.matches_google,
           contacts_csv.parse_google),
    Format(contacts_csv.OUTLOOK, contacts_csv.LABELS[contacts_csv.OUTLOOK], contacts_csv.matches_outlook,
           contacts_csv.parse_outlook),
    Format(vcard.FORMAT, vcard.LABEL, vcard.matches, vcard.parse),
    # last: it accepts any CSV whose header names people, LinkedIn's and Google's included
    Format(contacts_csv.GENERIC, contacts_csv.LABELS[contacts_csv.GENERIC], contacts_csv.matches_generic,
           contacts_csv.parse_generic),
]
BY_NAME = {f.name: f for f in FORMATS}
KNOWN = ("a LinkedIn Connections, messages, Invitations or Profile file, a Google or Outlook contacts CSV, "
         "a CSV whose header names people (name, email, phone, ...; or use --map), a vCard, an iCalendar file, "
         "an mbox mailbox or an .eml message")


@dataclass(frozen=True)
class MailFormat:
    """A mailbox format, recognised from the file's first bytes and read as a stream
    (a Takeout mbox can be tens of GB: it is never decoded as one text)."""

    name: str
    label: str
    matches: Callable[[bytes], bool]


# loaded after every other format: earlier files may name the owner whose mail this is
MAIL_FORMATS: list[MailFormat] = [
    MailFormat(mail.MBOX, mail.LABELS[mail.MBOX], mail.matches_mbox),
    MailFormat(mail.EML, mail.LABELS[mail.EML], mail.matches_eml),
]
LOAD_ORDER = {name: i for i, name in enumerate([f.name for f in FORMATS] + [f.name for f in MAIL_FORMATS])}


def detect_mail(head: bytes) -> MailFormat | None:
    """The mail format whose first bytes ``head`` shows, or None."""
    for fmt in MAIL_FORMATS:
        if fmt.matches(head):
            return fmt
    return None


def unrecognised(text: str) -> str:
    """The one-line error for a file no format accepts, showing what its first row holds."""
    return (f"not a recognised export: nothing in the first lines looks like {KNOWN}; "
            f"the first row holds {contacts_csv.first_row(text)}")


def detect(text: str, context: ParseContext | None = None) -> Format | None:
    """The first format whose ``matches`` accepts ``text``, or None."""
    context = context or ParseContext()
    for fmt in FORMATS:
        if fmt.matches(text, context):
            return fmt
    return None


def parse_bytes(data: bytes, context: ParseContext | None = None) -> ParseResult:
    """Decode, detect and parse one export file. Raises ExportError when it cannot be read."""
    text = decode(data)
    context = context or ParseContext()
    fmt = detect(text, context)
    if fmt is None:
        raise ExportError(unrecognised(text))
    return fmt.parse(text, context)
