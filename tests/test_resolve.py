"""Resolution: shared keys join, fuzzy evidence links, guards keep people apart, nothing is lost."""

from __future__ import annotations

import polars as pl
import pytest
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
    out = persons(resolve(records((1, None, [], "ann lee", ["030 1234567"]), (2, None, [], "a lee", ["030 1234567"]))))
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


def people(*rows):
    """Rows of dicts with the fuzzy fields (full/first/last name, company)."""
    base = {"linkedin_slug": None, "emails": [], "phones": [], "name_key": None, "full_name": None,
            "first_name": None, "last_name": None, "company": None}
    return pl.DataFrame([{**base, **r} for r in rows], schema=RESOLVE_INPUT)


def pair(result, a, b):
    row = result.pairs.filter((pl.col("record_id_a") == min(a, b)) & (pl.col("record_id_b") == max(a, b)))
    return row.row(0, named=True) if row.height else None


def test_chaining_guard_keeps_two_linkedin_profiles_apart():
    """A-B share an email, B-C match on name and company, A and C are different profiles."""
    out = persons(resolve(people(
        {"record_id": 1, "linkedin_slug": "ann-lee-1", "emails": ["ann@acme.example"], "first_name": "Ann",
         "last_name": "Lee", "company": "Acme"},
        {"record_id": 2, "emails": ["ann@acme.example"], "first_name": "Ann", "last_name": "Lee", "company": "Acme"},
        {"record_id": 3, "linkedin_slug": "ann-lee-2", "first_name": "Ann", "last_name": "Lee", "company": "Acme Inc"},
    )))
    assert out[1] == out[2] != out[3]


def test_namesakes_at_different_companies_stay_apart():
    result = resolve(people(
        {"record_id": 1, "emails": ["ann.lee@acme.example"], "first_name": "Ann", "last_name": "Lee", "company": "Acme"},
        {"record_id": 2, "emails": ["alee@globex.example"], "first_name": "Ann", "last_name": "Lee",
         "company": "Globex"},
    ))
    assert persons(result)[1] != persons(result)[2]


def test_nickname_link_names_the_nickname():
    result = resolve(people(
        {"record_id": 1, "emails": ["robert.smith@acme.example"], "first_name": "Bob", "last_name": "Smith",
         "company": "Acme"},
        {"record_id": 2, "linkedin_slug": "robert-smith-4a1b2c", "first_name": "Robert", "last_name": "Smith",
         "company": "ACME Corp."},
    ))
    assert persons(result)[2] == 1
    found = pair(result, 1, 2)
    assert found["decision"] == "link" and "bob ~ robert" in found["reason"] and "same company" in found["reason"]


def test_typo_link():
    out = persons(resolve(people(
        {"record_id": 1, "first_name": "Jonathan", "last_name": "Harrington", "company": "Initech",
         "emails": ["jharrington@initech.example"]},
        {"record_id": 2, "linkedin_slug": "jon-h", "first_name": "Jonathan", "last_name": "Harringtn",
         "company": "Initech"},
    )))
    assert out[2] == 1


def test_surname_first_ordering_links():
    out = persons(resolve(people(
        {"record_id": 1, "full_name": "Smith, Robert", "emails": ["rsmith@initech.example"]},
        {"record_id": 2, "linkedin_slug": "rs", "first_name": "Robert", "last_name": "Smith", "company": "Initech"},
    )))
    assert out[2] == 1


def test_uncertain_pair_is_kept_for_review_not_linked():
    """Same name, different employers: a job change or a namesake; the user decides."""
    result = resolve(people(
        {"record_id": 1, "linkedin_slug": "priya-nagpal", "first_name": "Priya", "last_name": "Nagpal",
         "company": "Lumen"},
        {"record_id": 2, "first_name": "Priya", "last_name": "Nagpal", "company": "Umber Logistics"},
    ))
    assert persons(result)[2] == 2
    found = pair(result, 1, 2)
    assert found["decision"] == "review" and "different companies" in found["reason"]


