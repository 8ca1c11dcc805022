#!/usr/bin/env python3
"""How accurate kith is on ONE person's network: who-is-who and the weekly list, by tier.

The world is bench/make_sample.py's (owner Mara Lindqvist): ``--people`` LinkedIn connections
in tiers (very close, close, medium, light, connection-only) written through the real export
formats (LinkedIn Connections, messages, Invitations and Profile, a Google CSV, an Apple vCard,
a Google calendar), plus the people she knows outside LinkedIn. The generator's own objects
(``build_sample`` and ``WorldBuilder(...).build()``) are the truth; its output is not changed.
kith runs on the files without Prefect, in a temporary folder: ``ingest_sources``,
``resolve_people`` with the owner of data/sample/kith.toml, ``set_as_of`` on the export date
and ``store_weekly_list`` of 10.

**Identities** (the truth behind every stored record, ``store.person_records``):

* a LinkedIn connection: its profile URL; tier = the generator's (``none`` = connection-only);
* someone outside LinkedIn (``world.contacts`` without a ``person``): her manager, a
  colleague, an ex-colleague and two friends are "address book only" (they may be in the
  calendar too); colleagues and guests known only from meeting invites are "calendar only";
* "other LinkedIn": pending invitations and InMail senders who are not connections;
* the owner, and "business card" (the café's card in the vCard file).

**How each record is attributed** (kith's ``record_key`` per source):
LinkedIn Connections / Invitations / messages by the profile slug (unique per person; kith
stores it percent-decoded); Google CSV by data row (``record_key`` = 1-based row =
``world.google[i - 1]``; the row saved twice belongs to the original contact); Apple vCard by
card number (``world.vcards`` plus the owner's and the business card, sorted by last name as
``apple_vcf`` does); calendar by e-mail (``record_key`` = the attendee's address). Records
found by position are checked against their name (a shared word); a record that cannot be
attributed, or whose name disagrees, is counted and shown, never dropped silently.

**What each identity lived through** (from the generator, before the as-of date): days the
owner *wrote to* them (a LinkedIn message she sent them, 1:1 or group), days they *wrote to*
her, and days they *met* (a calendar occurrence neither declined nor cancelled, not personal,
not a broadcast: at most 25 people who did not decline). Drafts do not count.

* **real tie** (the "all real ties" row): met or wrote to;
* **two-way**: met, or messages in both directions; a listed person without two-way contact is
  a **stranger** (connection-only, a one-way light tie, an unanswered invitation). So a light
  tie the owner wrote to and who never answered is in "all real ties" but a stranger on a list;
* **usual gap**: the generator's rhythm (``Person.gap_days``: very close, close, medium) or else
  the mean gap between the starts of contact episodes (a contact day more than 5 days after
  the previous one starts an episode, so a reply is no new episode; at least two episodes),
  else none (a single exchange has no rhythm, so it never counts as lapsed);
* **lapsed real tie**: two-way, with a usual gap, and the last contact more than
  ``LAPSED_RATIO`` (1.5) usual gaps before the as-of date (the generator's quiet ties are
  ``quiet_days`` >= 3 gaps, so they all count);
* **recent**: any contact in the ``RECENT_DAYS`` (14) days before the as-of date.

**Figures** (``run`` returns them, ``--json`` prints them):

* per tier: people (identities with a stored record), records, *fully unified* (the share of
  people whose records are all in one kith person), *merged* (share whose kith person also holds
  another identity's records), pairwise precision and recall over record pairs: a pair is
  predicted-same when both records have the same ``person_id``, truly-same when the same
  identity; a tier's recall counts its true pairs; its precision the predicted pairs with at
  least one of its records. Overall precision/recall/F1 are over every attributed record
  (an unattributed one could be neither right nor wrong; the count of them is printed).
* review queue (``flows.rules.review_queue``): length, per 100 connections, share truly same;
* the weekly list: each row's class (stranger / lapsed real tie / real tie, not lapsed / not a
  person) of the identity holding most of its records, and flags: ``moment`` (the candidate's
  ``moment`` column), ``recent``, ``split`` (the kith person holds only part of that identity's
  records), ``merged`` (it also holds another identity's records);
* the worst splits among real ties (closest tiers first) with each fragment's records and
  kith's best stored offer between them, and the worst wrong merges;
* seconds per step (world, write, ingest, resolve, list).

By default the world is made realistic (``--plain`` turns this off, for the generator's own
world): names come from a wider pool (``make_sample.wide_names``: ~100,000 full names, a namesake
at 0.6%, as in a real network; the generator's own ~1,100 names all repeat past ~1,000 people,
which makes most of a large world namesakes), and ``make_sample.add_realism`` roughens it:
about half the close ties invited at a personal address (sometimes one no address book has),
and 15% of the address-book contacts on LinkedIn with a stale job (old company and work address
in Google/Apple). It then also prints, per roughening, the people it touched, the share fully
unified and the pairwise recall over their records.

Usage: python bench/personal_network.py [--people 2000] [--seed 42] [--export-date 2026-11-16]
                                        [--plain] [--json] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import polars as pl  # noqa: E402

import make_sample as ms  # noqa: E402

from flows.config import load_settings  # noqa: E402
from flows.db import connect  # noqa: E402
from flows.ingest import ingest_sources  # noqa: E402
from flows.paths import SAMPLE_CONFIG  # noqa: E402
from flows.people import resolve_people  # noqa: E402
from flows.rules import review_queue  # noqa: E402
from flows.scoring import set_as_of, store_weekly_list  # noqa: E402
from flows.sources import discover  # noqa: E402
from transforms.records import ParseContext  # noqa: E402

LIST_SIZE = 10
LAPSED_RATIO = 1.5
RECENT_DAYS = 14
NAMESAKE_WARNING = 0.05  # a share of connections sharing their name that no real network has
POOL_NOTE = f"{sum(len(f) * len(l) for f, l in ms.CULTURES.values()):,}"
EPISODE_DAYS = 5  # contact days closer than this belong to one exchange (replies take up to 4 days)
BROADCAST_SIZE = 25  # kith's own line: a meeting of more people is no contact
DEFAULT_EXPORT_DATE = date.fromisoformat(ms.DEFAULT_EXPORT_DATE)

OWNER = "owner"
BUSINESS = "business card"
BUSINESS_CARD_NAME = "Kafé Kanel"  # apple_vcf's company card
LINKEDIN_TIERS = {"very_close": "very close", "close": "close", "medium": "medium",
                  "light": "light", "none": "connection-only"}
ROLE_TIERS = {"manager": "address book only", "colleague": "address book only",
              "ex-colleague": "address book only", "friend": "address book only",
              "calendar": "calendar only"}
OTHER_LINKEDIN = "other LinkedIn"
TIER_ORDER = ["very close", "close", "medium", "light", "connection-only", "address book only",
              "calendar only", OTHER_LINKEDIN]
ALL_REAL = "all real ties"
CLASSES = ["lapsed real tie", "real tie, not lapsed", "stranger", "not a person"]
FLAGS = ["moment", "recent", "split", "merged"]


# --- the world and what each identity lived through ------------------------------------------

@dataclass
class Identity:
    key: str
    name: str
    tier: str
    gap_days: float | None = None  # the generator's rhythm, when it drew one
    wrote_to: set = field(default_factory=set)  # days the owner wrote to them
    wrote_from: set = field(default_factory=set)  # days they wrote to the owner
    met: set = field(default_factory=set)  # days they met

    @property
    def contact_days(self) -> list[date]:
        return sorted(self.wrote_to | self.wrote_from | self.met)

    @property
    def real_tie(self) -> bool:
        return bool(self.met or self.wrote_to)

    @property
    def two_way(self) -> bool:
        return bool(self.met or (self.wrote_to and self.wrote_from))

    @property
    def last_contact(self) -> date | None:
        days = self.contact_days
        return days[-1] if days else None

    @property
    def episodes(self) -> list[date]:
        """First days of contact episodes: a contact day more than EPISODE_DAYS after the
        previous one starts a new episode (a reply two days later is the same exchange)."""
        days = self.contact_days
        return [d for i, d in enumerate(days) if i == 0 or (d - days[i - 1]).days > EPISODE_DAYS]

    @property
    def usual_gap(self) -> float | None:
        if self.gap_days:
            return self.gap_days
        starts = self.episodes
        return (starts[-1] - starts[0]).days / (len(starts) - 1) if len(starts) > 1 else None


def build_world(people: int, seed: int, as_of: date, realism: bool = True
                ) -> tuple[ms.Sample, ms.World, dict[str, list[str]]]:
    """The generator's sample and world; with ``realism``, roughened by ``make_sample.add_realism``
    (returned: who it changed, by feature)."""
    ms.wide_names = realism  # names from a realistic pool, namesakes at a real network's rate
    try:
        sample = ms.build_sample(people, seed, as_of)
        world = ms.WorldBuilder(sample, seed, as_of).build()
    finally:
        ms.wide_names = False
    return sample, world, (ms.add_realism(world) if realism else {})


def write_world(sample: ms.Sample, world: ms.World, out: Path, as_of: date) -> None:
    ms.write_export(ms.export_files(sample, world), out, as_of, as_zip=False)


def person_name(p: ms.Person) -> str:
    first, last, _ = ms.clean_name(p)
    return f"{first} {last}".strip()


def identities(sample: ms.Sample, world: ms.World) -> dict[str, Identity]:
    """Every identity a stored record can belong to, by key."""
    ids = {p.url: Identity(p.url, person_name(p), LINKEDIN_TIERS[p.tier], p.gap_days or None)
           for p in sample.people}
    for c in world.contacts.values():
        if c.key not in ids:
            ids[c.key] = Identity(c.key, c.name, ROLE_TIERS.get(c.role, c.role))
    owner_url = sample.owner.url
    parties = [(row[i], row[i + 5]) for row in sample.invitations for i in (0, 1)]
    parties += [(p.name, p.url) for m in sample.messages for p in (m.sender, *m.recipients)]
    for name, url in parties:
        if url and url != owner_url and url not in ids:
            ids[url] = Identity(url, name, OTHER_LINKEDIN)
    ids[OWNER] = Identity(OWNER, sample.owner.name, OWNER)
    ids[BUSINESS] = Identity(BUSINESS, BUSINESS_CARD_NAME, BUSINESS)
    return ids


def log_messages(sample: ms.Sample, ids: dict[str, Identity]) -> None:
    """Days the owner wrote to each identity and days they wrote to her (drafts left out)."""
    owner_url = sample.owner.url
    for m in sample.messages:
        if m.is_draft:
            continue
        day = m.sent_at.date()
        if m.sender.url == owner_url:
            for r in m.recipients:
                if r.url in ids:
                    ids[r.url].wrote_to.add(day)
        elif m.sender.url in ids and any(r.url == owner_url for r in m.recipients):
            ids[m.sender.url].wrote_from.add(day)


def log_meetings(world: ms.World, ids: dict[str, Identity], as_of: date) -> None:
    """Days each identity met the owner (see the module docstring for what counts)."""
    for event, start, status in ms.instances(world.events):
        day = start.date() if isinstance(start, datetime) else start
        if day >= as_of or status == "CANCELLED" or event.kind in ("broadcast", "personal"):
            continue
        present = [a for a in event.attendees if a.partstat != "DECLINED" and a.cutype == "INDIVIDUAL"]
        if len(present) > BROADCAST_SIZE or not any(a.email == ms.OWNER_EMAIL for a in present):
            continue
        for a in present:
            if a.contact is not None:
                ids[a.contact.key].met.add(day)


def world_truth(sample: ms.Sample, world: ms.World, as_of: date) -> dict[str, Identity]:
    ids = identities(sample, world)
    log_messages(sample, ids)
    log_meetings(world, ids, as_of)
    return ids


# --- which identity each stored record belongs to ---------------------------------------------

def slug_key(url: str | None) -> str | None:
    """A profile URL or slug as one comparable key (percent-decoded, NFC, case-folded)."""
    if not url:
        return None
    slug = unquote(url.strip()).rstrip("/").rsplit("/in/", 1)[-1]
    return unicodedata.normalize("NFC", slug).casefold() or None


def linkedin_keys(ids: dict[str, Identity]) -> dict[str, str]:
    keys = {slug_key(k): k for k in ids if k.startswith(ms.PROFILE_PREFIX)}
    keys[slug_key(ms.OWNER_SLUG)] = OWNER
    return keys


def google_keys(world: ms.World) -> list[str]:
    """Identity of each Google CSV data row, in file order (the phone-only copy: its original)."""
    return [c.key.removesuffix("#phone") for c in world.google]


def vcard_keys(world: ms.World) -> list[str]:
    """Identity of each card, in file order: apple_vcf sorts by last name, stably."""
    cards = [((c.last or c.first).casefold(), c.key) for c in world.vcards]
    cards += [(ms.OWNER_LAST.casefold(), OWNER), (BUSINESS_CARD_NAME.casefold(), BUSINESS)]
    return [key for _, key in sorted(cards, key=lambda kc: kc[0])]


def calendar_keys(world: ms.World) -> dict[str, set[str]]:
    """Identities behind each attendee or organizer address (a set: several would be ambiguous)."""
    out: dict[str, set[str]] = defaultdict(set)
    for e in world.events:
        for a in [e.organizer, *e.attendees]:
            if a is None or a.cutype != "INDIVIDUAL":
                continue
            key = a.contact.key if a.contact else (OWNER if a.email == ms.OWNER_EMAIL else None)
            if key:
                out[a.email.casefold()].add(key)
    return out


def mail_keys(world: ms.World) -> dict[str, set[str]]:
    """Identities behind each address the owner's mailbox can hold (work and personal)."""
    out: dict[str, set[str]] = defaultdict(set)
    for c in world.contacts.values():
        for address in (c.work_email, c.personal_email):
            if address:
                out[address.casefold()].add(c.key)
    return out


