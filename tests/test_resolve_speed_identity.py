"""The short cuts of transforms/resolve.py's clustering give what the plain ways gave:
roots found by look-ups without calling find, groups of records joined by shared keys,
names shared per distinct name, and the rules' records found without a set of all."""

import random

import polars as pl
from hypothesis import given, settings, strategies as st

from transforms.resolve import _UnionFind, _edge_groups, _named_by_rules, _record_names
from transforms.rules import Rules


def _plain_groups(edges):
    """record -> (smallest record of its group, smallest kind of key on its edges), the slow way."""
    group = {}
    for a, b, _ in edges:
        ga, gb = group.setdefault(a, {a}), group.setdefault(b, {b})
        if ga is not gb:
            ga |= gb
            for r in gb:
                group[r] = ga
    kind = {}
    for a, b, k in edges:
        for r in (a, b):
            kind[r] = min(kind.get(r, k), k)
    return {r: (min(g), kind[r]) for r, g in group.items()}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40), st.integers(0, 2)), min_size=1, max_size=80))
def test_edge_groups_are_the_connected_records(edges):
    got = _edge_groups(edges)
    assert {r: (g, k) for r, g, k in got.select("record_id", "g", "k").iter_rows()} == _plain_groups(edges)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=120), st.randoms(use_true_random=False))
def test_roots_of_is_find(unions, rnd):
    uf, plain = _UnionFind(), _UnionFind()
    for a, b in unions:
        uf.union(a, b, check_names=False)
        plain.union(a, b, check_names=False)
    ids = list(range(61))
    rnd.shuffle(ids)
    assert uf.roots_of(ids) == [plain.find(x) for x in ids]


def test_record_names_share_one_tuple_per_name():
    rnd = random.Random(7)
    firsts, lasts = ["Ann", "Bo", None, "Ann Marie"], ["Lee", None, "Park", "lee"]
    feat = pl.DataFrame({"record_id": list(range(500)),
                         "fn": [rnd.choice(firsts) for _ in range(500)],
                         "ln": [rnd.choice(lasts) for _ in range(500)]})
    names = _record_names(feat)
    plain = {r: (f, n) for r, f, n in feat.iter_rows() if f is not None or n is not None}
    assert names == plain
    assert list(names) == list(plain)
    assert len({id(t) for t in names.values()}) == len(set(plain.values()))


def test_named_by_rules_are_the_rules_records_present():
    rules = Rules(same=[(1, 2), (3, 99)], different=[(4, 5), (100, 101)])
    assert _named_by_rules(rules, pl.Series("record_id", [1, 2, 3, 4, 5, 6], dtype=pl.Int64)) == {1, 2, 3, 4, 5}
    assert _named_by_rules(Rules(), pl.Series("record_id", [1, 2], dtype=pl.Int64)) == set()
