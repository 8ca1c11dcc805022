"""LinkedIn ``messages.csv`` (and the 2018 ``Messages.csv``): who the owner wrote with, and when.

Columns are read by name, because LinkedIn added them several times and not always at the
end (2018, 2021, 2023, 2024-12 and 2025-11 headers, export-formats.md §1.3). The file has
no "me" column: the owner is the profile that takes part in every conversation (or, in
2018, the sender of OUTGOING rows). Drafts are never interactions; neither are messages
from hidden or sponsored senders ('LinkedIn Member' with no profile URL).
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from transforms.csv_table import read_table
from transforms.dates import parse_datetime
from transforms.normalize import clean_text, linkedin_slug, linkedin_url, name_key, split_display_name
from transforms.records import (ParseContext, INTERACTION_SCHEMA, PERSON_RECORD_SCHEMA, REJECT_SCHEMA, ExportError,
                                Owner, ParseResult, frame, reject, stable_hash)

FORMAT = "linkedin_messages"
SUMMARY_CHARS = 120
_URL_SPLIT = re.compile(r",\s*(?=https?://)")
_TAG = re.compile(r"<[^>]+>")


def is_messages_header(header: list[str]) -> bool:
    cols = set(header)
    return {"from", "to", "date", "content"} <= cols and ("conversation id" in cols or "direction" in cols)


@dataclass
class _Party:
    name: str | None
    slug: str | None

    @property
    def key(self) -> str | None:
        if self.slug:
            return self.slug
        nkey = name_key(self.name)
        return f"name:{nkey}" if nkey else None


@dataclass
class _Message:
    record_key: str
    line_no: int
    conversation_id: str
    sender: _Party
    recipients: list[_Party]
    sent_at: object
    summary: str | None
    direction: str | None = None  # only the 2018 layout says it
    keys: set[str] = field(default_factory=set)


def parse_messages(text: str, context: ParseContext | None = None) -> ParseResult:
    """Message interactions and the people in them, from the text of a messages.csv."""
    table = read_table(text, is_messages_header, "LinkedIn messages")
    messages, rejects = [], []
    for row in table.rows:
        message, problem = _read_row(row.values, str(row.record_no), row.line_no)
        if problem:
            rejects.append(reject(str(row.record_no), row.line_no, problem))
        else:
            messages.append(message)
    _fill_slugs_from_names(messages)
    owner = _detect_owner(messages, context.owner if context else Owner())
    people, interactions = _interactions(messages, owner, rejects)
    return ParseResult(
        format=FORMAT, records_read=len(table.rows),
        people=frame(people, PERSON_RECORD_SCHEMA), interactions=frame(interactions, INTERACTION_SCHEMA),
        rejects=frame(rejects, REJECT_SCHEMA), owner=owner,
    )


def _read_row(v: dict[str, str], key: str, line: int) -> tuple[_Message | None, str | None]:
    if "yes" in (v.get("is message draft", "").strip().lower(), v.get("is conversation draft", "").strip().lower()):
        return None, "draft: never sent"
    sent_at = parse_datetime(v.get("date"))
    if sent_at is None:
        return None, f"unreadable date: DATE is {v.get('date', '')!r}"
    sender = _Party(clean_text(v.get("from")), linkedin_slug(v.get("sender profile url")))
    if not sender.slug and (sender.name or "").lower() in ("linkedin member", ""):
        if "direction" not in v:  # 2018 rows have names only, and that is fine
            return None, "hidden sender: 'LinkedIn Member' with no profile URL (sponsored or out of network)"
    recipients = _recipients(v.get("to", ""), v.get("recipient profile urls", ""))
    direction = {"outgoing": "sent", "incoming": "received"}.get(v.get("direction", "").strip().lower())
    conversation = clean_text(v.get("conversation id")) or f"2018:{name_key(sender.name)}|{v.get('to', '')}"
    message = _Message(key, line, conversation, sender, recipients, sent_at, _summary(v), direction)
    return message, None


def _recipients(to_names: str, to_urls: str) -> list[_Party]:
    urls = [u for u in _URL_SPLIT.split(to_urls.strip()) if u.strip()] if to_urls else []
    slugs = [linkedin_slug(u) for u in urls]
    names = [n.strip() for n in to_names.split(",")] if to_names else []
    if len(urls) == 1:
        return [_Party(clean_text(to_names), slugs[0])]
    if urls and len(names) == len(urls):
        return [_Party(clean_text(n), s) for n, s in zip(names, slugs)]
    if urls:  # names contain commas of their own: keep the URLs, learn the names elsewhere
        return [_Party(None, s) for s in slugs]
    return [_Party(clean_text(n), None) for n in names if clean_text(n)]


def _summary(v: dict[str, str]) -> str | None:
    """Subject and content as one line of plain text, HTML removed, at most SUMMARY_CHARS."""
    parts = [clean_text(html.unescape(_TAG.sub(" ", v.get(k) or ""))) for k in ("subject", "content")]
    text = " — ".join(p for p in parts if p) or None
    if text and len(text) > SUMMARY_CHARS:
        text = text[: SUMMARY_CHARS - 1].rstrip() + "…"
    return text


def _fill_slugs_from_names(messages: list[_Message]) -> None:
    """Older headers have no recipient URLs: learn name -> profile from the rows people sent."""
    seen: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    for m in messages:
        if m.sender.slug and m.sender.name:
            seen[name_key(m.sender.name) or ""].add(m.sender.slug)
            names.setdefault(m.sender.slug, m.sender.name)
    for m in messages:
        for party in [m.sender, *m.recipients]:
            if not party.slug and party.name:
                slugs = seen.get(name_key(party.name) or "", set())
                if len(slugs) == 1:
                    party.slug = next(iter(slugs))
            if party.slug and not party.name:
                party.name = names.get(party.slug)
        m.keys = {k for k in (p.key for p in [m.sender, *m.recipients]) if k}


def _detect_owner(messages: list[_Message], hint: Owner) -> Owner:
    owner = Owner()
    if not messages:
        return owner
    if any(m.direction for m in messages):  # 2018: OUTGOING rows are the owner's
        for m in messages:
            party = m.sender if m.direction == "sent" else (m.recipients[0] if m.recipients else None)
            if party and party.name:
                owner.names.add(party.name)
        return owner
    by_conversation: dict[str, set[str]] = defaultdict(set)
    for m in messages:
        by_conversation[m.conversation_id] |= m.keys
    everywhere = set.intersection(*by_conversation.values())
    candidates = sorted(everywhere) or sorted(set.union(*by_conversation.values()))
    chosen = _pick_owner(candidates, messages, hint, len(by_conversation))
    if chosen is None:
        raise ExportError(
            "cannot tell which participant is you: no profile takes part in every conversation "
            "and no earlier export names you (ingest Profile.csv from the same export first)")
    if chosen.startswith("name:"):
        owner.names.add(chosen[5:])
    else:
        owner.linkedin_slugs.add(chosen)
    for m in messages:
        for party in [m.sender, *m.recipients]:
            if party.key == chosen and party.name:
                owner.names.add(party.name)
    return owner


def _pick_owner(candidates: list[str], messages: list[_Message], hint: Owner, n_conversations: int) -> str | None:
    hinted = [c for c in candidates if c in hint.linkedin_slugs]
    if len(hinted) == 1:
        return hinted[0]
    hint_names = {name_key(n) for n in hint.names}
    named = [c for c in candidates if _names_of(c, messages) & hint_names]
    if len(named) == 1:
        return named[0]
    if len(candidates) == 1 and n_conversations > 1:
        return candidates[0]
    counts = Counter(k for m in messages for k in m.keys if k in candidates)
    ranked = counts.most_common(2)
    if n_conversations > 1 and len(ranked) == 2 and ranked[0][1] > ranked[1][1]:
        return ranked[0][0]
    if len(candidates) == 1:
        return candidates[0]
    return None


def _names_of(key: str, messages: list[_Message]) -> set[str | None]:
    return {name_key(p.name) for m in messages for p in [m.sender, *m.recipients] if p.key == key}


def _is_owner(party: _Party, owner: Owner) -> bool:
    if party.slug:
        return party.slug in owner.linkedin_slugs or (not owner.linkedin_slugs and name_key(party.name) in {name_key(n) for n in owner.names})
    return name_key(party.name) in {name_key(n) for n in owner.names}


def _interactions(messages: list[_Message], owner: Owner, rejects: list[dict]) -> tuple[list[dict], list[dict]]:
    people: dict[str, dict] = {}
    interactions = []
    size = defaultdict(set)
    for m in messages:
        size[m.conversation_id] |= m.keys
    for m in messages:
        if _is_owner(m.sender, owner) or m.direction == "sent":
            direction, counterparts = "sent", [p for p in m.recipients if not _is_owner(p, owner)]
        elif m.direction == "received" or any(_is_owner(p, owner) for p in m.recipients):
            direction, counterparts = "received", [m.sender]
        else:
            rejects.append(reject(m.record_key, m.line_no, "not your message: you are not among its participants"))
            continue
        counterparts = [p for p in counterparts if p.key and (p.slug or (p.name or "").lower() != "linkedin member")]
        if not counterparts:
            rejects.append(reject(m.record_key, m.line_no, "no other person: nobody but you is identifiable in this message"))
            continue
        for party in counterparts:
            people.setdefault(party.key, _person(party))
            interactions.append({
                "record_key": m.record_key, "line_no": m.line_no, "counterpart_key": party.key,
                "kind": "message", "occurred_at": m.sent_at, "direction": direction,
                "conversation_id": m.conversation_id, "n_participants": max(len(size[m.conversation_id]), 2),
                "summary": m.summary,
                "record_hash": stable_hash("message", m.conversation_id, m.sender.key, m.sent_at, party.key, m.summary),
            })
    return list(people.values()), interactions


def _person(party: _Party) -> dict:
    first, last = split_display_name(party.name or "")
    return {
        "record_key": party.key, "line_no": None, "source_kind": FORMAT,
        "full_name": party.name, "first_name": first, "last_name": last,
        "name_key": name_key(party.name), "emails": [], "phones": [],
        "linkedin_url": linkedin_url(party.slug), "linkedin_slug": party.slug,
        "company": None, "title": None, "connected_on": None,
        "record_hash": stable_hash(FORMAT, party.slug, party.name),
    }