@dataclass
class Truth:
    ids: dict[str, Identity]
    linkedin: dict[str, str]
    google: list[str]
    vcard: list[str]
    calendar: dict[str, set[str]]
    mail: dict[str, set[str]] = field(default_factory=dict)

    def attribute(self, kind: str, record_key: str, linkedin_url: str | None) -> tuple[str | None, str]:
        """(identity key or None, how it was found)."""
        if kind.startswith("linkedin"):
            key = self.linkedin.get(slug_key(linkedin_url) or slug_key(record_key))
            return key, "slug"
        if kind in ("google_csv", "vcard"):
            rows = self.google if kind == "google_csv" else self.vcard
            n = int(record_key) if record_key.isdigit() else 0
            return (rows[n - 1] if 0 < n <= len(rows) else None), "position"
        if kind == "ics":
            keys = self.calendar.get(record_key.casefold(), set())
            return (next(iter(keys)) if len(keys) == 1 else None), "e-mail"
        if kind == "email":
            keys = self.mail.get(record_key.casefold()) or self.calendar.get(record_key.casefold(), set())
            return (next(iter(keys)) if len(keys) == 1 else None), "e-mail"
        return None, "unknown source"


def name_words(text: str | None) -> set[str]:
    return set(re.findall(r"\w+", ms.ascii_fold(unicodedata.normalize("NFKC", text or "")).casefold()))


