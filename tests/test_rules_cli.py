"""The user has the last word on who is who: kith merge, kith split, kith review. Their
decisions survive re-resolving, re-ingesting and rebuilding; the newest one wins. No Prefect."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.db import connect
from flows.ingest import ingest_sources
from flows.people import resolve_people
from flows.rules import restore_rules, rules_file
from flows.sources import discover
from tests.conftest import FIXTURES, LINKEDIN

runner = CliRunner()

# By record id: the LinkedIn export gives 1 Linnéa (3 records: 1, 6, 9, one LinkedIn profile),
# 2 Tomasz (2, 7, 11), 3 Amara, 4 Haruto, 5 Grace, 8 Omar, 10 Dana; the contacts file gives
# 12 Bea Lindgren, 13 Beatrice Holm (13, 14: one email) and 15 Kofi Mensah, none on LinkedIn.
CONTACTS = """Full Name,E-mail,Organisation
Bea Lindgren,bea@lindgren.example,Oldco
Beatrice Holm,bea.holm@newco.example,Newco
Beatrice Holm,bea.holm@newco.example,Newco AB
Kofi Mensah,kofi@mensah.example,Kofico
"""


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    import flows.cli

    monkeypatch.setattr(flows.cli.console, "width", 200)
    monkeypatch.setattr(flows.cli.err, "width", 200)


def export_zip(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    archive = folder / "Basic_LinkedInDataExport_12-20-2024.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for name, member in (("profile_2024.csv", "Profile.csv"), ("connections_2024_preamble.csv", "Connections.csv"),
                             ("invitations_2024.csv", "Invitations.csv"), ("messages_2023.csv", "messages.csv")):
            z.write(LINKEDIN / name, member)
    (folder / "contacts.csv").write_text(CONTACTS, encoding="utf-8")
    return archive


def build(db: Path, *paths: Path) -> None:
    con = connect(db)
    ingest_sources(con, discover(list(paths)))
    restore_rules(con, rules_file(db))
    resolve_people(con)
    con.close()


@pytest.fixture
def exports(tmp_path) -> Path:
    return export_zip(tmp_path / "exports")


@pytest.fixture
def db(tmp_path, exports) -> Path:
    path = tmp_path / "data" / "kith.duckdb"
    build(path, exports, exports.parent / "contacts.csv")
    return path


def kith(db: Path, *args: str, input: str | None = None):
    return runner.invoke(app, ["--db", str(db), *args], input=input)


def people(db: Path) -> dict[int, list[int]]:
    """person_id -> its record ids."""
    con = connect(db, read_only=True)
    rows = con.execute("""select person_id, list(record_id order by record_id) from store.person_map
                          where not is_owner group by person_id""").fetchall()
    con.close()
    return dict(rows)


def rules(db: Path) -> list[tuple]:
    con = connect(db, read_only=True)
    rows = con.execute("""select r.kind, a.record_id, b.record_id, r.source from store.resolution_rules r
                          join store.person_records a on a.record_hash = r.record_hash_a
                          join store.person_records b on b.record_hash = r.record_hash_b order by rule_id""").fetchall()
    con.close()
    return [(kind, min(a, b), max(a, b), source) for kind, a, b, source in rows]


def re_resolve(db: Path) -> None:
    con = connect(db)
    resolve_people(con)
    con.close()


def test_merge_makes_one_person_with_both_sources_and_the_smaller_id(db):
    result = kith(db, "merge", "Kofi", "bea lindgren", "--note", "same person, new name")
    assert result.exit_code == 0, result.output
    assert "Merged:" in result.output and "(person 12), 2 source records" in result.output
    assert "Undo with: kith split 12 15" in result.output
    assert people(db)[12] == [12, 15] and 15 not in people(db)
    assert rules(db) == [("same", 12, 15, "merge")]
    re_resolve(db)
    assert people(db)[12] == [12, 15]
    shown = kith(db, "show", "12")
    assert "Source records (2)" in shown.output and "you said they are the same person" in shown.output


def test_merge_of_multi_record_people_is_undone_exactly_by_the_printed_split(db):
    before = people(db)
    result = kith(db, "merge", "Bea Lindgren", "Linnéa")
    assert result.exit_code == 0, result.output
    assert people(db)[1] == [1, 6, 9, 12] and "4 source records" in result.output
    undo = result.output.split("Undo with: kith ")[1].split()
    assert undo == ["split", "1", "12"]
    split = kith(db, *undo)
    assert split.exit_code == 0, split.output
    assert people(db) == before
    assert "Undo with: kith merge 12 1" in split.output


def test_split_a_record_off_makes_two_people_and_survives_re_resolve(db):
    result = kith(db, "split", "Linnéa", "9", "--note", "another Linnéa")
    assert result.exit_code == 0, result.output
    assert "Split into 2 people" in result.output
    assert people(db)[1] == [1, 6] and people(db)[9] == [9]
    assert sorted(rules(db)) == [("different", 1, 9, "split"), ("different", 6, 9, "split")]
    re_resolve(db)
    assert people(db)[1] == [1, 6] and people(db)[9] == [9]


def test_split_by_file_and_record_key(db):
    result = kith(db, "split", "1", "Invitations.csv:1")
    assert result.exit_code == 0, result.output
    assert people(db)[6] == [6]
    result = kith(db, "split", "2", "Basic_LinkedInDataExport_12-20-2024.zip!messages.csv:tomasz-kowalczyk-9f3b21")
    assert result.exit_code == 0, result.output
    assert people(db)[11] == [11]


def test_split_then_merge_again_the_newest_decision_wins(db):
    assert kith(db, "split", "1", "9").exit_code == 0
    result = kith(db, "merge", "1", "9")
    assert result.exit_code == 0, result.output
    assert "replaces 2 earlier decisions" in result.output
    assert people(db)[1] == [1, 6, 9]
    assert rules(db) == [("same", 1, 9, "merge")]
    # and the other way round: a merge, then a split of the same records
    assert kith(db, "merge", "Bea Lindgren", "Kofi").exit_code == 0
    assert kith(db, "split", "12", "15").exit_code == 0
    assert people(db)[12] == [12] and people(db)[15] == [15]
    assert ("same", 12, 15, "merge") not in rules(db) and ("different", 12, 15, "split") in rules(db)


def test_decisions_survive_re_ingesting_and_rebuilding_from_the_same_exports(tmp_path, db, exports):
    assert kith(db, "merge", "Bea Lindgren", "Kofi").exit_code == 0
    assert kith(db, "split", "1", "9").exit_code == 0
    expected = people(db)
    build(db, exports, exports.parent / "contacts.csv")  # the same files again: nothing new, decisions kept
    assert people(db) == expected
    copy = rules_file(db)
    assert copy.exists() and copy.stat().st_mode & 0o077 == 0
    db.unlink()  # a rebuild from scratch, from a copy of the same exports elsewhere
    copy_zip = export_zip(tmp_path / "elsewhere")
    build(db, copy_zip, copy_zip.parent / "contacts.csv")
    assert people(db) == expected
    assert len(rules(db)) == 3


def test_a_rebuilt_database_gets_the_decisions_back_when_a_command_opens_it(tmp_path, db, exports):
    assert kith(db, "merge", "Bea Lindgren", "Kofi").exit_code == 0
    db.unlink()
    con = connect(db)
    ingest_sources(con, discover([exports, exports.parent / "contacts.csv"]))
    resolve_people(con)  # not told about the rules
    con.close()
    assert 15 in people(db)
    result = kith(db, "review", "--list")
    assert result.exit_code == 0, result.output
    assert "restored 1 of your decisions" in result.output
    assert people(db)[12] == [12, 15]


def test_an_unrelated_new_export_keeps_every_person_id(db):
    assert kith(db, "merge", "Kofi", "Bea Lindgren").exit_code == 0
    before = people(db)
    build(db, FIXTURES / "contacts" / "outlook_com.csv")
    after = people(db)
    assert len(after) > len(before)
    assert {pid: after[pid] for pid in before} == before


def insert_review_pairs(db: Path, pairs: list[tuple[int, int, float]]) -> None:
    con = connect(db)
    con.execute("delete from store.match_pairs")  # only these: whatever the engine (being rewritten) finds
    for a, b, score in pairs:
        con.execute("insert into store.match_pairs values (?, ?, ?, 'review', ?)",
                    [a, b, score, f"test pair {a}-{b}"])
    con.close()


def test_review_asks_what_is_most_at_stake_first_and_stores_the_answers(db):
    """Only pairs whose answer changes something you see (one side has a history), the pair
    that would move the most interaction weight first; `--all` lists the others too."""
    insert_review_pairs(db, [(3, 8, 1.0), (12, 15, 6.5), (2, 10, 3.0), (1, 2, 0.5)])
    listed = kith(db, "review", "--list")
    assert listed.exit_code == 0 and "3 pairs to review" in listed.output
    assert "Kofi Mensah" not in listed.output  # 12-15: two address-book cards, no history either side
    assert "4 pairs to review" in kith(db, "review", "--list", "--all").output
    result = kith(db, "review", input="y\nn\nq\n")
    assert result.exit_code == 0, result.output
    first, second = result.output.index("test pair 1-2"), result.output.index("test pair 2-10")
    assert first < second < result.output.index("test pair 3-8") and "test pair 12-15" not in result.output
    assert "At stake: #1 3 interactions, last" in result.output and "#10 1 interaction, last" in result.output
    assert "Same person? [y]es / [n]o / [s]kip / [q]uit" in result.output
    assert rules(db) == [("same", 1, 2, "review"), ("different", 2, 10, "review")]
    assert people(db)[1] == [1, 2, 6, 7, 9, 11] and people(db)[10] == [10]


def test_review_skips_pairs_already_decided_and_says_when_nothing_is_left(db):
    insert_review_pairs(db, [(4, 5, 6.5), (3, 8, 1.0)])
    con = connect(db)
    con.execute("""insert into store.resolution_rules (kind, record_hash_a, record_hash_b, created_at, source)
                   select 'different', a.record_hash, b.record_hash, now(), 'split'
                   from store.person_records a, store.person_records b where a.record_id = 4 and b.record_id = 5""")
    con.close()
    result = kith(db, "review", "--list", "--json")
    assert result.exit_code == 0, result.output
    import json

    queue = json.loads(result.output)
    assert [[r["record_id"] for r in p["records"]] for p in queue] == [[3, 8]]
    skipped = kith(db, "review", input="s\n")
    assert "skipped 1" in skipped.output and rules(db) == [("different", 4, 5, "split")]
    re_resolve(db)  # the engine (being written) produces no review pairs here
    nothing = kith(db, "review")
    assert nothing.exit_code == 0 and "Nothing to review" in nothing.output


@pytest.mark.parametrize("args, message", [
    (["merge", "Nobody Atall", "Grace"], "nobody matches 'Nobody Atall'"),
    (["merge", "a", "Grace"], "pick one by id"),
    (["merge", "Grace", "5"], "already one person"),
    (["split", "Grace", "4"], "is not one of Grace Whitfield (5)'s records"),
    (["split", "1", "Connections.csv:2"], "is not one of Linnéa Åberg (1)'s records"),
    (["split", "1", "nonsense"], "`kith show 1` lists them"),
    (["split", "Grace", "5"], "nothing would be left"),
    (["split", "Nobody Atall", "1"], "nobody matches"),
])
def test_mistakes_are_one_line_errors_and_store_nothing(db, args, message):
    before = people(db)
    result = kith(db, *args)
    assert result.exit_code in (1, 2), result.output
    assert message in result.output
    assert rules(db) == [] and people(db) == before


def test_commands_need_a_database(tmp_path):
    for args in (["merge", "a", "b"], ["split", "a", "1"], ["review"]):
        result = kith(tmp_path / "none.duckdb", *args)
        assert result.exit_code == 1 and "kith ingest" in result.output
    assert not (tmp_path / "none.duckdb").exists()


def test_help_teaches_the_three_commands():
    top = runner.invoke(app, ["--help"]).output
    for text in ("kith merge", "kith split", "kith review"):
        assert text in top
    for command, text in (("merge", "newest"), ("split", "kith show"), ("review", "--list")):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0 and text in result.output


def test_merge_split_review_resolve_never_import_prefect(db):
    insert_review_pairs(db, [(3, 8, 1.0)])
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from flows.cli import app\n"
        f"db = {str(db)!r}\n"
        "for args, stdin in ((['merge', 'Kofi', 'Bea Lindgren'], None), (['split', '12', '15'], None),\n"
        "                    (['review', '--list'], None), (['review'], 'n\\n'), (['resolve', '--full'], None)):\n"
        "    r = CliRunner().invoke(app, ['--db', db, *args], input=stdin)\n"
        "    assert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'prefect'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# A 'same' rule is the user's last word: no guard of the matching engine refuses it.

def test_merge_wins_over_two_different_linkedin_profiles(db):
    result = kith(db, "merge", "Haruto", "Grace")
    assert result.exit_code == 0, result.output
    assert people(db)[4] == [4, 5]


def test_merge_keeps_every_record_of_both_people(db):
    result = kith(db, "merge", "Bea Lindgren", "Beatrice Holm")
    assert result.exit_code == 0, result.output
    assert people(db)[12] == [12, 13, 14]


def test_resolve_command_says_which_way_it_ran(db):
    """Nothing new: nothing to resolve again. --full: everyone, from scratch."""
    again = kith(db, "resolve")
    assert again.exit_code == 0, again.output
    assert "resolved 0 of 15 records (incremental: 0 new records)" in again.output
    full = kith(db, "resolve", "--full")
    assert full.exit_code == 0, full.output
    assert "resolved 15 of 15 records (full: you asked for a full resolution)" in full.output
    assert people(db)[12] == [12]


def test_show_lists_the_near_misses_with_the_line_that_joins_them(db):
    insert_review_pairs(db, [(2, 10, 3.0), (1, 2, 0.5)])
    shown = kith(db, "show", "2")
    assert shown.exit_code == 0, shown.output
    misses = shown.output[shown.output.index("Maybe also"):]
    assert misses.index("#10 ") < misses.index("#1 ")  # the better score first
    assert "kept for review, score 3.0: test pair 2-10" in misses
    assert "kith merge 2 10" in misses and "kith merge 2 1" in misses
    con = connect(db)
    con.execute("""insert into store.resolution_rules (kind, record_hash_a, record_hash_b, created_at, source)
                   select 'different', a.record_hash, b.record_hash, now(), 'split'
                   from store.person_records a, store.person_records b where a.record_id = 2 and b.record_id = 10""")
    con.close()
    after = kith(db, "show", "2").output
    assert "kith merge 2 10" not in after and "kith merge 2 1" in after  # decided pairs are no near misses
