"""Mailboxes (mbox from Gmail Takeout, Apple Mail, Thunderbird; .eml files): who the owner
writes with, and when.

Only headers are read (mail_split finds them, mail_headers reads them); no body, subject
aside, is stored anywhere. Rules, decided for kith:

* The owner is who kith.toml says, else the sender of Gmail's Sent mail and the address
  mail was delivered to, else the one address in (nearly) every message.
* Left out, counted per reason: Spam, Trash, Chats and Drafts (Gmail's labels), messages
  Thunderbird deleted but kept, mailing lists (List-Id, List-Unsubscribe, List-Post; a list
  message addressed to the owner by name from someone they write to stays), bulk and
  automatic mail (Precedence bulk/junk, Auto-Submitted, auto-replies, bounces, no-reply and
  notification senders), and messages that involve nobody the owner ever wrote to.
* A correspondent is an address the owner sent mail to, in a message with at most
  BROADCAST_SIZE people: receiving mail makes nobody a tie, and neither does a mass mailing.
  Each becomes one person record (source kind ``email``, key the lowercased address), named
  the way they sign their own mail, else the way the owner addressed them.
* One interaction per message per correspondent on it: ``sent`` when the owner wrote it,
  ``received`` for its sender (when it was addressed to the owner: a Bcc copy is not), no
  direction for the others copied. The thread is Gmail's
  X-GM-THRID, else the first of References (the thread's root), In-Reply-To, the message's
  own id, else its subject without Re:/Fwd: prefixes. The subject is the summary.
* A message without a readable Date takes the time its mailbox received it (Gmail's message
  id, the separator line); without either it is rejected, like a message without a sender.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable

from transforms.mail_headers import (Address, addresses, message_ids, parse_date, read_fields, separator_time,
                                     text_of)
from transforms.mail_split import RawMessage, is_mbox, is_message, split_mbox, split_message
from transforms.normalize import split_addressed_name
from transforms.records import (INTERACTION_SCHEMA, PERSON_RECORD_SCHEMA, REJECT_SCHEMA, Columns, ExportError, Owner,
                                ParseContext, ParseResult, frame, reject, stable_hash)

MBOX = "mbox"
EML = "eml"
SOURCE_KIND = "email"
LABELS = {MBOX: "mailbox (mbox)", EML: "email message (.eml)"}
BROADCAST_SIZE = 25  # more people on one message is a broadcast: it makes nobody a tie
SUBJECT_CHARS = 120
OWNER_HELP = 'set [owner] emails = ["you@example.com"] in kith.toml'
ONLY_WROTE_TO_YOU = "strangers"  # counts addresses, not messages
NOT_MESSAGE_COUNTS = frozenset({ONLY_WROTE_TO_YOU})

# Gmail's system labels, English and the commonest translations (Takeout localises them)
_SENT = {"sent", "envoyés", "envoyé", "enviados", "enviado", "gesendet", "inviati", "inviata", "verzonden",
         "odesláno", "wysłane", "skickat", "sendt", "lähetetyt", "enviadas"}
_SPAM_TRASH = {"spam", "trash", "bin", "junk", "corbeille", "papelera", "papierkorb", "cestino", "prullenbak",
               "kosz", "koš", "papperskorg", "lixeira", "roskakori", "papirkurv", "pourriel", "lixo"}
_CHAT = {"chat", "chats"}
_DRAFTS = {"drafts", "draft", "brouillons", "borradores", "entwürfe", "bozze", "concepten", "wersje robocze",
           "koncepty", "utkast", "rascunhos", "luonnokset", "kladder"}
_NO_REPLY = re.compile(
    r"^(?:.*[-_.+])?(?:no-?reply|do-?not-?reply|donotreply|noreply\d*|no_reply)(?:[-_.+].*)?$"
    r"|^(?:notifications?|notify|mailer-daemon|postmaster|bounces?(?:[-+_.].*)?|alerts?|newsletters?|news|"
    r"updates|marketing|automated|auto-confirm|digest|calendar-notification)$")
_AUTO_SUBJECT = re.compile(r"^\s*(automatic reply|auto-?reply|autoresponse|out of (the )?office|abwesenheitsnotiz|"
                           r"automatische antwort|réponse automatique|respuesta automática|risposta automatica|"
                           r"automatisch antwoord|delivery status notification|undeliverable|"
                           r"mail delivery failed)\b", re.IGNORECASE)
_REPLY_PREFIX = re.compile(r"^\s*((re|fwd?|aw|wg|sv|vs|antw|tr|rif|odp|enc|res|ynt)(\[\d+\])?\s*:\s*)+",
                           re.IGNORECASE)


@dataclass(slots=True)
class Mail:
    """What kith keeps of one message."""

    ordinal: int
    line_no: int
    sent_at: datetime | None
    sender: Address | None
    recipients: list[Address]  # To, Cc and Bcc
    subject: str | None
    message_id: str | None
    thread: str | None
    labels: frozenset[str]
    delivered_to: list[Address]  # Delivered-To and X-Original-To: the mailbox's own address
    list_mail: bool  # List-Id / List-Unsubscribe / List-Post
    bulk: str | None  # why it is bulk or automatic mail, if it is
    one_click: bool  # RFC 8058 one-click unsubscribe: a bulk sender
    expunged: bool  # Thunderbird: deleted, not yet compacted away
    problem: str | None = None

    def __reduce__(self):  # pickled as a plain tuple (see Address)
        return (Mail, tuple(getattr(self, name) for name in self.__slots__))


@dataclass
class Mailbox:
    """A mailbox as read: the messages that may be personal mail (and the broken ones, to be
    rejected with their line), and a count by reason of those the mailbox itself marks as not
    personal (spam, chats, drafts, bulk and automatic mail), which are not kept: in a real
    mailbox they are half the messages, and memory grows only with the rest."""

    messages: list[Mail] = field(default_factory=list)
    set_aside: Counter = field(default_factory=Counter)
    read: int = 0  # every message, set aside or not

    def add(self, m: Mail) -> None:
        self.read += 1
        reason = triage(m)
        if reason:
            self.set_aside[reason] += 1
        else:
            self.messages.append(m)

    def extend(self, other: "Mailbox") -> None:
        self.messages.extend(other.messages)
        self.set_aside.update(other.set_aside)
        self.read += other.read


def matches_mbox(head: bytes) -> bool:
    return is_mbox(head)


def matches_eml(head: bytes) -> bool:
    return is_message(head)


# --------------------------------------------------------------------------- reading


def read_mbox(chunks: Iterable[bytes]) -> Mailbox:
    """Every message of an mbox stream, read from its headers."""
    box = Mailbox()
    for raw in split_mbox(chunks):
        box.add(read_message(raw))
    return box


def read_eml(data: bytes) -> Mailbox:
    box = Mailbox()
    box.add(read_message(split_message(data)))
    return box


def read_message(raw: RawMessage) -> Mail:
    """One message's fields; a message kith cannot use carries its ``problem``."""
    if raw.headers is None:
        return _broken(raw, raw.problem or "broken message")
    f = read_fields(raw.headers)
    senders = addresses(f.get("from"))
    sent_at = parse_date(f.get("date"))
    if sent_at is None or not (1980 <= sent_at.year <= 2200):
        sent_at = separator_time(raw.separator) if raw.separator else None
    labels = _labels(f.get("x-gmail-labels"))
    recipients = _merge(addresses(f.get("to")), addresses(f.get("cc")), addresses(f.get("bcc")))
    ids = message_ids(f.get("message-id"))
    subject = text_of(f.get("subject"))
    mail = Mail(
        ordinal=raw.ordinal, line_no=raw.line_no, sent_at=sent_at,
        sender=senders[0] if senders else None, recipients=recipients,
        subject=subject[:SUBJECT_CHARS] if subject else None,
        message_id=ids[0] if ids else None,
        thread=sys.intern(_thread(f, ids, subject) or "") or None, labels=labels,
        delivered_to=addresses(f.get("delivered-to")),
        list_mail="list" in f, bulk=_bulk(f, senders, subject), one_click="one-click" in f,
        expunged=_expunged(f.get("x-mozilla-status")),
    )
    if mail.sender is None:
        mail.problem = "no sender: the From header is missing or holds no address"
    elif mail.sent_at is None:
        mail.problem = (f"no date: the Date header is unreadable or out of range ({f['date'][:40]!r})"
                        if f.get("date") else "no date: the message has no Date header")
    return mail


