"""Resolution evidence beyond names and keys: what an address spells, job titles, surname
forms, other languages' diminutives, and the work-mail guard against chains."""

from __future__ import annotations

import polars as pl
import pytest

from transforms.match import features, first_names_compatible, surnames_compatible
from transforms.resolve import RESOLVE_INPUT, resolve


def people(*rows):
    base = {"linkedin_slug": None, "emails": [], "phones": [], "name_key": None, "full_name": None,
            "first_name": None, "last_name": None, "company": None, "title": None}
    return pl.DataFrame([{**base, **r} for r in rows], schema=RESOLVE_INPUT)


def persons(result) -> dict[int, int]:
    return dict(zip(result.mapping["record_id"], result.mapping["person_id"]))


def pair(result, a, b):
    row = result.pairs.filter((pl.col("record_id_a") == min(a, b)) & (pl.col("record_id_b") == max(a, b)))
    return row.row(0, named=True) if row.height else None


def test_an_attendee_known_only_by_a_first_last_address_joins_the_named_profile():
    result = resolve(people(
        {"record_id": 1, "emails": ["haruto.sakagawa@tidewaterfoods.example"]},  # a calendar attendee, no name
        {"record_id": 2, "linkedin_slug": "haruto-sakagawa", "first_name": "Haruto", "last_name": "Sakagawa",
         "company": "Tidewater Foods"},
    ))
    assert persons(result)[2] == 1
    reason = pair(result, 1, 2)["reason"]
    assert "a name read from the email address" in reason and "same company (tidewaterfoods" in reason


def test_a_name_read_from_an_address_is_flagged_and_only_when_the_address_has_two_words():
    feat = features(people(
        {"record_id": 1, "emails": ["haruto.sakagawa@x.example"]},
        {"record_id": 2, "emails": ["hsakagawa@x.example"]},
        {"record_id": 3, "emails": ["wei1985@gmail.com"]},
        {"record_id": 4, "emails": ["ann.lee@x.example"], "first_name": "Ann", "last_name": "Lee-Park"},
    )).sort("record_id")
    assert feat.select("fn", "ln", "name_from_email").rows() == [
        ("haruto", "sakagawa", True), (None, None, False), (None, None, False), ("ann", "leepark", False)]


def test_an_address_spelling_a_short_form_of_the_name_finds_the_person():
    result = resolve(people(
        {"record_id": 1, "emails": ["jrodham@vantageenergy.example"]},
        {"record_id": 2, "linkedin_slug": "jiri-rodham", "first_name": "Jiří", "last_name": "Rodham",
         "company": "Vantage Energy"},
    ))
    found = pair(result, 1, 2)
    assert found is not None and "the email address spells the name's short form" in found["reason"]
    assert found["decision"] == "link" and persons(result)[2] == 1


def test_an_address_that_spells_a_different_first_name_does_not_link():
    out = persons(resolve(people(
        {"record_id": 1, "emails": ["ann.lee@acme.example"]},
        {"record_id": 2, "first_name": "Bob", "last_name": "Lee", "company": "Acme"},
    )))
    assert out[1] != out[2]


def test_a_surname_with_its_particle_in_the_address_still_matches():
    out = persons(resolve(people(
        {"record_id": 1, "emails": ["fatima.alsayed@zephyrfoundry.example"]},
        {"record_id": 2, "linkedin_slug": "fatima-al-sayed", "first_name": "Fatima", "last_name": "Al-Sayed",
         "company": "Zephyr Foundry"},
    )))
    assert out[2] == 1


def test_a_multi_word_name_in_the_other_order_on_one_address_is_one_person():
    out = persons(resolve(people(
        {"record_id": 1, "emails": ["sangmin.kwon@ember.example"], "first_name": "Sang-min", "last_name": "Kwon"},
        {"record_id": 2, "emails": ["sangmin.kwon@ember.example"], "first_name": "Kwon", "last_name": "Sang-min"},
    )))
    assert out == {1: 1, 2: 1}


def test_a_diminutive_from_another_language_is_the_same_first_name():
    assert first_names_compatible("dima", "dmitry") == 2
    assert first_names_compatible("katya", "ekaterina") == 2
    result = resolve(people(
        {"record_id": 1, "linkedin_slug": "dmitry-orlenko", "first_name": "Dima", "last_name": "Orlenko",
         "company": "Copperline Ventures"},
        {"record_id": 2, "first_name": "Dmitry", "last_name": "Orlenko", "company": "Copperline Ventures S.A.",
         "emails": ["dmitry.orlenko@copperline.example"]},
    ))
    assert persons(result)[2] == 1 and "dima ~ dmitry" in pair(result, 1, 2)["reason"]


def test_a_typo_is_a_few_edits_not_just_a_similar_long_name():
    assert surnames_compatible("harrington", "harringtn") == 1
    assert surnames_compatible("valhaofalcao", "vatinsfalcao") == -1  # two built double surnames
    assert first_names_compatible("katherine", "katehrine") == 1


def test_the_same_job_title_is_named_as_evidence_but_does_not_settle_a_job_change():
    result = resolve(people(
        {"record_id": 1, "linkedin_slug": "priya-nagpal", "first_name": "Priya", "last_name": "Nagpal",
         "company": "Lumen", "title": "Staff Engineer"},
        {"record_id": 2, "first_name": "Priya", "last_name": "Nagpal", "company": "Umber Logistics",
         "title": "staff  engineer"},
    ))
    found = pair(result, 1, 2)
    assert found["decision"] == "review" and "same job title" in found["reason"]
    assert "different companies" in found["reason"]


