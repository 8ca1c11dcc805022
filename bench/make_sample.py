#!/usr/bin/env python3
"""Write a synthetic LinkedIn data export ("Get a copy of your data") for demos and benchmarks.

Everything here is invented: people, companies, slugs, e-mail addresses and message texts are
drawn from small built-in lists by a seeded ``random.Random``, so the same arguments always give
the same bytes. No real person's data is used.

The files copy the byte-level format of a real export from the 2024-12 era (see the shared
reference ``export-formats.md``, section 1):

* ``Connections.csv``: the 375-byte ``Notes:`` preamble, then
  ``First Name,Last Name,URL,Email Address,Company,Position,Connected On``; ``DD Mon YYYY`` dates,
  newest first; UTF-8 without BOM, LF, no trailing newline; ~2% e-mails filled; ~3% rows without
  company and position; ghost rows such as ``,,,,,,14 Sep 2024``; names with credentials
  (``"Okafor, PhD"``), emoji, "fancy" math letters and trailing spaces; non-ASCII slugs
  percent-encoded (``linn%C3%A9a-...``).
* ``messages.csv``: the 12-column header ending in ``IS MESSAGE DRAFT,IS CONVERSATION DRAFT``;
  ``YYYY-MM-DD HH:MM:SS UTC`` dates; rows grouped by conversation (latest conversation first) and
  newest first inside one; the owner is sender or recipient in every conversation; group threads
  whose TO names and RECIPIENT PROFILE URLS are joined by a bare ``,``; a few drafts (``Yes``);
  ``LinkedIn Member`` rows with an empty sender URL (sponsored ones carry HTML); some HTML
  entities; non-ASCII slugs in raw Unicode.
* ``Invitations.csv``: ``From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl``
  with ``"12/15/24, 7:47 AM"`` dates, for connections of the last year plus a few pending ones.
* ``Profile.csv``: the owner (2024 header; birth date without year).

Social structure (counts for the default 300 people; they scale with --people):

* very close (5): an exchange every 1-3 weeks since 2019-2020; 1-2 went quiet 2-5 months ago.
* close (15): roughly monthly; a third went quiet 3-8 times their usual gap before the export.
* medium (40): every 2-4 months; 30% went quiet 3-6 gaps ago.
* light (80): 1-3 exchanges ever, 30% one-way (only the owner wrote, or only they did).
* the rest: connection only. Connection dates run 2014..export date; messages 2019..export date.
* extras: 4 group threads among active contacts (the first has a member whose name holds ", "),
  3 sponsored rows + 1 hidden sender (LinkedIn Member), 2 InMails from recruiters who are not
  connections, 2 drafts in threads with quiet contacts + 1 draft-only conversation, 2 empty
  CONTENT rows, and one deliberate pair of connections sharing a display name.

Usage: python bench/make_sample.py [--out DIR] [--people N] [--seed S]
                                   [--export-date YYYY-MM-DD] [--zip]
"""

from __future__ import annotations

import argparse
import base64
import csv
import io
import json
import random
import re
import unicodedata
import uuid
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "data" / "sample" / "linkedin"
MANIFEST_PATH = REPO_ROOT / "data" / "sample" / "manifest.json"
DEFAULT_PEOPLE = 300
DEFAULT_SEED = 42
DEFAULT_EXPORT_DATE = "2026-11-16"

PROFILE_PREFIX = "https://www.linkedin.com/in/"

# The exact first three lines of every real export since 2021 (375 bytes, md5 07e2f824...).
NOTES_PREAMBLE = (
    b"Notes:\n"
    b'"When exporting your connection data, you may notice that some of the email addresses are'
    b" missing. You will only see email addresses for connections who have allowed their"
    b" connections to see or download their email address using this setting"
    b" https://www.linkedin.com/psettings/privacy/email. You can learn more here"
    b' https://www.linkedin.com/help/linkedin/answer/261"\n'
    b"\n"
)
assert len(NOTES_PREAMBLE) == 375

CONNECTIONS_HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position",
                      "Connected On"]
MESSAGES_HEADER = ["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO",
                   "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER",
                   "IS MESSAGE DRAFT", "IS CONVERSATION DRAFT"]
INVITATIONS_HEADER = ["From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl",
                      "inviteeProfileUrl"]
PROFILE_HEADER = ["First Name", "Last Name", "Maiden Name", "Address", "Birth Date", "Headline",
                  "Summary", "Industry", "Zip Code", "Geo Location", "Twitter Handles", "Websites",
                  "Instant Messengers"]

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

# --- invented vocabulary ----------------------------------------------------------------------

OWNER_FIRST, OWNER_LAST = "Mara", "Lindqvist"
OWNER_SLUG = "mara-lindqvist-4b7e21"
OWNER_COMPANY = "Northwind Analytics"