def _broken(raw: RawMessage, problem: str) -> Mail:
    return Mail(raw.ordinal, raw.line_no, None, None, [], None, None, None, frozenset(), [], False, None, False,
                False, problem)


def _merge(*lists: list[Address]) -> list[Address]:
    """The addresses of several fields, each once. With one field, its own (cached, shared) list."""
    filled = [items for items in lists if items]
    if len(filled) <= 1:
        return filled[0] if filled else _NOBODY
    seen: set[str] = set()
    out = []
    for items in lists:
        for a in items:
            if a.email not in seen:
                seen.add(a.email)
                out.append(a)
    return out


_LABEL_CACHE: dict[str, frozenset[str]] = {}
_NOBODY: list[Address] = []  # shared, never changed


def _labels(raw: str | None) -> frozenset[str]:
    """Gmail's labels: decoded first (one encoded word may hold the whole list), then split
    like a CSV line (a label with a comma is quoted), lowercased. A mailbox has a few dozen
    distinct label lists: each is read once."""
    if not raw:
        return frozenset()
    labels = _LABEL_CACHE.get(raw)
    if labels is None:
        if len(_LABEL_CACHE) > 10_000:
            _LABEL_CACHE.clear()
        labels = _LABEL_CACHE[raw] = _read_labels(raw)
    return labels