def attribute_records(records: pl.DataFrame, truth: Truth) -> pl.DataFrame:
    """Add true_key, tier and name_ok (a positional attribution whose name shares no word with
    the identity's is not trusted: true_key stays null)."""
    keys, tiers, oks = [], [], []
    for kind, rkey, url, name in records.select("source_kind", "record_key", "linkedin_url",
                                                "full_name").iter_rows():
        key, how = truth.attribute(kind, rkey, url)
        ok = key is not None and (how != "position" or bool(name_words(name) & name_words(truth.ids[key].name)))
        keys.append(key if ok else None)
        tiers.append(truth.ids[key].tier if ok else None)
        oks.append(key is None or ok)
    return records.with_columns(pl.Series("true_key", keys, pl.String), pl.Series("tier", tiers, pl.String),
                                pl.Series("name_ok", oks, pl.Boolean))


def attribution_figures(frame: pl.DataFrame) -> dict:
    by_source = {}
    for kind, part in frame.group_by("source_kind", maintain_order=True):
        missing = part.filter(pl.col("true_key").is_null())
        by_source[kind[0]] = {"records": part.height, "unattributed": missing.height,
                              "name_mismatch": int((~part["name_ok"]).sum())}
    missing = frame.filter(pl.col("true_key").is_null())
    examples = missing.select("source_kind", "record_key", "full_name", "emails").head(10).to_dicts()
    return {"records": frame.height, "attributed": frame.height - missing.height,
            "unattributed": missing.height, "unattributed_examples": examples,
            "unmapped_records": int(frame["unmapped"].sum()), "by_source": by_source}


