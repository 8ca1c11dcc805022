"""Matching, comparisons and scoring: each candidate pair's fields compared at named
levels, their match weights summed with the prior, and the reason in plain English
(``score_pairs``).

First names, surnames (term-frequency adjusted, and in the other order), company and job
title first: they drop the pairs that cannot reach the floor whatever else agrees. Then
addresses, phones, what an address or profile spells, and shared files for the rest.

Before it: ``transforms.match_blocking`` (the pairs), ``transforms.match_features`` (the
records), ``transforms.match_levels`` (name levels), ``transforms.match_measured`` (weights
measured on the data) and ``transforms.match_weights`` (the hand-set ones). After it:
clustering, in ``transforms.resolve``: pairs at or above LINK_THRESHOLD are linked (with its
guards), those at or above REVIEW_THRESHOLD kept for the user's review.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from transforms.match_weights import (
    CLEARLY_DIFFERENT, CROWD_CLIP, CROWD_GROUPS, PRIOR, STORE_FLOOR, TYPO_COMMON_CLIP, W_EMAIL_DIFF, W_FIRST_DIFF,
    W_FIRST_EXACT, W_FIRST_INITIAL, W_FIRST_NEAR, W_FIRST_NICK, W_FIRST_SPELT, W_FIRST_TYPO, W_HANDLE_FULL,
    W_HANDLE_NAME, W_HANDLE_SHORT, W_LAST_DIFF, W_LAST_EXACT, W_LAST_NEAR, W_LAST_TYPO, W_LOCAL_SAME, W_ORG_DIFF,
    W_ORG_SAME, W_PERSONAL_MAIL_DIFF, W_PHONE_DIFF, W_SWAPPED, W_WORK_MAIL_CLASH,
)
from transforms.match_features import _whole_name_hashes
from transforms.match_levels import _code_pair, _leveled, _similarities, name_levels
from transforms.match_measured import NameCounts, TitleWeights, _tf, name_counts, title_weights


# ------------------------------------------------------------------ comparisons


def _exploded(frame: pl.DataFrame, col: str, hashed: bool = False) -> pl.DataFrame:
    """(record_id, v): one row per record and value of the list column ``col`` (a value a
    list repeats comes out twice: every use below only asks *whether* values meet, which
    repeats do not change, and a global unique costs more than all the joins);
    ``hashed``: v as a 64-bit hash of the value (compared for equality only: smaller and
    faster to join than the strings)."""
    out = (frame.select("record_id", pl.col(col).alias("v")).explode("v", keep_nulls=False, empty_as_null=False)
           .drop_nulls("v"))
    if hashed:
        out = out.with_columns(pl.col("v").hash())
    return out


EXPLODE_CHUNK = 250_000  # records whose name forms are exploded at a time (see _exploded_among)


def _exploded_among(frame: pl.DataFrame, col: str, among: pl.Series) -> pl.DataFrame:
    """``_exploded(frame, col, hashed=True)``, only the values whose hash is in ``among``,
    exploded a slice of records at a time: the name forms are a dozen a record, and few of
    them are anything an address spells."""
    keep = among.implode()
    return pl.concat([_exploded(frame.slice(i, EXPLODE_CHUNK).select("record_id", col), col, hashed=True)
                      .filter(pl.col("v").is_in(keep)) for i in range(0, max(frame.height, 1), EXPLODE_CHUNK)])


def _meeting(pairs: pl.DataFrame, xs: pl.DataFrame, ys: pl.DataFrame, key: str = "i", on: str = "v") -> pl.DataFrame:
    """(key, v): the values of a's ``xs`` (record_id, v) that are also among b's ``ys``, for
    each pair (key, a, b), compared on column ``on`` (``h``: the values' hashes, where v is
    a string to show). Inner joins, not a semi join: polars builds a semi join's hash
    table on the right, here millions of rows; an inner join builds on the smaller side."""
    return (pairs.join(xs, left_on="a", right_on="record_id")
            .join(ys.select("record_id", on), left_on=["b", on], right_on=["record_id", on])
            .select(key, "v"))


@dataclass(frozen=True)
class _NameTable:
    words: pl.DataFrame   # code, w: every first name (as written and without spaces) and surname
    names: pl.DataFrame   # per record: name codes, frequencies and crowding (see _name_table)


def _name_table(feat: pl.DataFrame, counts: NameCounts | None = None) -> _NameTable:
    """What _name_weights needs of every record, computed once for all chunks of pairs
    (name frequencies from ``counts``, by default counted on ``feat``)."""
    counts = counts or name_counts(feat)
    fk = pl.col("fn").str.replace_all(" ", "", literal=True)  # (surnames have no spaces: Sang-min ~ sangmin)
    words = (pl.concat([feat.select(pl.col("fn").alias("w")), feat.select(fk.alias("w")),
                        feat.select(pl.col("ln").alias("w"))])
             .drop_nulls().unique().sort("w").with_row_index("code"))
    tf_first, tf_last = _tf(feat, "fn", counts.first), _tf(feat, "ln", counts.last)
    n_last = counts.last.rename({"n": "n_ln"})
    crowd_col = pl.col("name_groups") if "name_groups" in feat.columns else pl.lit(None, pl.UInt32).alias("name_groups")
    few_col = pl.col("w_few") if "w_few" in feat.columns else pl.lit(0.0).alias("w_few")
    # a record with an address or profile that does not spell its own name
    stray = (pl.col("handles").list.len() > 0) & ~pl.col("own_handle") if "own_handle" in feat.columns else pl.lit(False)
    names = (feat.select("record_id", "fn", "ln", fk.alias("fk"), "letters", "split_first", crowd_col, few_col,
                         stray.alias("stray"), "wset", *_whole_name_hashes())
             .join(words.rename({"w": "fn", "code": "fc"}), on="fn", how="left")
             .join(words.rename({"w": "fk", "code": "fkc"}), on="fk", how="left")
             .join(words.rename({"w": "ln", "code": "lc"}), on="ln", how="left")
             .join(tf_first, on="fn", how="left").join(tf_last, on="ln", how="left")
             .join(n_last, on="ln", how="left")
             .select("record_id", "fc", "fkc", "lc", "tf_fn", "tf_ln", "n_ln", "name_groups", "w_few",
                     pl.col("letters").hash().alias("wh"), pl.col("split_first").alias("multi"), "stray",
                     "st", "r0", "r1", "r2", "wset"))
    return _NameTable(words, names)


def _reversed_whole_name() -> pl.Expr:
    """Whether a pair's two whole names are one written in the other order (see
    _whole_name_hashes): the swapped-name level, when the two parts do not simply trade places."""
    st, st_b = pl.col("st"), pl.col("st_b")
    hit = pl.any_horizontal([st == pl.col(f"r{i}_b") for i in range(3)] + [st_b == pl.col(f"r{i}") for i in range(3)])
    # the same words, too: letters alone would read Yiguo Yang as Yangyi Guo backwards
    return (hit & (st != st_b) & (pl.col("wset") == pl.col("wset_b"))).fill_null(False)


def _name_weights(pairs: pl.DataFrame, table: _NameTable) -> pl.DataFrame:
    """pairs (a, b) with fl, ll, swapped and name_w: the prior plus the first-name and
    surname weights. Names travel as integer codes (one code space for first names and
    surnames, so a swapped name is two equal codes); the comparison levels are computed
    once per distinct pair of names, in Python, and the strings joined back last."""
    words, names = table.words, table.names
    p = (pairs.join(names, left_on="a", right_on="record_id")
         .join(names.select("record_id", "fc", "fkc", "lc", "wh", "multi", "n_ln", "stray", "st", "r0", "r1", "r2",
                            "wset"),
               left_on="b", right_on="record_id", suffix="_b"))

    def levels(x: str, y: str, kind: str, name: str) -> pl.DataFrame:
        """Levels of the distinct pairs of *different* names (equal ones are the top level,
        set below), keyed by the two codes in one 64-bit key."""
        uniq = (p.filter(pl.col(x) != pl.col(y)).select(x, y).unique()
                .join(words.rename({"w": "xs", "code": x}), on=x).join(words.rename({"w": "ys", "code": y}), on=y))
        xs, ys = pl.col("xs"), pl.col("ys")
        # (a surname containing the other is a double surname, not a typo)
        within = xs.str.contains(ys, literal=True) | ys.str.contains(xs, literal=True)
        return uniq.select(_code_pair(x, y), name_levels(uniq["xs"], uniq["ys"], kind).alias(name),
                           within.alias(f"{name}_in"))

    first = levels("fc", "fc_b", "first", "fl")
    p = _leveled(p, "fc", "fc_b", first.drop("fl_in"), "fl", 3)
    p = _leveled(p, "lc", "lc_b", levels("lc", "lc_b", "last", "ll"), "ll", 2)
    near = _near_first_names(first.filter(pl.col("fl") == -1).select(
        (pl.col("_k") // (1 << 32)).cast(pl.UInt32).alias("fc"), (pl.col("_k") % (1 << 32)).cast(pl.UInt32).alias("fc_b")),
        words)
    p = p.join(near, on=["fc", "fc_b"], how="left").with_columns(pl.col("near").fill_null(False))
    # the same words in the same order, split differently (a two-word first name holding the
    # first of two surnames): the same name
    same_words = ((pl.col("wh") == pl.col("wh_b")) & (pl.col("multi") | pl.col("multi_b"))).fill_null(False)
    p = p.with_columns(pl.when(same_words).then(pl.lit(3, pl.Int8)).otherwise(pl.col("fl")).alias("fl"),
                       pl.when(same_words).then(pl.lit(2, pl.Int8)).otherwise(pl.col("ll")).alias("ll"))
    swapped = ((pl.col("fkc") == pl.col("lc_b")) & (pl.col("lc") == pl.col("fkc_b")) & (pl.col("fkc") != pl.col("lc")))
    # (the same name cut differently is read above; a name written in the other order here)
    swapped = swapped.fill_null(False) | (_reversed_whole_name() & ~same_words & (pl.col("fl") < 3))
    p = p.with_columns(swapped.alias("swapped"))
    p = _swapped_with_a_slip(p, words).drop(
        "fkc", "fkc_b", "wh", "wh_b", "multi", "multi_b",
        *[f"{c}{x}" for c in ("st", "r0", "r1", "r2", "wset") for x in ("", "_b")])
    # what the first names would gain if an address or profile spells the other's name (see
    # W_FIRST_SPELT; whether one does is looked at only for the pairs that pass the bounds)
    spellable = (pl.col("fl") == -1) & (pl.col("ll") >= 1) & ~pl.col("swapped") & (pl.col("stray") | pl.col("stray_b"))
    p = p.with_columns(pl.when(spellable.fill_null(False))
                       .then(W_FIRST_SPELT - pl.when(pl.col("near")).then(W_FIRST_NEAR).otherwise(W_FIRST_DIFF))
                       .otherwise(0.0).alias("spelt_gain")).drop("stray", "stray_b")
    fl, ll, sw = pl.col("fl"), pl.col("ll"), pl.col("swapped")
    p = p.with_columns(pl.when((ll == 1) & ~pl.col("ll_in").fill_null(False)).then(_common_spelling()).otherwise(0.0)
                       .alias("ll_common"))
    w_first = (pl.when(sw).then(W_FIRST_EXACT + W_SWAPPED - pl.col("sw_loss"))
               # a rare first name says more only beside the same surname: with a similar
               # one it is no sign that the two surnames are one
               .when((fl == 3) & (ll == 2)).then(W_FIRST_EXACT + pl.col("tf_fn").fill_null(0.0))
               .when(fl == 3).then(W_FIRST_EXACT + pl.col("tf_fn").fill_null(0.0).clip(upper_bound=0.0))
               .when(fl == 2).then(W_FIRST_NICK).when(fl == 1).then(W_FIRST_TYPO)
               .when(fl == 0).then(W_FIRST_INITIAL).when((fl == -1) & pl.col("near")).then(W_FIRST_NEAR)
               .when(fl == -1).then(W_FIRST_DIFF).otherwise(0.0))
    w_last = (pl.when(sw).then(W_LAST_EXACT)
              .when(ll == 2).then(W_LAST_EXACT + pl.col("tf_ln").fill_null(0.0))
              .when(ll == 1).then(W_LAST_TYPO - pl.col("ll_common"))
              .when(ll == 1).then(W_LAST_TYPO).when(ll == 0).then(W_LAST_NEAR)
              .when(ll == -1).then(W_LAST_DIFF).otherwise(0.0))
    crowd = (pl.when((fl == 3) & (ll == 2) & ~sw & (pl.col("name_groups") > CROWD_GROUPS))
             .then(-(pl.col("name_groups") / CROWD_GROUPS).log(2).clip(0.0, CROWD_CLIP))
             .when((fl == 3) & (ll == 2) & ~sw & (pl.col("name_groups") <= CROWD_GROUPS)).then(pl.col("w_few"))
             .otherwise(0.0))
    return p.with_columns((PRIOR + w_first + w_last + crowd).alias("name_w")).drop(
        "tf_fn", "tf_ln", "name_groups", "w_few", "n_ln", "n_ln_b", "ll_in")


def _swapped_with_a_slip(p: pl.DataFrame, words: pl.DataFrame) -> pl.DataFrame:
    """p with ``swapped`` also true for a name in the other order with one part misspelt or
    a nickname ("Careda Wolfgang" ~ "Wolfgang Careeda", "Reddy Diya" ~ "Diea Reddy"): one
    part equal crosswise, the other alike at the typo or nickname level. ``sw_loss`` is
    what that costs against the exact name in the other order."""
    fkc, lc, fkc_b, lc_b = pl.col("fkc"), pl.col("lc"), pl.col("fkc_b"), pl.col("lc_b")
    open_ = ~pl.col("swapped") & ((pl.col("fl") < 1) | (pl.col("ll") < 1))
    p = p.with_columns((open_ & (fkc == lc_b) & (lc != fkc_b)).fill_null(False).alias("_xf"),
                       (open_ & (lc == fkc_b) & (fkc != lc_b)).fill_null(False).alias("_xl"))
    loss = pl.lit(0.0)
    for flag, x, y, kind, level_loss in (
            ("_xf", "lc", "fkc_b", "last", {1: W_LAST_EXACT - W_LAST_TYPO}),
            ("_xl", "fkc", "lc_b", "first", {2: W_FIRST_EXACT - W_FIRST_NICK, 1: W_FIRST_EXACT - W_FIRST_TYPO})):
        uniq = (p.filter(pl.col(flag)).select(x, y).unique()
                .join(words.rename({"w": "xs", "code": x}), on=x).join(words.rename({"w": "ys", "code": y}), on=y))
        table = uniq.select(x, y, name_levels(uniq["xs"], uniq["ys"], kind).alias(f"{flag}_lv"))
        p = p.join(table, on=[x, y], how="left")
        lv = pl.col(f"{flag}_lv")
        for level, cost in level_loss.items():
            loss = pl.when(pl.col(flag) & (lv == level)).then(cost).otherwise(loss)
    slip = (pl.col("_xf") & (pl.col("_xf_lv") == 1)) | (pl.col("_xl") & pl.col("_xl_lv").is_in([1, 2]))
    return (p.with_columns((pl.col("swapped") | slip.fill_null(False)).alias("swapped"),
                           pl.when(slip.fill_null(False)).then(loss).otherwise(0.0).alias("sw_loss"))
            .drop("_xf", "_xl", "_xf_lv", "_xl_lv"))


def _common_spelling() -> pl.Expr:
    """What a surname typo loses when its rarer spelling is common (see TYPO_COMMON_CLIP)."""
    rarer = pl.min_horizontal(pl.col("n_ln"), pl.col("n_ln_b")).fill_null(1)
    return rarer.cast(pl.Float64).log(2).clip(0.0, TYPO_COMMON_CLIP)


def _near_first_names(different: pl.DataFrame, words: pl.DataFrame) -> pl.DataFrame:
    """Of first-name code pairs (fc, fc_b) at the 'different' level, those one edit apart,
    at least three letters each and alike by CLEARLY_DIFFERENT (see W_FIRST_NEAR): fc,
    fc_b, near (true)."""
    pairs = (different.select("fc", "fc_b").join(words.rename({"w": "xs", "code": "fc"}), on="fc")
             .join(words.rename({"w": "ys", "code": "fc_b"}), on="fc_b")
             .filter(pl.min_horizontal(pl.col("xs").str.len_chars(), pl.col("ys").str.len_chars()) >= 3))
    if pairs.height:
        jw, osa = _similarities(pairs["xs"], pairs["ys"])
        pairs = pairs.with_columns(jw, osa).filter((pl.col("osa") <= 1) & (pl.col("jw") >= CLEARLY_DIFFERENT))
    return pairs.select("fc", "fc_b", pl.lit(True).alias("near"))


def _with_name_strings(p: pl.DataFrame, feat: pl.DataFrame) -> pl.DataFrame:
    names = feat.select("record_id", "fn", "ln")
    return (p.join(names, left_on="a", right_on="record_id", how="left")
            .join(names, left_on="b", right_on="record_id", how="left", suffix="_b"))


SCORE_CHUNK = 4_000_000   # pairs scored at a time: bounds the memory of the joins below (see score_pairs)

# What score_pairs returns: a, b, score, reason; slug_clash: two LinkedIn profiles; spelt_first: the first names differ, and
# one record's address or profile spells the other's (see W_FIRST_SPELT)
SCORED = {"a": pl.Int64, "b": pl.Int64, "score": pl.Float64, "slug_clash": pl.Boolean, "reason": pl.String,
           "spelt_first": pl.Boolean}


def score_pairs(pairs: pl.DataFrame, feat: pl.DataFrame, comp_orgs: pl.DataFrame,
                floor: float | None = None, titles: TitleWeights | None = None,
                files: pl.DataFrame | None = None, phone_diff: float = W_PHONE_DIFF,
                names: NameCounts | None = None) -> pl.DataFrame:
    """Match weight and plain-English reason for each candidate pair scoring at least
    ``floor`` (default STORE_FLOOR); pairs below it are not returned.

    ``comp_orgs``: record_id → orgs of its whole deterministic component (employers and
    work-mail domain names over all its records), so an old snapshot's employer and a
    current one can meet through the person's other records; likewise its job titles
    (``ctitles``; without that column, each record's own title is used) and the files its
    records come from (``cfiles``, likewise). ``titles``: the title weights (default:
    measured on ``feat`` alone, see ``title_weights``); ``files``: what two people each with
    a record in one file weigh (``same_file_weights``; default: nothing); ``phone_diff``:
    what different phone numbers weigh (``phone_diff_weight``); ``names``: the name counts
    (default: counted on ``feat``).

    In two passes, each SCORE_CHUNK pairs at a time (the result is the same): names,
    company and title for every pair, which drops the pairs that cannot reach the floor
    whatever the rest says (most of them); then addresses, phones, handles and files for
    the rest. The records' list fields are exploded once for all chunks, but each chunk
    joins them all again, so chunks are large: a million records' 3.8M pairs are one, and
    its joins peak no higher than exploding the lists does (smaller chunks took a third
    more time for no less memory).
    """
    floor = STORE_FLOOR if floor is None else floor
    titles = titles or title_weights(feat)
    files = files if files is not None else pl.DataFrame(schema={"file_id": pl.Int64, "w_file": pl.Float64})
    names = names or name_counts(feat)
    involved = pl.concat([pairs["a"], pairs["b"]]).unique()
    if involved.len() < feat.height // 2:
        # a few pairs (the second round, a small import) are scored on their own records:
        # the counts and weights above were taken from all of them
        feat = feat.filter(pl.col("record_id").is_in(involved.implode()))
        comp_orgs = comp_orgs.filter(pl.col("record_id").is_in(involved.implode()))
    for col, own in (("ctitles", "title"), ("cfiles", "file_id")):
        if col not in comp_orgs.columns:
            comp_orgs = comp_orgs.join(feat.select("record_id", pl.concat_list(pl.col(own)).list.drop_nulls()
                                                   .alias(col)), on="record_id", how="left")
    if "cheads" not in comp_orgs.columns:
        comp_orgs = comp_orgs.join(feat.select("record_id", pl.col("org_heads").alias("cheads")), on="record_id",
                                   how="left")
    table = _name_table(feat, names)
    orgs = _OrgLists.of(comp_orgs)
    kept = [_pruned(pairs.slice(i, SCORE_CHUNK), floor, titles, table, orgs)
            for i in range(0, pairs.height, SCORE_CHUNK)]
    kept = [k for k in kept if k is not None and k.height]
    if not kept:
        return pl.DataFrame(schema=SCORED)
    survivors = pl.concat(kept, how="vertical_relaxed")
    lists = _RecordLists.of(feat, comp_orgs)
    parts = [_score_chunk(survivors.slice(i, SCORE_CHUNK), feat, floor, titles, lists, files, phone_diff)
             for i in range(0, survivors.height, SCORE_CHUNK)]
    return pl.concat(parts).sort("a", "b")


@dataclass(frozen=True)
class _OrgLists:
    """Each record's component employers (corgs), their leading words (cheads) and job
    titles (ctitles), exploded (record_id, v, h: v's hash, to join on), and how many of
    each (counts)."""
    corgs: pl.DataFrame
    cheads: pl.DataFrame
    ctitles: pl.DataFrame
    counts: pl.DataFrame

    @staticmethod
    def of(comp_orgs: pl.DataFrame) -> "_OrgLists":
        counts = comp_orgs.select("record_id", pl.col("corgs").fill_null([]).list.len().alias("n_corgs"),
                                  pl.col("ctitles").fill_null([]).list.len().alias("n_ctitles"))
        return _OrgLists(*(_exploded(comp_orgs, c).with_columns(pl.col("v").hash().alias("h"))
                           for c in ("corgs", "cheads", "ctitles")), counts)


@dataclass(frozen=True)
class _RecordLists:
    """The list fields the address stage compares, exploded once (record_id, v; hashed but
    for user names and files), and each record's scalars for it (``side``). The name forms
    an address may spell (patterns, full_patterns, handle_keys: a dozen a record) are kept
    only where some record's handle or user name is that value: nothing else can meet."""
    ex: dict[str, pl.DataFrame]
    side: pl.DataFrame

    @staticmethod
    def of(feat: pl.DataFrame, comp_orgs: pl.DataFrame) -> "_RecordLists":
        # (each list exploded from the frame that holds it: joining the components' lists
        # onto the records first copied the whole wide features frame, at scoring's peak)
        ex = {c: _exploded(feat, c, hashed=c != "locals")  # (user names are shown)
              for c in ("emails", "phones", "handles", "locals")}
        ex |= {c: _exploded(comp_orgs, c, hashed=c != "cfiles") for c in ("cemails", "cwork", "cfree", "cfiles")}
        handles = ex["handles"]["v"].unique()
        spelt = pl.concat([handles, ex["locals"]["v"].str.replace_all(r"[^a-z0-9]", "").hash()]).unique()
        ex["patterns"] = _exploded_among(feat, "patterns", spelt)
        for c in ("full_patterns", "handle_keys"):
            ex[c] = _exploded_among(feat, c, handles)
        n_cfree = comp_orgs.select("record_id", pl.col("cfree").fill_null([]).list.len().alias("n_cfree"))
        side = (feat.select("record_id", pl.when(pl.col("slug").is_not_null()).then(pl.col("slug").hash()).alias("slug"),
                            pl.col("emails").list.len().alias("n_emails"), pl.col("phones").list.len().alias("n_phones"))
                .join(n_cfree, on="record_id", how="left", maintain_order="left")
                .with_columns(pl.col("n_cfree").fill_null(0), feat["own_handle"],
                              (feat["fn"].is_null() & feat["ln"].is_null()).alias("nameless"), feat["name_from_email"]))
        return _RecordLists(ex, side)


def _pruned(pairs: pl.DataFrame, floor: float, titles: TitleWeights, table: _NameTable,
            orgs: _OrgLists) -> pl.DataFrame | None:
    """The pairs (a, b) that can still reach ``floor``, with their name, company and title
    comparisons; None when none can."""
    p = _name_weights(pairs.select("a", "b"), table)
    # Names first. The most the other fields can add: the same company, the best title
    # agreeing and the same email user name (W_LOCAL_SAME, which excludes W_HANDLE_NAME);
    # phones and files only subtract. A pair whose names cannot reach the floor with that
    # much more is dropped before its other fields are looked at (exactly: its full score
    # is below).
    nameless = (pl.col("fl") == -2) & (pl.col("ll") == -2)  # (an address's spelling of a name may add more)
    max_other = W_ORG_SAME + max(W_LOCAL_SAME, W_HANDLE_NAME) + titles.max_agree
    # (bounds are compared a hair below the floor: the score itself is rounded, see below)
    p = p.filter(pl.col("name_w") + max_other + pl.when(nameless).then(W_HANDLE_FULL).otherwise(0.0)
                 + pl.col("spelt_gain") >= floor - 1e-6)
    if p.height == 0:
        return None
    # then the company and the job title, the other fields that can add much: a pair that
    # cannot reach the floor with the most the rest could add is dropped (most of them)
    p = _with_org_and_title(p, orgs, titles)
    rest_max = (max(W_LOCAL_SAME, W_HANDLE_NAME) + pl.when(nameless).then(W_HANDLE_FULL).otherwise(0.0)
                + pl.col("spelt_gain"))
    return p.filter(pl.col("name_w") + _org_weight() + _title_weight(titles) + rest_max >= floor - 1e-6)


def _with_org_and_title(p: pl.DataFrame, orgs: _OrgLists, titles: TitleWeights) -> pl.DataFrame:
    """pairs (a, b, ...) with org_same, org_name (the longest employer name both people's
    records show: the employer's own), w_title (the weight of the best title they share, or
    null) and how many of each the two sides have (n_corgs, n_ctitles and _b)."""
    p = p.with_row_index("_j")
    ab = p.select("_j", "a", "b")
    # the same employer: a name or domain both show, or one's domain or short name that the
    # other's company name starts with
    org_hits = pl.concat([_meeting(ab, orgs.corgs, orgs.corgs, "_j", "h"), _meeting(ab, orgs.corgs, orgs.cheads, "_j", "h"),
                          _meeting(ab, orgs.cheads, orgs.corgs, "_j", "h")]).group_by("_j").agg(
        pl.col("v").sort_by(pl.col("v").str.len_chars(), pl.col("v"), descending=[True, False]).first()
        .alias("org_name"))
    title_hits = (_meeting(ab, orgs.ctitles, orgs.ctitles, "_j", "h").join(titles.agree.rename({"title": "v"}), on="v",
                                                                       how="left")
                  .group_by("_j").agg(pl.col("w_title").fill_null(0.0).max()))
    return (p.join(org_hits, on="_j", how="left").join(title_hits, on="_j", how="left")
            .join(orgs.counts, left_on="a", right_on="record_id", how="left")
            .join(orgs.counts, left_on="b", right_on="record_id", how="left", suffix="_b")
            .with_columns(pl.col("org_name").is_not_null().alias("org_same")).sort("_j").drop("_j"))


def _org_diff() -> pl.Expr:
    return (pl.col("n_corgs") > 0) & (pl.col("n_corgs_b") > 0) & ~pl.col("org_same")


def _org_weight() -> pl.Expr:
    return pl.when(pl.col("org_same")).then(W_ORG_SAME).when(_org_diff()).then(W_ORG_DIFF).otherwise(0.0)


def _title_diff() -> pl.Expr:
    return (pl.col("n_ctitles") > 0) & (pl.col("n_ctitles_b") > 0) & pl.col("w_title").is_null()


def _title_weight(titles: TitleWeights) -> pl.Expr:
    return (pl.when(pl.col("w_title").is_not_null()).then(pl.col("w_title"))
            .when(_title_diff()).then(titles.disagree).otherwise(0.0))


def _score_chunk(p: pl.DataFrame, feat: pl.DataFrame, floor: float, titles: TitleWeights,
                 lists: _RecordLists, files: pl.DataFrame, phone_diff_w: float = W_PHONE_DIFF) -> pl.DataFrame:
    """The full scores and reasons of pruned pairs (``_pruned``) at or above ``floor``."""
    w_org, w_title = _org_weight(), _title_weight(titles)
    p = p.with_row_index("i")
    # list-valued fields are compared by joining their exploded values (one row per record
    # and value), never by intersecting lists pair by pair: per record, only scalars travel
    ex, side = lists.ex, lists.side
    if "name_groups" in feat.columns:  # (how many people carry each record's whole name: see resolve)
        side = side.join(feat.select("record_id", "name_groups", "w_few"), on="record_id", how="left")
    else:
        side = side.with_columns(pl.lit(None, pl.UInt32).alias("name_groups"), pl.lit(0.0).alias("w_few"))
    p = (p.join(side, left_on="a", right_on="record_id")
         .join(side, left_on="b", right_on="record_id", suffix="_b"))
    ab = p.select("i", "a", "b")
    ba = ab.select("i", pl.col("b").alias("a"), pl.col("a").alias("b"))

    def shared(x: str, y: str, pairs: pl.DataFrame = ab) -> pl.DataFrame:
        """(i, v): the values of a's ``x`` that are also among b's ``y``."""
        return _meeting(pairs, ex[x], ex[y])

    def flag(hits: pl.DataFrame, name: str) -> pl.Expr:
        return pl.col("i").is_in(hits["i"].unique().implode()).alias(name)

    def among(condition: pl.Expr) -> tuple[pl.DataFrame, pl.DataFrame]:
        """ab and ba for the pairs meeting ``condition`` only: comparisons that can matter
        for a few pairs are not joined over all of them."""
        some = p.filter(condition).select("i", "a", "b")
        return some, some.select("i", pl.col("b").alias("a"), pl.col("a").alias("b"))

    # Shared addresses or phones only where both sides have some; what an address spells
    # only beside a record with no name; shared component addresses only where the
    # components share a work domain (or both have personal addresses).
    keyed_ab, _ = among(pl.col("n_emails").gt(0) & pl.col("n_emails_b").gt(0)
                        | pl.col("n_phones").gt(0) & pl.col("n_phones_b").gt(0))
    nameless_ab, nameless_ba = among(pl.col("nameless") | pl.col("nameless_b"))
    spellable_ab, spellable_ba = among(pl.col("spelt_gain") > 0)

    locals_shared = shared("locals", "locals").with_columns(pl.col("v").str.replace_all(r"[^a-z0-9]", "").hash())
    # a shared user name that spells a's own name is just the name again
    spells_own = (locals_shared.join(ab, on="i").join(ex["patterns"], left_on=["a", "v"],
                                                       right_on=["record_id", "v"]).select("i"))
    p = p.with_columns(
        flag(shared("handles", "patterns"), "h_ab"), flag(shared("handles", "patterns", ba), "h_ba"),
        (flag(locals_shared, "x") & ~flag(spells_own, "y")).alias("local_same"),
        flag(shared("cwork", "cwork"), "cwork_same"),
        flag(shared("emails", "emails", keyed_ab), "emails_same"),
        flag(shared("phones", "phones", keyed_ab), "phones_same"),
        flag(shared("handles", "full_patterns", nameless_ab), "hf_ab"),
        flag(shared("handles", "full_patterns", nameless_ba), "hf_ba"),
        flag(shared("handles", "handle_keys", nameless_ab), "hs_ab"),
        flag(shared("handles", "handle_keys", nameless_ba), "hs_ba"),
        flag(shared("handles", "handle_keys", spellable_ab), "hk_ab"),
        flag(shared("handles", "handle_keys", spellable_ba), "hk_ba"),
    )
    file_hits = (shared("cfiles", "cfiles").join(files, left_on="v", right_on="file_id")
                 .group_by("i").agg(pl.col("w_file").max()))  # (several shared files: the mildest)
    p = p.join(file_hits, on="i", how="left")
    clash_ab, _ = among(pl.col("cwork_same"))
    personal_ab, _ = among((pl.col("n_cfree") > 0) & (pl.col("n_cfree_b") > 0))
    p = p.with_columns(flag(shared("cemails", "cemails", clash_ab), "cemails_same"),
                       flag(shared("cfree", "cfree", personal_ab), "cfree_same"))
    has = lambda x: pl.col(x) > 0  # noqa: E731
    org_diff = _org_diff()
    # An address or slug spelling one's own name adds nothing to the names agreeing; only
    # one that spells the *other* record's name and not its own (bob's robert.smith@) does.
    # A record with no name is compared by what its address spells of the other's name.
    spells_full = (pl.col("nameless") & pl.col("hf_ab")) | (pl.col("nameless_b") & pl.col("hf_ba"))
    spells_short = (pl.col("nameless") & pl.col("hs_ab")) | (pl.col("nameless_b") & pl.col("hs_ba"))
    w_spelled = (pl.when(spells_full).then(W_HANDLE_FULL).when(spells_short).then(W_HANDLE_SHORT).otherwise(0.0)
                 + pl.when(spells_full).then(_spelt_name_rarity()).otherwise(0.0))
    handle_name = ((pl.col("h_ab") & ~pl.col("own_handle")) | (pl.col("h_ba") & ~pl.col("own_handle_b"))) \
        & ~spells_full & ~spells_short
    # a first name the other record's address or profile spells (see W_FIRST_SPELT)
    # (not an address both records share: a family's or an office's spells one of them)
    spelt_first = ((pl.col("spelt_gain") > 0) & ~pl.col("emails_same")
                   & ((pl.col("hk_ab") & ~pl.col("own_handle")) | (pl.col("hk_ba") & ~pl.col("own_handle_b"))))
    title_same, title_diff = pl.col("w_title").is_not_null(), _title_diff()
    local_same = pl.col("local_same")
    # over the whole components: one person rarely has two addresses at one company
    mail_clash = pl.col("cwork_same") & ~pl.col("cemails_same")
    # (at different companies, different work addresses follow: no second count against;
    # nor for a record known only by an address that spells the other's name: that address
    # is the evidence, and the other having another one is what a calendar invitation to a
    # work address beside a contact card with a personal one looks like)
    email_diff = (has("n_emails") & has("n_emails_b") & ~pl.col("emails_same") & ~org_diff
                  & ~spells_full & ~spells_short)
    # people mostly keep one personal address for years: two different ones, two people
    personal_diff = has("n_cfree") & has("n_cfree_b") & ~pl.col("cfree_same")
    w_mail = (pl.when(mail_clash).then(W_WORK_MAIL_CLASH).when(local_same).then(W_LOCAL_SAME)
              .when(personal_diff).then(W_PERSONAL_MAIL_DIFF).when(email_diff).then(W_EMAIL_DIFF).otherwise(0.0)
              + pl.when(handle_name & ~local_same).then(W_HANDLE_NAME).otherwise(0.0))
    phone_diff = has("n_phones") & has("n_phones_b") & ~pl.col("phones_same")
    w_phone = pl.when(phone_diff).then(phone_diff_w).otherwise(0.0)
    slug_clash = pl.col("slug").is_not_null() & pl.col("slug_b").is_not_null() & (pl.col("slug") != pl.col("slug_b"))
    p = p.with_columns(
        # (rounded: sums over the data, like the name frequencies, may differ in their last
        # bits from run to run, and a pair exactly at a threshold must not flip with them)
        (pl.col("name_w") + w_org + w_mail + w_phone + w_spelled + w_title + pl.col("w_file").fill_null(0.0)
         + pl.when(spelt_first).then(pl.col("spelt_gain")).otherwise(0.0))
        .round(6).alias("score"),
        (pl.col("w_file") < 0).fill_null(False).alias("same_file"),
        spells_full.alias("spells_full"), spells_short.alias("spells_short"), title_same.alias("title_same"),
        spelt_first.alias("spelt_first"),
        title_diff.alias("title_diff"),
        (pl.col("name_from_email") | pl.col("name_from_email_b")).alias("read_from_address"),
        org_diff.alias("org_diff"), handle_name.alias("handle_name"), mail_clash.alias("mail_clash"),
        email_diff.alias("email_diff"), personal_diff.alias("personal_diff"), phone_diff.alias("phone_diff"),
        slug_clash.alias("slug_clash"),
    )
    p = _with_name_strings(p.filter(pl.col("score") >= floor), feat)
    return (p.with_columns(_reason_expr()).select("a", "b", "score", "slug_clash", "reason", "spelt_first")
            .sort("a", "b"))


def _spelt_name_rarity() -> pl.Expr:
    """For a record with no name whose address spells the other's whole name
    (yuliatkachenko@ ~ Yulia Tkachenko): what both names agreeing would add for how many
    people carry that name (the crowd penalty or the few-groups weight, as in _name_weights):
    the address is the same evidence as the name written out."""
    groups = pl.when(pl.col("nameless")).then(pl.col("name_groups_b")).otherwise(pl.col("name_groups"))
    few = pl.when(pl.col("nameless")).then(pl.col("w_few_b")).otherwise(pl.col("w_few"))
    return (pl.when(groups > CROWD_GROUPS).then(-(groups / CROWD_GROUPS).log(2).clip(0.0, CROWD_CLIP))
            .when(groups <= CROWD_GROUPS).then(few.fill_null(0.0)).otherwise(0.0))


def _reason_expr() -> pl.Expr:
    """Plain English for a pair's comparison levels, agreements first, then disagreements."""
    fl, ll = pl.col("fl"), pl.col("ll")
    name_pair = pl.concat_str([pl.lit("("), pl.col("fn"), pl.lit(" ~ "), pl.col("fn_b"), pl.lit(")")])
    whole = lambda x: pl.concat_str([pl.col(f"fn{x}"), pl.col(f"ln{x}")], separator=" ")  # noqa: E731
    first = (pl.when(pl.col("swapped") & (pl.col("sw_loss") > 0)).then(pl.concat_str([
                 pl.lit("similar name in the other order ("), whole(""), pl.lit(" ~ "), whole("_b"), pl.lit(")")]))
             .when(pl.col("swapped")).then(pl.lit("same name in the other order"))
             .when(pl.col("spelt_first")).then(pl.concat_str([pl.lit("first name as the email or profile spells it "),
                                                               name_pair]))
             .when(fl == 3).then(pl.lit("same first name"))
             .when(fl == 2).then(pl.concat_str([pl.lit("same first name "), name_pair]))
             .when(fl == 1).then(pl.concat_str([pl.lit("similar first name "), name_pair]))
             .when(fl == 0).then(pl.concat_str([pl.lit("first name matches an initial "), name_pair])))
    last = (pl.when(pl.col("swapped")).then(None)
            .when(ll == 2).then(pl.lit("same surname"))
            .when((ll == 1) & (pl.col("ll_common") >= 2)).then(pl.concat_str([
                pl.lit("similar surname ("), pl.col("ln"), pl.lit(" ~ "), pl.col("ln_b"),
                pl.lit(", though many records carry each)")]))
            .when(ll == 1).then(pl.concat_str([pl.lit("similar surname ("), pl.col("ln"), pl.lit(" ~ "),
                                               pl.col("ln_b"), pl.lit(")")])))
    org = pl.when(pl.col("org_same")).then(pl.concat_str([pl.lit("same company ("), pl.col("org_name"), pl.lit(")")]))
    local = pl.when(pl.col("local_same")).then(pl.lit("same email user name at another domain"))
    handle = pl.when(pl.col("handle_name") & ~pl.col("local_same")).then(pl.lit("email or profile spells the name"))
    spelled = (pl.when(pl.col("spells_full")).then(pl.lit("the email address spells the name"))
               .when(pl.col("spells_short")).then(pl.lit("the email address spells the name's short form")))
    title = pl.when(pl.col("title_same")).then(pl.lit("same job title"))
    read = pl.when(pl.col("read_from_address")).then(pl.lit("a name read from the email address"))
    agree = pl.concat_str([first, last, read, spelled, org, title, local, handle], separator=", ", ignore_nulls=True)
    bad_first = (pl.when(pl.col("spelt_first")).then(None)
                 .when(~pl.col("swapped") & (fl == -1) & pl.col("near"))
                 .then(pl.concat_str([pl.lit("first names one letter apart "), name_pair]))
                 .when(~pl.col("swapped") & (fl == -1)).then(pl.concat_str([pl.lit("different first names "), name_pair])))
    bad_last = (pl.when(~pl.col("swapped") & (ll == -1)).then(pl.lit("different surnames"))
                .when(~pl.col("swapped") & (ll == 0)).then(pl.concat_str([
                    pl.lit("surnames one letter apart ("), pl.col("ln"), pl.lit(" ~ "), pl.col("ln_b"), pl.lit(")")])))
    org_d = pl.when(pl.col("org_diff")).then(pl.lit("different companies"))
    title_d = pl.when(pl.col("title_diff")).then(pl.lit("different job titles"))
    clash = pl.when(pl.col("mail_clash")).then(pl.lit("different addresses at the same company"))
    mail_d = (pl.when(pl.col("mail_clash")).then(None)
              .when(pl.col("personal_diff") & ~pl.col("local_same")).then(pl.lit("different personal email addresses"))
              .when(pl.col("email_diff")).then(pl.lit("different email addresses")))
    phone_d = pl.when(pl.col("phone_diff")).then(pl.lit("different phone numbers"))
    slug_d = pl.when(pl.col("slug_clash")).then(pl.lit("different LinkedIn profiles"))
    file_d = pl.when(pl.col("same_file")).then(pl.lit("each has its own record in one file"))
    disagree = pl.concat_str([bad_first, bad_last, org_d, title_d, clash, mail_d, phone_d, slug_d, file_d],
                             separator=", ",
                             ignore_nulls=True)
    return (pl.when((agree != "") & (disagree != "")).then(pl.concat_str([agree, pl.lit("; "), disagree]))
            .when(agree != "").then(agree).otherwise(disagree).alias("reason"))