def _read_labels(raw: str) -> frozenset[str]:
    text = text_of(raw) or ""
    if '"' in text:
        values = next(csv.reader([text], skipinitialspace=True), [])
    else:
        values = text.split(",")
    return frozenset(v.strip().lower() for v in values if v.strip())


def _thread(f: dict[str, str], ids: list[str], subject: str | None) -> str | None:
    if f.get("x-gm-thrid"):
        return "gm:" + f["x-gm-thrid"].strip()
    for name in ("references", "in-reply-to"):
        refs = message_ids(f.get(name))
        if refs:
            return refs[0]
    if ids:
        return ids[0]
    base = base_subject(subject)
    return f"subject:{base}" if base else None


def base_subject(subject: str | None) -> str | None:
    """The subject without reply and forward prefixes (Re:, Fwd:, AW:, SV: ...), lowercased."""
    if not subject:
        return None
    return _REPLY_PREFIX.sub("", subject).strip().lower() or None


def _bulk(f: dict[str, str], senders: list[Address], subject: str | None) -> str | None:
    """Why a message is bulk or automatic mail (mail-formats.md §5), or None."""
    auto = (f.get("auto-submitted") or "").strip().lower()
    if auto and not auto.startswith("no"):
        return "automatic"
    if "autoreply" in f:
        return "automatic"
    precedence = (f.get("precedence") or "").strip().lower()
    if precedence in ("bulk", "junk", "auto_reply"):
        return "bulk"
    if (f.get("return-path") or "").strip() == "<>":
        return "automatic"
    if senders and _no_reply(senders[0].email):
        return "no-reply sender"
    if subject and _AUTO_SUBJECT.match(subject):
        return "automatic"
    return None


_NO_REPLY_CACHE: dict[str, bool] = {}


def _no_reply(email: str) -> bool:
    """Is this a no-reply or notification address? (Cached: a mailbox repeats its senders.)"""
    known = _NO_REPLY_CACHE.get(email)
    if known is None:
        if len(_NO_REPLY_CACHE) > 100_000:
            _NO_REPLY_CACHE.clear()
        known = _NO_REPLY_CACHE[email] = bool(_NO_REPLY.match(email.split("@", 1)[0]))
    return known


def _expunged(raw: str | None) -> bool:
    try:
        return bool(int((raw or "0").strip()[:4], 16) & 0x0008)
    except ValueError:
        return False


# --------------------------------------------------------------------------- the owner


def find_owner(mails: list[Mail], known: set[str]) -> set[str]:
    """The owner's addresses: those kith was told, else the mailbox's own evidence."""
    if known:
        return {e.lower() for e in known}
    usable = [m for m in mails if m.problem is None]
    owner = {m.sender.email for m in usable if m.labels & _SENT and m.sender}
    delivered = Counter(a for m in usable for a in {d.email for d in m.delivered_to})
    if delivered:
        top, n = delivered.most_common(1)[0]
        if n * 2 >= sum(1 for m in usable if m.delivered_to):
            owner.add(top)
    if owner or len(usable) < 2:
        return owner
    presence = Counter()
    for m in usable:
        presence.update({m.sender.email, *(a.email for a in m.recipients)})
    top, n = presence.most_common(1)[0]
    return {top} if n >= 0.8 * len(usable) else set()


