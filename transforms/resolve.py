"""Who is who: group source records into people.

This is the deterministic first step of resolution. Records that share a LinkedIn profile
or an email address are one person; so are records sharing a phone number (E.164) when
their names agree, since an office switchboard is written on many people's cards. A record with neither (the 2018 messages name people
only) joins the one person who carries exactly that name, and stays alone when the name
is ambiguous, since a wrong merge gives someone another person's history.

Fuzzy matching plugs in here later as more edges (``_edges``) before clustering.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from transforms.records import Owner
from transforms.rules import Rules
from transforms.normalize import name_key

RESOLVE_INPUT = {"record_id": pl.Int64, "linkedin_slug": pl.String, "emails": pl.List(pl.String),
                 "phones": pl.List(pl.String), "name_key": pl.String}
RESOLVE_OUTPUT = {"record_id": pl.Int64, "person_id": pl.Int64, "link_reason": pl.String, "is_owner": pl.Boolean}

REASON_SLUG = "same LinkedIn profile"
REASON_EMAIL = "same email address"
REASON_PHONE = "same phone number, and the names agree"
REASON_NAME = "same name, and no other person has it"
REASON_ALONE = "only record of this person"
REASON_RULE = "you said they are the same person"

PAIRS_OUTPUT = {"record_id_a": pl.Int64, "record_id_b": pl.Int64, "score": pl.Float64, "decision": pl.String,
                "reason": pl.String}


@dataclass
class Resolution:
    mapping: pl.DataFrame  # RESOLVE_OUTPUT: one row per record
    pairs: pl.DataFrame  # PAIRS_OUTPUT: each compared pair once, with its score and decision


class _UnionFind:
    """Components of records, refusing any union that would put two records the user
    called different into one person."""

    def __init__(self, different: list[tuple[int, int]] | None = None) -> None:
        self.parent: dict[int, int] = {}
        self.apart: dict[int, set[int]] = {}  # root -> records that must never join its component
        for a, b in different or []:
            self.apart.setdefault(a, set()).add(b)
            self.apart.setdefault(b, set()).add(a)

    def find(self, x: int) -> int:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while x != root:
            self.parent[x], x = root, self.parent.get(x, x)
        return root

    def members_apart(self, root: int) -> set[int]:
        return self.apart.get(root, set())

    def union(self, a: int, b: int) -> bool:
        """Join a's and b's components; False (and no change) when a rule keeps them apart."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.apart:
            apart_a, apart_b = self.apart.get(ra, set()), self.apart.get(rb, set())
            if any(self.find(x) == rb for x in apart_a) or any(self.find(x) == ra for x in apart_b):
                return False
        root, child = min(ra, rb), max(ra, rb)  # the smallest record id is the root
        self.parent[child] = root
        if child in self.apart:
            self.apart.setdefault(root, set()).update(self.apart.pop(child))
        return True


def resolve(records: pl.DataFrame, owner: Owner | None = None, rules: Rules | None = None) -> Resolution:
    """One row per input record: the person it belongs to and why it was linked.

    ``person_id`` is the smallest ``record_id`` in the person's cluster, so it stays the
    same across runs as long as that first record stays in the cluster. The user's rules
    come first: 'same' pairs are joined, 'different' pairs are never put in one person,
    whatever the evidence.
    """
    owner = owner or Owner()
    rules = rules or Rules()
    ids = records["record_id"].to_list()
    known = set(ids)
    uf = _UnionFind([(a, b) for a, b in rules.different if a in known and b in known])
    reason: dict[int, str] = {}
    for rid in ids:
        uf.find(rid)
    for a, b in rules.same:
        if a in known and b in known and uf.union(a, b):
            reason[a] = reason[b] = REASON_RULE
    if "phones" not in records.columns:
        records = records.with_columns(pl.lit([], dtype=pl.List(pl.String)).alias("phones"))
    names = dict(records.select("record_id", "name_key").iter_rows())
    for key, why in (("linkedin_slug", REASON_SLUG), ("email", REASON_EMAIL), ("phone", REASON_PHONE)):
        for group in _groups(records, key):
            if key == "phone" and not _names_agree([names.get(rid) for rid in group]):
                continue
            for rid in group:
                reason.setdefault(rid, why)
            for rid in group[1:]:
                uf.union(group[0], rid)
    _join_name_only(records, uf, reason)
    owner_roots = _owner_roots(records, uf, owner)
    roots = [uf.find(rid) for rid in ids]
    mapping = pl.DataFrame(
        {
            "record_id": ids,
            "person_id": roots,
            "link_reason": [reason.get(rid, REASON_ALONE) for rid in ids],
            "is_owner": [root in owner_roots for root in roots],
        },
        schema=RESOLVE_OUTPUT,
    )
    return Resolution(mapping=mapping, pairs=pl.DataFrame(schema=PAIRS_OUTPUT))


def _groups(records: pl.DataFrame, key: str) -> list[list[int]]:
    """Lists of record ids (of two or more) sharing a slug, an email, or an E.164 phone."""
    if key in ("email", "phone"):
        exploded = records.select("record_id", pl.col(f"{key}s").alias(key)).explode(key)
        if key == "phone":  # numbers kept as written (no country known) are not compared
            exploded = exploded.filter(pl.col("phone").str.starts_with("+"))
    else:
        exploded = records.select("record_id", key)
    grouped = (
        exploded.drop_nulls(key)
        .group_by(key)
        .agg(pl.col("record_id").sort())
        .filter(pl.col("record_id").list.len() > 1)
    )
    return grouped["record_id"].to_list()


def _names_agree(keys: list[str | None]) -> bool:
    """Every named record has the same surname (last word), or the same words in another
    order. A shared first name is not enough: two Jessicas at one company share its number."""
    named = [k.split() for k in keys if k]
    return all(a[-1] == b[-1] or sorted(a) == sorted(b) for i, a in enumerate(named) for b in named[i + 1:])


def _join_name_only(records: pl.DataFrame, uf: _UnionFind, reason: dict[int, str]) -> None:
    strong = records.filter(pl.col("linkedin_slug").is_not_null() | (pl.col("emails").list.len() > 0)
                            | (pl.col("phones").list.len() > 0))
    weak = records.filter(pl.col("linkedin_slug").is_null() & (pl.col("emails").list.len() == 0)
                          & (pl.col("phones").list.len() == 0))
    people_by_name: dict[str, set[int]] = {}
    for rid, nkey in strong.select("record_id", "name_key").iter_rows():
        if nkey:
            people_by_name.setdefault(nkey, set()).add(uf.find(rid))
    for nkey, group in weak.drop_nulls("name_key").group_by("name_key").agg(pl.col("record_id").sort()).iter_rows():
        for rid in group[1:]:
            uf.union(group[0], rid)
        matches = people_by_name.get(nkey, set())
        if len(matches) == 1:
            uf.union(next(iter(matches)), group[0])
        if len(matches) == 1 or len(group) > 1:
            for rid in group:
                reason[rid] = REASON_NAME


def _owner_roots(records: pl.DataFrame, uf: _UnionFind, owner: Owner) -> set[int]:
    names = {name_key(n) for n in owner.names} - {None}
    roots = set()
    for rid, slug, emails, nkey in records.select("record_id", "linkedin_slug", "emails", "name_key").iter_rows():
        weak = slug is None and not emails
        if slug in owner.linkedin_slugs or set(emails or []) & owner.emails or (weak and nkey in names):
            roots.add(uf.find(rid))
    return roots
