"""Matching, comparison levels of names for whole columns at once (vectorised): exact,
nickname, typo, initial, near, different, as ``transforms.match_names`` defines them one
pair at a time.

Used by blocking (``transforms.match_blocking``: pairs of names that could never match are
not compared) and by comparisons (``transforms.match_comparisons``: the level each pair's
first names and surnames are weighed at). Names travel as integer codes; ``_leveled`` joins
the levels of distinct code pairs back onto the pairs.
"""

from __future__ import annotations

import polars as pl
from rapidfuzz.distance import OSA, JaroWinkler

from transforms.nicknames import variants_of_key
from transforms.match_weights import CLEARLY_DIFFERENT, FUZZY_NAME, MIN_TYPO_LEN
from transforms.match_names import first_names_compatible


# ------------------------------------------------------------------ levels, vectorised
#
# The same comparison levels as first_names_compatible / surnames_compatible /
# _blocking_level (the reference, and what the union guard calls one pair at a time), for
# a whole column of distinct name pairs at once: string similarities in rapidfuzz's native
# batch (process.cpdist), nicknames by joining each name's variants. At a million records
# there are millions of distinct name pairs; a Python call each was most of the time.

def _similarities(xs: pl.Series, ys: pl.Series) -> tuple[pl.Series, pl.Series]:
    import numpy as np  # (rapidfuzz's batch API needs numpy; imported here so the CLI starts fast)
    from rapidfuzz import process

    a, b = xs.to_list(), ys.to_list()
    # float64, as the one-pair functions compute: thresholds sit exactly on some values (jon ~ jan: 0.8)
    jw = process.cpdist(a, b, scorer=JaroWinkler.normalized_similarity, workers=-1, dtype=np.float64)
    osa = process.cpdist(a, b, scorer=OSA.distance, workers=-1)
    return pl.Series("jw", jw, dtype=pl.Float64), pl.Series("osa", osa, dtype=pl.Int64)


def _typo_similarities(ok: pl.DataFrame, jw_for_all: bool) -> pl.DataFrame:
    """``ok`` (_i, x, y) with jw and osa where a typo or a near name is possible, null
    elsewhere: only names within two letters of each other's length, both at least
    MIN_TYPO_LEN long, can be at most two edits apart (an edit distance is at least the
    difference in length), and Jaro-Winkler is computed only for those two edits apart at
    most; ``jw_for_all``: Jaro-Winkler for every row (the blocking level needs it for all).
    Most pairs of different names in a block are neither, and each similarity costs a
    Python string per name."""
    import numpy as np  # (as in _similarities)
    from rapidfuzz import process

    lx, ly = pl.col("x").str.len_chars().cast(pl.Int64), pl.col("y").str.len_chars().cast(pl.Int64)
    close = ok.filter(((lx - ly).abs() <= 2) & (pl.min_horizontal(lx, ly) >= MIN_TYPO_LEN))
    # (an edit distance above 2 comes back as 3: only <= 2 and == 1 are ever asked)
    osa = process.cpdist(close["x"].to_list(), close["y"].to_list(), scorer=OSA.distance, score_cutoff=2, workers=-1)
    close = close.select("_i", pl.Series("osa", osa, dtype=pl.Int64))
    ok = ok.join(close, on="_i", how="left", maintain_order="left")
    need = ok if jw_for_all else ok.filter(pl.col("osa") <= 2)
    jw = process.cpdist(need["x"].to_list(), need["y"].to_list(), scorer=JaroWinkler.normalized_similarity,
                        workers=-1, dtype=np.float64)
    return ok.join(need.select("_i", pl.Series("jw", jw, dtype=pl.Float64)), on="_i", how="left",
                   maintain_order="left")


def _variants_table(names: pl.Series) -> pl.DataFrame:
    """(name, variant): each distinct name's nickname variants (itself and fuller forms)."""
    uniq = names.unique().drop_nulls().to_list()
    rows = [(n, v) for n in uniq for v in variants_of_key(n)]
    return pl.DataFrame(rows, schema={"name": pl.String, "variant": pl.String}, orient="row")


def _variants_meet(frame: pl.DataFrame, x: str, y: str) -> pl.Series:
    """The row indexes ``_i`` of ``frame`` whose names in columns x and y share a nickname
    variant."""
    vt = _variants_table(pl.concat([frame[x], frame[y]]))
    hit = (frame.select("_i", x, y).join(vt, left_on=x, right_on="name")
           .join(vt, left_on=[y, "variant"], right_on=["name", "variant"], how="semi").select("_i").unique())
    return hit["_i"]


