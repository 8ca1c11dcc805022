"""After a small new export only the people it touches are resolved again, with the same
result as resolving everyone; anything that could make that unsound resolves everyone.
No Prefect."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import flows.people
from flows.ingest import ingest_sources
from flows.people import (
    _read_records, key_records, last_run, match_keys, neighbours, new_records, resolve_people, stored_name_counts,
)
from flows.rules import merge, split
from flows.sources import discover
from transforms.match import candidate_pairs, features, name_counts
from transforms.records import Owner
from transforms.resolve import RESOLVE_INPUT

# 60 people, one record each, and an address nobody has named yet (61), so that a new file
# of up to 3 records is under 5% new (an incremental run). Record ids follow the rows: 1 Ada
# Lovelace ... 30 Beatrice Holm ... 61.
PEOPLE = [
    ("Ada Lovelace", "ada@engines.example", "Analytical Engines"),
    ("Alan Turing", "alan@bletchley.example", "Bletchley Park"),
    ("Grace Hopper", "grace@navy.example", "US Navy"),
    ("Katherine Johnson", "katherine@nasa.example", "NASA"),
    ("Margaret Hamilton", "margaret@mit.example", "MIT"),
    ("Edsger Dijkstra", "edsger@eindhoven.example", "TU Eindhoven"),
    ("Barbara Liskov", "barbara@mit.example", "MIT"),
    ("Donald Knuth", "don@stanford.example", "Stanford"),
    ("Frances Allen", "fran@ibm.example", "IBM"),
    ("John Backus", "backus@ibm.example", "IBM"),
    ("Radia Perlman", "radia@dec.example", "DEC"),
    ("Ken Thompson", "ken@bell.example", "Bell Labs"),
    ("Dennis Ritchie", "dmr@bell.example", "Bell Labs"),
    ("Shafi Goldwasser", "shafi@weizmann.example", "Weizmann"),
    ("Leslie Lamport", "leslie@sri.example", "SRI"),
    ("Tony Hoare", "tony@oxford.example", "Oxford"),
    ("Niklaus Wirth", "wirth@eth.example", "ETH"),
    ("Adele Goldberg", "adele@parc.example", "Xerox PARC"),
    ("Alan Kay", "kay@parc.example", "Xerox PARC"),
    ("Fran Bilas", "fran.bilas@eniac.example", "ENIAC"),
    ("Jean Bartik", "jean@eniac.example", "ENIAC"),
    ("Sophie Wilson", "sophie@acorn.example", "Acorn"),
    ("Steve Furber", "steve@acorn.example", "Acorn"),
    ("Hedy Lamarr", "hedy@mgm.example", "MGM"),
    ("Tim Berners-Lee", "timbl@cern.example", "CERN"),
    ("Robert Cailliau", "robert@cern.example", "CERN"),
    ("Vint Cerf", "vint@darpa.example", "DARPA"),
    ("Bob Kahn", "bob@darpa.example", "DARPA"),
    ("Bea Lindgren", "bea@lindgren.example", "Oldco"),
    ("Beatrice Holm", "bea.holm@newco.example", "Newco"),
    ("Annie Easley", "annie@glenn.example", "Glenn Research"),
    ("Evelyn Granville", "evelyn@ibm.example", "IBM"),
    ("Carol Shaw", "carol@atari.example", "Atari"),
    ("Joan Clarke", "joan@bletchley.example", "Bletchley Park"),
    ("Mavis Batey", "mavis@bletchley.example", "Bletchley Park"),
    ("Claude Shannon", "claude@bell.example", "Bell Labs"),
    ("John McCarthy", "jmc@stanford.example", "Stanford"),
    ("Marvin Minsky", "minsky@mit.example", "MIT"),
    ("Seymour Cray", "seymour@cray.example", "Cray Research"),
    ("Gordon Moore", "gordon@intel.example", "Intel"),
    ("Robert Noyce", "noyce@intel.example", "Intel"),
    ("Lynn Conway", "lynn@parc.example", "Xerox PARC"),
    ("Carver Mead", "carver@caltech.example", "Caltech"),
    ("Ivan Sutherland", "ivan@utah.example", "University of Utah"),
    ("Douglas Engelbart", "doug@sri.example", "SRI"),
    ("Ted Nelson", "ted@xanadu.example", "Xanadu"),
    ("Larry Tesler", "larry@parc.example", "Xerox PARC"),
    ("Butler Lampson", "butler@parc.example", "Xerox PARC"),
    ("Chuck Thacker", "chuck@parc.example", "Xerox PARC"),
    ("Bjarne Stroustrup", "bjarne@bell.example", "Bell Labs"),
    ("Guido Rossum", "guido@cwi.example", "CWI"),
    ("Linus Torvalds", "linus@helsinki.example", "University of Helsinki"),
    ("Richard Stallman", "rms@gnu.example", "GNU"),
    ("Brian Kernighan", "bwk@bell.example", "Bell Labs"),
    ("Fernando Corbato", "corbato@mit.example", "MIT"),
    ("Jean Sammet", "sammet@ibm.example", "IBM"),
    ("Peter Naur", "naur@copenhagen.example", "University of Copenhagen"),
    ("Kristen Nygaard", "nygaard@nr.example", "Norwegian Computing Center"),
    ("Alonzo Church", "church@princeton.example", "Princeton"),
    ("Kurt Goedel", "kurt@ias.example", "IAS"),
    ("", "mrees@astro.example", ""),
]
NEW = len(PEOPLE) + 1  # the record id of the first record of a later file
HEADER = "Full Name,E-mail,Organisation\n"


def csv_file(folder: Path, name: str, rows: list[tuple[str, str, str]]) -> Path:
    path = folder / name
    path.write_text(HEADER + "".join(f"{n},{e},{c}\n" for n, e, c in rows), encoding="utf-8")
    return path


def load(con, path: Path) -> None:
    reports = ingest_sources(con, discover([path]))
    assert all(r.status == "loaded" for r in reports), [r.as_dict() for r in reports]


@pytest.fixture
def base(con, tmp_path):
    """The 61 records ingested and resolved (in full: the first run)."""
    load(con, csv_file(tmp_path, "contacts.csv", PEOPLE))
    resolve_people(con)
    assert last_run(con).mode == "full"
    return con


def add(con, tmp_path: Path, name: str, *rows: tuple[str, str, str]) -> None:
    """Ingest a new small export and resolve the way ingest does."""
    load(con, csv_file(tmp_path, name, list(rows)))
    resolve_people(con)


def mapping(con) -> list[tuple]:
    return con.execute("select record_id, person_id, link_reason, is_owner from store.person_map order by all"
                       ).fetchall()


def pairs(con) -> list[tuple]:
    """The compared pairs and what was decided. Not the scores: an incremental run reuses the
    weights the last full run measured (on fewer records), so it scores a little apart."""
    return con.execute("select record_id_a, record_id_b, decision, reason from store.match_pairs order by all"
                       ).fetchall()


def keyed(con) -> set[int]:
    """The records whose match keys are stored."""
    return {r[0] for r in con.execute("select distinct record_id from store.record_match_keys").fetchall()}


def person(con, record_id: int) -> list[int]:
    """The record ids of the person holding ``record_id``."""
    return [r[0] for r in con.execute(
        """select record_id from store.person_map
           where person_id = (select person_id from store.person_map where record_id = ?) order by record_id""",
        [record_id]).fetchall()]


def assert_same_as_full(con) -> None:
    """Resolving everyone again gives exactly what the incremental run stored."""
    incremental = mapping(con), pairs(con)
    resolve_people(con, full=True)
    assert last_run(con).mode == "full"
    assert (mapping(con), pairs(con)) == incremental


# ---------------------------------------------------------------- incremental runs


def test_small_export_resolves_incrementally_as_a_full_run_would(base, tmp_path):
    before = dict((r[0], r[1]) for r in mapping(base))
    add(base, tmp_path, "new.csv", ("Ada Lovelace", "ada@engines.example", "Analytical Engines Ltd"),
        ("Katherine Johnson", "", "NASA"), ("Mary Somerville", "mary@royal.example", "Royal Society"))
    run = last_run(base)
    assert run.mode == "incremental" and run.new_records == 3 and run.records == NEW + 2
    assert run.resolved_records < 10  # the new records and the few people they touch, not all 64
    after = dict((r[0], r[1]) for r in mapping(base))
    assert all(after[record] == person_id for record, person_id in before.items())  # nobody's id changed
    assert person(base, 1) == [1, NEW] and person(base, 4) == [4, NEW + 1] and person(base, NEW + 2) == [NEW + 2]
    assert_same_as_full(base)


def test_an_incremental_run_counts_names_over_every_record_as_a_full_run_does(base, tmp_path):
    """How common a first name or surname is weighs in every name comparison: an incremental
    run counts them over the stored records' keys and the new records', not over the few
    records it resolves."""
    load(base, csv_file(tmp_path, "new.csv", [("Ada Lovelace", "ada@engines.example", ""),
                                              ("Katherine Johnson", "", "NASA"), ("Ada Byron", "", "")]))
    new = new_records(base)
    key_records(base)
    counted = stored_name_counts(base, match_keys(new))
    everyone = name_counts(features(_read_records(base)))
    for mine, theirs in ((counted.first, everyone.first), (counted.last, everyone.last)):
        assert dict(mine.iter_rows()) == dict(theirs.iter_rows())
    assert dict(counted.first.iter_rows())["ada"] == 3 and dict(counted.last.iter_rows())["johnson"] == 2


def test_new_record_joins_a_person_by_email(base, tmp_path):
    add(base, tmp_path, "new.csv", ("A. Lovelace", "ADA@engines.example", ""))
    assert last_run(base).mode == "incremental"
    assert person(base, 1) == [1, NEW]
    assert base.execute("select link_reason from store.person_map where record_id = ?", [NEW]).fetchone()[0] == \
        "same email address"
    assert_same_as_full(base)


def test_new_record_joins_a_person_by_name_and_company(base, tmp_path):
    add(base, tmp_path, "new.csv", ("Grace Hopper", "", "US Navy"))
    assert last_run(base).mode == "incremental"
    assert person(base, 3) == [3, NEW]
    assert_same_as_full(base)


def test_nothing_new_changes_nothing(base, tmp_path):
    before = mapping(base), pairs(base)
    resolve_people(base)
    run = last_run(base)
    assert (run.mode, run.new_records, run.resolved_records) == ("incremental", 0, 0)
    assert (mapping(base), pairs(base)) == before


def test_an_existing_different_rule_keeps_people_apart(base, tmp_path):
    add(base, tmp_path, "second.csv", ("Grace Hopper", "", "US Navy"))
    assert person(base, 3) == [3, NEW]
    split(base, 3, [NEW])  # the user: this record is another Grace Hopper
    resolve_people(base)
    assert last_run(base).mode == "full"  # the rules changed
    add(base, tmp_path, "third.csv", ("Grace Hopper", "grace@navy.example", ""))  # record 3's address
    assert last_run(base).mode == "incremental"
    assert person(base, 3) == [3, NEW + 1] and person(base, NEW) == [NEW]
    assert_same_as_full(base)


def test_an_existing_same_rule_keeps_people_together(base, tmp_path):
    merge(base, 29, 30)  # Bea Lindgren married: she is Beatrice Holm now
    resolve_people(base)
    assert person(base, 29) == [29, 30]
    add(base, tmp_path, "new.csv", ("Beatrice Holm", "bea.holm@newco.example", "Newco AB"))
    assert last_run(base).mode == "incremental"
    assert person(base, 29) == [29, 30, NEW]
    assert_same_as_full(base)


def test_pairs_with_people_left_alone_are_kept(base, tmp_path):
    base.execute("insert into store.match_pairs values (2, 19, 1.0, 'review', 'Alan ~ Alan')")
    add(base, tmp_path, "new.csv", ("Ada Lovelace", "ada@engines.example", ""))
    assert last_run(base).mode == "incremental"
    kept = base.execute("select decision from store.match_pairs where record_id_a = 2 and record_id_b = 19").fetchall()
    assert kept == [("review",)]


# ---------------------------------------------------------------- when everyone is resolved again


def test_full_when_asked(base, tmp_path):
    load(base, csv_file(tmp_path, "new.csv", [("Ada Lovelace", "ada@engines.example", "")]))
    resolve_people(base, full=True)
    assert last_run(base).mode == "full" and last_run(base).reason == "you asked for a full resolution"


def test_full_when_the_resolver_version_changes(base, tmp_path, monkeypatch):
    monkeypatch.setattr(flows.people, "RESOLVER_VERSION", flows.people.RESOLVER_VERSION + 1)
    add(base, tmp_path, "new.csv", ("Ada Lovelace", "ada@engines.example", ""))
    run = last_run(base)
    assert run.mode == "full" and "matching code changed" in run.reason
    assert person(base, 1) == [1, NEW]
    add(base, tmp_path, "more.csv", ("Grace Hopper", "", "US Navy"))  # the new version is the base now
    assert last_run(base).mode == "incremental"


def test_full_when_many_records_are_new(base, tmp_path):
    add(base, tmp_path, "big.csv", *[(f"New Person{i}", f"new{i}@example.org", "Newco") for i in range(4)])
    run = last_run(base)
    assert run.mode == "full" and "over 5%" in run.reason


def test_full_when_the_owner_changes(base, tmp_path):
    load(base, csv_file(tmp_path, "new.csv", [("Ada Lovelace", "ada@engines.example", "")]))
    resolve_people(base, Owner(emails={"ada@engines.example"}))
    run = last_run(base)
    assert run.mode == "full" and "owner" in run.reason
    assert base.execute("select bool_and(is_owner) from store.person_map where record_id in (1, ?)", [NEW]).fetchone()[0]


def test_full_when_records_were_deleted(base):
    key_records(base)
    base.execute("delete from store.person_records where record_id = 5")
    resolve_people(base)
    run = last_run(base)
    assert run.mode == "full" and "no longer stored" in run.reason
    assert keyed(base) == set(range(1, NEW)) - {5}  # a deleted record's keys go with it


def test_records_are_keyed_by_the_first_incremental_run_of_a_resolver_version(base, tmp_path, monkeypatch):
    assert keyed(base) == set()  # a full run costs no more than resolving
    add(base, tmp_path, "new.csv", ("Ada Lovelace", "ada@engines.example", ""))
    assert last_run(base).mode == "incremental" and keyed(base) == set(range(1, NEW + 1))
    monkeypatch.setattr(flows.people, "RESOLVER_VERSION", flows.people.RESOLVER_VERSION + 1)
    resolve_people(base)
    assert last_run(base).mode == "full" and keyed(base) == set()  # keys made by other code are dropped


def test_stored_keys_find_everyone_the_matcher_would_compare_a_new_record_with(base, tmp_path):
    """Whoever a full run would link or compare a new record with is among its neighbours.
    (When the matcher learns another way to pair records, match_keys must learn it too.)"""
    load(base, csv_file(tmp_path, "new.csv", [
        ("Dr. Ada A. Lovelace PhD", "", "Engines"),  # the name in another form
        ("Hopper Grace", "", ""),  # the name in the other order
        ("", "katherine.johnson@mail.example", ""),  # a name only in the address
        ("", "mhamilton@mit.example", ""),  # a user name spelling a name
        ("Frances E. Allen", "FRAN@ibm.example", ""),  # a known address
        ("Martin Rees", "", ""),  # the name a stored address spells
        ("Berners Lee Tim", "", ""),  # the name in the other order, cut elsewhere
        ("Lamport Lesley", "", "")]))  # the other order with a slip
    records = base.execute(f"select {', '.join(RESOLVE_INPUT)} from store.person_records").pl().cast(RESOLVE_INPUT)
    feat = features(records)
    new_ids = set(range(NEW, NEW + 8))
    compared, _ = candidate_pairs(feat)
    expected = {b if a in new_ids else a for a, b in compared.iter_rows() if (a in new_ids) != (b in new_ids)}
    for column in ("slug", "emails", "phones"):
        shared = feat.select("record_id", pl.col(column).alias("key"))
        shared = (shared if column == "slug" else shared.explode("key")).drop_nulls("key")
        with_new = shared.filter(pl.col("record_id").is_in(list(new_ids)))
        expected |= set(shared.join(with_new, on="key").filter(~pl.col("record_id").is_in(list(new_ids)))
                        ["record_id"].to_list())
    assert {1, 3, 4, 5, 9, 15, 25, NEW - 1} <= expected  # each kind of link is in the test
    key_records(base)
    new = new_records(base)
    assert expected <= neighbours(base, new, match_keys(new))