# --------------------------------------------------------------------------- building records


def build(box: Mailbox, format_name: str, context: ParseContext | None = None,
          owner_emails: set[str] | None = None, correspondents: set[str] | None = None) -> ParseResult:
    """Person records, interactions and rejects from a mailbox's messages.

    ``owner_emails`` overrides the owner found in the messages, and ``correspondents`` adds
    the people the owner wrote to elsewhere: an .eml folder's owner is found across all its
    files, and Apple Mail exports the inbox and the sent mail as two mailboxes. Raises
    ExportError when nobody can be told to be the owner."""
    context = context or ParseContext()
    mails = box.messages
    owner = owner_emails or find_owner(mails, context.owner.emails)
    rejects = [reject(str(m.ordinal), m.line_no, m.problem) for m in mails if m.problem and not _set_aside(m)]
    if not owner:
        usable = sum(1 for m in mails if m.problem is None)
        if usable == 0:
            return _result(format_name, box.read, [], Columns(INTERACTION_SCHEMA), rejects, Owner(), box.set_aside)
        raise ExportError(f"cannot tell which address is yours in this mail (no Sent mail, and no address is on "
                          f"every message); {OWNER_HELP}")
    left_out: Counter = Counter(box.set_aside)
    kept = _kept(mails, owner, left_out)
    wrote_to = _correspondents(kept, owner) | (correspondents or set())
    interactions, silent = _interactions(kept, owner, wrote_to)
    for m in silent:
        left_out["from strangers" if m.sender.email not in owner else "to nobody else"] += 1
    strangers = {m.sender.email for m in silent if m.sender.email not in owner}
    if strangers:
        left_out[ONLY_WROTE_TO_YOU] = len(strangers)
    people = _people(kept, owner, set(interactions.columns["counterpart_key"]))
    found = Owner(emails=set(owner))
    names = Counter(m.sender.name for m in kept if m.sender.email in owner and m.sender.name)
    if names and not context.owner.names:
        found.names.add(names.most_common(1)[0][0])
    return _result(format_name, box.read, people, interactions, rejects, found, left_out)


def wrote_to(mails: list[Mail], owner: set[str]) -> set[str]:
    """Everyone the owner wrote to in these messages (lists, bulk mail and broadcasts aside)."""
    return _correspondents(_kept(mails, owner, Counter()), owner)


def _kept(mails: list[Mail], owner: set[str], left_out: Counter) -> list[Mail]:
    """The readable messages that are personal mail; the others counted by reason."""
    kept = []
    for m in mails:
        if m.problem:
            reason = _set_aside(m)
            if reason:
                left_out[reason] += 1
            continue
        reason = _left_out(m, owner)
        if reason:
            left_out[reason] += 1
        else:
            kept.append(m)
    return kept


def _result(format_name: str, read: int, people: list[dict], interactions: Columns, rejects: list[dict],
            owner: Owner, left_out: Counter) -> ParseResult:
    return ParseResult(
        format=format_name, records_read=read,
        people=frame(people, PERSON_RECORD_SCHEMA), interactions=interactions.frame(),
        rejects=frame(rejects, REJECT_SCHEMA), owner=owner, left_out=dict(left_out),
    )


def triage(m: Mail) -> str | None:
    """Why a message is not personal mail whoever the owner is, or None (see _set_aside)."""
    return _set_aside(m) or ("automatic" if m.bulk or m.one_click else None)


def _set_aside(m: Mail) -> str | None:
    """Mail the mailbox itself sets aside (Gmail's labels, Thunderbird's deleted flag): left
    out before anything is read of it, so a chat without a Date is not a rejected message."""
    if m.labels & _SPAM_TRASH:
        return "spam/trash"
    if m.labels & _CHAT:
        return "chats"
    if m.labels & _DRAFTS:
        return "drafts"
    if m.expunged:
        return "deleted"
    return None


