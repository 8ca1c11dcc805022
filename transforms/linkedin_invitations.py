"""LinkedIn ``Invitations.csv``: connection requests sent and received.

Two layouts (export-formats.md §1.4): ``From,To,Sent At,Message,Direction`` and, since 2024,
the same plus camelCase ``inviterProfileUrl,inviteeProfileUrl``. ``Sent At`` is
``"12/15/24, 7:47 AM"`` with no zone. An invitation that carries a message is a contact
moment; the bare ones are kept as context.
"""

from __future__ import annotations

from transforms.csv_table import read_table
from transforms.dates import parse_datetime
from transforms.linkedin_messages import _summary
from transforms.normalize import clean_text, linkedin_slug, linkedin_url, name_key, split_display_name
from transforms.records import (ParseContext, INTERACTION_SCHEMA, PERSON_RECORD_SCHEMA, REJECT_SCHEMA, Owner,
                                ParseResult, frame, reject, stable_hash)

FORMAT = "linkedin_invitations"


def is_invitations_header(header: list[str]) -> bool:
    return {"from", "to", "sent at", "direction"} <= set(header)


def parse_invitations(text: str, context: ParseContext | None = None) -> ParseResult:
    """Invitation interactions, the people invited or inviting, and the owner's name."""
    table = read_table(text, is_invitations_header, "LinkedIn Invitations")
    people, interactions, rejects = [], [], []
    owner = Owner()
    for row in table.rows:
        key, line, v = str(row.record_no), row.line_no, row.values
        direction = {"outgoing": "sent", "incoming": "received"}.get(v.get("direction", "").strip().lower())
        sent_at = parse_datetime(v.get("sent at"))
        if direction is None:
            rejects.append(reject(key, line, f"bad direction: expected INCOMING or OUTGOING, got {v.get('direction', '')!r}"))
            continue
        if sent_at is None:
            rejects.append(reject(key, line, f"unreadable date: 'Sent At' is {v.get('sent at', '')!r}"))
            continue
        me, them = ("from", "to") if direction == "sent" else ("to", "from")
        me_url, them_url = ("inviterprofileurl", "inviteeprofileurl") if direction == "sent" else ("inviteeprofileurl", "inviterprofileurl")
        if clean_text(v.get(me)):
            owner.names.add(clean_text(v.get(me)))
        if linkedin_slug(v.get(me_url)):
            owner.linkedin_slugs.add(linkedin_slug(v.get(me_url)))
        name, slug = clean_text(v.get(them)), linkedin_slug(v.get(them_url))
        if not name and not slug:
            rejects.append(reject(key, line, "no name and no profile URL for the other person"))
            continue
        first, last = split_display_name(name or "")
        people.append({
            "record_key": key, "line_no": line, "source_kind": FORMAT, "full_name": name,
            "first_name": first, "last_name": last, "name_key": name_key(name), "emails": [], "phones": [],
            "linkedin_url": linkedin_url(slug), "linkedin_slug": slug, "company": None, "title": None,
            "connected_on": None, "record_hash": stable_hash(FORMAT, slug, name),
        })
        message = _summary({"content": v.get("message", "")})
        interactions.append({
            "record_key": key, "line_no": line, "counterpart_key": key, "kind": "invitation",
            "occurred_at": sent_at, "direction": direction, "conversation_id": None, "n_participants": 2,
            "summary": message, "record_hash": stable_hash("invitation", slug or name_key(name), sent_at, direction),
        })
    return ParseResult(
        format=FORMAT, records_read=len(table.rows), people=frame(people, PERSON_RECORD_SCHEMA),
        interactions=frame(interactions, INTERACTION_SCHEMA), rejects=frame(rejects, REJECT_SCHEMA), owner=owner,
    )
