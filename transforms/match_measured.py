"""Matching, weights measured on the data being resolved (what Splink would estimate in
training): job titles agreeing or not (``title_weights``), two people in one file
(``same_file_weights``), a whole name only two groups carry (``few_groups_weight``),
different phone numbers (``phone_diff_weight``), and how common each first name and
surname is (``NameCounts``, ``_tf``).

They are measured on the groups of records that shared keys already joined (each one
person), which clustering (``transforms.resolve``) forms before scoring; defaults and bounds
are in ``transforms.match_weights``. After it: ``transforms.match_comparisons`` uses them in
scoring. flows/people.py stores ``MeasuredWeights`` so an incremental run reuses a full
run's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import polars as pl

from transforms.match_weights import (
    FEW_GROUPS_MIN_PROFILES, FEW_GROUPS_NAMESAKES, FEW_GROUPS_PSEUDO, PHONE_MIN_PAIRS, PRIOR, SAME_FILE_MIN_GROUPS,
    TF_CLIP, TITLE_MIN_PAIRS, TITLE_M_DEFAULT, TITLE_M_MAX, TITLE_M_MIN, W_FEW_MAX, W_FIRST_EXACT, W_LAST_EXACT,
    W_PHONE_DIFF, W_PHONE_DIFF_MIN, W_SAME_FILE_MIN, W_TITLE_DIFF_MIN, W_TITLE_MAX,
)


# ------------------------------------------------------------------ measured weights


@dataclass(frozen=True)
class TitleWeights:
    """What a job title agreeing (per title) and disagreeing weigh, measured on the data."""
    agree: pl.DataFrame      # title, w_title: log2(m / the title's share), clipped to [0, W_TITLE_MAX]
    disagree: float          # log2((1 - m) / (1 - chance two people's titles agree)), clipped
    m: float                 # how often one person's records agree on a title (measured or default)
    same_person_pairs: int   # the pairs m was measured on

    @property
    def max_agree(self) -> float:
        return float(self.agree["w_title"].max() or 0.0) if self.agree.height else 0.0


def title_weights(feat: pl.DataFrame, roots: pl.DataFrame | None = None) -> TitleWeights:
    """Title weights from ``feat`` (record_id, title) and ``roots`` (record_id → root: the
    groups of records already joined by a shared address, profile or phone, which are each
    one person). Each group counts once per title it holds, so a person's many records do
    not make their title look common."""
    titled = feat.select("record_id", "title").drop_nulls("title")
    if roots is None:
        roots = titled.select("record_id", pl.col("record_id").alias("root"))
    per = titled.join(roots, on="record_id").group_by("root", "title").len()
    pairs_same = int(per.select((pl.col("len") * (pl.col("len") - 1) // 2).sum()).item() or 0)
    n = per.group_by("root").agg(pl.col("len").sum())
    pairs_all = int(n.select((pl.col("len") * (pl.col("len") - 1) // 2).sum()).item() or 0)
    m = pairs_same / pairs_all if pairs_all >= TITLE_MIN_PAIRS else TITLE_M_DEFAULT
    m = min(max(m, TITLE_M_MIN), TITLE_M_MAX)
    share = per.group_by("title").len("groups").with_columns((pl.col("groups") / per.height).alias("u"))
    if share.height == 0:
        return TitleWeights(pl.DataFrame(schema={"title": pl.String, "w_title": pl.Float64}), 0.0, m, pairs_all)
    chance = float(share.select((pl.col("u") ** 2).sum()).item())
    agree = share.select("title", (m / pl.col("u")).log(2).clip(0.0, W_TITLE_MAX).alias("w_title"))
    disagree = max(W_TITLE_DIFF_MIN, min(0.0, math.log2((1 - m) / max(1 - chance, 1e-9))))
    return TitleWeights(agree, disagree, m, pairs_all)


def same_file_weights(feat: pl.DataFrame, roots: pl.DataFrame) -> pl.DataFrame:
    """file_id, w_file: what two people each having a record in that file weigh (see
    W_SAME_FILE_MIN), from ``roots``: the groups of records shared keys joined (each is one
    person). A file too few such groups touch gets no row (no weight)."""
    j = feat.select("record_id", "file_id").drop_nulls("file_id").join(roots, on="record_id")
    per = j.group_by("root", "file_id").len()
    groups = per.select("root").n_unique()
    if groups == 0:
        return pl.DataFrame(schema={"file_id": pl.Int64, "w_file": pl.Float64})
    multi = per.join(per.group_by("root").agg(pl.col("len").sum().alias("n")).filter(pl.col("n") >= 2),
                     on="root", how="semi")
    stats = (per.group_by("file_id").agg(pl.len().alias("groups"))
             .join(multi.group_by("file_id").agg(pl.len().alias("multi"), (pl.col("len") >= 2).sum().alias("twice")),
                   on="file_id", how="left")
             .filter(pl.col("multi").fill_null(0) >= SAME_FILE_MIN_GROUPS))
    # m: a multi-record person's share holding two records here (at least one in a hundred);
    # u: the chance two people both have a record here
    m = ((pl.col("twice") + 1) / (pl.col("multi") + 2)).clip(0.01, 1.0)
    u = (pl.col("groups") / groups) ** 2
    return stats.select("file_id", (m / u).log(2).clip(W_SAME_FILE_MIN, 0.0).alias("w_file"))


def few_groups_weight(feat: pl.DataFrame, roots: pl.DataFrame) -> float:
    """What both names agreeing adds when the whole name is carried by CROWD_GROUPS groups
    of records or fewer (see FEW_GROUPS_NAMESAKES): log2 of the measured odds that two such
    groups are one person, less what the names already weigh (PRIOR + both exact)."""
    j = feat.select("record_id", "fn", "ln", "slug").join(roots, on="record_id")
    profile = j.group_by("root").agg(pl.col("slug").is_not_null().any().alias("profile"))
    g = j.drop_nulls(["fn", "ln"]).select("fn", "ln", "root").unique().join(profile, on="root")
    q, mean_tf = FEW_GROUPS_NAMESAKES, 0.0
    if g.height:
        c = float(g.unique("root")["profile"].mean())
        two = g.group_by("fn", "ln").agg(pl.len().alias("n"), pl.col("profile").all().alias("both")) \
            .filter(pl.col("n") == 2)
        if c >= FEW_GROUPS_MIN_PROFILES:
            both = int(two["both"].sum())
            shrunk = (both + FEW_GROUPS_PSEUDO * q * c * c) / (two.height + FEW_GROUPS_PSEUDO)
            # namesakes among all names two groups carry; but the pairs compared never both
            # have a profile (two profiles are two people, and the guards keep them apart), and
            # among those names namesakes are rarer the more people have a profile: of the
            # namesakes, a share 1 - c² lacks a second profile, of the names, 1 - shrunk does.
            # (In one person's network, where nearly everyone is a LinkedIn connection, a name
            # carried by a profile and by a calendar address is rarely two people.)
            q_all = shrunk / (c * c)
            q = min(max(q_all * (1 - c * c) / max(1 - shrunk, 1e-6), 0.001), 0.5)
        if two.height:
            # the odds are those of such a name on average, and the names' frequencies then
            # move a pair around them: what they add on average is not counted twice
            tf = (two.join(_tf(feat, "fn"), on="fn", how="left").join(_tf(feat, "ln"), on="ln", how="left")
                  .select((pl.col("tf_fn").fill_null(0.0) + pl.col("tf_ln").fill_null(0.0)).mean()).item())
            mean_tf = float(tf or 0.0)
    odds = math.log2((1 - q) / q)
    return min(odds - (PRIOR + W_FIRST_EXACT + W_LAST_EXACT) - mean_tf, W_FEW_MAX)


def phone_diff_weight(feat: pl.DataFrame) -> float:
    """What two records with E.164 numbers and none in common weigh (see W_PHONE_DIFF): log2
    of how often that happens to two records sharing an email address or a LinkedIn
    profile, which are one person's (and not joined by a phone, which would share one)."""
    phoned = feat.filter(pl.col("phones").list.len() > 0).select("record_id", "slug", "emails")
    keys = pl.concat([phoned.select("record_id", ("in/" + pl.col("slug")).alias("k")).drop_nulls("k"),
                      phoned.select("record_id", pl.col("emails").alias("k")).explode("k").drop_nulls("k")]).unique()
    # (a key on many records is a shared address, not one person: left out)
    keys = keys.join(keys.group_by("k").len().filter(pl.col("len").is_between(2, 10)), on="k", how="semi")
    pairs = (keys.join(keys, on="k", suffix="_b").filter(pl.col("record_id") < pl.col("record_id_b"))
             .select("record_id", "record_id_b").unique())
    if pairs.height < PHONE_MIN_PAIRS:
        return W_PHONE_DIFF
    ph = feat.select("record_id", "phones")
    differ = (pairs.join(ph, on="record_id").join(ph, left_on="record_id_b", right_on="record_id", suffix="_b")
              .select((pl.col("phones").list.set_intersection("phones_b").list.len() == 0).sum()).item())
    m = (differ + 1) / (pairs.height + 2)
    return min(max(math.log2(m), W_PHONE_DIFF_MIN), 0.0)


