"""Who is who: group source records into people.

This is the deterministic first step of resolution. Records that share a LinkedIn profile
or an email address are one person; so are records sharing a phone number (E.164) when
their names agree, since an office switchboard is written on many people's cards. A record with neither (the 2018 messages name people
only) joins the one person who carries exactly that name, and stays alone when the name
is ambiguous, since a wrong merge gives someone another person's history.

Fuzzy matching plugs in here later as more edges (``_edges``) before clustering.
"""

from __future__ import annotations

import polars as pl

from transforms.records import Owner
from transforms.normalize import name_key

RESOLVE_INPUT = {"record_id": pl.Int64, "linkedin_slug": pl.String, "emails": pl.List(pl.String),
                 "phones": pl.List(pl.String), "name_key": pl.String}
RESOLVE_OUTPUT = {"record_id": pl.Int64, "person_id": pl.Int64, "link_reason": pl.String, "is_owner": pl.Boolean}

REASON_SLUG = "same LinkedIn profile"
REASON_EMAIL = "same email address"
REASON_PHONE = "same phone number, and the names agree"
REASON_NAME = "same name, and no other person has it"
REASON_ALONE = "only record of this person"


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while x != root:
            self.parent[x], x = root, self.parent.get(x, x)
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)  # the smallest record id is the root


def resolve(records: pl.DataFrame, owner: Owner | None = None) -> pl.DataFrame:
    """One row per input record: the person it belongs to and why it was linked.

    ``person_id`` is the smallest ``record_id`` in the person's cluster, so it stays the
    same across runs as long as that first record stays in the cluster.
    """
    owner = owner or Owner()
    uf = _UnionFind()
    reason: dict[int, str] = {}
    ids = records["record_id"].to_list()
    for rid in ids:
        uf.find(rid)
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
    return pl.DataFrame(
        {
            "record_id": ids,
            "person_id": roots,
            "link_reason": [reason.get(rid, REASON_ALONE) for rid in ids],
            "is_owner": [root in owner_roots for root in roots],
        },
        schema=RESOLVE_OUTPUT,
    )


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