# --- running kith -----------------------------------------------------------------------------

def run_kith(export: Path, db: Path, as_of: date) -> tuple[object, dict, list[dict]]:
    """Ingest, resolve, score as of ``as_of`` and store the list; (connection, seconds, list)."""
    settings = load_settings(SAMPLE_CONFIG)
    options = ParseContext(owner=settings.owner, phone_region=settings.phone_region,
                           now=datetime.combine(as_of, datetime.min.time()))
    con = connect(db)
    seconds = {}
    t = time.perf_counter()
    reports = ingest_sources(con, discover([export]), options=options)
    seconds["ingest"] = time.perf_counter() - t
    failed = [r for r in reports if r.status == "failed"]
    if failed:
        raise RuntimeError(f"ingest failed: {failed[0].source}: {failed[0].error}")
    t = time.perf_counter()
    resolve_people(con, settings.owner)
    seconds["resolve"] = time.perf_counter() - t
    t = time.perf_counter()
    set_as_of(con, as_of)
    listed = store_weekly_list(con, as_of, LIST_SIZE)
    seconds["list"] = time.perf_counter() - t
    return con, seconds, listed


def stored_records(con) -> pl.DataFrame:
    """Every person record with its kith person (a record without one is its own person)."""
    frame = con.execute(
        """select r.record_id, r.source_kind, r.record_key, r.full_name, r.emails, r.phones, r.company,
                  r.linkedin_url, m.person_id, coalesce(m.is_owner, false) as is_owner
           from store.person_records r left join store.person_map m using (record_id)
           order by r.record_id""").pl()
    return frame.with_columns(pl.col("person_id").is_null().alias("unmapped"),
                              pl.coalesce("person_id", -pl.col("record_id")).alias("person_id"))


# --- resolution figures -----------------------------------------------------------------------