def _left_out(m: Mail, owner: set[str]) -> str | None:
    reason = _set_aside(m)
    if reason:
        return reason
    if m.bulk:
        return "automatic"
    if m.one_click:
        return "automatic"
    if m.list_mail and not _to_owner_by_name(m, owner):
        return "lists"
    return None


def _to_owner_by_name(m: Mail, owner: set[str]) -> bool:
    """A list message addressed to the owner directly, with a few people on it: a person
    replying on a list thread (its sender still has to be someone the owner writes to)."""
    return m.sender.email not in owner and any(a.email in owner for a in m.recipients) and len(m.recipients) <= 5


def _participants(m: Mail, owner: set[str]) -> list[str]:
    others = [m.sender.email] if m.sender.email not in owner else []
    others += [a.email for a in m.recipients if a.email not in owner and a.email != m.sender.email]
    return others


def _correspondents(kept: list[Mail], owner: set[str]) -> set[str]:
    wrote_to: set[str] = set()
    for m in kept:
        if m.sender.email in owner:
            others = _participants(m, owner)
            if len(others) + 1 <= BROADCAST_SIZE:
                wrote_to.update(others)
    return wrote_to


def _interactions(kept: list[Mail], owner: set[str], correspondents: set[str]) -> tuple[Columns, list[Mail]]:
    rows = Columns(INTERACTION_SCHEMA)
    c = rows.columns
    silent: list[Mail] = []
    for m in kept:
        others = _participants(m, owner)
        mine = m.sender.email in owner
        # a copy the owner was not addressed on (Bcc, a forward to an alias) waits for nobody's reply
        to_me = mine or any(a.email in owner for a in m.recipients)
        identity = m.message_id or f"{m.sent_at.isoformat()}|{m.sender.email}|{m.subject or ''}"
        made = False
        for other in others:
            if other not in correspondents:
                continue
            direction = "sent" if mine else ("received" if other == m.sender.email and to_me else None)
            c["record_key"].append(str(m.ordinal))
            c["line_no"].append(m.line_no)
            c["counterpart_key"].append(other)
            c["kind"].append("email")
            c["occurred_at"].append(m.sent_at)
            c["direction"].append(direction)
            c["conversation_id"].append(m.thread)
            c["n_participants"].append(len(others) + 1)
            c["summary"].append(m.subject)
            c["duration_minutes"].append(None)
            c["title"].append(None)
            c["record_hash"].append(stable_hash("email", identity, other, direction))
            made = True
        if not made:
            silent.append(m)
    return rows, silent


def _people(kept: list[Mail], owner: set[str], correspondents: set[str]) -> list[dict]:
    """One record per correspondent, named as they sign their mail, else as the owner
    addressed them (the most frequent spelling wins)."""
    own_names: dict[str, Counter] = defaultdict(Counter)
    given_names: dict[str, Counter] = defaultdict(Counter)
    first_line: dict[str, int] = {}
    for m in kept:
        if m.sender.email in correspondents:
            first_line.setdefault(m.sender.email, m.line_no)
            if _usable_name(m.sender):
                own_names[m.sender.email][m.sender.name] += 1
        for a in m.recipients:
            if a.email in correspondents:
                first_line.setdefault(a.email, m.line_no)
                if _usable_name(a):
                    given_names[a.email][a.name] += 1
    people = []
    for email in sorted(correspondents):
        names = own_names.get(email) or given_names.get(email)
        full = names.most_common(1)[0][0] if names else None
        first, last, key = split_addressed_name(full)
        people.append({
            "record_key": email, "line_no": first_line.get(email), "source_kind": SOURCE_KIND,
            "full_name": full, "first_name": first, "last_name": last, "name_key": key,
            "emails": [email], "phones": [], "record_hash": stable_hash(SOURCE_KIND, email, full),
        })
    return people


def _usable_name(a: Address) -> bool:
    """A display name that names the person (not a service speaking for them)."""
    return bool(a.name) and " via " not in a.name.lower() and "(via " not in a.name.lower()


def parse_mbox(chunks: Iterable[bytes], context: ParseContext | None = None) -> ParseResult:
    return build(read_mbox(chunks), MBOX, context)


def parse_eml(data: bytes, context: ParseContext | None = None) -> ParseResult:
    return build(read_eml(data), EML, context)
