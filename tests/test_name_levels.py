"""The vectorised comparison levels agree with the one-pair-at-a-time reference functions."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings, strategies as st

from transforms.match import _blocking_level, first_names_compatible, name_levels, surnames_compatible

TRICKY = [
    ("robert", "bob"), ("bob", "robert"), ("bobby", "rob"), ("fred", "william"), ("j", "john"), ("j", "anna"),
    ("jean pierre", "jean"), ("jean luc", "jean pierre"), ("dima", "dmitry"), ("katherine", "katehrine"),
    ("jon", "jan"), ("mark", "mary"), ("li", "lin"), ("liu", "li"), ("wang", "wan"), ("sang min", "sang seo"), ("eai", "emi"), ("ann", "ann"), ("li", "lin"),
    ("harrington", "harringtn"), ("valhaofalcao", "vatinsfalcao"), ("tequeira", "tequeiramalhao"),
    ("sayed", "alsayed"), ("smith", "smyth"), ("al", "alan"), ("zoe", "zoey"), ("a", "a"), ("", "x"),
]


def reference(kind, a, b):
    fn = {"first": first_names_compatible, "last": surnames_compatible, "blocking": _blocking_level}[kind]
    return fn(a, b) if a and b else -2


def check(pairs):
    xs = pl.Series([a for a, _ in pairs], dtype=pl.String)
    ys = pl.Series([b for _, b in pairs], dtype=pl.String)
    for kind in ("first", "last", "blocking"):
        got = name_levels(xs, ys, kind).to_list()
        assert got == [reference(kind, a, b) for a, b in pairs], kind


def test_tricky_pairs_agree():
    check(TRICKY)


def test_nulls_are_missing():
    assert name_levels(pl.Series([None, "ann"]), pl.Series(["ann", None]), "first").to_list() == [-2, -2]


names = st.text(alphabet="abcdeijlmnorsty ", min_size=1, max_size=12).map(str.strip).filter(bool)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(names, names), min_size=1, max_size=30))
def test_random_pairs_agree(pairs):
    check(pairs)


def _edited(name: str, edits: list[tuple[int, int, str]]) -> str:
    """``name`` with each edit (kind, where, letter) applied: 0 insert, 1 delete,
    2 substitute, 3 swap two neighbours."""
    for kind, where, letter in edits:
        if not name:
            break
        i = where % len(name)
        if kind == 0:
            name = name[:i] + letter + name[i:]
        elif kind == 1 and len(name) > 1:
            name = name[:i] + name[i + 1:]
        elif kind == 2:
            name = name[:i] + letter + name[i + 1:]
        elif kind == 3 and i + 1 < len(name):
            name = name[:i] + name[i + 1] + name[i] + name[i + 2:]
    return name


edit = st.tuples(st.integers(0, 3), st.integers(0, 20), st.sampled_from("aeilnorst"))
long_names = st.text(alphabet="abcdeghiklmnorstuvwy", min_size=3, max_size=14)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(long_names, st.lists(edit, min_size=1, max_size=3)), min_size=1, max_size=30))
def test_names_a_few_edits_apart_agree(cases):
    """Typos and near names sit at the edges the vectorised levels skip work by (two letters
    of length apart, two edits apart, long names allowed two): names one to three edits
    from each other, short and long."""
    check([(name, _edited(name, edits)) for name, edits in cases]
          + [("montgomery", "montgomeryes"), ("christopher", "christohper"), ("harrington", "haringtonn")])
