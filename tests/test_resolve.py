"""Deterministic resolution: shared keys join, ambiguous names never do, nothing is lost."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings, strategies as st

from transforms.records import Owner
from transforms.resolve import RESOLVE_INPUT, resolve
from transforms.rules import Rules


def records(*rows):
    return pl.DataFrame(
        [{"record_id": r[0], "linkedin_slug": r[1], "emails": r[2], "name_key": r[3],
          "phones": r[4] if len(r) > 4 else []} for r in rows],
        schema=RESOLVE_INPUT)


def persons(result) -> dict[int, int]:
    return dict(zip(result.mapping["record_id"], result.mapping["person_id"]))


def test_shared_slug_or_email_joins_and_chains_by_keys():
    out = persons(resolve(records(
        (1, "ann", [], "ann lee"),
        (2, "ann", ["ann@x.io"], "ann lee"),
        (3, None, ["ann@x.io"], "a lee"),
        (4, "bob", [], "bob ray"),
    )))
    assert out == {1: 1, 2: 1, 3: 1, 4: 4}


def test_shared_phone_joins_when_the_names_agree():
    out = persons(resolve(records(
        (1, "rob-smith", [], "robert smith", ["+14155550100"]),
        (2, None, ["bob@home.example"], "bob smith", ["+14155550100"]),
        (3, None, [], None, ["+14155550100"]),  # a number with no name on it
    )))
    assert out == {1: 1, 2: 1, 3: 1}


def test_a_shared_switchboard_number_does_not_join_different_people():
    out = persons(resolve(records(
        (1, None, ["ann@acme.example"], "ann lee", ["+442071234567"]),
        (2, None, ["raj@acme.example"], "raj patel", ["+442071234567"]),
        (3, None, ["jessica.brookmore@acme.example"], "jessica brookmore", ["+14155550100"]),
        (4, None, ["jessica.normore@acme.example"], "jessica normore", ["+14155550100"]),
    )))
    assert out[1] != out[2] and out[3] != out[4]


def test_numbers_without_a_country_are_not_matched():
    out = persons(resolve(records((1, None, [], "ann lee", ["030 1234567"]), (2, None, [], "ann lee x", ["030 1234567"]))))
    assert out[1] != out[2]


def test_name_only_record_joins_the_unique_namesake():
    out = persons(resolve(records((1, "ann", [], "ann lee"), (2, None, [], "ann lee"))))
    assert out[2] == 1


def test_ambiguous_name_stays_apart():
    """Two Ann Lees with different profiles: a name-only record must not pick one."""
    out = persons(resolve(records((1, "ann-1", [], "ann lee"), (2, "ann-2", [], "ann lee"), (3, None, [], "ann lee"))))
    assert out[1] != out[2]
    assert out[3] == 3


def test_owner_is_flagged_not_merged_with_namesakes():
    result = resolve(records((1, "me", [], "alex rivera"), (2, "other", [], "alex rivera"), (3, None, [], "alex rivera")),
                     Owner(names={"Alex Rivera"}, linkedin_slugs={"me"}))
    flags = dict(zip(result.mapping["record_id"], result.mapping["is_owner"]))
    assert flags[1] is True and flags[2] is False


def test_person_id_is_stable_when_records_are_added():
    first = persons(resolve(records((5, "ann", [], "ann"), (9, None, ["b@x.io"], "bob"))))
    later = persons(resolve(records((5, "ann", [], "ann"), (9, None, ["b@x.io"], "bob"), (12, "ann", ["b2@x.io"], "ann"))))
    assert first[5] == later[5] == later[12] == 5
    assert first[9] == later[9] == 9


def test_the_users_rules_beat_the_evidence():
    rows = ((1, None, ["ann@x.io"], "ann lee"), (2, None, ["ann@x.io"], "ann lee"), (3, "bob", [], "bob ray"))
    assert persons(resolve(records(*rows))) == {1: 1, 2: 1, 3: 3}
    ruled = persons(resolve(records(*rows), rules=Rules(same=[(3, 1)], different=[(1, 2)])))
    assert ruled[1] == ruled[3] != ruled[2]  # 1 and 2 share an email, but the user said they differ
    assert resolve(records(*rows), rules=Rules(same=[(1, 3)])).mapping.filter(pl.col("record_id") == 3)[
        "link_reason"].item() == "you said they are the same person"


def test_a_different_rule_holds_against_a_chain():
    """1-2 share an email, 2-3 share a slug; the user said 1 and 3 differ: no chain joins them."""
    rows = ((1, None, ["a@x.io"], "ann"), (2, "ann", ["a@x.io"], "ann"), (3, "ann", [], "ann"))
    out = persons(resolve(records(*rows), rules=Rules(different=[(1, 3)])))
    assert out[1] != out[3]


keys = st.sampled_from([None, "a", "b", "c"])
emails = st.lists(st.sampled_from(["x@y.io", "z@y.io", "w@y.io"]), max_size=2, unique=True)
names = st.sampled_from([None, "ann", "bob"])


@settings(max_examples=200)
@given(st.lists(st.tuples(keys, emails, names), max_size=25))
def test_resolution_never_loses_or_duplicates_a_record(rows):
    frame = records(*[(i + 1, *row) for i, row in enumerate(rows)])
    result = resolve(frame)
    assert sorted(result.mapping["record_id"].to_list()) == list(range(1, len(rows) + 1))
    # every person id is one of its own records, and records sharing a slug share a person
    mapping = persons(result)
    for rid, pid in mapping.items():
        assert mapping[pid] == pid
    by_slug: dict[str, set[int]] = {}
    for rid, (slug, _, _) in enumerate(rows, start=1):
        if slug:
            by_slug.setdefault(slug, set()).add(mapping[rid])
    assert all(len(p) == 1 for p in by_slug.values())