def test_two_addresses_at_one_company_are_never_joined_through_a_record_without_one():
    """Namesakes at one employer: each has an address there; a record of the name at that
    company with no address matches both, and must not make them one person."""
    result = resolve(people(
        {"record_id": 1, "first_name": "Xinjun", "last_name": "Wu", "company": "Keystone Health",
         "emails": ["xinjunw@keystonehealth.example"], "title": "CTO"},
        {"record_id": 2, "first_name": "Xinjun", "last_name": "Wu", "company": "Keystone Health", "title": "CTO"},
        {"record_id": 3, "first_name": "Xinjun", "last_name": "Wu", "company": "Keystone Health",
         "emails": ["xinjunw2@keystonehealth.example"], "title": "CTO"},
    ))
    out = persons(result)
    assert out[1] != out[3]
    assert out[2] in (out[1], out[3])  # the record without an address goes with one of them
    refused = [r for r in result.pairs.iter_rows(named=True) if "kept apart" in (r["reason"] or "")]
    assert any("different addresses at the same company" in r["reason"] for r in refused)


def test_names_in_the_other_order_with_a_slip_are_not_clearly_different():
    from transforms.match import clearly_different

    assert not clearly_different("kofi", "kamau", "kamau", "kofii")  # Kofi Kamau ~ Kamau Kofii
    assert not clearly_different("chen", "obermeier", "obermeier", "chenh")
    assert clearly_different("ann", "lee", "lee", "bob")  # Ann Lee ~ Lee Bob: another first name
    assert clearly_different("ann", "lee", "bob", "lee")


def test_one_name_split_differently_into_first_and_surname_is_the_same_name():
    """A calendar's display name "Sofía Casado Oranes" is split into first "Sofía Casado" and
    surname "Oranes"; LinkedIn has first "Sofía" and surname "Casado Oranes"."""
    result = resolve(people(
        {"record_id": 1, "full_name": "Sofía Casado Oranes", "first_name": "Sofía Casado", "last_name": "Oranes",
         "emails": ["sofia.casado@harborfoods.example"]},
        {"record_id": 2, "linkedin_slug": "sofia-casadooranes", "first_name": "Sofía", "last_name": "Casado Oranes",
         "company": "Harbor Foods"},
    ))
    assert persons(result)[2] == 1
    assert pair(result, 1, 2)["reason"].startswith("same first name, same surname")


def test_two_given_names_are_both_compared():
    """Crowded name spaces: Vu, Thanh Duc and Vũ, Thanh Riku share a surname and a first
    given name, and are two people; Jean Pierre may be written Jean, but is not Jean Luc."""
    assert first_names_compatible("jean pierre", "jean") == 2
    assert first_names_compatible("jean pierre", "jean luc") == -1
    out = persons(resolve(people(
        {"record_id": 1, "full_name": "Vu, Thanh Duc", "emails": ["thanhduc@cobalt.example"]},
        {"record_id": 2, "full_name": "Vũ, Thanh Riku", "emails": ["thanhriku@cobalt.example"]},
        {"record_id": 3, "first_name": "Thanh Duc", "last_name": "Vu", "company": "Cobalt"},
    )))
    assert out[1] != out[2] and out[3] == out[1]


def test_a_display_name_with_three_words_reads_the_middle_one_as_a_first_surname():
    """Inés Esarro Riillo and Inés Herares Riillo (two double surnames) stay apart; the
    first is the LinkedIn profile whose surname field holds Esarro Riillo."""
    out = persons(resolve(people(
        {"record_id": 1, "full_name": "Inés Esarro Riillo", "first_name": "Inés Esarro", "last_name": "Riillo",
         "emails": ["ines.esarro@granite.example"]},
        {"record_id": 2, "full_name": "Inés Herares Riillo", "first_name": "Inés Herares", "last_name": "Riillo",
         "emails": ["ines.herares@granite.example"]},
        {"record_id": 3, "linkedin_slug": "ines-esarroriillo", "first_name": "Inés", "last_name": "Esarro Riillo",
         "company": "Granite"},
    )))
    assert out[1] != out[2] and out[3] == out[1]


def test_a_name_many_separate_records_carry_counts_less():
    """Six Yulia Bogskys at six employers (six groups of records) make a seventh record of
    the name weaker evidence than when the name is carried by two groups only (which, as
    one person's records often form two groups, counts a little for)."""
    import math

    from transforms.match import W_FEW_GROUPS

    pair_rows = [
        {"record_id": 1, "linkedin_slug": "yulia-bogsky", "first_name": "Yulia", "last_name": "Bogsky"},
        {"record_id": 2, "first_name": "Yulia", "last_name": "Bogsky", "emails": ["yulia.b@gmail.com"]},
    ]
    others = [{"record_id": 10 + i, "first_name": "Yulia", "last_name": "Bogsky",
               "emails": [f"ybogsky@firm{i}.example"], "company": f"Firm {i}"} for i in range(4)]
    alone = pair(resolve(people(*pair_rows)), 1, 2)["score"]
    crowded = pair(resolve(people(*pair_rows, *others)), 1, 2)["score"]
    assert crowded == pytest.approx(alone - W_FEW_GROUPS - math.log2(6 / 2))