# (first names, last names) per naming culture; combinations are random, nobody real is meant.
CULTURES: dict[str, tuple[list[str], list[str]]] = {
    "english": (["Grace", "Oliver", "Hannah", "James", "Chloe", "Daniel", "Emily", "Samuel",
                 "Ruth", "Callum", "Isla", "Owen"],
                ["Whitfield", "Harper", "Ellison", "Brooks", "Fletcher", "Marsh", "Pryce",
                 "Calloway", "Thornbury", "Ashby", "Kettering", "Dunmore"]),
    "nordic": (["Linnéa", "Åsa", "Björn", "Maja", "Elin", "Oskar", "Jonas", "Ingrid", "Måns",
                "Frida", "Henrik", "Sigrid"],
               ["Åberg", "Lindgren", "Söderberg", "Nyström", "Bergqvist", "Holm", "Ekström",
                "Sjöberg", "Dahl", "Lund", "Østergaard", "Håkansson"]),
    "german": (["Jürgen", "Lena", "Felix", "Anja", "Matthias", "Sophie", "Lukas", "Käthe",
                "Jonas", "Greta"],
               ["Müller", "Schäfer", "Becker", "Hoffmann", "Krüger", "Vogel", "Brandt", "Weiß",
                "Hartmann", "Lorenz"]),
    "polish": (["Łukasz", "Agnieszka", "Paweł", "Zofia", "Tomasz", "Małgorzata", "Krzysztof",
                "Ola"],
               ["Wiśniewski", "Kowalczyk", "Nowak", "Zieliński", "Wójcik", "Kamińska",
                "Dąbrowski", "Pawlak"]),
    "iberian": (["José", "Lucía", "Mateo", "Inês", "João", "Camila", "Rafael", "Sofía"],
                ["Peña", "García", "Ferreira", "Núñez", "Ortega", "Castillo", "Gonçalves",
                 "Romero"]),
    "french": (["Hélène", "Théo", "Camille", "Léa", "Mathieu", "Chloé", "Étienne", "Margaux"],
               ["Lefèvre", "Dubois", "Moreau", "Girard", "Rousseau", "Faure", "Lemaître",
                "Bonnet"]),
    "turkish": (["Çağla", "Emre", "Elif", "Burak", "Zeynep", "Oğuz", "Deniz", "Selin"],
                ["Yıldız", "Demir", "Şahin", "Aydın", "Kaya", "Öztürk", "Arslan", "Koç"]),
    "nigerian": (["Chidi", "Amara", "Ngozi", "Tunde", "Folake", "Emeka", "Adaeze", "Kelechi"],
                 ["Okafor", "Adeyemi", "Okoye", "Balogun", "Eze", "Nwosu", "Afolabi", "Obi"]),
    "indian": (["Priya", "Arjun", "Ananya", "Rohan", "Kavya", "Vikram", "Meera", "Nikhil"],
               ["Raman", "Iyer", "Sharma", "Nair", "Kulkarni", "Menon", "Reddy", "Bose"]),
    "chinese": (["Wei", "Mei", "Jun", "Xiaoling", "Hao", "Yan", "Lin", "Jie"],
                ["Chen", "Wang", "Zhang", "Liu", "Huang", "Zhou", "Xu", "Lin"]),
    "japanese": (["Haruto", "Yui", "Sota", "Aoi", "Ren", "Hina", "Kaito", "Sakura"],
                 ["Sato", "Tanaka", "Watanabe", "Ito", "Nakamura", "Kobayashi", "Yamamoto",
                  "Mori"]),
    "korean": (["Minji", "Jisoo", "Hyun", "Seojun", "Yuna", "Dongwoo"],
               ["Kim", "Park", "Choi", "Jung", "Kang", "Yoon"]),
    "arabic": (["Layla", "Omar", "Yara", "Karim", "Nour", "Samir", "Rania", "Tariq"],
               ["Haddad", "Khalil", "Mansour", "Nasser", "Saleh", "Farah", "Aziz", "Hamdan"]),
    "ukrainian": (["Oksana", "Taras", "Yaryna", "Dmytro", "Olena", "Andriy", "Iryna", "Bohdan"],
                  ["Kovalenko", "Shevchuk", "Melnyk", "Bondarenko", "Tkachenko", "Kravets",
                   "Hrytsenko", "Marchenko"]),
    "vietnamese": (["Linh", "Minh", "Thao", "Duc", "Huong", "Quang"],
                   ["Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu"]),
}
ACCENTED_CULTURES = ["nordic", "german", "polish", "iberian", "french", "turkish"]
CREDENTIALS = ["PhD", "MBA", "CFA", "PMP", "Ph.D."]
EMOJI = ["🚀", "🌱", "☕", "🌍", "✨"]

COMPANIES = [
    "Northwind Analytics", "Blue Harbor Labs", "Quillfeather Inc.", "Lumen Foundry",
    "Copperleaf Systems GmbH", "Tidewater Logistics", "Saltmarsh Health", "Redwick & Vane LLP",
    "Nordlys Energi AS", "Brightwell Robotics", "Kestrel Payments Ltd", "Ferncastle Studios",
    "Orchard Lane Capital", "Granite Peak Software", "Halcyon Bio", "Meridian Loop",
    "Pinecrest Analytics", "Silverbirch Consulting", "Tallgrass Media", "Ironbark Security",
    "Vela Mobility S.A.", "Sundial Learning", "Wavecrest Insurance", "Emberline Games",
    "Foxglove Pharma AB", "Cobalt Ridge Partners", "Stellwerk Daten GmbH", "Marigold Foods",
    "Aurora Fjord Systems AS", "Kumo Works K.K.", "Ясень Софт", "نخلة للتقنية",
    "Freelance", "Self-employed",
]
POSITIONS = [
    "Data Engineer", "Senior Product Manager", "Engineering Manager", "UX Researcher",
    "Founder & CEO", "Head of Growth", "Talent Acquisition Partner", "Software Engineer",
    "Staff Engineer", "Director, Partnerships", "VP, Sales, EMEA", "Account Executive",
    "Analytics Lead", "Research Scientist", "Marketing Manager", "CTO", "Consultant",
    "PhD Candidate", "Operations Lead", "Product Designer", "Data Scientist",
    "Head of People, Nordics", "Customer Success Manager", "Solutions Architect",
]
TOPICS = ["the dbt migration", "your talk last week", "the hiring plan", "the Q3 roadmap",
          "that pricing experiment", "the conference in Lisbon", "your new role",
          "the analytics guild", "the podcast episode", "the open-source release", "the offsite",
          "our mentoring sessions", "the survey results", "the reading list"]
