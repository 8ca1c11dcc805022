"""Matching, blocking: which pairs of records are compared at all (never all pairs).

``blocking_keys``: surname + first initial (one key per nickname variant), Soundex of the
surname + initial, the sorted name words, and the first name + the surname's first two
letters. ``candidate_pairs`` pairs the records sharing a key, within blocks bounded by
MAX_BLOCK and MAX_SUB_BLOCK, over distinct names, and drops pairs of names that could never
be linked or reviewed (their comparison levels: ``transforms.match_levels``); then adds the
pairs no key of the straight name meets: a name split differently, written in the other
order, crossed with a slip, or spelt by an address or profile.

Before it: ``transforms.match_features``. After it: ``transforms.match_comparisons`` scores
the pairs. flows/people.py keys stored records with ``blocking_keys`` and
``name_order_keys`` to find a new record's partners in an incremental run.
"""

from __future__ import annotations

import polars as pl

from transforms.normalize import soundex, soundex_expr
from transforms.match_weights import (
    PRIOR, REVIEW_THRESHOLD, TF_CLIP, W_FIRST_EXACT, W_LAST_DIFF, W_LOCAL_SAME, W_ORG_SAME, W_TITLE_MAX,
)
from transforms.match_features import _whole_name_hashes, _whole_names
from transforms.match_levels import _code_pair, _leveled, name_levels


# ------------------------------------------------------------------ blocking

MIN_HANDLE = 5           # an address user name shorter than this is not used to find candidates
MAX_BLOCK = 60           # a blocking key shared by more records is split by full first name variant
MAX_SUB_BLOCK = 200      # ... and a sub-block still larger is skipped (counted, not compared)


def blocking_keys(feat: pl.DataFrame) -> pl.DataFrame:
    """(record_id, key) rows: surname + first initial (one per nickname variant's initial),
    Soundex of the surname + first initial (spelling variants), and the sorted name words
    (names in swapped order)."""
    named = feat.filter(pl.col("ln").is_not_null() & pl.col("fn").is_not_null())
    sx = named.select(pl.col("ln").unique())
    sx = sx.with_columns(soundex_expr(pl.col("ln")).alias("sx"))
    if sx["sx"].null_count():  # (a surname not in ASCII: Python's soundex says what it makes of it)
        other = sx.filter(pl.col("sx").is_null() & pl.col("ln").is_not_null())
        sx = pl.concat([sx.filter(pl.col("sx").is_not_null()),
                        other.with_columns(pl.col("ln").map_elements(soundex, return_dtype=pl.String).alias("sx"))])
    named = named.join(sx, on="ln", how="left")
    initials = (named.select("record_id", "ln", "sx", pl.concat_list([pl.col("fn"), pl.col("fvars")]).alias("v"))
                .explode("v").with_columns(pl.col("v").str.head(1).alias("i")))
    k1 = initials.select("record_id", pl.concat_str([pl.lit("n:"), pl.col("ln"), pl.lit("|"), pl.col("i")]).alias("key"))
    # (Al-Sayed ~ alsayed, Tequeira ~ Tequeira Malhão, Smith ~ Michael Smith)
    alts = (named.select("record_id", pl.col("lalts").alias("la"), pl.col("fn").str.head(1).alias("i"))
            .explode("la").drop_nulls("la"))
    k1 = pl.concat([k1, alts.select("record_id", pl.concat_str([pl.lit("n:"), pl.col("la"), pl.lit("|"), pl.col("i")])
                                     .alias("key"))])
    k2 = named.select("record_id", pl.concat_str([pl.lit("p:"), pl.col("sx"), pl.lit("|"), pl.col("fn").str.head(1)])
                      .alias("key"))
    lo = pl.min_horizontal(pl.col("fn").str.replace_all(" ", ""), pl.col("ln"))
    hi = pl.max_horizontal(pl.col("fn").str.replace_all(" ", ""), pl.col("ln"))
    k3 = named.select("record_id", pl.concat_str([pl.lit("t:"), lo, pl.lit(" "), hi]).alias("key"))
    # the whole first name + the surname's first two letters: a surname typo that changes
    # its Soundex (Johrson ~ Johnson, Dunlrnd ~ Dunland)
    k4 = named.filter(pl.col("ln").str.len_chars() >= 2).select(
        "record_id", pl.concat_str([pl.lit("q:"), pl.col("fn").str.replace_all(" ", ""), pl.lit("|"),
                                    pl.col("ln").str.head(2)]).alias("key"))
    return pl.concat([k1, k2, k3, k4]).unique()