def test_a_shared_family_email_does_not_merge_different_first_names():
    result = resolve(people(
        {"record_id": 1, "emails": ["thelees@gmail.com"], "first_name": "Ann", "last_name": "Lee"},
        {"record_id": 2, "emails": ["the.lees+school@gmail.com"], "first_name": "Bob", "last_name": "Lee"},
        {"record_id": 3, "emails": ["thelees@gmail.com"], "first_name": "Annie", "last_name": "Lee"},
    ))
    out = persons(result)
    assert out[1] != out[2] and out[3] != out[2]
    assert out[1] == out[3]  # Annie is Ann's nickname: the same address joins them
    refused = [p for p in (pair(result, 1, 2), pair(result, 2, 3)) if p]
    assert refused and all(p["decision"] == "no link" and "clearly different names" in p["reason"] for p in refused)


def test_a_misspelt_name_is_no_third_name_between_two_people():
    """Deborah and Deb Chadham share one address, Diborah (Deborah misspelt) and Deborah
    another: Deb and Diborah look unlike each other, but Diborah is Deborah. Ann and Bob
    Lee on one address stay apart all the same (neither name is a slip of the other's)."""
    out = persons(resolve(people(
        {"record_id": 1, "emails": ["deb@chadham.example", "dchadham@gmail.com"], "first_name": "Deborah",
         "last_name": "Chadham"},
        {"record_id": 2, "emails": ["deb@chadham.example"], "first_name": "Deb", "last_name": "Chadham"},
        {"record_id": 3, "emails": ["dchadham@gmail.com"], "first_name": "Diborah", "last_name": "Chadham"},
        {"record_id": 5, "emails": ["lees@gmail.com"], "first_name": "Ann", "last_name": "Lee"},
        {"record_id": 6, "emails": ["lees@gmail.com"], "first_name": "Bob", "last_name": "Lee"},
    )))
    assert out[1] == out[2] == out[3]
    assert out[5] != out[6]


def test_a_nickname_is_no_bridge_between_two_given_names():
    """Chris joins Christopher; Christine, a name of which Chris is also a short form, on
    Chris's address is kept apart from Christopher's records (no slip makes her him)."""
    out = persons(resolve(people(
        {"record_id": 1, "emails": ["chris@lee.example"], "first_name": "Christopher", "last_name": "Lee"},
        {"record_id": 2, "emails": ["chris@lee.example", "c.lee@gmail.com"], "first_name": "Chris",
         "last_name": "Lee"},
        {"record_id": 3, "emails": ["c.lee@gmail.com"], "first_name": "Kristina", "last_name": "Lee"},
    )))
    assert out[1] == out[2] and out[3] != out[1]


keys = st.sampled_from([None, "a", "b", "c"])
emails = st.lists(st.sampled_from(["x@y.io", "z@y.io", "w@y.io", "x+1@y.io"]), max_size=2, unique=True)
names = st.sampled_from([None, "ann", "bob", "ann lee", "bob lee", "lee ann", "robert lee"])
firsts = st.sampled_from([None, "Ann", "Annie", "Bob", "Robert", "Rob"])
lasts = st.sampled_from([None, "Lee", "Le", "Smith"])
companies = st.sampled_from([None, "Acme", "ACME Inc.", "Globex"])


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(keys, emails, names, firsts, lasts, companies), max_size=20))
def test_resolution_never_loses_or_duplicates_a_record(rows):
    frame = people(*[{"record_id": i + 1, "linkedin_slug": s, "emails": e, "name_key": n, "first_name": f,
                      "last_name": la, "company": c} for i, (s, e, n, f, la, c) in enumerate(rows)])
    result = resolve(frame)
    assert sorted(result.mapping["record_id"].to_list()) == list(range(1, len(rows) + 1))
    # every person id is one of its own records, and records sharing a slug share a person
    mapping = persons(result)
    for rid, pid in mapping.items():
        assert mapping[pid] == pid
    by_slug: dict[str, set[int]] = {}
    slugs_of: dict[int, set[str]] = {}
    for rid, row in enumerate(rows, start=1):
        if row[0]:
            by_slug.setdefault(row[0], set()).add(mapping[rid])
            slugs_of.setdefault(mapping[rid], set()).add(row[0])
    assert all(len(p) == 1 for p in by_slug.values())
    assert all(len(s) == 1 for s in slugs_of.values())  # and no person holds two profiles
    pairs = result.pairs
    assert pairs.filter(pl.col("record_id_a") >= pl.col("record_id_b")).height == 0
    assert pairs.select("record_id_a", "record_id_b").is_unique().all()


