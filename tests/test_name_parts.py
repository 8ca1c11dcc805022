"""Names are parsed once: as their file is ingested, kept in store.name_parts, and read back
by every resolution. What a resolution makes of them is the same as parsing afresh. No Prefect."""

from __future__ import annotations

from pathlib import Path

import polars as pl

import flows.name_parts
from flows import name_parts
from flows.ingest import ingest_sources
from flows.people import _read_records, resolve_people
from flows.sources import discover
from transforms.match import NAME_PARTS, features, name_strings, parse_names
from transforms.resolve import RESOLVE_INPUT, resolve

ROWS = [
    {"record_id": 1, "first_name": "Robert", "last_name": "Smith", "full_name": "Robert Smith"},
    {"record_id": 2, "full_name": "Smith, Robert"},
    {"record_id": 3, "first_name": "Inés Esarro", "last_name": "Riillo", "full_name": "Inés Esarro Riillo"},
    {"record_id": 4, "name_key": "bob smith"},
    {"record_id": 5},  # no name at all: the empty string, parsed to no name
    {"record_id": 6, "first_name": "Dr. Jane", "last_name": "van der Berg, PhD"},
    {"record_id": 7, "first_name": "Robert", "last_name": "Smyth"},
]


def _records(rows: list[dict] = ROWS) -> pl.DataFrame:
    cols = RESOLVE_INPUT
    frame = pl.DataFrame([{c: r.get(c) for c in cols} for r in rows], schema=cols)
    return frame.with_columns(pl.col("emails").fill_null([]), pl.col("phones").fill_null([]))


def test_each_distinct_string_is_parsed_once_as_the_field_it_was():
    strings = name_strings(_records())
    assert sorted(strings.rows()) == sorted([
        ("first", "Robert"), ("last", "Smith"), ("last", "Smyth"), ("first", "Dr. Jane"),
        ("last", "van der Berg, PhD"),
        ("full", "Smith, Robert"), ("full", "Inés Esarro Riillo"), ("full", "bob smith"), ("full", "")])
    parsed = {(k, r): (fn, ln) for k, r, fn, ln, _fv, _la in parse_names(strings).rows()}
    assert parsed[("full", "Smith, Robert")] == ("robert", "smith")
    assert parsed[("first", "Dr. Jane")] == ("jane", None)
    assert parsed[("last", "van der Berg, PhD")][1] == "berg"
    assert parsed[("full", "Inés Esarro Riillo")] == ("ines", "esarroriillo")  # (a display name split in two)
    assert parsed[("full", "")] == (None, None)


def test_features_from_stored_parts_are_features_from_parsing_afresh():
    records = _records()
    assert features(records, parse_names(name_strings(records))).equals(features(records))


def test_stored_parts_are_used_and_only_missing_strings_are_parsed():
    records = _records()
    parsed = parse_names(name_strings(records))
    # a stored row says what a string parses to: change one, and features reads the change
    doctored = parsed.with_columns(pl.when(pl.col("raw") == "Smyth").then(pl.lit("smithers")).otherwise(pl.col("ln"))
                                   .alias("ln"))
    feat = features(records, doctored.filter(pl.col("raw") != "Robert"))  # ("Robert" is parsed afresh)
    by_id = dict(zip(feat["record_id"].to_list(), zip(feat["fn"].to_list(), feat["ln"].to_list())))
    assert by_id[7] == ("robert", "smithers")
    assert by_id[1] == ("robert", "smith")


def _export(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / name
    path.write_text("Full Name,E-mail,Organisation\n" + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def _load(con, path: Path) -> None:
    reports = ingest_sources(con, discover([path]))
    assert all(r.status == "loaded" for r in reports), [r.as_dict() for r in reports]


def _stored(con) -> list[tuple]:
    return con.execute("select parser_version, kind, raw, fn, ln from store.name_parts order by kind, raw").fetchall()


def test_ingest_parses_the_names_and_resolution_reads_them(con, tmp_path, monkeypatch):
    _load(con, _export(tmp_path, "a.csv", ["Robert Smith,bob@acme.example,Acme", "\"Smith, Robert\",,Acme",
                                            ",nobody@acme.example,"]))  # (a CSV's full names are split in two)
    version = name_parts.parser_version()
    assert _stored(con) == [(version, "first", "Robert", "robert", None), (version, "full", "", None, None),
                            (version, "last", "Smith", None, "smith")]
    parsed: list[pl.DataFrame] = []
    real = flows.name_parts.parse_names
    monkeypatch.setattr(flows.name_parts, "parse_names", lambda s: parsed.append(s) or real(s))
    resolve_people(con, full=True)
    assert [p.height for p in parsed] == [0]  # every name was parsed at ingest
    assert con.execute("select count(distinct person_id) from store.person_map").fetchone()[0] == 2


def test_reingesting_a_file_stores_no_name_twice(con, tmp_path):
    path = _export(tmp_path, "a.csv", ["Robert Smith,bob@acme.example,Acme"])
    _load(con, path)
    before = _stored(con)
    ingest_sources(con, discover([path]))
    _load(con, _export(tmp_path, "b.csv", ["Robert Smith,robert@acme.example,Acme"]))  # same name, new record
    assert _stored(con) == before


def test_rows_of_another_parser_version_are_never_read_and_are_replaced(con, tmp_path):
    _load(con, _export(tmp_path, "a.csv", ["Robert Smith,bob@acme.example,Acme"]))
    con.execute("update store.name_parts set parser_version = 'old', ln = 'wrong'")
    records = _read_records(con)
    every, fresh = name_parts.parsed_for(con, records)
    assert fresh.height == 2 and every.filter(pl.col("kind") == "last")["ln"].to_list() == ["smith"]
    resolve_people(con, full=True)
    version = name_parts.parser_version()
    assert _stored(con) == [(version, "first", "Robert", "robert", None), (version, "last", "Smith", None, "smith")]


def test_a_resolution_stores_what_it_had_to_parse(con, tmp_path):
    _load(con, _export(tmp_path, "a.csv", ["Robert Smith,bob@acme.example,Acme", "Ada Lovelace,ada@x.example,X"]))
    con.execute("delete from store.name_parts")
    resolve_people(con, full=True)
    assert [r[2] for r in _stored(con)] == ["Ada", "Robert", "Lovelace", "Smith"]
    result = resolve(_read_records(con), parsed=pl.DataFrame(schema=NAME_PARTS))
    stored = con.execute("select record_id, person_id from store.person_map order by record_id").fetchall()
    assert result.mapping.select("record_id", "person_id").sort("record_id").rows() == stored