def pairs(n: pl.Expr) -> pl.Expr:
    n = n.cast(pl.Int64)
    return (n * (n - 1) // 2).sum()


def pair_figures(frame: pl.DataFrame, keys: set[str]) -> dict:
    """Pairwise precision and recall for the records of ``keys`` (see the module docstring)."""
    frame = frame.with_columns(pl.col("true_key").is_in(list(keys)).alias("in_group"))
    group = frame.filter("in_group")
    tp = group.group_by("person_id", "true_key").len().select(pairs(pl.col("len"))).item() or 0
    true_pairs = group.group_by("true_key").len().select(pairs(pl.col("len"))).item() or 0
    clusters = frame.group_by("person_id").agg(pl.len().alias("n"), pl.col("in_group").sum().alias("g"))
    clusters = clusters.filter(pl.col("g") > 0)
    predicted = (clusters.select(pairs(pl.col("n"))).item() or 0) - (
        clusters.select(pairs(pl.col("n") - pl.col("g"))).item() or 0)
    return {"true_pairs": true_pairs, "predicted_pairs": predicted, "tp": tp,
            "precision": tp / predicted if predicted else None,
            "recall": tp / true_pairs if true_pairs else None}


def identity_figures(frame: pl.DataFrame) -> pl.DataFrame:
    """Per identity: its records, its kith persons, whether they are all one (unified) and
    whether any of them holds another identity's records (merged)."""
    mixed = (frame.group_by("person_id").agg(pl.col("true_key").n_unique().alias("identities"))
             .filter(pl.col("identities") > 1).select("person_id"))
    mixed_ids = set(mixed["person_id"].to_list())
    return (frame.group_by("true_key", "tier")
            .agg(pl.len().alias("records"), pl.col("person_id").n_unique().alias("persons"),
                 pl.col("person_id").is_in(list(mixed_ids)).any().alias("merged"))
            .with_columns((pl.col("persons") == 1).alias("unified")))


def tier_row(frame: pl.DataFrame, per_identity: pl.DataFrame, keys: set[str]) -> dict:
    mine = per_identity.filter(pl.col("true_key").is_in(list(keys)))
    n = mine.height
    return {"people": n, "records": int(mine["records"].sum() or 0),
            "fully_unified": (int(mine["unified"].sum()) / n) if n else None,
            "merged": (int(mine["merged"].sum()) / n) if n else None,
            **pair_figures(frame, keys)}


def tier_table(frame: pl.DataFrame, ids: dict[str, Identity]) -> dict[str, dict]:
    per_identity = identity_figures(frame)
    present = set(per_identity["true_key"].to_list())
    groups = {t: {k for k, i in ids.items() if i.tier == t and k in present} for t in TIER_ORDER}
    groups = {t: keys for t, keys in groups.items() if keys}
    groups[ALL_REAL] = {k for k, i in ids.items() if i.real_tie and k != OWNER and k in present}
    return {t: tier_row(frame, per_identity, keys) for t, keys in groups.items()}


def overall(frame: pl.DataFrame) -> dict:
    figures = pair_figures(frame, set(frame["true_key"].unique().to_list()))
    p, r = figures["precision"], figures["recall"]
    figures["f1"] = 2 * p * r / (p + r) if p is not None and r is not None and p + r else None
    figures["kith_persons"] = frame["person_id"].n_unique()
    figures["true_identities"] = frame["true_key"].n_unique()
    return figures


def review_figures(con, truth_of: dict[int, str | None], people: int, examples: int = 5) -> dict:
    """The review queue: its length, per 100 connections, the share of its pairs that are truly
    one identity, and its first pairs with their truth."""
    queue = review_queue(con)
    truths = [(truth_of.get(q["a"]["record_id"]), truth_of.get(q["b"]["record_id"])) for q in queue]
    known = [(a, b) for a, b in truths if a and b]
    same = sum(a == b for a, b in known)
    shown = [{"score": q["score"], "reason": q["reason"], "same": a == b if a and b else None,
              "a": f"{q['a']['source_kind']} '{q['a']['name']}' {','.join(q['a']['emails'] or [])}".strip(),
              "b": f"{q['b']['source_kind']} '{q['b']['name']}' {','.join(q['b']['emails'] or [])}".strip()}
             for q, (a, b) in list(zip(queue, truths))[:examples]]
    return {"pairs": len(queue), "per_100_people": 100 * len(queue) / people,
            "truly_same": same / len(known) if known else None,
            "unattributed_pairs": len(queue) - len(known), "first": shown}


# --- the worst splits among real ties ---------------------------------------------------------

def fragments(frame: pl.DataFrame, key: str) -> list[dict]:
    """One identity's records, grouped by kith person."""
    rows = frame.filter(pl.col("true_key") == key).sort("person_id", "record_id")
    out = []
    for (pid,), part in rows.group_by("person_id", maintain_order=True):
        out.append({"person_id": pid, "records": [
            {"record_id": r["record_id"], "source": r["source_kind"], "key": r["record_key"],
             "name": r["full_name"], "emails": list(r["emails"] or []), "phones": list(r["phones"] or []),
             "company": r["company"], "linkedin": slug_key(r["linkedin_url"])}
            for r in part.iter_rows(named=True)]})
    return out


def closest_offer(con, parts: list[dict]) -> dict | None:
    """kith's best scored pair between two fragments of one identity (store.match_pairs), or None
    when no pair between them was stored (kith keeps only pairs scored at the review level or
    above, and refused deterministic links)."""
    fragment_of = {r["record_id"]: i for i, part in enumerate(parts) for r in part["records"]}
    ids = ", ".join(str(r) for r in fragment_of)
    rows = con.execute(f"""select record_id_a, record_id_b, score, decision, reason from store.match_pairs
                           where record_id_a in ({ids}) and record_id_b in ({ids})
                           order by score desc nulls last""").fetchall()
    for a, b, score, decision, reason in rows:
        if fragment_of[a] != fragment_of[b]:
            return {"score": score, "decision": decision, "reason": reason}
    return None


def namesakes(ids: dict[str, Identity]) -> Counter:
    """How many identities (people, not the owner or a business) carry each folded name."""
    return Counter(" ".join(sorted(name_words(i.name))) for i in ids.values() if i.tier not in (OWNER, BUSINESS))


def worst_splits(con, frame: pl.DataFrame, ids: dict[str, Identity], top: int = 8) -> list[dict]:
    """Real ties whose records are in more than one kith person: closest tiers first, then the
    most contact days, then the most fragments; with kith's best offer between the fragments
    and how many other identities share the name."""
    per = identity_figures(frame).filter(~pl.col("unified"))
    split = [(k, n) for k, n in per.select("true_key", "persons").iter_rows() if ids[k].real_tie]
    rank = {t: i for i, t in enumerate(TIER_ORDER)}
    split.sort(key=lambda kn: (rank.get(ids[kn[0]].tier, 99), -len(ids[kn[0]].contact_days), -kn[1], kn[0]))
    names = namesakes(ids)
    out = []
    for k, n in split[:top]:
        parts = fragments(frame, k)
        out.append({"identity": ids[k].name, "tier": ids[k].tier, "persons": n,
                    "contact_days": len(ids[k].contact_days),
                    "namesakes": names[" ".join(sorted(name_words(ids[k].name)))] - 1,
                    "best_offer": closest_offer(con, parts), "fragments": parts})
    return out


def worst_merges(frame: pl.DataFrame, ids: dict[str, Identity], top: int = 5) -> list[dict]:
    """kith persons holding records of more than one identity, those touching the closest tier
    first, with each identity's records there."""
    rank = {t: i for i, t in enumerate(TIER_ORDER)}
    mixed = (frame.group_by("person_id").agg(pl.col("true_key").unique().alias("keys"))
             .filter(pl.col("keys").list.len() > 1))
    merges = sorted(mixed.iter_rows(), key=lambda r: (min(rank.get(ids[k].tier, 99) for k in r[1]), r[0]))
    out = []
    for pid, keys in merges[:top]:
        mine = frame.filter(pl.col("person_id") == pid)
        out.append({"person_id": pid, "identities": [
            {"name": ids[k].name, "tier": ids[k].tier,
             "records": [f"{kind} '{name}' {','.join(emails or [])} {company or ''}".strip()
                         for kind, name, emails, company in mine.filter(pl.col("true_key") == k)
                         .select("source_kind", "full_name", "emails", "company").iter_rows()]}
            for k in sorted(keys)]})
    return out


# --- the weekly list --------------------------------------------------------------------------

def relationship_class(ident: Identity, as_of: date) -> str:
    if ident.tier in (OWNER, BUSINESS):
        return "not a person"
    if not ident.two_way:
        return "stranger"
    gap, last = ident.usual_gap, ident.last_contact
    if gap and (as_of - last).days > LAPSED_RATIO * gap:
        return "lapsed real tie"
    return "real tie, not lapsed"


def is_recent(ident: Identity, as_of: date) -> bool:
    last = ident.last_contact
    return last is not None and (as_of - last).days <= RECENT_DAYS


def main_identity(frame: pl.DataFrame, person_id: int) -> tuple[str | None, int]:
    """(the identity holding most of this kith person's records, ties by key; how many identities
    it holds)."""
    counts = Counter(k for k in frame.filter(pl.col("person_id") == person_id)["true_key"].to_list() if k)
    return (max(sorted(counts), key=lambda k: counts[k]) if counts else None), len(counts)


def list_rows(con, listed: list[dict], frame: pl.DataFrame, ids: dict[str, Identity], as_of: date) -> list[dict]:
    """Each listed kith person with the identity holding most of its records, its class and flags."""
    extra = {pid: (moment, track) for pid, moment, track in con.execute(
        "select person_id, moment, track from models.reconnect_candidates").fetchall()}
    persons_of = dict(frame.group_by("true_key").agg(pl.col("person_id").n_unique()).iter_rows())
    rows = []
    for item in listed:
        pid = item["person_id"]
        key, identities_held = main_identity(frame, pid)
        ident = ids.get(key)
        moment, track = extra.get(pid, (None, None))
        flags = {"moment": moment is not None,
                 "recent": bool(ident and is_recent(ident, as_of)),
                 "split": bool(key and persons_of.get(key, 1) > 1),
                 "merged": identities_held > 1}
        rows.append({"rank": item["rank"], "name": item["display_name"], "moment": moment, "track": track,
                     "true_name": ident.name if ident else None, "tier": ident.tier if ident else None,
                     "class": relationship_class(ident, as_of) if ident else "unattributed",
                     "last_contact": ident.last_contact.isoformat() if ident and ident.last_contact else None,
                     "usual_gap": round(ident.usual_gap, 1) if ident and ident.usual_gap else None,
                     "flags": [f for f, on in flags.items() if on]})
    return rows


def list_figures(rows: list[dict]) -> dict:
    classes = Counter(r["class"] for r in rows)
    flags = Counter(f for r in rows for f in r["flags"])
    return {"listed": len(rows), "classes": {c: classes.get(c, 0) for c in CLASSES + ["unattributed"]},
            "flags": {f: flags.get(f, 0) for f in FLAGS}, "rows": rows}


# --- one run ----------------------------------------------------------------------------------

def shared_addresses(sample: ms.Sample, world: ms.World) -> int:
    """E-mail addresses the world gives to more than one identity (LinkedIn's downloadable
    ``first.last@example.*`` addresses are not made unique, so namesakes can share one)."""
    holders: dict[str, set[str]] = defaultdict(set)
    for p in sample.people:
        if p.email:
            holders[p.email.casefold()].add(p.url)
    for c in world.contacts.values():
        for email in (c.work_email, c.personal_email):
            if email:
                holders[email.casefold()].add(c.key)
    return sum(len(keys) > 1 for keys in holders.values())


def world_figures(ids: dict[str, Identity], as_of: date, shared: int) -> dict:
    people = [i for i in ids.values() if i.tier not in (OWNER, BUSINESS)]
    names = namesakes(ids)
    connections = [i for i in people if i.tier in LINKEDIN_TIERS.values()]
    with_namesake = sum(names[" ".join(sorted(name_words(i.name)))] > 1 for i in connections)
    return {"identities": dict(Counter(i.tier for i in people)),
            "connections_with_a_namesake": with_namesake / len(connections) if connections else None,
            "addresses_shared_by_identities": shared,
            "real_ties": sum(i.real_tie for i in people),
            "two_way": sum(i.two_way for i in people),
            "lapsed_real_ties": sum(relationship_class(i, as_of) == "lapsed real tie" for i in people)}


def run(people: int, seed: int, work: Path, export_date: date = DEFAULT_EXPORT_DATE,
        realism: bool = True) -> dict:
    """Generate the world, run kith on it in ``work`` and return the figures."""
    seconds = {}
    t = time.perf_counter()
    sample, world, changed = build_world(people, seed, export_date, realism)
    ids = world_truth(sample, world, export_date)
    seconds["world"] = time.perf_counter() - t
    t = time.perf_counter()
    write_world(sample, world, work / "export", export_date)
    seconds["write"] = time.perf_counter() - t
    truth = Truth(ids, linkedin_keys(ids), google_keys(world), vcard_keys(world), calendar_keys(world),
                  mail_keys(world))
    con, kith_seconds, listed = run_kith(work / "export", work / "kith.duckdb", export_date)
    seconds.update(kith_seconds)
    with closing(con):
        records = attribute_records(stored_records(con), truth)
        known = records.filter(pl.col("true_key").is_not_null())
        truth_of = dict(records.select("record_id", "true_key").iter_rows())
        figures = {
            "people": people, "seed": seed, "as_of": export_date.isoformat(), "realism": realism,
            "world": world_figures(ids, export_date, shared_addresses(sample, world)),
            "attribution": attribution_figures(records),
            "owner": owner_figures(records),
            "tiers": tier_table(known, ids),
            "overall": overall(known),
            "review": review_figures(con, truth_of, people),
            "weekly_list": list_figures(list_rows(con, listed, known, ids, export_date)),
            "worst_splits": worst_splits(con, known, ids),
            "worst_merges": worst_merges(known, ids),
            "realism_features": feature_figures(known, changed),
            "seconds": {k: round(v, 2) for k, v in seconds.items()},
        }
    return figures


def feature_figures(frame: pl.DataFrame, changed: dict[str, list[str]]) -> dict:
    """For each roughening of ``add_realism``: how many people it touched, the share of them
    fully unified, and the pairwise recall over their records."""
    per = identity_figures(frame)
    out = {}
    for feature, keys in changed.items():
        mine = per.filter(pl.col("true_key").is_in(keys))
        out[feature] = {"people": mine.height,
                        "fully_unified": int(mine["unified"].sum()) / mine.height if mine.height else None,
                        "recall": pair_figures(frame, set(keys))["recall"]}
    return out


def owner_figures(records: pl.DataFrame) -> dict:
    """The owner's own records: how many, how many kith took for her (is_owner), in how many persons."""
    mine = records.filter(pl.col("true_key") == OWNER)
    flagged = records.filter("is_owner")
    return {"records": mine.height, "flagged_owner": int(mine["is_owner"].sum()),
            "flagged_not_owner": int((flagged["true_key"] != OWNER).fill_null(True).sum()),
            "persons": mine["person_id"].n_unique()}


# --- printing ---------------------------------------------------------------------------------

def pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def num(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def report(f: dict) -> str:
    out = [f"personal network: {f['people']} connections, seed {f['seed']}, as of {f['as_of']}"
           + (", realistic (wide names, add_realism)" if f.get("realism") else ", plain (the generator's own world)")]
    a = f["attribution"]
    out.append(f"records: {a['records']} stored, {a['attributed']} attributed, {a['unattributed']} NOT attributed"
               f", {a['unmapped_records']} without a kith person; by source: " + ", ".join(
                   f"{k} {v['records']}" + (f" ({v['unattributed']} unattributed)" if v["unattributed"] else "")
                   for k, v in a["by_source"].items()))
    for ex in a["unattributed_examples"]:
        out.append(f"  unattributed: {ex}")
    o = f["owner"]
    out.append(f"owner: {o['records']} records, {o['flagged_owner']} flagged as owner, in {o['persons']} kith"
               f" person(s); {o['flagged_not_owner']} other records flagged as owner")
    w = f["world"]
    out.append(f"world: {w['real_ties']} real ties (met or wrote to), {w['two_way']} two-way, "
               f"{w['lapsed_real_ties']} lapsed; {pct(w['connections_with_a_namesake'])} of connections share their name; "
               "identities " + ", ".join(f"{k} {v}" for k, v in w["identities"].items()))
    if (w["connections_with_a_namesake"] or 0) > NAMESAKE_WARNING:
        out.append(f"  note: make_sample has ~{POOL_NOTE} full names; past ~1,000 connections they repeat, so namesakes are"
                   " far above real rates and dominate the review queue and the misses")
    if w["addresses_shared_by_identities"]:
        out.append(f"  note: {w['addresses_shared_by_identities']} e-mail addresses belong to more than one identity"
                   " (namesakes given the same LinkedIn address): kith links by it, the truth keeps them apart")
    out.append("")
    out.append(f"{'tier':<19} {'people':>6} {'records':>7} {'unified':>8} {'merged':>7} "
               f"{'precision':>9} {'recall':>7} {'true pairs':>10} {'pred pairs':>10}")
    for tier, r in f["tiers"].items():
        out.append(f"{tier:<19} {r['people']:>6} {r['records']:>7} {pct(r['fully_unified']):>8} {pct(r['merged']):>7} "
                   f"{num(r['precision']):>9} {num(r['recall']):>7} {r['true_pairs']:>10} {r['predicted_pairs']:>10}")
    t = f["overall"]
    out.append(f"overall: precision {num(t['precision'])}, recall {num(t['recall'])}, F1 {num(t['f1'])} "
               f"({t['kith_persons']} kith persons for {t['true_identities']} identities)")
    for feature, x in f.get("realism_features", {}).items():
        out.append(f"realism, {feature.replace('_', ' ')}: {x['people']} people, {pct(x['fully_unified'])} fully unified,"
                   f" recall {num(x['recall'])}")
    r = f["review"]
    out.append(f"review queue: {r['pairs']} pairs ({r['per_100_people']:.1f} per 100 connections), "
               f"truly the same person: {pct(r['truly_same'])}")
    for q in r["first"]:
        out.append(f"  {'same' if q['same'] else 'different'}: {q['a']}  ~  {q['b']}  ({q['reason']})")
    out.append("")
    lst = f["weekly_list"]
    out.append(f"weekly list ({lst['listed']}): " + ", ".join(f"{c} {n}" for c, n in lst["classes"].items() if n)
               + "; flags: " + ", ".join(f"{k} {n}" for k, n in lst["flags"].items()))
    for row in lst["rows"]:
        who = row["name"] if row["true_name"] in (None, row["name"]) else f"{row['name']} [{row['true_name']}]"
        out.append(f"  {row['rank']:>2}. {who:<30} {row['tier'] or '-':<16} {row['moment'] or '-':<15} "
                   f"{row['class']:<21} last {row['last_contact'] or '-'} gap {row['usual_gap'] or '-'} "
                   f"{' '.join(row['flags'])}")
    out.append("")
    out.append("worst splits among real ties:")
    for s in f["worst_splits"][:5]:
        offer = s["best_offer"]
        why = (f"kith's best offer: {offer['decision']} {offer['score'] if offer['score'] is None else round(offer['score'], 2)}"
               f" ({offer['reason']})" if offer else "no stored offer (scored below review, or never compared)")
        out.append(f"  {s['identity']} ({s['tier']}, {s['contact_days']} contact days, {s['namesakes']} namesakes)"
                   f" in {s['persons']} kith persons; {why}:")
        for frag in s["fragments"]:
            recs = "; ".join(f"{x['source']} '{x['name']}' {','.join(x['emails'] + x['phones'])} {x['company'] or ''}"
                             f"{' in/' + x['linkedin'] if x['linkedin'] else ''}".strip() for x in frag["records"])
            out.append(f"    #{frag['person_id']}: {recs}")
    if f["worst_merges"]:
        out.append("wrong merges (one kith person, several identities):")
    for m in f["worst_merges"][:3]:
        out.append(f"  #{m['person_id']}: " + " | ".join(
            f"{i['name']} ({i['tier']}): " + "; ".join(i["records"]) for i in m["identities"]))
    out.append("")
    out.append("seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in f["seconds"].items()))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--export-date", type=date.fromisoformat, default=DEFAULT_EXPORT_DATE)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--plain", dest="realism", action="store_false",
                        help="the generator's own world: its ~1,100 names (past ~1,000 people all repeat) and "
                             "no roughening (by default: a realistic name pool with namesakes at 0.6%%, and "
                             "make_sample.add_realism's personal invites and stale jobs)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (exports and database)")
    args = parser.parse_args(argv)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        figures = run(args.people, args.seed, args.keep, args.export_date, args.realism)
    else:
        with tempfile.TemporaryDirectory(prefix="kith-pnb-") as tmp:
            figures = run(args.people, args.seed, Path(tmp), args.export_date, args.realism)
    print(json.dumps(figures, indent=2, ensure_ascii=False, default=str) if args.json else report(figures))


if __name__ == "__main__":
    main()