# ---------------------------------------------------------------- the engine at scale


def test_blocking_compares_only_names_that_could_match():
    """Same surname and initial: a typo, a nickname, an initial and the swapped order are
    compared; a clearly different first name or a different surname never is."""
    from transforms.match import candidate_pairs, features

    frame = people(
        {"record_id": 1, "first_name": "John", "last_name": "Smith"},
        {"record_id": 2, "first_name": "Jon", "last_name": "Smith"},       # typo
        {"record_id": 3, "first_name": "Jack", "last_name": "Smith"},      # nickname of John
        {"record_id": 4, "first_name": "J.", "last_name": "Smith"},        # initial
        {"record_id": 5, "first_name": "Jasper", "last_name": "Smith"},    # clearly different
        {"record_id": 6, "first_name": "John", "last_name": "Smithe"},     # typo in the surname
        {"record_id": 7, "first_name": "John", "last_name": "Schmitt"},    # same Soundex, another surname
        {"record_id": 8, "full_name": "Smith John"},                       # swapped
        {"record_id": 9, "first_name": "John", "last_name": "Smith"},      # the same name again
    )
    pairs, skipped = candidate_pairs(features(frame.with_columns(pl.col("emails").fill_null([]))))
    got = set(pairs.select("a", "b").rows())
    assert skipped == 0
    assert {(1, 2), (1, 3), (1, 4), (1, 6), (1, 9), (1, 8)} <= got
    assert (1, 5) not in got and (1, 7) not in got and (5, 9) not in got
    assert all(a < b for a, b in got)