@dataclass(frozen=True)
class MeasuredWeights:
    """The weights measured on the data (job titles, files, names two groups share). A full
    resolution measures them on every record; an incremental one reuses those, as the few
    records it resolves would measure something else."""
    titles: TitleWeights
    files: pl.DataFrame      # file_id, w_file (see same_file_weights)
    few_groups: float        # see few_groups_weight
    phone_diff: float = W_PHONE_DIFF  # see phone_diff_weight

    def rows(self) -> list[tuple[str, str | None, float]]:
        """(kind, key, value) rows, to be stored."""
        t = self.titles
        return ([("title", title, w) for title, w in t.agree.iter_rows()]
                + [("title_disagree", None, t.disagree), ("title_m", None, t.m),
                   ("title_pairs", None, float(t.same_person_pairs)), ("few_groups", None, self.few_groups),
                   ("phone_diff", None, self.phone_diff)]
                + [("file", str(f), w) for f, w in self.files.iter_rows()])

    @classmethod
    def from_rows(cls, rows: list[tuple[str, str | None, float]]) -> MeasuredWeights:
        one = {kind: value for kind, _key, value in rows if _key is None}
        agree = pl.DataFrame([(k, v) for kind, k, v in rows if kind == "title"],
                             schema={"title": pl.String, "w_title": pl.Float64}, orient="row")
        files = pl.DataFrame([(int(k), v) for kind, k, v in rows if kind == "file"],
                             schema={"file_id": pl.Int64, "w_file": pl.Float64}, orient="row")
        titles = TitleWeights(agree, one["title_disagree"], one["title_m"], int(one["title_pairs"]))
        return cls(titles, files, one["few_groups"], one.get("phone_diff", W_PHONE_DIFF))