OPENERS = [
    "Hi {first}, how are things at your end?", "Hey {first}!  Long time. Coffee next week?",
    "Hi {first},  quick question about {topic}.", "{first}, did you see the news about {topic}?",
    "Morning {first}! Sharing this in case it’s useful: https://example.com/notes/{n}",
    "Hi {first}, thinking of you after {topic}. How did it go?",
    "Hey {first}, are you around for a call on {day}?",
    "Hi {first},  congrats on the new chapter! Let’s catch up soon.",
    "{first}! I owe you a reply about {topic}, sorry for the delay.",
    "Hej {first}, tack för senast!", "Hi {first}, any chance you could intro me to your team?",
    "Hi {first}, I’m putting together notes on {topic}. Can I pick your brain?",
]
REPLIES = [
    "Great to hear from you! {day} works.", "Thanks, that’s really helpful.",
    "Ha, yes! Let’s do it.", "Sounds good, talk soon.", "Sure, send me a calendar invite.",
    "Not yet, but I’ll take a look tonight.", "Busy weeks here, but all good. You?",
    "Absolutely. I’ll share the doc after {topic}.", "Thank you!  Much appreciated.",
    "Perfect, see you {day}.", "Sorry for the slow reply, just back from holiday.",
    "Danke, bis bald!", "Love that. Let me check with the team and come back to you.",
]
ENTITY_TEXTS = [
    "Thanks &amp; congrats on the launch!", "I&rsquo;ll send the deck tomorrow.",
    "Q&amp;A recording is here: https://example.com/qa?id={n}&amp;ref=dm",
    "Sounds good&nbsp;&mdash; see you then.", "You&rsquo;re right, R&amp;D owns that now.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "next week"]
GROUP_TITLES = ["Data Guild Gothenburg", "Offsite planning 2026", "Book club 📚",
                "Alumni reunion", "Conference carpool"]
SPONSORED_TEXT = ('<p class="spinmail-quill-editor__spin-break">Hi %FIRSTNAME%,</p>'
                  '<p class="spinmail-quill-editor__spin-break">Join {org}&rsquo;s free webinar on'
                  ' {topic} &amp; get the playbook.</p>'
                  '<p class="spinmail-quill-editor__spin-break"><a href="https://example.com/'
                  'webinar/{n}">Save my seat</a></p>')
INVITE_NOTES = ["Hi Mara, we met at the analytics meetup. Would be great to connect!",
                "Enjoyed your post on data teams, let’s connect.",
                "Following up on our call: https://example.com/deck/42",
                "Hello! Connecting as we’re both in the Gothenburg data scene."]


# --- records ----------------------------------------------------------------------------------

class Party(NamedTuple):
    name: str
    url: str  # raw Unicode profile URL; "" for LinkedIn Member


@dataclass
class Person:
    first: str
    last: str
    slug: str
    company: str
    position: str
    email: str
    connected_on: date
    tier: str
    gap_days: float = 0.0
    quiet_days: float = 0.0  # > 0: the last exchange is at least this long before the export
    one_way: str = ""  # "", "out" (only the owner writes) or "in" (only they write)

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def url(self) -> str:
        return PROFILE_PREFIX + self.slug

    @property
    def connections_url(self) -> str:
        return PROFILE_PREFIX + quote(self.slug, safe="-")

    @property
    def party(self) -> Party:
        return Party(self.name, self.url)

    @property
    def greeting_name(self) -> str:
        return unicodedata.normalize("NFKC", self.first).split()[0]


@dataclass
class Message:
    conversation_id: str
    sender: Party
    recipients: tuple[Party, ...]
    sent_at: datetime
    content: str
    title: str = ""
    subject: str = ""
    folder: str = "INBOX"
    is_draft: bool = False
    conversation_is_draft: bool = False


@dataclass
class Sample:
    owner: Party
    people: list[Person]
    ghost_dates: list[date]
    messages: list[Message] = field(default_factory=list)
    invitations: list[list[str]] = field(default_factory=list)


# --- people -----------------------------------------------------------------------------------

TIER_SHARES = {"very_close": 5, "close": 15, "medium": 40, "light": 80}  # per 300 people


def tier_sizes(n: int) -> dict[str, int]:
    sizes = {tier: round(n * share / 300) for tier, share in TIER_SHARES.items()}
    sizes["none"] = n - sum(sizes.values())
    return sizes


def ascii_fold(text: str) -> str:
    text = text.translate(str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ı": "i",
                                         "ß": "ss", "æ": "ae"}))
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def make_slug(rng: random.Random, name: str, keep_unicode: bool, taken: set[str]) -> str:
    base = name if keep_unicode else ascii_fold(name)
    base = "-".join(re.findall(r"[^\W_]+", base.lower()))
    style = rng.random()
    if style < 0.12:
        slug = base.replace("-", "")
    elif style < 0.22:
        slug = base
    else:
        slug = f"{base}-{rng.getrandbits(36):09x}"[: len(base) + 1 + rng.choice([6, 8, 9])]
    while slug in taken:
        slug = f"{base}-{rng.getrandbits(32):08x}"
    taken.add(slug)
    return slug


