#!/usr/bin/env python3
"""A synthetic, Gmail-Takeout-shaped mailbox with its ground truth (invented people only).

``write_mbox(path, messages, seed)`` streams an mbox of ``messages`` messages to ``path`` and
returns a :class:`MboxTruth`. The same arguments always give the same bytes: all randomness
comes from one seeded ``random.Random`` and no clock is read. Every domain is ``*.example``
or example.com/.org/.net, every IP address is from a documentation range.

What it writes (shares of the default mix, one *kind* per message, see ``KIND_SHARES``):

* the owner's own mail (``X-Gmail-Labels: Sent,Opened``) to 1-3 people, half of it replies in
  threads (``In-Reply-To``, ``References``, the thread's ``X-GM-THRID``), a few with ``Bcc``;
* mail from the people she writes to, often replies to her; mail from people she never writes
  to (``cold``); received mail carries a Gmail-sized header block (``Delivered-To``,
  ``Received`` chain, ARC, DKIM, SPF, ~4-5 KB);
* newsletters (``List-Unsubscribe``, ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``,
  ``List-Id``, ``Feedback-ID``), human posts to discussion lists (``List-Id``, ``List-Post``,
  ``Precedence: list``: people, yet list mail), notifications from ``no-reply@``/
  ``notifications@`` (``Auto-Submitted: auto-generated`` or ``Precedence: bulk``),
  out-of-office auto-replies (``Auto-Submitted: auto-replied``, ``In-Reply-To`` her message);
* all-hands mail to 26-60 colleagues (and a few such mails sent by her);
* Spam-, Trash- and Chat-labelled messages (chats have no ``Date:`` and no ``To:``);
* for ``attachment_share`` of the messages, ``multipart/mixed`` with a base64 attachment whose
  encoded size is drawn from ``attachment_kb``, skewed to the low end (most attachments are
  small; mean ~62 KB), so the default 200,000 messages come to 2.19 GB (2.04 GiB), about
  11 KB a message: 3.7 KB of headers on average (4.6 KB on received mail), ~1.2 KB of body
  text, and 6.4 KB of attachment. (With 10% of messages carrying at least 50 KB, the
  attachments alone are at least 5 KB a message, hence the low skew.)

Separators: Takeout ``From 1653361048457583436@xxx Thu Dec 19 15:06:07 +0000 2019`` (the
number is the Gmail ID, ``id >> 20`` the receive time in ms), Thunderbird ``From - Sun Apr 07
22:47:11 2013`` or qmail/asctime ``From sender@example.com Sat Jan  3 01:05:34 1996``. Only
the Takeout style writes ``X-GM-THRID``/``X-Gmail-Labels`` and Spam/Trash/Chat messages.

Quirks planted at a low rate, every one listed in ``MboxTruth.quirks`` (kind -> message
indices, 0-based in file order) and, where a decoder should recover a value, in
``MboxTruth.expected``:

* ``encoded_name_b`` / ``encoded_name_q``: RFC 2047 UTF-8 B / Q display name in ``From:``;
* ``raw_utf8_name``: raw 8-bit UTF-8 display name in ``From:`` (RFC 6532);
* ``encoded_subject_b`` / ``encoded_subject_q``: UTF-8 B / Q subject (split over folded words);
* ``cp1252_subject``: ``=?iso-8859-1?Q?=93...=94?=`` whose bytes are really cp1252;
* ``folded_subject``: a subject folded onto a continuation line;
* ``encoded_labels``: ``X-Gmail-Labels`` as one encoded word over the whole list;
* ``quoted_label``: a label containing a comma, quoted (``"Clients, Nordics"``);
* ``header_case``: ``Message-Id:`` (and ``CC:``) instead of ``Message-ID:``/``Cc:``;
* ``unquoted_last_first``: ``To: Lindqvist, Mara <...>`` without quotes;
* ``undisclosed_recipients``: ``To: undisclosed-recipients:;``;
* ``unescaped_from``: a body line ``From the desk of ...`` after a blank line, unescaped (a
  naive ``\\nFrom `` split and ``mailbox.mbox`` see an extra message for each);
* ``escaped_from``: a body line ``>From ...`` (mboxrd/mboxo escaping);
* ``no_date``: no ``Date:`` header (chats lack one too; they are not listed here);
* ``no_message_id``: no ``Message-ID:`` header;
* ``dangling_reply``: a reply whose parent and thread starter are not in the file;
* ``out_of_order``: a message months older than its neighbours (Takeout is not sorted).

``write_eml_folder(path, messages, seed)`` writes the same kind of mail as single ``.eml``
files (plain RFC 5322, LF or CRLF, no mbox separator, no Gmail headers).

Usage: python bench/mail_data.py OUT.mbox [--messages 200000] [--seed 7] [--lf]
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import re
import sys
import time
from dataclasses import asdict, dataclass, field
from itertools import accumulate
from pathlib import Path

OWNER = "mara.lindqvist@northwind.example"
OWNER_NAME = "Mara Lindqvist"
START = 1546300800  # 2019-01-01 00:00 UTC
END = 1793491200  # 2026-11-01 00:00 UTC

# one kind per message; Spam/Trash/Chat only in the Takeout style (their share goes to "in")
KIND_SHARES = {
    "sent": 0.240, "sent_broadcast": 0.002, "in": 0.220, "cold": 0.050, "allhands": 0.010,
    "newsletter": 0.165, "discussion": 0.040, "notification": 0.183, "auto_reply": 0.015,
    "spam": 0.040, "trash": 0.025, "chat": 0.010,
}
SENT_KINDS = {"sent", "sent_broadcast"}
LIST_KINDS = {"newsletter", "discussion"}
AUTOMATIC_KINDS = {"notification", "auto_reply"}
PEOPLE_KINDS = {"in", "cold", "allhands", "discussion", "trash", "chat"}  # a human wrote it
TAKEOUT_ONLY = {"spam", "trash", "chat"}

# quirks: (name, rate, kinds it can go on); quirks in one group never share a message
QUIRK_GROUPS: list[list[tuple[str, float, set[str]]]] = [
    [("encoded_name_b", 0.004, {"in", "cold", "discussion", "newsletter"}),
     ("encoded_name_q", 0.004, {"in", "cold", "discussion", "newsletter"}),
     ("raw_utf8_name", 0.003, {"in", "cold", "discussion"})],
    [("encoded_subject_b", 0.004, {"in", "cold", "newsletter", "notification"}),
     ("encoded_subject_q", 0.004, {"in", "cold", "newsletter", "notification"}),
     ("cp1252_subject", 0.003, {"in", "cold", "newsletter"}),
     ("folded_subject", 0.004, {"sent", "in", "cold", "discussion"})],
    [("encoded_labels", 0.004, {"sent", "in", "cold", "newsletter", "notification"}),
     ("quoted_label", 0.004, {"sent", "in", "cold", "notification"})],
    [("header_case", 0.005, {"sent", "in", "cold", "discussion", "allhands"})],
    [("unquoted_last_first", 0.003, {"sent", "in", "cold"}),
     ("undisclosed_recipients", 0.003, {"cold", "newsletter", "notification"})],
    [("unescaped_from", 0.010, {"sent", "in", "cold", "discussion", "newsletter"}),
     ("escaped_from", 0.004, {"sent", "in", "cold", "discussion"})],
    [("no_date", 0.003, {"in", "cold", "notification", "newsletter"})],
    [("no_message_id", 0.003, {"cold", "notification", "newsletter"})],
    [("dangling_reply", 0.003, {"in"})],
    [("out_of_order", 0.004, {"newsletter", "notification"})],
]
QUIRKS = [name for group in QUIRK_GROUPS for name, _, _ in group]
# body lines first, while the From: name is still the plain one they quote ("From the desk of
# Ada"): Python's mailbox.mbox decodes every "From " line as ASCII and raises on any other byte
APPLY_ORDER = ["unescaped_from", "escaped_from"] + [q for q in QUIRKS if not q.endswith("escaped_from")]

FIRST = ["Ada", "Ben", "Chidi", "Dana", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas", "Kavya", "Linnea",
         "Mateo", "Nour", "Oskar", "Priya", "Quinn", "Rafael", "Sigrid", "Tunde", "Uma", "Wei", "Yara", "Zofia",
         "Anders", "Beatriz", "Cyrus", "Dagny", "Emeka", "Farah", "Gustav", "Hana", "Ivo", "Johanna"]
LAST = ["Aberg", "Brooks", "Castillo", "Dubois", "Eze", "Fletcher", "Garcia", "Haddad", "Iyer", "Kowalczyk",
        "Lefevre", "Muller", "Nakamura", "Okafor", "Pena", "Reddy", "Sato", "Tanaka", "Vogel", "Yildiz",
        "Lindgren", "Moreau", "Novak", "Ortega", "Petrov", "Quist", "Rossi", "Svensson", "Thorne", "Varga"]
# the accented spelling of a name, used where a quirk writes it encoded or raw
ACCENTED = {"Linnea": "Linnéa", "Aberg": "Åberg", "Muller": "Müller", "Garcia": "García", "Lefevre": "Lefèvre",
            "Pena": "Peña", "Yildiz": "Yıldız", "Ines": "Inês", "Svensson": "Svensson", "Johanna": "Jóhanna",
            "Dagny": "Dagný", "Novak": "Novák", "Varga": "Várga", "Ortega": "Ortéga", "Moreau": "Moreaü"}
COMPANIES = ["blueharbor", "lumenfoundry", "tidewater", "halcyonbio", "meridianloop", "stellwerk", "kumoworks",
             "velamobility", "copperline", "fjordanalytics", "greenquay", "ironbark", "juniperhealth", "kestrel",
             "larchpoint", "monsoonlabs", "northstarfin", "oakridgecap", "pinewood", "quarrystone"]
TLDS = ["example", "example.com", "example.org", "example.net"]
ZONES = ["+0000", "+0100", "+0200", "-0500", "-0800", "+0530", "+0900", "-0300", "+1000", "-0400"]
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

TOPICS = ["Q3 planning", "the logistics pilot", "supplier review", "board deck", "hiring plan", "pricing proposal",
          "workshop notes", "contract renewal", "data migration", "roadmap draft", "budget for 2025",
          "customer visit", "partnership terms", "offsite agenda", "security review", "launch checklist",
          "intro call", "reference check", "conference panel", "grant application", "quarterly numbers"]
SENTENCES = ["Thanks for sending this over so quickly.", "I had a look at the numbers and they mostly add up.",
             "Could we move our call to Thursday afternoon?", "Attaching the latest version for your review.",
             "Let me know if anything is unclear or missing.", "I spoke with the team and we are aligned on scope.",
             "The main open question is the timeline for the second phase.", "Happy to introduce you to them.",
             "We should loop in finance before we commit to anything.", "Good to see you at the meetup last week.",
             "I will circulate a summary after the meeting.", "The draft looks good to me with two small edits.",
             "Can you confirm the delivery dates with the supplier?", "Looking forward to working together on this.",
             "Sorry for the slow reply, it has been a busy week.", "Here are my notes from the session.",
             "Would it make sense to set up a short call next week?", "We agreed to revisit this in the spring."]
NEWSLETTERS = [("Weekly Logistics Digest", "digest", "freightweekly"), ("The Product Brief", "news", "productbrief"),
               ("Nordic Tech Jobs", "jobs", "nordictech"), ("Data Engineering Weekly", "newsletter", "dataweekly"),
               ("Conference Updates", "updates", "summitevents"), ("Fintech Morning", "morning", "fintechdaily"),
               ("Supply Chain Review", "editors", "screview"), ("Design Notes", "hello", "designnotes"),
               ("Airline Offers", "offers", "skyfares"), ("Bookshop Picks", "picks", "pageturner"),
               ("Cloud Status Monthly", "monthly", "cloudops"), ("Open Source Roundup", "roundup", "osswire")]
NOTIFIERS = [("no-reply", "accounts", "Account team"), ("notifications", "projecthub", "ProjectHub"),
             ("noreply", "calendar", "Calendar"), ("no-reply", "payments", "Payments"),
             ("notifications", "codeforge", "CodeForge"), ("noreply", "travelbook", "TravelBook"),
             ("alerts", "bankly", "Bankly Alerts"), ("no-reply", "docshare", "DocShare"),
             ("donotreply", "expenses", "Expenses"), ("notifications", "crmcloud", "CRM Cloud")]
NOTIFY_SUBJECTS = ["Your invoice is ready", "New sign-in to your account", "Reminder: review due tomorrow",
                   "Your trip itinerary", "[projecthub] 3 new comments", "Document shared with you",
                   "Payment received", "Weekly activity summary", "Password changed", "Build failed on main"]
LISTS = [("nordic-data", "Nordic Data Community"), ("logistics-forum", "Logistics Forum"),
         ("pm-circle", "Product Managers Circle")]
SPAM_SUBJECTS = ["You have won a prize", "Final notice: claim your reward", "Cheap flights just for you",
                 "Re: your invoice #88213", "Increase your sales 10x"]
LABELS_IN = ["Inbox,Important,Opened,Category Personal", "Inbox,Opened,Category Personal",
             "Archived,Opened,Category Personal", "Inbox,Important,Opened,Category Personal,Work/Clients",
             "Inbox,Unread,Category Personal"]
LABELS_NEWS = ["Inbox,Unread,Category Promotions", "Opened,Category Updates", "Inbox,Opened,Category Promotions",
               "Archived,Unread,Category Updates"]
LABELS_NOTIFY = ["Inbox,Opened,Category Updates", "Inbox,Unread,Category Updates", "Archived,Opened,Category updates"]

SEPARATOR_STYLES = ("takeout", "thunderbird", "asctime")
_DAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
# a strict full-line regex per separator style (for tests and readers' checks), on bytes
SEPARATOR_RE = {
    "takeout": re.compile(rb"^From \d{1,20}@xxx " + _DAY.encode() + rb" \d\d \d\d:\d\d:\d\d \+0000 \d{4}\r?$",
                          re.MULTILINE),
    "thunderbird": re.compile(rb"^From - " + _DAY.encode() + rb" \d\d \d\d:\d\d:\d\d \d{4}\r?$", re.MULTILINE),
    "asctime": re.compile(rb"^From [^ \r\n]+@[^ \r\n]+ " + _DAY.encode() + rb" [ \d]\d \d\d:\d\d:\d\d \d{4}\r?$",
                          re.MULTILINE),
}


@dataclass
class MboxTruth:
    """What was written. Addresses are lower-case; message indices are 0-based in file order."""

    path: str
    seed: int
    owner: str
    crlf: bool
    separator: str
    messages: int = 0
    sent: int = 0                # From: the owner (Sent label)
    received: int = 0            # everything else, Spam/Trash/Chat included
    list_mail: int = 0           # newsletters and discussion-list posts (List-Id / List-Unsubscribe)
    automatic: int = 0           # notifications and auto-replies (Auto-Submitted / Precedence: bulk)
    auto_replies: int = 0        # out-of-office replies (also counted in automatic)
    spam: int = 0
    trash: int = 0
    chat: int = 0
    many_recipients: int = 0     # more than 25 addresses in To/Cc
    with_attachment: int = 0
    replies: int = 0             # messages with In-Reply-To
    threads: int = 0             # distinct X-GM-THRID values (thread keys in the other styles)
    unescaped_from_lines: int = 0  # body lines starting "From " (mailbox.mbox counts each as a message)
    bytes_written: int = 0
    correspondents: set[str] = field(default_factory=set)  # addresses in To/Cc/Bcc of the owner's mail
    inbound_only: set[str] = field(default_factory=set)    # senders of received mail she never wrote to
    inbound_only_people: set[str] = field(default_factory=set)  # ... of those, humans (PEOPLE_KINDS)
    kinds: list[str] = field(default_factory=list)         # each message's kind (KIND_SHARES keys)
    quirks: dict[str, list[int]] = field(default_factory=dict)
    expected: dict[int, dict[str, str]] = field(default_factory=dict)  # decoded values a reader should get

    def summary(self) -> dict:
        """The counts as JSON-friendly values (sets as sizes, quirks as counts)."""
        out = {k: v for k, v in asdict(self).items() if k not in ("correspondents", "inbound_only",
                                                                  "inbound_only_people", "kinds", "quirks",
                                                                  "expected")}
        out.update(correspondents=len(self.correspondents), inbound_only=len(self.inbound_only),
                   inbound_only_people=len(self.inbound_only_people),
                   quirks={k: len(v) for k, v in self.quirks.items()})
        return out

    def to_json(self) -> str:
        data = asdict(self)
        for key in ("correspondents", "inbound_only", "inbound_only_people"):
            data[key] = sorted(data[key])
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> "MboxTruth":
        data = json.loads(text)
        for key in ("correspondents", "inbound_only", "inbound_only_people"):
            data[key] = set(data[key])
        data["expected"] = {int(k): v for k, v in data["expected"].items()}
        return cls(**data)


@dataclass
class Person:
    first: str
    last: str
    address: str
    zone: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass
class Thread:
    thrid: int
    subject: str
    people: list[Person]
    ids: list[str]
    last_from_owner: bool
    last_id_owner: str | None = None


@dataclass
class Message:
    """One message before rendering; ``headers`` are the fields after the transport block."""

    kind: str
    at: float
    gmail_id: int
    thrid: int
    labels: str
    sender: str           # envelope sender (asctime separator, Return-Path)
    headers: list[tuple[str, str]]
    text: str
    html: str
    received: bool        # gets the Gmail transport block
    attachment: int = 0   # encoded bytes of the attachment, 0 for none


# ---------------------------------------------------------------------------------------------
# formatting helpers


def _stamp(secs: float, zone: str = "+0000") -> tuple:
    sign = -1 if zone[0] == "-" else 1
    offset = sign * (int(zone[1:3]) * 3600 + int(zone[3:5]) * 60)
    return time.gmtime(int(secs) + offset)


def rfc5322_date(secs: float, zone: str) -> str:
    t = _stamp(secs, zone)
    return (f"{WEEKDAYS[t.tm_wday]}, {t.tm_mday} {MONTHS[t.tm_mon - 1]} {t.tm_year} "
            f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} {zone}")


def separator_line(style: str, secs: float, gmail_id: int, sender: str) -> str:
    t = _stamp(secs)
    day = f"{WEEKDAYS[t.tm_wday]} {MONTHS[t.tm_mon - 1]}"
    clock = f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}"
    if style == "takeout":
        return f"From {gmail_id}@xxx {day} {t.tm_mday:02d} {clock} +0000 {t.tm_year}"
    if style == "thunderbird":
        return f"From - {day} {t.tm_mday:02d} {clock} {t.tm_year}"
    return f"From {sender} {day} {t.tm_mday:2d} {clock} {t.tm_year}"


def needs_quotes(name: str) -> bool:
    return any(c in name for c in ',.;:()<>@[]"')


def mailbox(name: str, address: str) -> str:
    if not name:
        return address
    return f'"{name}" <{address}>' if needs_quotes(name) else f"{name} <{address}>"


def address_list(pairs: list[tuple[str, str]]) -> str:
    """Comma-separated, folded after 78 columns the way Gmail folds (newline + space)."""
    out, width = [], 4
    for i, (name, address) in enumerate(pairs):
        item = mailbox(name, address) + ("," if i < len(pairs) - 1 else "")
        if width + len(item) + 1 > 78 and out:
            out.append("\n " + item)
            width = len(item) + 1
        else:
            out.append((" " if out else "") + item)
            width += len(item) + 1
    return "".join(out)


def encoded_words(text: str, mode: str, charset: str = "UTF-8") -> str:
    """RFC 2047 words (each at most 75 characters) for ``text``, folded between words."""
    codec = "utf-8" if charset.upper() == "UTF-8" else "cp1252"

    def word(chunk: str) -> str:
        data = chunk.encode(codec)
        if mode == "B":
            payload = base64.b64encode(data).decode()
        else:
            payload = "".join(chr(b) if (chr(b).isalnum() and b < 128) else ("_" if b == 32 else f"={b:02X}")
                              for b in data)
        return f"=?{charset}?{mode}?{payload}?="

    words, start = [], 0
    while start < len(text):  # the longest run of whole characters that fits in 75
        end = start + 1
        while end < len(text) and len(word(text[start:end + 1])) <= 75:
            end += 1
        words.append(word(text[start:end]))
        start = end
    return "\n ".join(words)


def label_word(labels: str) -> str:
    """The whole label list as one Q encoded word, commas left as they are (as Gmail does)."""
    safe = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789,/-.")
    payload = "".join(chr(b) if b in safe else "_" if b == 32 else f"={b:02X}" for b in labels.encode())
    return f"=?UTF-8?Q?{payload}?="


def _b64(rng: random.Random, n: int) -> str:
    return base64.b64encode(rng.randbytes(n)).decode()


def _fold_b64(text: str, indent: str = "\n        ") -> str:
    return indent.join(text[i:i + 70] for i in range(0, len(text), 70))


# ---------------------------------------------------------------------------------------------
# the writer


class MailWriter:
    """Draws and renders messages; one instance writes one mbox (or one .eml folder)."""

    def __init__(self, messages: int, seed: int, owner: str, attachment_share: float,
                 attachment_kb: tuple[int, int], crlf: bool, separator: str) -> None:
        if separator not in SEPARATOR_STYLES:
            raise ValueError(f"separator must be one of {SEPARATOR_STYLES}, not {separator!r}")
        self.rng = random.Random(seed)
        self.n, self.owner, self.crlf, self.style = messages, owner.lower(), crlf, separator
        self.takeout = separator == "takeout"
        self.eol = "\r\n" if crlf else "\n"
        self.attachment_share, self.attachment_kb = attachment_share, attachment_kb
        self._make_people()
        self._make_pools()
        self.kinds = self._draw_kinds()
        self.quirk_at = self._plan_quirks()
        self.attach_at = self._plan_attachments()
        self.threads: list[Thread] = []
        self.thread_keys: set[int] = set()
        self.clock = float(START)
        self.step = (END - START) / max(messages, 1)
        self.sequence = 0
        self.truth = MboxTruth(path="", seed=seed, owner=self.owner, crlf=crlf, separator=separator)
        self.truth.quirks = {name: [] for name in QUIRKS}
        self.senders_in: set[str] = set()
        self.senders_people: set[str] = set()

    # -- populations --------------------------------------------------------------------------

    def _person(self, i: int, domain: str) -> Person:
        first = FIRST[i % len(FIRST)]
        last = LAST[(i * 7 + i // len(FIRST)) % len(LAST)]
        local = self.rng.choice([f"{first}.{last}", f"{first[0]}{last}", f"{first}", f"{first}.{last}{i % 90}"])
        return Person(first, last, f"{local.lower()}.{i}@{domain}" if local == first else f"{local.lower()}@{domain}",
                      self.rng.choice(ZONES))

    def _make_people(self) -> None:
        rng = self.rng
        contacts = min(max(self.n // 120, 30), 4000)
        self.colleagues = [self._person(i, "northwind.example") for i in range(max(contacts // 3, 70))]
        self.outside = [self._person(10_000 + i, f"{rng.choice(COMPANIES)}{i % 7 or ''}.{rng.choice(TLDS)}")
                        for i in range(contacts - len(self.colleagues))]
        self.contacts = self.colleagues[:]
        self.contacts.extend(self.outside)
        rng.shuffle(self.contacts)
        self.contact_weights = list(accumulate(1 / (i + 1) ** 0.9 for i in range(len(self.contacts))))
        self.cold = [self._person(50_000 + i, f"{rng.choice(['talent', 'sales', 'growth', 'hello'])}"
                                              f"{i % 13}.{rng.choice(['example.com', 'example.net', 'example'])}")
                     for i in range(min(max(self.n // 60, 20), 6000))]
        self.members = [self._person(80_000 + i, f"mail{i % 5}.{rng.choice(TLDS)}")
                        for i in range(max(self.n // 400, 15))]
        self.owner_person = Person("Mara", "Lindqvist", self.owner, "+0100")

    def _make_pools(self) -> None:
        """Random-looking signature material, drawn once and reused (speed)."""
        rng = self.rng
        self.sigs = [_fold_b64(_b64(rng, 258)) for _ in range(64)]
        self.hashes = [_b64(rng, 32) for _ in range(256)]
        self.tokens = [_b64(rng, 66) for _ in range(64)]
        eol = self.eol.encode()
        raw = base64.encodebytes(rng.randbytes(256 * 1024 * 3 // 4 + 1024))  # 76 columns + \n
        lines = raw.split(b"\n")[:-1]
        self.attach_block = memoryview(eol.join(lines[: len(lines) - 1]) + eol)
        self.attach_line = 76 + len(eol)
        self.attach_lines = len(lines) - 1

    def _draw_kinds(self) -> list[str]:
        shares = dict(KIND_SHARES)
        if not self.takeout:
            shares["in"] += sum(shares.pop(k) for k in TAKEOUT_ONLY)
        names = list(shares)
        weights = list(accumulate(shares.values()))
        return self.rng.choices(names, cum_weights=weights, k=self.n)

    def _plan_quirks(self) -> dict[int, set[str]]:
        rng, at = self.rng, {}
        by_kind: dict[str, list[int]] = {}
        for i, kind in enumerate(self.kinds):
            by_kind.setdefault(kind, []).append(i)
        for group in QUIRK_GROUPS:
            active = [(name, rate, kinds) for name, rate, kinds in group
                      if self.takeout or name not in ("encoded_labels", "quoted_label")]
            if not active:
                continue
            taken: set[int] = set()
            for name, rate, kinds in active:
                pool = sorted(i for k in kinds for i in by_kind.get(k, ()) if i not in taken)
                want = min(len(pool), max(1, round(rate * self.n)))
                for i in rng.sample(pool, want):
                    taken.add(i)
                    at.setdefault(i, set()).add(name)
        return at

    def _plan_attachments(self) -> set[int]:
        want = round(self.attachment_share * self.n)
        human = [i for i, k in enumerate(self.kinds) if k in ("sent", "in", "cold")]
        others = [i for i, k in enumerate(self.kinds) if k in ("notification", "allhands", "discussion")]
        chosen = self.rng.sample(human, min(want, len(human)))
        if want > len(chosen):
            chosen += self.rng.sample(others, min(want - len(chosen), len(others)))
        return set(chosen)

    # -- drawing ------------------------------------------------------------------------------

    def _contact(self) -> Person:
        return self.rng.choices(self.contacts, cum_weights=self.contact_weights)[0]

    def _contacts(self, k: int) -> list[Person]:
        seen, out = set(), []
        while len(out) < k:
            p = self._contact()
            if p.address not in seen:
                seen.add(p.address)
                out.append(p)
        return out

    def _message_id(self, person: Person) -> str:
        self.sequence += 1
        token = self.tokens[self.sequence % len(self.tokens)][:20].replace("/", "_").replace("+", "-")
        domain = person.address.split("@")[1]
        if self.rng.random() < 0.6:
            return f"<CA{token}{self.sequence:x}@mail.gmail.example>"
        return f"<{self.sequence:08x}.{token[:10]}@mail.{domain}>"

    def _paragraphs(self, k: int) -> list[str]:
        return self.rng.sample(SENTENCES, k)

    def _text_body(self, author: Person, greeting: str, k: int) -> str:
        lines = [f"Hi {greeting},", ""] + self._paragraphs(k) + ["", "Best,", author.first]
        return "\n".join(lines)

    def _html(self, text: str) -> str:
        paras = "".join(f"<div>{line or '<br>'}</div>\n" for line in text.split("\n"))
        return f'<div dir="ltr">\n{paras}</div>'

    def _next_time(self, i: int) -> float:
        """Message i's receive time: spread evenly over START..END, jittered within its slot."""
        self.clock = START + self.step * (i + self.rng.random())
        if "out_of_order" in self.quirk_at.get(i, ()):
            return max(START, self.clock - self.rng.uniform(60, 400) * 86400)
        return self.clock

    def _gmail_id(self, at: float) -> int:
        return (int(at * 1000) << 20) | self.rng.getrandbits(20)

    def _thread_to_reply(self, owner_last: bool) -> Thread | None:
        recent = self.threads[-60:]
        for _ in range(4):
            if not recent:
                return None
            t = self.rng.choice(recent)
            if t.last_from_owner == owner_last:
                return t
        return None

    def _new_thread(self, gid: int, subject: str, people: list[Person]) -> Thread:
        t = Thread(gid, subject, people, [], False)
        self.threads.append(t)
        if len(self.threads) > 400:
            del self.threads[:100]
        return t

    # -- one message per kind -----------------------------------------------------------------

    def build(self, i: int) -> Message:
        kind = self.kinds[i]
        at = self._next_time(i)
        gid = self._gmail_id(at)
        maker = getattr(self, f"_make_{kind}")
        msg = maker(i, at, gid)
        return msg

    def _human(self, kind, at, gid, author: Person, to: list[Person], cc: list[Person], thread: Thread | None,
               subject: str, labels: str, received: bool, bcc: list[Person] = ()) -> Message:
        if thread is None:
            thread = self._new_thread(gid, subject, [p for p in [author, *to, *cc] if p.address != self.owner])
            reply = False
        else:
            reply = True
        msg_id = self._message_id(author)
        headers = [("From", mailbox(author.name, author.address)),
                   ("Date", rfc5322_date(at - (self.rng.uniform(2, 90) if received else 0), author.zone))]
        subj = ("Re: " + thread.subject) if reply else subject
        if reply:
            refs = thread.ids[-10:]
            headers += [("References", " ".join(refs)), ("In-Reply-To", refs[-1])] if refs else []
        headers += [("Message-ID", msg_id), ("Subject", subj),
                    ("To", address_list([(p.name, p.address) for p in to]))]
        if cc:
            headers.append(("Cc", address_list([(p.name, p.address) for p in cc])))
        if bcc:
            headers.append(("Bcc", address_list([(p.name, p.address) for p in bcc])))
        greeting = to[0].first if to else "all"
        text = self._text_body(author, greeting, self.rng.randint(2, 5))
        if reply and thread.ids:
            text += f"\n\nOn {rfc5322_date(at - 86400, author.zone)}, someone wrote:\n> " + \
                    "\n> ".join(self._paragraphs(2))
        thread.ids.append(msg_id)
        thread.last_from_owner = author.address == self.owner
        if thread.last_from_owner:
            thread.last_id_owner = msg_id
        return Message(kind, at, gid, thread.thrid, labels, author.address, headers, text, self._html(text),
                       received)

    def _make_sent(self, i, at, gid) -> Message:
        rng = self.rng
        thread = self._thread_to_reply(owner_last=False) if rng.random() < 0.5 else None
        if thread is not None:
            to = thread.people[:1] or self._contacts(1)
            cc = thread.people[1:3]
        else:
            people = self._contacts(rng.choice((1, 1, 1, 2, 2, 3)))
            to, cc = people[:1] if rng.random() < 0.5 else people, people[1:] if rng.random() < 0.5 else []
            if cc and to == people:
                cc = []
        bcc = self._contacts(1) if rng.random() < 0.03 else []
        bcc = [p for p in bcc if p not in to and p not in cc]
        subject = rng.choice(TOPICS).capitalize() if thread is None else ""
        return self._human("sent", at, gid, self.owner_person, to, cc, thread, subject, "Sent,Opened", False, bcc)

    def _make_sent_broadcast(self, i, at, gid) -> Message:
        to = self.rng.sample(self.colleagues, min(len(self.colleagues), self.rng.randint(26, 40)))
        return self._human("sent_broadcast", at, gid, self.owner_person, to, [], None,
                           f"Team update: {self.rng.choice(TOPICS)}", "Sent,Opened", False)

    def _make_in(self, i, at, gid) -> Message:
        rng = self.rng
        dangling = "dangling_reply" in self.quirk_at.get(i, ())
        thread = None
        if dangling:
            author = self._contact()
            thread = Thread(self._gmail_id(at - 5e6), rng.choice(TOPICS), [author],
                            [self._message_id(author), self._message_id(self.owner_person)], False)
        elif rng.random() < 0.5:
            thread = self._thread_to_reply(owner_last=True)
        if thread is not None and thread.people:
            author, cc = thread.people[0], thread.people[1:3]
        else:
            thread, author = None, self._contact()
            cc = self._contacts(1) if rng.random() < 0.2 else []
            cc = [p for p in cc if p is not author]
        return self._human("in", at, gid, author, [self.owner_person], cc, thread, rng.choice(TOPICS).capitalize(),
                           rng.choice(LABELS_IN), True)

    def _make_cold(self, i, at, gid, labels: str | None = None, kind: str = "cold") -> Message:
        author = self.rng.choice(self.cold)
        subject = self.rng.choice(["Quick question", "Opportunity at a growing team", "Introduction",
                                   "Following up", "Partnership idea", "Speaking invitation"])
        return self._human(kind, at, gid, author, [self.owner_person], [], None, subject,
                           labels or self.rng.choice(LABELS_IN), True)

    def _make_trash(self, i, at, gid) -> Message:
        return self._make_cold(i, at, gid, labels="Trash,Opened,Category Personal", kind="trash")

    def _make_allhands(self, i, at, gid) -> Message:
        author = self.rng.choice(self.colleagues)
        others = [p for p in self.rng.sample(self.colleagues, min(len(self.colleagues), self.rng.randint(26, 60)))
                  if p is not author]
        return self._human("allhands", at, gid, author, [self.owner_person] + others, [], None,
                           f"All hands: {self.rng.choice(TOPICS)}", "Inbox,Opened,Category Updates", True)

    def _make_auto_reply(self, i, at, gid) -> Message:
        thread = self._thread_to_reply(owner_last=True)
        if thread is None or not thread.people:
            author = self._contact()
            thread = Thread(self._gmail_id(at - 3600), "Checking in", [author], [self._message_id(self.owner_person)],
                            True, None)
        author = thread.people[0]
        parent = thread.last_id_owner or thread.ids[-1]
        headers = [("From", mailbox(author.name, author.address)), ("Date", rfc5322_date(at - 3, author.zone)),
                   ("In-Reply-To", parent), ("References", parent),
                   ("Message-ID", self._message_id(author)),
                   ("Subject", f"Automatic reply: {thread.subject}"), ("To", mailbox(OWNER_NAME, self.owner)),
                   ("Auto-Submitted", "auto-replied"), ("X-Auto-Response-Suppress", "All"),
                   ("X-MS-Exchange-Inbox-Rules-Loop", author.address)]
        back = rfc5322_date(at + 6 * 86400, author.zone)[:16]
        text = (f"Thank you for your message. I am out of the office until {back} "
                "with limited access to email.\n\nFor urgent matters please contact the office.\n\n"
                f"{author.name}")
        return Message("auto_reply", at, gid, thread.thrid, "Inbox,Opened,Category Personal", author.address,
                       headers, text, self._html(text), True)

    def _make_newsletter(self, i, at, gid) -> Message:
        rng = self.rng
        name, local, brand = rng.choice(NEWSLETTERS)
        domain = f"{brand}.example.com"
        sender = f"{local}@{domain}"
        campaign = rng.getrandbits(40)
        headers = [("From", mailbox(name, sender)), ("Date", rfc5322_date(at - rng.uniform(30, 600), "+0000")),
                   ("Message-ID", f"<{campaign:x}.{self.sequence}@mta.{domain}>"),
                   ("Subject", f"{name}: {rng.choice(TOPICS)} and more"),
                   ("To", mailbox("", self.owner)),
                   ("List-Unsubscribe", f"<mailto:unsub-{campaign:x}@{domain}?subject=unsubscribe>,\n"
                                        f" <https://{domain}/u/{campaign:x}>"),
                   ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
                   ("List-Id", f"{name} <{local}.{brand}.list-id.example.net>"),
                   ("Feedback-ID", f"{campaign % 997}:{brand}:campaign:esp")]
        if rng.random() < 0.4:
            headers.append(("Precedence", "bulk"))
        self.sequence += 1
        items = "".join(f'<tr><td><a href="https://{domain}/r/{campaign:x}/{k}">{rng.choice(TOPICS).title()}</a>'
                        f"<p>{rng.choice(SENTENCES)} {rng.choice(SENTENCES)}</p></td></tr>\n"
                        for k in range(rng.randint(3, 7)))
        html = f'<html><body><table width="600" cellpadding="0">\n{items}</table></body></html>'
        text = f"{name}\n\n" + "\n".join(rng.sample(SENTENCES, 4)) + f"\n\nUnsubscribe: https://{domain}/u/{campaign:x}"
        return Message("newsletter", at, gid, gid, rng.choice(LABELS_NEWS), sender, headers, text, html, True)

    def _make_discussion(self, i, at, gid) -> Message:
        rng = self.rng
        slug, title = rng.choice(LISTS)
        author = rng.choice(self.members)
        listaddr = f"{slug}@lists.community.example.org"
        headers = [("From", mailbox(author.name, author.address)), ("Date", rfc5322_date(at - 40, author.zone)),
                   ("Message-ID", self._message_id(author)), ("Subject", f"[{slug}] {rng.choice(TOPICS)}"),
                   ("To", mailbox(title, listaddr)),
                   ("List-Id", f"{title} <{slug}.lists.community.example.org>"),
                   ("List-Post", f"<mailto:{listaddr}>"),
                   ("List-Unsubscribe", f"<mailto:{slug}-leave@lists.community.example.org>"),
                   ("Precedence", "list"), ("Sender", f"{slug}-bounces@lists.community.example.org")]
        text = self._text_body(author, "everyone", rng.randint(2, 4))
        return Message("discussion", at, gid, gid, "Inbox,Opened,Category Forums", author.address, headers,
                       text, self._html(text), True)

    def _make_notification(self, i, at, gid) -> Message:
        rng = self.rng
        local, brand, display = rng.choice(NOTIFIERS)
        sender = f"{local}@{brand}.example.com"
        headers = [("From", mailbox(display, sender)), ("Date", rfc5322_date(at - rng.uniform(1, 20), "+0000")),
                   ("Message-ID", f"<{rng.getrandbits(64):016x}@{brand}.example.com>"),
                   ("Subject", rng.choice(NOTIFY_SUBJECTS)), ("To", mailbox(OWNER_NAME, self.owner))]
        headers.append(("Auto-Submitted", "auto-generated") if rng.random() < 0.6 else ("Precedence", "bulk"))
        if rng.random() < 0.3:
            headers.append(("X-Auto-Response-Suppress", "All"))
        text = "\n".join(rng.sample(SENTENCES, 2)) + f"\n\nThis is an automated message from {display}."
        return Message("notification", at, gid, gid, rng.choice(LABELS_NOTIFY), sender, headers, text,
                       self._html(text), True)

    def _make_spam(self, i, at, gid) -> Message:
        rng = self.rng
        sender = f"offer{rng.randrange(1000)}@{rng.choice(['winbig', 'cheapdeals', 'primeoffer'])}.example.net"
        headers = [("From", mailbox("Rewards Desk", sender)), ("Date", rfc5322_date(at - 300, "-0700")),
                   ("Message-ID", f"<{rng.getrandbits(48):x}@{sender.split('@')[1]}>"),
                   ("Subject", rng.choice(SPAM_SUBJECTS)), ("To", mailbox("", self.owner))]
        text = "Dear friend,\n\n" + "\n".join(rng.sample(SENTENCES, 2))
        return Message("spam", at, gid, gid, rng.choice(["Spam,Unread", "Spam,Category Promotions,Unread"]),
                       sender, headers, text, self._html(text), True)

    def _make_chat(self, i, at, gid) -> Message:
        person = self._contact()
        headers = [("From", mailbox(person.name, person.address)),
                   ("Message-ID", self._message_id(person)), ("Subject", f"Chat with {person.name}")]
        text = f"{person.first}: are you free for a quick call?\nme: in ten minutes\n{person.first}: great"
        return Message("chat", at, gid, gid, "Chat", person.address, headers, text, "", False)

    # -- quirks -------------------------------------------------------------------------------

    def apply_quirks(self, i: int, msg: Message) -> None:
        quirks = self.quirk_at.get(i)
        if not quirks:
            return
        expected = {}
        h = msg.headers
        for q in sorted(quirks, key=APPLY_ORDER.index):
            self.truth.quirks[q].append(i)
            if q in ("encoded_name_b", "encoded_name_q", "raw_utf8_name"):
                name = self._accented_name(msg)
                value = name if q == "raw_utf8_name" else encoded_words(name, "B" if q.endswith("b") else "Q")
                self._set(h, "From", f"{value} <{msg.sender}>")
                expected["from_name"] = name
            elif q in ("encoded_subject_b", "encoded_subject_q"):
                subject = self.rng.choice(["Återkoppling om mötet på torsdag", "Réunion: prochaines étapes ✓",
                                           "Anfrage zur Zusammenarbeit – Grüße", "会议纪要 meeting notes"])
                self._set(h, "Subject", encoded_words(subject, "B" if q.endswith("b") else "Q"))
                expected["subject"] = subject
            elif q == "cp1252_subject":
                subject = "“Quarterly numbers” – draft €"
                self._set(h, "Subject", encoded_words(subject, "Q", charset="iso-8859-1"))
                expected["subject"] = subject
            elif q == "folded_subject":
                subject = self._get(h, "Subject") + " and the notes from our longer planning session"
                words = subject.split(" ")
                self._set(h, "Subject", " ".join(words[:4]) + "\n " + " ".join(words[4:]))
                expected["subject"] = subject
            elif q == "encoded_labels":
                labels = msg.labels + ",Kunden/Zürich"
                msg.labels = label_word(labels)
                expected["labels"] = labels
            elif q == "quoted_label":
                msg.labels += ',"Clients, Nordics"'
                expected["labels"] = msg.labels
            elif q == "header_case":
                msg.headers = [("Message-Id" if k == "Message-ID" else "CC" if k == "Cc" else k, v) for k, v in h]
                h = msg.headers
            elif q == "unquoted_last_first":
                self._unquote_first_recipient(h, msg)
            elif q == "undisclosed_recipients":
                self._set(h, "To", "undisclosed-recipients:;")
            elif q == "unescaped_from":
                msg.text = self._insert_body_line(msg.text, f"From the desk of {self._author_first(msg)}: a few notes "
                                                            "before Monday.")
                self.truth.unescaped_from_lines += 1
            elif q == "escaped_from":
                msg.text = self._insert_body_line(msg.text, ">From here on we use the shared folder.")
            elif q == "no_date":
                msg.headers = h = [(k, v) for k, v in h if k != "Date"]
            elif q == "no_message_id":
                msg.headers = h = [(k, v) for k, v in h if k.lower() != "message-id"]
        if expected:
            self.truth.expected[i] = expected

    @staticmethod
    def _get(headers, name: str) -> str:
        return next(v for k, v in headers if k == name)

    @staticmethod
    def _set(headers, name: str, value: str) -> None:
        for n, (k, _) in enumerate(headers):
            if k == name:
                headers[n] = (k, value)
                return
        headers.append((name, value))

    def _accented_name(self, msg: Message) -> str:
        """The sender's name with its accents (always some non-ASCII letter)."""
        first, _, last = self._get(msg.headers, "From").partition(" <")[0].strip('"').partition(" ")
        first, last = ACCENTED.get(first, first), ACCENTED.get(last, last)
        name = f"{first} {last}".strip()
        if name.isascii():  # no known spelling: accent the first vowel of the last word
            head, _, word = name.rpartition(" ")
            k = next((n for n, c in enumerate(word) if c in "aeiou"), 0)
            word = word[:k] + {"a": "á", "e": "é", "i": "í", "o": "ö", "u": "ü"}.get(word[k], "ø") + word[k + 1:]
            name = f"{head} {word}".strip()
        return name

    def _author_first(self, msg: Message) -> str:
        first = self._get(msg.headers, "From").split(" ")[0].strip('"')
        return first if first.isascii() and first.isalpha() else "the team"

    def _unquote_first_recipient(self, headers, msg: Message) -> None:
        to = self._get(headers, "To")
        first_item, sep, rest = to.partition(",")
        name, _, address = first_item.strip().partition(" <")
        if not address:
            return
        first, _, last = name.strip('"').partition(" ")
        self._set(headers, "To", f"{last}, {first} <{address}" + (sep + rest if sep else ""))

    @staticmethod
    def _insert_body_line(text: str, line: str) -> str:
        lines = text.split("\n")
        at = 2 if len(lines) > 3 else len(lines)
        return "\n".join(lines[:at] + ["", line, ""] + lines[at:])

    # -- rendering ----------------------------------------------------------------------------

    def transport(self, msg: Message) -> str:
        """Gmail's Delivered-To / Received / ARC / DKIM block of received mail (~4 KB)."""
        rng = self.rng
        domain = msg.sender.rsplit("@", 1)[-1]
        date = rfc5322_date(msg.at, "-0800")
        ip = f"{rng.choice(['192.0.2', '198.51.100', '203.0.113'])}.{rng.randrange(1, 255)}"
        v6 = f"2001:db8:{rng.getrandbits(16):x}:{rng.getrandbits(16):x}::{rng.getrandbits(12):x}"
        sig = self.sigs
        h = self.hashes
        t = int(msg.at)
        auth = (f"mx.google.example;\n       dkim=pass header.i=@{domain} header.s=s{t % 3} "
                f"header.b={h[t % 256][:8]};\n"
                f"       spf=pass (google.example: domain of {msg.sender} designates {ip} as permitted sender) "
                f"smtp.mailfrom={msg.sender};\n       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from={domain}")
        return (f"Delivered-To: {self.owner}\n"
                f"Received: by {v6} with SMTP id {h[rng.randrange(256)][:12]};\n        {date}\n"
                f"X-Google-Smtp-Source: {self.tokens[rng.randrange(64)]}\n"
                f"X-Received: by {v6}:{rng.randrange(99)} with SMTP id {h[rng.randrange(256)][:14]}.{t % 1000};\n"
                f"        {date}\n"
                f"ARC-Seal: i=1; a=rsa-sha256; t={t}; cv=none;\n        d=google.example; s=arc-20160816;\n"
                f"        b={sig[rng.randrange(64)]}\n"
                f"ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=google.example; s=arc-20160816;\n"
                f"        h=to:subject:message-id:date:from:mime-version:dkim-signature;\n"
                f"        bh={h[rng.randrange(256)]};\n        b={sig[rng.randrange(64)]}\n"
                f"ARC-Authentication-Results: i=1; {auth}\n"
                f"Return-Path: <{msg.sender}>\n"
                f"Received: from mail-sor-f{t % 90}.google.example (mail-sor-f{t % 90}.google.example. [{ip}])\n"
                f"        by mx.google.example with SMTPS id {h[rng.randrange(256)][:16]}\n"
                f"        for <{self.owner}>\n        (Google Transport Security);\n        {date}\n"
                f"Received-SPF: pass (google.example: domain of {msg.sender} designates {ip} as permitted sender) "
                f"client-ip={ip};\n"
                f"Authentication-Results: {auth}\n"
                f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\n        d={domain}; s=s{t % 3}; t={t};\n"
                f"        h=mime-version:from:date:message-id:subject:to;\n        bh={h[rng.randrange(256)]};\n"
                f"        b={sig[rng.randrange(64)]}\n"
                f"X-Google-DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\n        d=1e100.google.example; "
                f"s=20161025; t={t};\n        h=x-gm-message-state:mime-version:from:date:message-id:subject:to;\n"
                f"        bh={h[rng.randrange(256)]};\n        b={sig[rng.randrange(64)]}\n"
                f"X-Gm-Message-State: {self.tokens[rng.randrange(64)]}\n")

    def render_head(self, msg: Message, with_gmail: bool) -> str:
        parts = []
        if with_gmail:
            parts.append(f"X-GM-THRID: {msg.thrid}\nX-Gmail-Labels: {msg.labels}\n")
        if msg.received:
            parts.append(self.transport(msg))
        elif msg.kind != "chat":
            parts.append(f"Received: by 2001:db8:{self.rng.getrandbits(16):x}::{self.rng.getrandbits(12):x} "
                         f"with HTTP; {rfc5322_date(msg.at, '-0800')}\n")
        parts.append("MIME-Version: 1.0\n")
        parts.extend(f"{k}: {v}\n" for k, v in msg.headers)
        return "".join(parts)

    def render(self, msg: Message, sep: str | None) -> list:
        """The message as a list of bytes/memoryview pieces (the attachment is not copied)."""
        boundary = f"000000000000{self.rng.getrandbits(48):012x}"
        head = self.render_head(msg, with_gmail=sep is not None and self.takeout)
        body = (f"--{boundary}\nContent-Type: text/plain; charset=\"UTF-8\"\n\n{msg.text}\n\n"
                + (f"--{boundary}\nContent-Type: text/html; charset=\"UTF-8\"\n\n{msg.html}\n\n" if msg.html else "")
                + f"--{boundary}--\n")
        if msg.attachment:
            outer = f"000000000000{self.rng.getrandbits(48):012x}"
            name = self.rng.choice(["Q3-report.pdf", "slides.pdf", "contract-draft.docx", "photo.jpg", "budget.xlsx"])
            text = (f"{head}Content-Type: multipart/mixed; boundary=\"{outer}\"\n\n--{outer}\n"
                    f"Content-Type: multipart/alternative; boundary=\"{boundary}\"\n\n{body}\n--{outer}\n"
                    f"Content-Type: application/octet-stream; name=\"{name}\"\n"
                    f"Content-Disposition: attachment; filename=\"{name}\"\n"
                    f"Content-Transfer-Encoding: base64\nX-Attachment-Id: f_{outer[-10:]}\n\n")
            tail = f"--{outer}--\n\n"
        else:
            text = f"{head}Content-Type: multipart/alternative; boundary=\"{boundary}\"\n\n{body}\n"
            tail = ""
        if sep is not None:
            text = sep + "\n" + text
        pieces = [self._bytes(text)]
        if msg.attachment:
            lines = max(1, msg.attachment // self.attach_line)
            start = self.rng.randrange(self.attach_lines - lines + 1) * self.attach_line
            pieces.append(self.attach_block[start:start + lines * self.attach_line])
            pieces.append(self._bytes(tail))
        return pieces

    def _bytes(self, text: str) -> bytes:
        if self.crlf:
            text = text.replace("\n", "\r\n")
        return text.encode("utf-8")

    # -- bookkeeping --------------------------------------------------------------------------

    def attachment_size(self) -> int:
        """Encoded bytes: a Pareto tail (alpha 5) from ``lo`` KB, cut at ``hi`` KB, so most
        attachments are small (mean ~1.25 lo: 62 KB for the default 50-200)."""
        lo, hi = self.attachment_kb
        return int(1024 * min(hi, lo * self.rng.paretovariate(5.0)))

    def count(self, i: int, msg: Message) -> None:
        t, kind = self.truth, msg.kind
        t.messages += 1
        t.kinds.append(kind)
        if kind in SENT_KINDS:
            t.sent += 1
            for name in ("To", "Cc", "CC", "Bcc"):
                for value in (v for k, v in msg.headers if k == name):
                    t.correspondents.update(a.lower() for a in re.findall(r"<([^>]+)>", value))
        else:
            t.received += 1
            self.senders_in.add(msg.sender.lower())
            if kind in PEOPLE_KINDS:
                self.senders_people.add(msg.sender.lower())
        t.list_mail += kind in LIST_KINDS
        t.automatic += kind in AUTOMATIC_KINDS
        t.auto_replies += kind == "auto_reply"
        t.spam += kind == "spam"
        t.trash += kind == "trash"
        t.chat += kind == "chat"
        t.with_attachment += bool(msg.attachment)
        recipients = sum(v.count("@") for k, v in msg.headers if k in ("To", "Cc", "CC"))
        t.many_recipients += recipients > 25
        t.replies += any(k == "In-Reply-To" for k, _ in msg.headers)
        self.thread_keys.add(msg.thrid)

    def finish(self) -> MboxTruth:
        t = self.truth
        t.correspondents.discard(self.owner)
        t.inbound_only = self.senders_in - t.correspondents
        t.inbound_only_people = self.senders_people - t.correspondents
        t.threads = len(self.thread_keys)
        return t

    def messages(self):
        """(index, Message) for every message, quirks applied, attachments sized."""
        for i in range(self.n):
            msg = self.build(i)
            self.apply_quirks(i, msg)
            if i in self.attach_at:
                msg.attachment = self.attachment_size()
            yield i, msg


def default_separator(crlf: bool) -> str:
    return "takeout" if crlf else "thunderbird"


def write_mbox(path: Path, messages: int, seed: int = 7, owner: str = OWNER, attachment_share: float = 0.1,
               attachment_kb: tuple[int, int] = (50, 200), crlf: bool = True,
               separator: str | None = None) -> MboxTruth:
    """Stream a synthetic mbox of ``messages`` messages to ``path``; see the module docstring.

    ``separator`` is ``"takeout"`` (default with CRLF), ``"thunderbird"`` (default with LF) or
    ``"asctime"``."""
    path = Path(path)
    writer = MailWriter(messages, seed, owner, attachment_share, attachment_kb, crlf,
                        separator or default_separator(crlf))
    written = 0
    with path.open("wb", buffering=16 << 20) as out:
        for i, msg in writer.messages():
            sep = separator_line(writer.style, msg.at, msg.gmail_id, msg.sender)
            for piece in writer.render(msg, sep):
                out.write(piece)
                written += len(piece)
            writer.count(i, msg)
    truth = writer.finish()
    truth.path, truth.bytes_written = str(path), written
    return truth


def write_eml_folder(path: Path, messages: int, seed: int = 7, owner: str = OWNER,
                     crlf: bool | None = None) -> MboxTruth:
    """Write ``messages`` single-message ``.eml`` files (``00000.eml`` ...) into the folder
    ``path``. ``crlf=None`` mixes line endings (about a third CRLF, as Outlook saves them)."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    writer = MailWriter(messages, seed, owner, 0.0, (1, 1), bool(crlf), "asctime")  # no attachments
    written = 0
    for i, msg in writer.messages():
        writer.crlf = crlf if crlf is not None else writer.rng.random() < 0.33
        data = b"".join(bytes(p) for p in writer.render(msg, None))
        (path / f"{i:05d}.eml").write_bytes(data)
        written += len(data)
        writer.count(i, msg)
    truth = writer.finish()
    truth.path, truth.bytes_written, truth.separator = str(path), written, "eml"
    truth.crlf = bool(crlf)
    return truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--lf", action="store_true", help="LF line endings (Thunderbird-style separators)")
    parser.add_argument("--separator", choices=SEPARATOR_STYLES)
    args = parser.parse_args()
    started = time.perf_counter()
    truth = write_mbox(args.out, args.messages, args.seed, crlf=not args.lf, separator=args.separator)
    seconds = time.perf_counter() - started
    print(json.dumps(truth.summary(), indent=1))
    print(f"{truth.bytes_written / 1e6:,.1f} MB in {seconds:.1f} s ({truth.bytes_written / 1e6 / seconds:,.0f} MB/s)",
          file=sys.stderr)


if __name__ == "__main__":
    main()