def every_pair(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(features, every pair of records, each record its own component's orgs): what
    score_pairs takes, for a few literal records."""
    import transforms.match as match
    from transforms.resolve import _component_orgs

    feat = match.features(frame)
    ids = feat["record_id"].to_list()
    pairs = pl.DataFrame([(a, b) for a in ids for b in ids if a < b], schema={"a": pl.Int64, "b": pl.Int64},
                         orient="row")
    return feat, pairs, _component_orgs(feat, feat.select("record_id", pl.col("record_id").alias("root")))


def test_names_prefilter_does_not_change_any_score():
    """Pairs are dropped on their names alone only when nothing else could lift them to the
    floor: every pair scoring above it scores the same as without the shortcut."""
    import transforms.match as match

    frame = people(
        {"record_id": 1, "first_name": "Ann", "last_name": "Lee", "company": "Acme", "emails": ["ann@acme.example"]},
        {"record_id": 2, "first_name": "Annie", "last_name": "Lee", "company": "Acme", "emails": ["ann@acme.example"]},
        {"record_id": 3, "first_name": "Bob", "last_name": "Lee", "company": "Acme", "emails": ["bob@acme.example"]},
        {"record_id": 4, "first_name": "Ann", "last_name": "Leigh", "emails": ["ann@gmail.com"]},
        {"record_id": 5, "first_name": "Zed", "last_name": "Quist", "phones": ["+14155550100"]},
        {"record_id": 6, "first_name": "Ann", "last_name": "Lee", "phones": ["+14155550199"], "company": "Globex"},
    ).with_columns(pl.col("emails").fill_null([]), pl.col("phones").fill_null([]))
    feat, pairs, comp = every_pair(frame)
    low = match.score_pairs(pairs, feat, comp, floor=-1000.0)
    kept = match.score_pairs(pairs, feat, comp)
    expected = low.filter(pl.col("score") >= match.STORE_FLOOR)
    assert kept.select("a", "b", "score").sort("a", "b").rows() == expected.select("a", "b", "score").sort("a", "b").rows()
    assert low.height == len(pairs) > kept.height  # the far-apart names were scored in the first call only


def test_scores_do_not_depend_on_chunks_or_on_which_pairs_are_scored_together(monkeypatch):
    """Scoring runs chunk by chunk over list fields exploded once (the name forms a slice of
    records at a time), and a few pairs (the second round) are scored on their own records
    only: each pair scores and reads the same whatever else is scored with it."""
    import transforms.match as match
    import transforms.match_comparisons

    frame = people(
        {"record_id": 1, "first_name": "Ann", "last_name": "Lee", "company": "Acme", "title": "CFO",
         "emails": ["ann@acme.example"]},
        {"record_id": 2, "first_name": "Annie", "last_name": "Lee", "company": "Acme Inc", "title": "CFO"},
        {"record_id": 3, "first_name": "Bob", "last_name": "Lee", "company": "Acme", "emails": ["bob@acme.example"]},
        {"record_id": 4, "first_name": "Ann", "last_name": "Leigh", "emails": ["ann.lee@gmail.com"]},
        {"record_id": 5, "emails": ["annlee@gmail.com"]},
        {"record_id": 6, "first_name": "Ann", "last_name": "Lee", "phones": ["+14155550199"], "company": "Globex",
         "linkedin_slug": "ann-lee"},
        {"record_id": 7, "first_name": "Lee", "last_name": "Ann", "phones": ["+14155550100"]},
    ).with_columns(pl.col("emails").fill_null([]), pl.col("phones").fill_null([]))
    feat, pairs, comp = every_pair(frame)
    whole = match.score_pairs(pairs, feat, comp, floor=-1000.0)
    assert whole.height == pairs.height
    monkeypatch.setattr(transforms.match_comparisons, "SCORE_CHUNK", 2)  # (where score_pairs reads it)
    monkeypatch.setattr(transforms.match_comparisons, "EXPLODE_CHUNK", 2)
    assert match.score_pairs(pairs, feat, comp, floor=-1000.0).equals(whole)
    few = pairs.filter((pl.col("a") == 1) & (pl.col("b") == 6))  # (2 of 7 records: scored on its own)
    alone = match.score_pairs(few, feat, comp, floor=-1000.0)
    assert alone.equals(whole.join(few, on=["a", "b"], how="semi"))


def test_a_refused_shared_address_is_still_scored():
    """Two records on one address whose first names the guard calls clearly different are
    kept apart, and the pair is kept with the refusal; it is scored like any other, so it can
    reach the review queue (its score is shown only when it is at least the review threshold)."""
    result = resolve(people(
        {"record_id": 1, "emails": ["jgarcia@acme.example"], "first_name": "Jose", "last_name": "Garcia",
         "company": "Acme"},
        {"record_id": 2, "emails": ["jgarcia@acme.example"], "first_name": "Pedro", "last_name": "Garcia",
         "company": "Acme"},
    ))
    assert persons(result)[1] != persons(result)[2]
    found = pair(result, 1, 2)
    assert found is not None and found["decision"] in ("review", "no link")
    assert "kept apart: their records have clearly different names" in found["reason"]


def test_owner_is_flagged_by_address():
    result = resolve(records((1, None, ["me@x.io"], "alex rivera"), (2, None, ["me@x.io"], "alex rivera"),
                             (3, None, ["other@x.io"], "alex rivera")), Owner(emails={"me@x.io"}))
    flags = dict(zip(result.mapping["record_id"], result.mapping["is_owner"]))
    assert flags == {1: True, 2: True, 3: False}


def test_a_failure_while_finding_candidate_pairs_is_raised_not_lost(monkeypatch):
    """Blocking runs in a thread beside the deterministic links: its error must reach the
    caller (not be swallowed, not hang the run)."""
    import transforms.resolve

    def broken(feat):
        raise RuntimeError("blocking broke")

    monkeypatch.setattr(transforms.resolve, "candidate_pairs", broken)
    with pytest.raises(RuntimeError, match="blocking broke"):
        resolve(records((1, None, ["ann@x.io"], "ann lee"), (2, None, ["ann@x.io"], "ann lee")))