def fancy_letters(text: str) -> str:
    """Turn ASCII letters into MATHEMATICAL BOLD SCRIPT letters, as some profiles do."""
    out = []
    for ch in text:
        if "A" <= ch <= "Z":
            out.append(chr(0x1D4D0 + ord(ch) - ord("A")))
        elif "a" <= ch <= "z":
            out.append(chr(0x1D4EA + ord(ch) - ord("a")))
        else:
            out.append(ch)
    return "".join(out)


def pick_name(rng: random.Random, flavor: str, used: set[str]) -> tuple[str, str, bool]:
    """Return (first, last, keep_unicode_slug); full names repeat only if the lists run out."""
    cultures = ACCENTED_CULTURES if flavor == "unicode_slug" else list(CULTURES)
    for _ in range(200):
        firsts, lasts = CULTURES[rng.choice(cultures)]
        first, last = rng.choice(firsts), rng.choice(lasts)
        accented = ascii_fold(first + last) != first + last
        if f"{first} {last}" not in used and (accented or flavor != "unicode_slug"):
            break
    used.add(f"{first} {last}")
    keep_unicode = accented and (flavor == "unicode_slug" or rng.random() < 0.4)
    return first, last, keep_unicode


def apply_flavor(rng: random.Random, first: str, last: str, flavor: str) -> tuple[str, str, str]:
    """Return (first, last as exported, name the slug is built from)."""
    if flavor == "credential":
        last_shown = f"{last}, {rng.choice(CREDENTIALS)}"
        return first, last_shown, f"{first} {last_shown}"
    if flavor == "emoji":
        return f"{first} {rng.choice(EMOJI)}", last, f"{first} {last}"
    if flavor == "fancy":
        return fancy_letters(ascii_fold(first)), last, f"{first} {last}"
    if flavor == "trailing_space":
        return first + " ", last + " ", f"{first} {last}"
    return first, last, f"{first} {last}"


# Which members of each tier get a quirky name (by position in the tier).
FLAVOR_PLAN = {
    "very_close": ["unicode_slug"],
    "close": ["credential", "unicode_slug"],
    "medium": ["emoji", "credential", "unicode_slug"],
    "light": ["fancy", "trailing_space", "emoji", "credential"],
    "none": ["emoji", "credential"],
}

CONNECTED_WINDOWS = {  # earliest and latest connection date per tier (latest relative to export)
    "very_close": (date(2014, 1, 1), date(2018, 12, 31)),
    "close": (date(2014, 1, 1), date(2020, 12, 31)),
    "medium": (date(2014, 1, 1), date(2022, 12, 31)),
}
YEAR_WEIGHTS = {2014: 1.0, 2015: 1.0, 2016: 1.2, 2017: 1.2, 2018: 1.4, 2019: 1.5, 2020: 1.6,
                2021: 1.8, 2022: 2.0, 2023: 2.0, 2024: 2.2, 2025: 2.4, 2026: 2.2}


def random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def connected_on(rng: random.Random, tier: str, as_of: date) -> date:
    if tier in CONNECTED_WINDOWS:
        return random_date(rng, *CONNECTED_WINDOWS[tier])
    if tier == "light":
        return random_date(rng, date(2014, 1, 1), as_of - timedelta(days=30))
    years = [y for y in YEAR_WEIGHTS if y <= as_of.year]
    year = rng.choices(years, weights=[YEAR_WEIGHTS[y] for y in years])[0]
    return random_date(rng, date(year, 1, 1), min(date(year, 12, 31), as_of))


def make_person(rng: random.Random, tier: str, flavor: str, as_of: date, taken: set[str],
                used_names: set[str]) -> Person:
    first, last, keep_unicode = pick_name(rng, flavor, used_names)
    first, last, slug_name = apply_flavor(rng, first, last, flavor)
    slug = make_slug(rng, slug_name, keep_unicode, taken)
    return Person(first, last, slug, rng.choice(COMPANIES), rng.choice(POSITIONS), "",
                  connected_on(rng, tier, as_of), tier)


def add_emails(rng: random.Random, people: list[Person]) -> None:
    """Fill ~2% of e-mail addresses (at least one), as members rarely allow the download."""
    chosen = [p for p in people if rng.random() < 0.02] or [rng.choice(people)]
    for p in chosen:
        local = ".".join(re.findall(r"[a-z]+", ascii_fold(f"{p.first} {p.last}").lower())[:2])
        p.email = f"{local}@{rng.choice(['example.com', 'example.org', 'example.net'])}"