def name_levels(xs: pl.Series, ys: pl.Series, kind: str) -> pl.Series:
    """Comparison levels (Int8) of aligned columns of folded names, as the Python functions
    give them: ``kind`` 'first' (first_names_compatible), 'blocking' (_blocking_level) or
    'last' (surnames_compatible). Nulls give -2."""
    f = pl.DataFrame({"x": xs, "y": ys}, schema={"x": pl.String, "y": pl.String}).with_row_index("_i")
    ok = f.filter(pl.col("x").is_not_null() & (pl.col("x") != "") & pl.col("y").is_not_null() & (pl.col("y") != ""))
    ok = _typo_similarities(ok, jw_for_all=kind == "blocking")
    x, y = pl.col("x"), pl.col("y")
    shortest = pl.min_horizontal(x.str.len_chars(), y.str.len_chars())
    typo = ((shortest >= MIN_TYPO_LEN) & (pl.col("jw") >= FUZZY_NAME)
            & (pl.col("osa") <= pl.when(shortest < 9).then(1).otherwise(2))).fill_null(False)
    if kind == "last":
        part = ((x.str.len_chars() >= 3) & (y.str.len_chars() >= 3)
                & (x.str.starts_with(y) | y.str.starts_with(x) | x.str.ends_with(y) | y.str.ends_with(x)))
        near = ((shortest >= MIN_TYPO_LEN) & (pl.col("osa") == 1) & (pl.col("jw") >= CLEARLY_DIFFERENT)).fill_null(False)
        level = pl.when(x == y).then(2).when(typo | part).then(1).when(near).then(0).otherwise(-1)
    else:
        wx, wy = x.str.split(" ").list.first(), y.str.split(" ").list.first()
        initial = (x.str.len_chars() == 1) | (y.str.len_chars() == 1)
        multi = (pl.col("wx") != x) | (pl.col("wy") != y)
        ok = ok.with_columns(wx.alias("wx"), wy.alias("wy"))
        # nicknames are looked up only where the level is still open (not equal, no initial)
        open_ = ok.filter((x != y) & ~initial)
        meet = _variants_meet(open_, "x", "y")
        meet_words = _variants_meet(open_.filter(multi), "wx", "wy")
        ok = ok.with_columns(pl.col("_i").is_in(meet.implode()).alias("meet"),
                             pl.col("_i").is_in(meet_words.implode()).alias("meet_w"))
        rest_x, rest_y = x.str.splitn(" ", 2).struct.field("field_1"), y.str.splitn(" ", 2).struct.field("field_1")
        rest_clash = (x.str.contains(" ", literal=True) & y.str.contains(" ", literal=True) & (rest_x != rest_y)
                      & (rest_x.str.head(1) != rest_y.str.head(1))).fill_null(False)
        nick = pl.col("meet") | (multi & ~rest_clash & ((pl.col("wx") == pl.col("wy")) | pl.col("meet_w")))
        level = (pl.when(x == y).then(3)
                 .when(initial).then(pl.when(x.str.head(1) == y.str.head(1)).then(0).otherwise(-1))
                 .when(nick).then(2).when(typo).then(1).otherwise(-1))
        if kind == "blocking":
            level = pl.when((level == -1) & (pl.col("jw") < CLEARLY_DIFFERENT)).then(-3).otherwise(level)
    ok = ok.select("_i", level.cast(pl.Int8).alias("level"))
    return f.join(ok, on="_i", how="left").sort("_i")["level"].fill_null(-2).rename("level")


def _blocking_level(a: str, b: str) -> int:
    """``first_names_compatible``, or -3 for first names so unlike (below CLEARLY_DIFFERENT:
    what the union guard calls clearly different) that the pair is not worth comparing."""
    level = first_names_compatible(a, b)
    if level == -1 and JaroWinkler.normalized_similarity(a, b) < CLEARLY_DIFFERENT:
        return -3
    return level


def _code_pair(x: str, y: str) -> pl.Expr:
    """Two 32-bit name codes as one 64-bit join key (``_k``): one column joins faster than two."""
    return (pl.col(x).cast(pl.UInt64) * (1 << 32) + pl.col(y).cast(pl.UInt64)).alias("_k")


def _leveled(p: pl.DataFrame, x: str, y: str, table: pl.DataFrame, name: str, top: int) -> pl.DataFrame:
    """p with the comparison level ``name`` of its name codes x and y: from ``table`` (``_k``,
    levels of different names), ``top`` for equal names, -2 where either is missing."""
    return (p.with_columns(_code_pair(x, y)).join(table, on="_k", how="left").drop("_k")
            .with_columns(pl.when(pl.col(x).is_null() | pl.col(y).is_null()).then(pl.lit(-2, pl.Int8))
                          .when(pl.col(x) == pl.col(y)).then(pl.lit(top, pl.Int8)).otherwise(pl.col(name))
                          .alias(name)))