def candidate_pairs(feat: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """Distinct (a, b) record pairs with a < b sharing a blocking key, never all pairs:
    a key shared by more than MAX_BLOCK records is split by nickname-variant first name,
    and sub-blocks over MAX_SUB_BLOCK are skipped. Returns the pairs and the number of
    records in skipped blocks.

    Blocking runs over distinct *names* (first name, surname, variants), each standing for
    all its records: pairs of names are formed within blocks, those that could never be
    linked or reviewed (a different surname, a clearly different first name: see
    ``_blocking_level``) are dropped, and only then are names expanded to their records."""
    named = feat.select("record_id", "fn", "ln", pl.col("fvars").list.join("|").alias("fv"),
                        pl.col("lalts").list.join("|").alias("la"))
    ents = (named.select("fn", "ln", "fv", "la").unique().sort("fn", "ln", "fv", "la", nulls_last=True)
            .with_row_index("e"))
    rec_e = named.join(ents, on=["fn", "ln", "fv", "la"], how="left", nulls_equal=True).select("record_id", "e")
    counts = rec_e.group_by("e").len()
    split = lambda c: (pl.when(pl.col(c) != "").then(pl.col(c).str.split("|"))  # noqa: E731
                       .otherwise(pl.lit([], pl.List(pl.String))))
    ent_feat = ents.select(pl.col("e").cast(pl.Int64).alias("record_id"), "fn", "ln", split("fv").alias("fvars"),
                           split("la").alias("lalts"))
    # (keys as 64-bit hashes from here on: millions of key strings held most of this
    # function's memory)
    keys = (blocking_keys(ent_feat).select(pl.col("record_id").cast(pl.UInt32).alias("e"),
                                           pl.col("key").hash().alias("key"))
            .join(counts, on="e"))
    sizes = keys.group_by("key").agg(pl.col("len").sum().alias("size"))
    keys = keys.join(sizes, on="key")
    small = keys.filter((pl.col("size") > 1) & (pl.col("size") <= MAX_BLOCK)).select("key", "e")
    big = keys.filter(pl.col("size") > MAX_BLOCK).select("key", "e")
    skipped = 0
    if big.height:
        variants = ent_feat.select(pl.col("record_id").cast(pl.UInt32).alias("e"),
                                   pl.concat_list([pl.col("fn"), pl.col("fvars")]).list.unique().alias("v"))
        sub = (big.join(variants, on="e").explode("v").drop_nulls("v")
               .select(pl.concat_str([pl.col("key").cast(pl.String), pl.lit("|"), pl.col("v")]).hash().alias("key"), "e")
               .unique()
               .join(counts, on="e"))
        sub = sub.join(sub.group_by("key").agg(pl.col("len").sum().alias("size")), on="key")
        skipped = sub.filter(pl.col("size") > MAX_SUB_BLOCK).select("e", "len").unique()["len"].sum()
        small = pl.concat([small, sub.filter((pl.col("size") > 1) & (pl.col("size") <= MAX_SUB_BLOCK))
                           .select("key", "e")])
    small = small.select(pl.col("key").alias("h"), "e")
    ep = (small.join(small, on="h", suffix="_b").filter(pl.col("e") <= pl.col("e_b"))
          .select((pl.col("e").cast(pl.UInt64) * (1 << 32) + pl.col("e_b")).alias("ee")).unique()
          .select((pl.col("ee") // (1 << 32)).cast(pl.UInt32).alias("e"), (pl.col("ee") % (1 << 32)).cast(pl.UInt32)
                  .alias("e_b")))
    # names that could match: levels once per distinct pair of first names and of surnames,
    # names as integer codes (one code space, so a swapped name is two equal codes)
    fk = pl.col("fn").str.replace_all(" ", "", literal=True)
    words = (pl.concat([ents.select(pl.col("fn").alias("w")), ents.select(fk.alias("w")),
                        ents.select(pl.col("ln").alias("w"))])
             .drop_nulls().unique().with_row_index("code"))
    en = (ents.select("e", "fn", "ln", fk.alias("fk")).join(words.rename({"w": "fn", "code": "fc"}), on="fn", how="left")
          .join(words.rename({"w": "fk", "code": "fkc"}), on="fk", how="left")
          .join(words.rename({"w": "ln", "code": "lc"}), on="ln", how="left").select("e", "fc", "fkc", "lc"))
    ep = ep.join(en, on="e").join(en, left_on="e_b", right_on="e", suffix="_b")

    def with_level(ep: pl.DataFrame, x: str, y: str, kind: str, name: str) -> pl.DataFrame:
        """ep with the comparison level of codes x and y as ``name``: computed once per
        distinct pair of different names (equal names are the top level; most pairs in a
        block share the surname), joined back on one 64-bit key of the two codes."""
        uniq = (ep.filter(pl.col(x) != pl.col(y)).select(x, y).unique()
                .join(words.rename({"w": "xs", "code": x}), on=x).join(words.rename({"w": "ys", "code": y}), on=y))
        table = uniq.select(_code_pair(x, y), name_levels(uniq["xs"], uniq["ys"], kind).alias(name))
        return _leveled(ep, x, y, table, name, 3 if kind != "last" else 2)

    # A different surname (W_LAST_DIFF) cannot reach REVIEW_THRESHOLD whatever else agrees
    # (a surname changed on marriage, same job and all, is the user's merge); a first name
    # that is clearly different (the union guard's word) is not worth a review. First
    # names are compared first, and surnames only for the pairs that are left.
    assert PRIOR + W_FIRST_EXACT + TF_CLIP + W_LAST_DIFF + W_ORG_SAME + W_LOCAL_SAME + W_TITLE_MAX < REVIEW_THRESHOLD
    swapped = ((pl.col("fkc") == pl.col("lc_b")) & (pl.col("lc") == pl.col("fkc_b"))).fill_null(False)
    ep = ep.with_columns(swapped.alias("sw")).drop("fkc", "fkc_b")
    ep = with_level(ep, "fc", "fc_b", "blocking", "fl").filter(pl.col("sw") | (pl.col("fl") != -3))
    ep = with_level(ep, "lc", "lc_b", "last", "ll").filter(pl.col("sw") | (pl.col("ll") != -1)).select("e", "e_b")
    pairs = (ep.join(rec_e, on="e").join(rec_e, left_on="e_b", right_on="e", suffix="_b")
             # one name's own records would come out both ways round: once is enough
             .filter((pl.col("e") != pl.col("e_b")) | (pl.col("record_id") < pl.col("record_id_b")))
             .select(pl.min_horizontal("record_id", "record_id_b").alias("a"),
                     pl.max_horizontal("record_id", "record_id_b").alias("b")))
    extra = [x for x in (handle_pairs(feat), split_name_pairs(feat), reversed_name_pairs(feat),
                         crossed_name_pairs(feat)) if x.height]
    if extra:
        pairs = _unique_pairs(pl.concat([pairs, *extra]))
    return pairs, int(skipped)


def _unique_pairs(pairs: pl.DataFrame) -> pl.DataFrame:
    """Each (a, b) once. Record ids below 2**32 (all but absurd databases) travel as one
    64-bit key, which takes a fraction of the memory of two columns' unique."""
    if pairs.height == 0 or (pairs.select(pl.max_horizontal(pl.col("a").max(), pl.col("b").max())).item() >= 1 << 32
                             or pairs.select(pl.min_horizontal(pl.col("a").min(), pl.col("b").min())).item() < 0):
        return pairs.unique()
    ab = pairs.select((pl.col("a").cast(pl.UInt64) * (1 << 32) + pl.col("b").cast(pl.UInt64)).alias("ab")).unique()
    return ab.select((pl.col("ab") // (1 << 32)).cast(pl.Int64).alias("a"),
                     (pl.col("ab") % (1 << 32)).cast(pl.Int64).alias("b"))


def split_name_pairs(feat: pl.DataFrame) -> pl.DataFrame:
    """(a, b) pairs of a record whose first-name field has two words and a record with the
    same letters in its whole name: one name split differently (see ``letters``)."""
    split = feat.filter(pl.col("split_first") & pl.col("letters").is_not_null()).select("record_id", "letters")
    if split.height == 0:
        return pl.DataFrame(schema={"a": pl.Int64, "b": pl.Int64})
    same = feat.select("record_id", "letters").join(split.select("letters").unique(), on="letters", how="semi")
    same = same.join(same.group_by("letters").len().filter(pl.col("len") <= MAX_BLOCK).select("letters"),
                     on="letters", how="semi")
    pairs = split.join(same, on="letters", suffix="_b").filter(pl.col("record_id") != pl.col("record_id_b"))
    return _unique_pairs(pairs.select(pl.min_horizontal("record_id", "record_id_b").alias("a"),
                                      pl.max_horizontal("record_id", "record_id_b").alias("b")))


def reversed_name_pairs(feat: pl.DataFrame) -> pl.DataFrame:
    """(a, b) pairs whose whole names are one written in the other order, however each was
    cut into first name and surname (see ``_whole_name_hashes``), which the sorted-words key
    misses when the cut differs ("Palhão Sarães" + "Nikhil" ~ "Nikhil" + "Palhão Sarães")."""
    h = feat.select("record_id", "wset", *_whole_name_hashes()).drop_nulls(["st", "wset"])
    if h.height == 0:
        return pl.DataFrame(schema={"a": pl.Int64, "b": pl.Int64})
    straight = h.select("record_id", "wset", pl.col("st").alias("v"))
    back = (h.unpivot(index=["record_id", "wset"], on=["r0", "r1", "r2"], value_name="v").drop_nulls("v")
            .select("record_id", "wset", "v").unique().join(straight.select("v").unique(), on="v", how="semi"))
    back = back.join(back.group_by("v").len().filter(pl.col("len") <= MAX_BLOCK).select("v"), on="v", how="semi")
    pairs = (straight.join(back, on=["v", "wset"], suffix="_b")
             .filter(pl.col("record_id") != pl.col("record_id_b")))
    return _unique_pairs(pairs.select(pl.min_horizontal("record_id", "record_id_b").alias("a"),
                                      pl.max_horizontal("record_id", "record_id_b").alias("b")))


def name_order_keys(feat: pl.DataFrame) -> pl.DataFrame:
    """(record_id, kind, key): what ``reversed_name_pairs``, ``crossed_name_pairs`` and
    ``split_name_pairs`` pair records by, for finding a new record's partners among stored
    ones. A 'whole' key meets a 'backwards' one, 'surname_initial' meets 'crossed', and
    'letters' meets 'letters'."""
    named = (feat.select("record_id", "fn", "ln", "lalts")
             .filter(pl.col("fn").is_not_null() & pl.col("ln").is_not_null()))
    h = named.select("record_id", *_whole_names())  # (strings: these keys are stored)
    as_key = lambda c: pl.col(c).alias("key")  # noqa: E731
    straight, crossed = _crossing_keys()
    parts = [h.select("record_id", pl.lit("whole").alias("kind"), as_key("st"))]
    parts += [h.select("record_id", pl.lit("backwards").alias("kind"), as_key(c)) for c in ("r0", "r1", "r2")]
    parts += [named.select("record_id", pl.lit("surname_initial").alias("kind"), straight.alias("key")),
              named.select("record_id", pl.lit("crossed").alias("kind"), crossed.alias("key")),
              feat.select("record_id", pl.lit("letters").alias("kind"), pl.col("letters").alias("key"))]
    return pl.concat(parts).drop_nulls("key")


def _crossing_keys() -> tuple[pl.Expr, pl.Expr]:
    """(surname + first initial, first name + surname initial): one record's first meets
    another's second when that one is the same name in the other order (see crossed_name_pairs)."""
    fk = pl.col("fn").str.replace_all(" ", "", literal=True)
    return (pl.concat_str([pl.col("ln"), pl.lit("|"), fk.str.head(1)]),
            pl.concat_str([fk, pl.lit("|"), pl.col("ln").str.head(1)]))


def crossed_name_pairs(feat: pl.DataFrame) -> pl.DataFrame:
    """(a, b) pairs where a's surname is b's first name and b's surname starts with a's
    first initial: a name in the other order with a slip in one part ("Careda Wolfgang" ~
    "Wolfgang Careeda"), which no key of the straight name meets. Keys shared by more than
    MAX_BLOCK records find nobody."""
    named = feat.select("record_id", "fn", "ln").filter(pl.col("fn").is_not_null() & pl.col("ln").is_not_null())
    if named.height == 0:
        return pl.DataFrame(schema={"a": pl.Int64, "b": pl.Int64})
    straight_key, crossed_key = _crossing_keys()
    straight = named.select("record_id", straight_key.hash().alias("v"))
    crossed = named.select("record_id", crossed_key.hash().alias("v"))
    crossed = crossed.join(straight.select("v").unique(), on="v", how="semi")
    sizes = pl.concat([straight.join(crossed.select("v").unique(), on="v", how="semi"), crossed]).group_by("v").len()
    keep = sizes.filter(pl.col("len") <= MAX_BLOCK).select("v")
    pairs = (straight.join(keep, on="v", how="semi").join(crossed.join(keep, on="v", how="semi"), on="v", suffix="_b")
             .filter(pl.col("record_id") != pl.col("record_id_b")))
    return _unique_pairs(pairs.select(pl.min_horizontal("record_id", "record_id_b").alias("a"),
                                      pl.max_horizontal("record_id", "record_id_b").alias("b")))


def handle_pairs(feat: pl.DataFrame) -> pl.DataFrame:
    """(a, b) pairs of a record and another whose name its address's user name or LinkedIn
    slug spells: a record with no name (an address only) meets the names its user name
    spells whole or shortened (``handle_keys``: harutosakagawa, hsakagawa, harutos, ...); a
    named record meets the names its handles spell whole (``full_patterns``), which finds
    a misspelt name beside its own profile (Ivan Kassky, linkedin.com/in/ivan-krassky ~ Ivan
    Krassky). A user name spelling more than MAX_BLOCK names finds nobody."""
    # (values as 64-bit hashes: they are only ever compared, and millions of name forms are)
    handles = (feat.select("record_id", (pl.col("fn").is_null() & pl.col("ln").is_null()).alias("nameless"),
                           pl.col("handles").alias("v"))
               .explode("v").drop_nulls("v").filter(pl.col("v").str.len_chars() >= MIN_HANDLE)
               .with_columns(pl.col("v").hash()).unique())
    if handles.height == 0:
        return pl.DataFrame(schema={"a": pl.Int64, "b": pl.Int64})
    parts = []
    for nameless, spelled_by in ((True, "handle_keys"), (False, "full_patterns")):
        mine = handles.filter(pl.col("nameless") == nameless).select("record_id", "v")
        named = (feat.select("record_id", pl.col(spelled_by).alias("v")).explode("v").drop_nulls("v")
                 .with_columns(pl.col("v").hash()).join(mine.select("v").unique(), on="v", how="semi").unique())
        named = named.join(named.group_by("v").len().filter(pl.col("len") <= MAX_BLOCK).select("v"), on="v",
                           how="semi")
        parts.append(mine.join(named, on="v", suffix="_b").filter(pl.col("record_id") != pl.col("record_id_b")))
    pairs = pl.concat(parts)
    return _unique_pairs(pairs.select(pl.min_horizontal("record_id", "record_id_b").alias("a"),
                                      pl.max_horizontal("record_id", "record_id_b").alias("b")))