def make_people(rng: random.Random, n: int, as_of: date, used_names: set[str]) -> list[Person]:
    taken: set[str] = {OWNER_SLUG}
    people = []
    for tier, size in tier_sizes(n).items():
        plan = FLAVOR_PLAN[tier]
        for i in range(size):
            flavor = plan[i] if i < len(plan) else "plain"
            people.append(make_person(rng, tier, flavor, as_of, taken, used_names))
    add_duplicate_name(rng, people, taken)
    add_emails(rng, people)
    for p in rng.sample(people, round(n * 0.03)):  # ~3% show no company and no position
        p.company, p.position = "", ""
    rng.shuffle(people)
    return people


def add_duplicate_name(rng: random.Random, people: list[Person], taken: set[str]) -> None:
    """Give one connection-only person the same display name as a medium contact."""
    medium = [p for p in people if p.tier == "medium" and p.first.isalpha()]
    others = [p for p in people if p.tier == "none"]
    if medium and others:
        twin, target = medium[-1], others[-1]
        target.first, target.last = twin.first, twin.last
        target.slug = make_slug(rng, twin.name, False, taken)


# --- message rhythm ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Rhythm:
    gap_days: tuple[float, float]  # typical days between exchanges, drawn once per person
    first_window: tuple[date, date]  # when messaging began
    quiet_share: float  # share of the tier that went quiet before the export
    quiet_gaps: tuple[float, float]  # how long ago, in multiples of the person's gap


RHYTHMS = {
    "very_close": Rhythm((10, 18), (date(2019, 1, 1), date(2020, 6, 30)), 0.0, (0, 0)),
    "close": Rhythm((30, 55), (date(2019, 1, 1), date(2022, 6, 30)), 0.34, (3, 8)),
    "medium": Rhythm((70, 120), (date(2019, 1, 1), date(2023, 6, 30)), 0.30, (3, 6)),
}


def spread(rng: random.Random, bounds: tuple[float, float], k: int) -> list[float]:
    """k values evenly spread over bounds (cell midpoints), in random order."""
    lo, hi = bounds
    values = [lo + (hi - lo) * (i + 0.5) / k for i in range(k)]
    rng.shuffle(values)
    return values