def measure_weights(feat: pl.DataFrame, roots: pl.DataFrame) -> MeasuredWeights:
    """Every weight measured on the data, from ``feat`` and the groups ``roots`` (record_id →
    root) that shared keys joined."""
    return MeasuredWeights(title_weights(feat, roots), same_file_weights(feat, roots), few_groups_weight(feat, roots),
                           phone_diff_weight(feat))


@dataclass(frozen=True)
class NameCounts:
    """How many records carry each first name (fn) and surname (ln), as ``features`` reads
    them: what a name's frequency weights come from. By default counted on the records
    being resolved; a run over a few records passes the counts over all of them."""
    first: pl.DataFrame  # fn, n
    last: pl.DataFrame   # ln, n


def name_counts(feat: pl.DataFrame) -> NameCounts:
    return NameCounts(feat.group_by("fn").len("n").drop_nulls("fn"), feat.group_by("ln").len("n").drop_nulls("ln"))


def _tf(feat: pl.DataFrame, col: str, counts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per value of ``col``: log2(mean agreement probability / this value's), clipped; from
    ``counts`` (col, n) if given, else counted on ``feat``."""
    counts = counts if counts is not None else feat.group_by(col).len("n").drop_nulls(col)
    n = counts["n"].sum()
    if not n:
        return counts.select(col, pl.lit(0.0).alias(f"tf_{col}"))
    p = pl.col("n") / n
    mean_u = (counts.select((p * p).sum()).item()) or 1.0
    return counts.select(col, (pl.lit(mean_u) / p).log(2).clip(-TF_CLIP, TF_CLIP).alias(f"tf_{col}"))