def plan_rhythms(rng: random.Random, people: list[Person]) -> None:
    """Set gap, quiet span and one-way direction on every messaging contact."""
    for tier, rhythm in RHYTHMS.items():
        members = [p for p in people if p.tier == tier]
        if tier == "very_close":
            n_quiet = min(len(members) // 2, rng.randint(1, 2))
        else:
            n_quiet = round(len(members) * rhythm.quiet_share)
        quiet = dict(zip((id(p) for p in rng.sample(members, n_quiet)),
                         spread(rng, (0, 1), n_quiet)))
        for p in members:
            p.gap_days = rng.uniform(*rhythm.gap_days)
            if id(p) in quiet:  # quiet spans spread evenly over the tier's range
                lo, hi = (60, 150) if tier == "very_close" else rhythm.quiet_gaps
                days = lo + (hi - lo) * quiet[id(p)]
                p.quiet_days = days if tier == "very_close" else days * p.gap_days
    for p in people:
        if p.tier == "light" and rng.random() < 0.30:
            p.one_way = rng.choice(["out", "in"])


def at_daytime(rng: random.Random, day: date) -> datetime:
    hour = rng.choices(range(5, 23), weights=[1, 2, 4, 6, 7, 7, 6, 6, 7, 7, 6, 5, 4, 3, 3, 2, 1,
                                              1])[0]
    return datetime.combine(day, time(hour, rng.randint(0, 59), rng.randint(0, 59)), timezone.utc)


def reply_delay(rng: random.Random) -> timedelta:
    r = rng.random()
    if r < 0.4:
        return timedelta(minutes=rng.uniform(1, 90))
    if r < 0.8:
        return timedelta(hours=rng.uniform(1, 10))
    return timedelta(days=rng.uniform(1, 4))


def exchange_starts(rng: random.Random, person: Person, first: date,
                    cutoff: datetime) -> list[datetime]:
    last = cutoff - timedelta(days=person.quiet_days)
    starts, t = [], at_daytime(rng, first)
    while t < last:
        starts.append(t)
        t = at_daytime(rng, (t + timedelta(days=person.gap_days * rng.uniform(0.5, 1.5))).date())
    return starts


def light_exchange_starts(rng: random.Random, person: Person, cutoff: datetime) -> list[datetime]:
    first = max(person.connected_on + timedelta(days=1), date(2019, 1, 1))
    last = cutoff.date() - timedelta(days=2)
    count = rng.choices([1, 2, 3], weights=[5, 3, 2])[0]
    days = [random_date(rng, first, last) for _ in range(count)]
    if person.connected_on >= date(2019, 1, 1) and rng.random() < 0.5:
        days[0] = person.connected_on + timedelta(days=rng.randint(0, 3))  # "thanks for connecting"
    return [at_daytime(rng, d) for d in sorted(days)]


# --- message text -----------------------------------------------------------------------------

def message_text(rng: random.Random, templates: list[str], to_first: str) -> str:
    if rng.random() < 0.005:
        templates = ENTITY_TEXTS
    return rng.choice(templates).format(first=to_first, topic=rng.choice(TOPICS),
                                        day=rng.choice(DAYS), n=rng.randint(10, 999))


def conversation_id(rng: random.Random) -> str:
    raw = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    if rng.random() < 0.8:
        raw += rng.choice(["_010", "_012", "_013", "_100"])  # padded with "==", else unpadded
    return "2-" + base64.b64encode(raw.encode()).decode()


def exchange(rng: random.Random, conv: str, folder: str, owner: Party, person: Person,
             start: datetime, cutoff: datetime) -> list[Message]:
    """One burst of messages; alternates sides unless the relationship is one-way."""
    if person.one_way:
        count = rng.choice([1, 1, 2])
        owner_starts = person.one_way == "out"
    else:
        count = rng.choices([1, 2, 3, 4], weights=[30, 45, 20, 5])[0]
        owner_starts = rng.random() < 0.5
    out, t = [], start
    for i in range(count):
        owner_sends = owner_starts if person.one_way else owner_starts == (i % 2 == 0)
        if t >= cutoff:
            break
        sender, recipient = (owner, person.party) if owner_sends else (person.party, owner)
        to_first = person.greeting_name if owner_sends else OWNER_FIRST
        text = message_text(rng, OPENERS if i == 0 else REPLIES, to_first)
        out.append(Message(conv, sender, (recipient,), t, text, folder=folder))
        t += reply_delay(rng) if not person.one_way else timedelta(days=rng.uniform(2, 20))
    return out


def one_to_one_messages(rng: random.Random, owner: Party, people: list[Person],
                        cutoff: datetime) -> list[Message]:
    messages = []
    for p in people:
        if p.tier == "none":
            continue
        if p.tier == "light":
            starts = light_exchange_starts(rng, p, cutoff)
        else:
            window = RHYTHMS[p.tier].first_window
            first = max(random_date(rng, *window), p.connected_on + timedelta(days=7))
            starts = exchange_starts(rng, p, first, cutoff)
        conv = conversation_id(rng)
        folder = "ARCHIVE" if p.tier == "light" and rng.random() < 0.2 else "INBOX"
        for start in starts:
            messages.extend(exchange(rng, conv, folder, owner, p, start, cutoff))
    return messages


def group_messages(rng: random.Random, owner: Party, people: list[Person],
                   cutoff: datetime) -> list[Message]:
    """A few group threads among active closer contacts; the first has a name with ', '.

    A quiet contact only joins the first one, and then it is older than their last 1:1 message.
    """
    closer = [p for p in people if p.tier in ("very_close", "close", "medium")]
    pool = [p for p in closer if not p.quiet_days]
    credentialed = [p for p in closer if ", " in p.last]
    n_groups = min(len(GROUP_TITLES), max(1, round(len(people) * 4 / 300)))
    messages = []
    for g in range(n_groups):
        size = min(len(pool), rng.choice([2, 3, 3, 4]))
        members = rng.sample(pool, size)
        if g == 0 and credentialed and credentialed[0] not in members:
            members[:1] = [credentialed[0]]
        if not members:
            break
        # after everyone connected; before any member's quiet spell (+60 days for the thread)
        quiet = max(m.quiet_days for m in members)
        newest = 10 + (int(quiet) + 60 if quiet else 0)
        oldest = (cutoff.date() - max(m.connected_on for m in members)).days - 30
        days_ago = rng.randint(newest, max(newest, min(oldest, newest + 1400)))
        parties = [owner] + [m.party for m in members]
        conv, title = conversation_id(rng), GROUP_TITLES[g]
        start = at_daytime(rng, cutoff.date() - timedelta(days=days_ago))
        t = start
        for _ in range(rng.randint(4, 12)):
            if t >= cutoff:
                break
            sender = rng.choice(parties)
            recipients = tuple(p for p in parties if p != sender)
            messages.append(Message(conv, sender, recipients, t,
                                    message_text(rng, REPLIES, "all"), title=title))
            t += reply_delay(rng)
    return messages


def stranger_messages(rng: random.Random, owner: Party, cutoff: datetime) -> list[Message]:
    """Sponsored and hidden-sender rows (FROM LinkedIn Member, empty URL) and two InMails."""
    member = Party("LinkedIn Member", "")
    messages = []
    for org in ["Halcyon Bio", "Sundial Learning", "Wavecrest Insurance"]:
        when = at_daytime(rng, cutoff.date() - timedelta(days=rng.randint(5, 900)))
        html = SPONSORED_TEXT.format(org=org, topic=rng.choice(TOPICS), n=rng.randint(100, 999))
        messages.append(Message(conversation_id(rng), member, (owner,), when, html,
                                title="Sponsored Conversation"))
    when = at_daytime(rng, cutoff.date() - timedelta(days=rng.randint(30, 600)))
    messages.append(Message(conversation_id(rng), member, (owner,), when,
                            "Hello Mara, I saw your post about data teams. Are you hiring?"))
    recruiters = [Party("Dana Whitlock", PROFILE_PREFIX + "dana-whitlock-talent"),
                  Party("Rüdiger Falk", PROFILE_PREFIX + "rüdiger-falk-8c1d02")]
    for recruiter in recruiters:
        conv, subject = conversation_id(rng), "Opportunity: Head of Analytics"
        when = at_daytime(rng, cutoff.date() - timedelta(days=rng.randint(20, 700)))
        messages.append(Message(conv, recruiter, (owner,), when,
                                "Hi Mara,  I came across your profile and would love to chat"
                                " about a role we’re hiring for.",
                                title=subject, subject=subject))
    messages.append(Message(conv, owner, (recruiters[-1],), when + timedelta(hours=20),
                            "Thanks, not looking right now, but happy to stay in touch.",
                            title=subject, subject=subject))
    return messages


def draft_messages(rng: random.Random, owner: Party, people: list[Person],
                   messages: list[Message], cutoff: datetime) -> list[Message]:
    """Unsent drafts: two inside existing threads with quiet contacts, one draft-only thread."""
    conv_of = {m.recipients[0].url: m.conversation_id for m in messages
               if m.sender == owner and len(m.recipients) == 1}
    quiet = [p for p in people if p.quiet_days and p.url in conv_of]
    quiet.sort(key=lambda p: (p.tier != "very_close", p.tier != "close"))
    drafts = []
    for p in quiet[:2]:
        when = at_daytime(rng, cutoff.date() - timedelta(days=rng.randint(2, 10)))
        text = f"Hey {p.greeting_name}, it’s been a while, how are"
        drafts.append(Message(conv_of[p.url], owner, (p.party,), when, text, is_draft=True))
    silent = [p for p in people if p.tier == "none"
              and p.connected_on < cutoff.date() - timedelta(days=30)]
    if silent:
        p = rng.choice(silent)
        when = at_daytime(rng, cutoff.date() - timedelta(days=rng.randint(1, 30)))
        drafts.append(Message(conversation_id(rng), owner, (p.party,), when,
                              f"Hi {p.greeting_name}, great meeting you at", folder="",
                              is_draft=True, conversation_is_draft=True))
    return drafts


def blank_some_contents(rng: random.Random, messages: list[Message], owner: Party) -> None:
    """Empty CONTENT rows exist in real exports (e.g. connection-request placeholders)."""
    candidates = [m for m in messages if m.sender != owner and not m.title]
    for m in rng.sample(candidates, min(2, len(candidates))):
        m.content = ""


# --- invitations ------------------------------------------------------------------------------

def invitation_time(rng: random.Random, day: date) -> str:
    dt = at_daytime(rng, day)
    hour12 = dt.hour % 12 or 12
    meridiem = "AM" if dt.hour < 12 else "PM"
    return f"{dt.month}/{dt.day}/{dt.year % 100:02d}, {hour12}:{dt.minute:02d} {meridiem}"


def make_invitations(rng: random.Random, owner: Party, people: list[Person],
                     as_of: date, taken: set[str], used_names: set[str]) -> list[list[str]]:
    """Invitations behind the last year's connections, plus a few still pending."""
    rows = []
    recent = [p for p in people if p.connected_on > as_of - timedelta(days=365)]
    pending = []
    for _ in range(4):
        first, last, keep = pick_name(rng, "plain", used_names)
        slug = make_slug(rng, f"{first} {last}", keep, taken)
        pending.append(Person(first, last, slug, "", "", "",
                              as_of - timedelta(days=rng.randint(0, 25)), "pending"))
    for p in recent + pending:
        sent = p.connected_on - timedelta(days=rng.randint(0, 6) if p.tier != "pending" else 0)
        note = rng.choice(INVITE_NOTES) if rng.random() < 0.12 else ""
        if rng.random() < 0.55:
            row = [owner.name, p.name, sent, note.replace("Hi Mara, w", "W"), "OUTGOING",
                   owner.url, p.url]
        else:
            row = [p.name, owner.name, sent, note, "INCOMING", p.url, owner.url]
        rows.append(row)
    rows.sort(key=lambda r: r[2], reverse=True)
    for row in rows:
        row[2] = invitation_time(rng, row[2])
    return rows


# --- assembling the sample --------------------------------------------------------------------

def build_sample(people_count: int, seed: int, as_of: date) -> Sample:
    rng = random.Random(seed)
    cutoff = datetime.combine(as_of, time(0, 0), timezone.utc)  # every message is before this
    owner = Party(f"{OWNER_FIRST} {OWNER_LAST}", PROFILE_PREFIX + OWNER_SLUG)
    used_names = {f"{OWNER_FIRST} {OWNER_LAST}"}
    people = make_people(rng, people_count, as_of, used_names)
    plan_rhythms(rng, people)
    ghosts = [random_date(rng, as_of - timedelta(days=1100), as_of - timedelta(days=20))
              for _ in range(max(2, round(people_count * 0.012)))]
    sample = Sample(owner, people, ghosts)
    messages = one_to_one_messages(rng, owner, people, cutoff)
    blank_some_contents(rng, messages, owner)
    messages += group_messages(rng, owner, people, cutoff)
    messages += stranger_messages(rng, owner, cutoff)
    messages += draft_messages(rng, owner, people, messages, cutoff)
    sample.messages = messages
    taken = {p.slug for p in people} | {OWNER_SLUG}
    sample.invitations = make_invitations(rng, owner, people, as_of, taken, used_names)
    return sample


# --- writing ----------------------------------------------------------------------------------

def csv_bytes(header: list[str], rows: list[list[str]], preamble: bytes = b"") -> bytes:
    """UTF-8, no BOM, LF, minimal quoting, no newline after the last row (like LinkedIn)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return preamble + buf.getvalue().rstrip("\n").encode("utf-8")


def linkedin_date(d: date) -> str:
    return f"{d.day:02d} {MONTHS[d.month - 1]} {d.year}"


def connections_csv(sample: Sample) -> bytes:
    dated = [(p.connected_on, [p.first, p.last, p.connections_url, p.email, p.company,
                               p.position]) for p in sample.people]
    dated += [(d, ["", "", "", "", "", ""]) for d in sample.ghost_dates]
    dated.sort(key=lambda item: item[0], reverse=True)
    return csv_bytes(CONNECTIONS_HEADER, [row + [linkedin_date(d)] for d, row in dated],
                     preamble=NOTES_PREAMBLE)


def messages_csv(sample: Sample) -> bytes:
    by_conv: dict[str, list[Message]] = {}
    for m in sample.messages:
        by_conv.setdefault(m.conversation_id, []).append(m)
    threads = sorted(by_conv.values(), key=lambda ms: max(m.sent_at for m in ms), reverse=True)
    rows = []
    for thread in threads:
        for m in sorted(thread, key=lambda m: m.sent_at, reverse=True):
            rows.append([m.conversation_id, m.title, m.sender.name, m.sender.url,
                         ",".join(r.name for r in m.recipients),
                         ",".join(r.url for r in m.recipients),
                         m.sent_at.strftime("%Y-%m-%d %H:%M:%S UTC"), m.subject, m.content,
                         m.folder, "Yes" if m.is_draft else "No",
                         "Yes" if m.conversation_is_draft else "No"])
    return csv_bytes(MESSAGES_HEADER, rows)


def profile_csv() -> bytes:
    row = [OWNER_FIRST, OWNER_LAST, "", "", "Sep 9",
           f"Product analytics lead at {OWNER_COMPANY} | data, people & tea",
           "I help product teams measure what matters. Previously consulting, now building"
           " a small, kind analytics team.", "Software Development", "",
           "Gothenburg, Västra Götaland County, Sweden", "[mara_l_data]",
           "[PERSONAL:https://mara-lindqvist.example]", ""]
    return csv_bytes(PROFILE_HEADER, [row])


def export_files(sample: Sample) -> dict[str, bytes]:
    return {
        "Connections.csv": connections_csv(sample),
        "messages.csv": messages_csv(sample),
        "Invitations.csv": csv_bytes(INVITATIONS_HEADER, sample.invitations),
        "Profile.csv": profile_csv(),
    }


def write_export(files: dict[str, bytes], out: Path, as_of: date, as_zip: bool) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    if not as_zip:
        for name, data in files.items():
            (out / name).write_bytes(data)
        return [out / name for name in files]
    path = out / f"Basic_LinkedInDataExport_{as_of:%m-%d-%Y}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(as_of.year, as_of.month, as_of.day, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return [path]


def write_manifest(sample: Sample, as_of: date, people: int, seed: int) -> None:
    manifest = {"as_of": as_of.isoformat(), "owner_name": sample.owner.name,
                "owner_profile_url": sample.owner.url, "people": people, "seed": seed,
                "generator": "bench/make_sample.py"}
    MANIFEST_PATH.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")


def summary(sample: Sample, files: dict[str, bytes]) -> str:
    msgs = sample.messages
    convs = {m.conversation_id for m in msgs}
    groups = {m.conversation_id for m in msgs if len(m.recipients) > 1}
    tiers = Counter(p.tier for p in sample.people)
    quiet = Counter(p.tier for p in sample.people if p.quiet_days)
    lines = [
        f"owner: {sample.owner.name} <{sample.owner.url}>",
        "tiers: " + ", ".join(f"{t}={n} ({quiet[t]} quiet)" for t, n in tiers.items()),
        f"connections: {len(sample.people)} people + {len(sample.ghost_dates)} ghost rows,"
        f" {sum(bool(p.email) for p in sample.people)} e-mails",
        f"messages: {len(msgs)} rows in {len(convs)} conversations ({len(groups)} group),"
        f" {sum(m.is_draft for m in msgs)} drafts,"
        f" {sum(m.sender.name == 'LinkedIn Member' for m in msgs)} LinkedIn Member rows",
        f"invitations: {len(sample.invitations)}",
        "bytes: " + ", ".join(f"{name}={len(data):,}" for name, data in files.items()),
    ]
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    parser.add_argument("--people", type=int, default=DEFAULT_PEOPLE, help="number of connections")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--export-date", type=date.fromisoformat,
                        default=date.fromisoformat(DEFAULT_EXPORT_DATE))
    parser.add_argument("--zip", action="store_true",
                        help="write Basic_LinkedInDataExport_MM-DD-YYYY.zip instead of loose files")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    sample = build_sample(args.people, args.seed, args.export_date)
    files = export_files(sample)
    written = write_export(files, args.out, args.export_date, args.zip)
    if args.out.resolve() == DEFAULT_OUT:
        write_manifest(sample, args.export_date, args.people, args.seed)
        written.append(MANIFEST_PATH)
    print(summary(sample, files))
    for path in written:
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
