"""Fuzzy matching of person records: features, blocking, comparisons and match weights.

The model is Fellegi–Sunter as Splink does it: each field is compared at a few named
*levels*, each level carries a match weight (log2 of m/u: how much likelier that outcome
is for two records of one person than for two records of different people), the weights
are summed with a prior, and the sum is compared with named thresholds. The weights below
are set by hand from what the fields mean (not trained), and documented where they are,
except three measured on the data itself, on the groups of records shared keys already
joined: job titles' (``title_weights``), a shared file's (``same_file_weights``) and a whole
name only two groups carry (``few_groups_weight``), and phone numbers that differ
(``phone_diff_weight``). What these say varies too much between
address books for one number to fit.

Everything here is vectorised with polars: Python runs once per *distinct* name, company
or string pair, never once per record or pair of records.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

import polars as pl
from rapidfuzz.distance import OSA, JaroWinkler

from transforms.nicknames import same_first_key, short_forms_of, variants_of_key
from transforms.normalize import (
    CREDENTIALS, company_key, free_mail_expr, email_match_key_expr, parse_person_name, soundex,
    soundex_expr,
)

# ------------------------------------------------------------------ thresholds

LINK_THRESHOLD = 5.0     # total weight at or above which a pair is linked
REVIEW_THRESHOLD = 0.0   # pairs in [REVIEW, LINK) are kept for the user's review, not linked
STORE_FLOOR = REVIEW_THRESHOLD  # compared pairs below this are "no link" and not stored (millions at scale)
AMBIGUITY_MARGIN = 4.0   # a record matching two LinkedIn profiles links only to a clear winner

# ------------------------------------------------------------------ match weights (log2 m/u)

# Prior: most pairs sharing a blocking key are still different people (one common surname
# and an initial meet many), so the evidence has to overcome this.
PRIOR = -8.0
# First names. Exact: a same-surname pair that also shares the first name. Nickname (Bob ~
# Robert) a little weaker, a one-edit typo (Jaro-Winkler >= FUZZY_NAME) weaker still; an
# initial (J. ~ John) is only weak evidence. A clearly different first name almost rules
# a match out (m ~ 0.3% from data-entry errors we cannot read through).
W_FIRST_EXACT, W_FIRST_NICK, W_FIRST_TYPO, W_FIRST_INITIAL, W_FIRST_DIFF = 5.0, 4.0, 3.0, 1.0, -9.0
# Short first names one letter apart and still alike (Yaw ~ Yaaw, Kevin ~ Kovin, Emi ~ Emmi)
# are as often another name as a slip (Mark ~ Mary): a doubt, not a verdict. Other fields
# (company, title, an address spelling the name) have to carry such a pair.
W_FIRST_NEAR = -4.0
# A first name unlike the other's, with the same surname, where one record's address or
# LinkedIn profile spells the other's name (whole or short) and not its own: its first name
# was misspelt or cut (Lucius Esuela at linkedin.com/in/lucia-esuela ~ Lucia Esuela). The
# first names then weigh as an initial does, instead of W_FIRST_DIFF or W_FIRST_NEAR: at a
# million records, weighing it as a typo linked namesakes of the name spelt (92% right).
W_FIRST_SPELT = W_FIRST_INITIAL
# Surnames. Exact ~ 1 in 200 random pairs agree (u) against ~ 95% of matches (m).
W_LAST_EXACT, W_LAST_TYPO, W_LAST_DIFF = 7.0, 4.5, -14.0
# Surnames one letter apart and still alike, yet not alike enough for a typo (Cheo ~ Chen,
# Zhoo ~ Zhou, Sonl ~ Song: a slip at the end of a short name): as often another family's
# name (Chan ~ Chen) as a slip, so no evidence either way; the first name, employer and title
# have to carry the pair. (As W_LAST_DIFF, such a slip ruled out every other agreement.)
W_LAST_NEAR = 0.0
W_SWAPPED = -0.5         # names written in the other order (Smith Robert): a small doubt
# Term frequency: a common first name or surname agreeing says less than a rare one.
# Added to an exact agreement: log2(mean agreement probability / this value's), clipped.
TF_CLIP = 4.0
# A surname one edit from another (Hansen ~ Hanzen) is a slip when the odd spelling is
# rare; when many records carry it too, it is most likely another family's name (Hansen ~
# Hanson), common in a big address book. Such a surname typo counts log2(records carrying
# the rarer spelling) less, up to TYPO_COMMON_CLIP. Not for a surname that contains the
# other (Tequeira ~ Tequeira Malhão: a double surname), nor for first names, whose common
# spellings are the ones people mix up writing someone's name (Sara ~ Sarah, Jon ~ John).
TYPO_COMMON_CLIP = 4.0
# Company (over the employers and work-mail domains seen on each side's records, since a
# person's older records show older jobs). Different companies is weak evidence against:
# people change jobs, and older exports keep the old employer.
W_ORG_SAME, W_ORG_DIFF = 5.0, -2.5
# Emails (the same address links deterministically, before scoring).
W_LOCAL_SAME = 3.0       # same local part at different domains, not just the name (tianlin1995@a / @b)
W_HANDLE_NAME = 1.5      # an email local part or LinkedIn slug that spells the other's name
# A record with no name at all (a calendar attendee known by address only) has just its
# address's user name: one spelling the other's whole name (harutosakagawa) counts as both
# names agreeing; a shortened form (hsakagawa, harutos) as an initial and a surname.
W_HANDLE_FULL, W_HANDLE_SHORT = W_FIRST_EXACT + W_LAST_EXACT, W_FIRST_INITIAL + W_LAST_EXACT
# Job titles: their weights are measured on the data being resolved (``title_weights``): m,
# how often one person's records agree on a title, from records already joined by a shared
# address, profile or phone; u, how often two people's do, from each title's share. A rare
# title agreeing says more than "Software Engineer"; titles that disagree count against
# as much as the data says people keep theirs. Clipped, and m within bounds, so a small or
# odd address book cannot make titles decide alone.
TITLE_M_DEFAULT, TITLE_M_MIN, TITLE_M_MAX = 0.8, 0.5, 0.95
TITLE_MIN_PAIRS = 50      # same-person title pairs needed to measure m (else the default)
W_TITLE_MAX, W_TITLE_DIFF_MIN = 4.5, -4.5
W_WORK_MAIL_CLASH = -8.0  # different addresses at the same non-free domain: two colleagues
W_EMAIL_DIFF = -1.0      # both have addresses, none shared
W_PERSONAL_MAIL_DIFF = -2.5  # both have personal (free-mail) addresses, none shared
# Both have E.164 numbers, none shared. How much that says is measured on the data
# (``phone_diff_weight``): m, how often two records sharing an email address or a LinkedIn
# profile (one person) both have numbers and share none; u ~ 1 (two people rarely share a
# number). People have several numbers and change them with jobs, so it is bounded, and
# on too little data the default applies.
W_PHONE_DIFF = -1.0
W_PHONE_DIFF_MIN = -4.0
PHONE_MIN_PAIRS = 50      # same-person pairs with numbers needed to measure it

# A whole name carried by more than CROWD_GROUPS separate groups of records (records joined
# by shared keys) is likely more than one person's: both names agreeing then counts
# log2(groups / CROWD_GROUPS) less, up to CROWD_CLIP. (One person's records often form two
# groups: a LinkedIn row and an address-book card with no key in common.) Term frequencies
# of the first name and surname alone miss this: Yulia and Bogsky are each unremarkable.
CROWD_GROUPS, CROWD_CLIP = 2, 8.0
# One file (an address book, a calendar) rarely holds two records of one person that share
# no address, profile or phone, and often holds two namesakes: two people each with a record
# in the same file count against by how much, measured per file (``same_file_weights``):
# m, how often a person's records already joined by shared keys hold two from that file; u,
# how often two people both have records there. At most this much against:
W_SAME_FILE_MIN = -4.0
SAME_FILE_MIN_GROUPS = 50  # multi-record people needed to measure a file (else no weight)

# A whole name carried by CROWD_GROUPS groups or fewer is most likely one person's, and how
# likely is measured on the data (``few_groups_weight``): of the names two groups carry, the
# share where both groups have a LinkedIn profile is the share of namesakes times the chance
# two people both have one (one person's two groups never both do). Both names agreeing
# then weigh the odds that says (plus the first-name and surname frequencies), shrunk
# towards FEW_GROUPS_NAMESAKES on little data.
FEW_GROUPS_NAMESAKES = 0.025  # namesakes among names two groups carry, before the data speaks
FEW_GROUPS_PSEUDO = 200       # ... and how many names' worth of weight that guess has
FEW_GROUPS_MIN_PROFILES = 0.1  # below this share of groups with a profile, the data says nothing
W_FEW_MAX = 3.0               # the most it can add to both names agreeing

MIN_TYPO_LEN = 4          # a name this short one edit from another is another name (li ~ lin)
FUZZY_NAME = 0.90        # Jaro-Winkler similarity for a one-edit typo in a name
CLEARLY_DIFFERENT = 0.80  # below this similarity (and no nickname/initial), names are different people

# ------------------------------------------------------------------ blocking

MIN_HANDLE = 5           # an address user name shorter than this is not used to find candidates
MAX_BLOCK = 60           # a blocking key shared by more records is split by full first name variant
MAX_SUB_BLOCK = 200      # ... and a sub-block still larger is skipped (counted, not compared)

FEATURES = {
    "record_id": pl.Int64, "fn": pl.String, "ln": pl.String, "fvars": pl.List(pl.String),
    "lalts": pl.List(pl.String), "letters": pl.String, "wset": pl.UInt64, "split_first": pl.Boolean,
    "name_from_email": pl.Boolean,
    "title": pl.String, "full_patterns": pl.List(pl.String),
    "handle_keys": pl.List(pl.String), "slug": pl.String, "emails": pl.List(pl.String), "phones": pl.List(pl.String),
    "company": pl.String, "orgs": pl.List(pl.String), "org_heads": pl.List(pl.String), "handles": pl.List(pl.String),
    "patterns": pl.List(pl.String), "work_domains": pl.List(pl.String), "locals": pl.List(pl.String),
    "file_id": pl.Int64, "own_handle": pl.Boolean,
}

_SLUG_SUFFIX = re.compile(r"-[0-9a-f]{4,}$|-\d+$")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")
_TWO_LEVEL = frozenset("co com net org ac gov edu".split())


# ------------------------------------------------------------------ names


@functools.lru_cache(maxsize=1 << 18)
def _first_part(first: str) -> tuple[str | None, str]:
    """(first name, nickname-variant list joined by '|') of a first-name field."""
    p = parse_person_name(None, first, "x")
    if not p.first:
        return None, ""
    return _given(p), _variants(p)


def _given(p) -> str:
    """The given names of a parsed name: the first and any middle *word* (Thanh Duc: two
    people called Thanh Duc Vu and Thanh Riku Vu are not one), initials left out (Anna K.)."""
    return " ".join([p.first] + [m for m in p.middle if len(m) > 1])


def _variants(p) -> str:
    variants = set(variants_of_key(p.first))
    for nick in p.nicknames:
        variants |= variants_of_key(nick)
    return "|".join(sorted(variants))


def _surname_alternatives(p) -> str:
    """Other forms of a surname an address or profile may spell, joined by '|': the first
    word of a double surname (tiago.tequeira@ for Tequeira Malhão) and the surname with
    its particles (fatima.alsayed@ for Al-Sayed, whose core is sayed)."""
    core = p.last_core or ""
    alts = set()
    if " " in core:
        alts.add(core.split(" ")[0])
    if p.last and p.last != core:
        alts.add(p.last.replace(" ", ""))
    alts.discard(core.replace(" ", ""))
    return "|".join(sorted(a for a in alts if len(a) >= 2))


@functools.lru_cache(maxsize=1 << 18)
def _last_part(last: str) -> tuple[str | None, str]:
    p = parse_person_name(None, "x", last)
    core = p.last_core
    if core and " " in core:
        # an initial left at the end ("Richard H." in a surname field: the name in the other
        # order) is no part of a surname
        words = [w for w in core.split(" ") if len(w) > 1]
        core = " ".join(words) if words else core
    return (core.replace(" ", "") if core else None), _surname_alternatives(p)


@functools.lru_cache(maxsize=1 << 18)
def _full_parts(full: str) -> tuple[str | None, str | None, str, str]:
    p = parse_person_name(full)
    fn = p.first
    ln = p.last_core.replace(" ", "") if p.last_core else None
    variants = _variants(p) if fn else ""
    alts = _surname_alternatives(p)
    words = [w for w in p.middle if len(w) > 1]
    if ln and len(ln) == 1 and words and "," not in full:
        # a trailing initial is no surname: "Zhou Jørgen J." is a name in the other order
        # with its middle initial (read as Zhou + Jørgen, the swapped-name comparison's case)
        ln, words, alts = words[-1].replace(" ", ""), words[:-1], ""
    if fn and "," in full:
        # "Vu, Thanh Duc": the comma says where the surname ends; the rest are given names
        fn = _given(p)
    elif ln and len(words) == 1:
        # "Inés Esarro Riillo" in one field (or "Inés C. Esarro Riillo": initials aside):
        # Esarro is a middle name or the first of two surnames. Read as the double
        # surname (what a surname field would hold: a
        # namesake's "Inés Herares Riillo" is then another surname, not the same one), with
        # the last word alone as an alternative form for finding candidates.
        alts = "|".join(sorted({a for a in alts.split("|") if a} | {ln}))
        ln = words[0] + ln
    return fn, ln, variants, alts


def _map_unique(frame: pl.DataFrame, cols: list[str], fn, out: dict[str, pl.DataType]) -> pl.DataFrame:
    """Apply a Python function once per distinct combination of ``cols``."""
    uniq = frame.select(cols).unique()
    rows = [fn(*r) for r in uniq.iter_rows()]
    mapped = pl.DataFrame(rows, schema=out, orient="row")
    return pl.concat([uniq, mapped], how="horizontal")


# Parsed names, by the string parsed: a first-name field ('first': fn, fv), a surname field
# ('last': ln, la) or a whole name ('full': fn, ln, fv, la), as _first_part, _last_part and
# _full_parts give them (fv and la: '|'-joined lists). Parsing is the one step of features()
# that runs in Python once per distinct string, so the flows keep these rows between runs
# (store.name_parts) and pass them back: a full resolution parses only names it never saw.
NAME_PARTS = {"kind": pl.String, "raw": pl.String, "fn": pl.String, "ln": pl.String, "fv": pl.String,
              "la": pl.String}


def _name_fields(records: pl.DataFrame) -> pl.DataFrame:
    """record_id, f, l, full and ``by``: 'fields' for a record whose first-name and surname
    fields are parsed one by one (distinct first names and surnames are few), 'full' for one
    whose whole name is (its name key, or its fields joined, where it has none; the empty
    string, which parses to no name, where it has no name at all)."""
    cols = records.columns
    first = pl.col("first_name") if "first_name" in cols else pl.lit(None, pl.String)
    last = pl.col("last_name") if "last_name" in cols else pl.lit(None, pl.String)
    full = pl.col("full_name") if "full_name" in cols else pl.lit(None, pl.String)
    key = pl.col("name_key") if "name_key" in cols else pl.lit(None, pl.String)
    base = records.select(*(["record_id"] if "record_id" in cols else []), first.alias("f"), last.alias("l"),
                          pl.coalesce(full, key).alias("full"))
    # A first-name field of two words that, with the surname field, only repeats the full
    # name was split from a display name ("Inés Esarro" + "Riillo"): the whole name is read
    # instead (see _full_parts for its middle word).
    split_display = (pl.col("f").str.contains(" ", literal=True)
                     & (pl.col("full") == pl.concat_str([pl.col("f"), pl.col("l")], separator=" "))).fill_null(False)
    fields = ((pl.col("f").str.strip_chars().str.len_chars() > 0) & (pl.col("l").str.strip_chars().str.len_chars() > 0)
              & ~split_display).fill_null(False)
    whole = pl.coalesce(pl.col("full"), pl.concat_str([pl.col("f"), pl.col("l")], separator=" ", ignore_nulls=True))
    return base.with_columns(pl.when(fields).then(pl.col("full")).otherwise(whole).alias("full"),
                             pl.when(fields).then(pl.lit("fields")).otherwise(pl.lit("full")).alias("by"))


def _strings_of(fields: pl.DataFrame) -> pl.DataFrame:
    """(kind, raw): the distinct strings ``_name_fields`` says to parse."""
    by = pl.col("by")
    return pl.concat([fields.filter(by == "fields").select(pl.lit("first").alias("kind"), pl.col("f").alias("raw")),
                      fields.filter(by == "fields").select(pl.lit("last").alias("kind"), pl.col("l").alias("raw")),
                      fields.filter(by == "full").select(pl.lit("full").alias("kind"), pl.col("full").alias("raw"))]
                     ).unique()


def name_strings(records: pl.DataFrame) -> pl.DataFrame:
    """(kind, raw): the distinct name strings ``features`` parses for these records (see
    NAME_PARTS)."""
    return _strings_of(_name_fields(records))


def parse_names(strings: pl.DataFrame) -> pl.DataFrame:
    """NAME_PARTS rows for the (kind, raw) rows of ``strings``: each string parsed once."""
    rows = []
    for kind, raw in strings.select("kind", "raw").unique().iter_rows():
        if kind == "first":
            fn, fv = _first_part(raw)
            rows.append((kind, raw, fn, None, fv, None))
        elif kind == "last":
            ln, la = _last_part(raw)
            rows.append((kind, raw, None, ln, None, la))
        else:
            rows.append((kind, raw, *_full_parts(raw)))
    return pl.DataFrame(rows, schema=NAME_PARTS, orient="row")


def _name_columns(records: pl.DataFrame, parsed: pl.DataFrame | None = None) -> pl.DataFrame:
    """record_id, fn, ln, fvars, lalts. Strings found in ``parsed`` (NAME_PARTS rows) are
    not parsed again."""
    fields = _name_fields(records)
    need = _strings_of(fields)
    known = (parsed.join(need, on=["kind", "raw"], how="semi").unique(["kind", "raw"]) if parsed is not None
             else pl.DataFrame(schema=NAME_PARTS))
    table = pl.concat([known.cast(NAME_PARTS), parse_names(need.join(known, on=["kind", "raw"], how="anti"))])
    kind = pl.col("kind")
    first = table.filter(kind == "first").select(pl.col("raw").alias("f"), "fn", "fv")
    last = table.filter(kind == "last").select(pl.col("raw").alias("l"), "ln", "la")
    whole = table.filter(kind == "full").select(pl.col("raw").alias("full"), "fn", "ln", "fv", "la")
    out = [fields.filter(pl.col("by") == "fields").join(first, on="f", how="left").join(last, on="l", how="left"),
           fields.filter(pl.col("by") == "full").join(whole, on="full", how="left")]
    names = pl.concat([o.select("record_id", "fn", "ln", "fv", "la") for o in out])
    split = lambda c: (pl.when(pl.col(c).str.len_chars() > 0).then(pl.col(c).str.split("|"))  # noqa: E731
                       .otherwise(pl.lit([], pl.List(pl.String))))
    return names.select("record_id", "fn", "ln", split("fv").alias("fvars"), split("la").alias("lalts"))


# An address whose user name is two words, first.last or first_last (or last.first: the
# swapped-name comparison reads it), names a record that has no name of its own: a
# calendar attendee known only by their address. Digits and one-letter parts spell nothing.
_NAME_IN_ADDRESS = r"^([a-z]{2,})[._-]([a-z]{2,})$"


def _names_from_addresses(names: pl.DataFrame, records: pl.DataFrame) -> pl.DataFrame:
    """Fill fn/ln/fvars of records with no name from their first two-word address (see
    _NAME_IN_ADDRESS), and flag them ``name_from_email``."""
    nameless = names.filter(pl.col("fn").is_null() & pl.col("ln").is_null()).select("record_id")
    names = names.with_columns(pl.lit(False).alias("name_from_email"))
    if nameless.height == 0:
        return names
    locals_ = (records.join(nameless, on="record_id", how="semi").select("record_id", pl.col("emails").alias("e"))
               .explode("e").drop_nulls("e").with_columns(email_match_key_expr("e").alias("e")).drop_nulls("e")
               .select("record_id", pl.col("e").str.split("@").list.first().alias("local")))
    parts = (locals_.with_columns(pl.col("local").str.extract_groups(_NAME_IN_ADDRESS).alias("g"))
             .filter(pl.col("g").struct.field("1").is_not_null())
             .group_by("record_id", maintain_order=True).first()
             .select("record_id", pl.col("g").struct.field("1").alias("f"), pl.col("g").struct.field("2").alias("l")))
    if parts.height == 0:
        return names
    fmap = _map_unique(parts, ["f"], _first_part, {"dfn": pl.String, "dfv": pl.String})
    derived = parts.join(fmap, on="f", how="left").select(
        "record_id", "dfn", pl.col("l").alias("dln"),
        pl.when(pl.col("dfv").str.len_chars() > 0).then(pl.col("dfv").str.split("|"))
        .otherwise(pl.lit([], pl.List(pl.String))).alias("dfv"))
    names = names.join(derived, on="record_id", how="left")
    got = pl.col("dfn").is_not_null()
    return names.select("record_id", pl.when(got).then(pl.col("dfn")).otherwise(pl.col("fn")).alias("fn"),
                        pl.when(got).then(pl.col("dln")).otherwise(pl.col("ln")).alias("ln"),
                        pl.when(got).then(pl.col("dfv")).otherwise(pl.col("fvars")).alias("fvars"),
                        "lalts", got.alias("name_from_email"))


def _typo(a: str, b: str) -> bool:
    """A spelling slip, not another name: similar (Jaro-Winkler >= FUZZY_NAME) *and* at most
    one edit apart (two for long names). Similarity alone is lenient on long names: built
    double surnames (Valhao Falcao ~ Vatins Falcao) stay similar through four edits. Names
    shorter than MIN_TYPO_LEN one edit apart are other names (Li, Lin, Liu)."""
    shortest = min(len(a), len(b))
    return (shortest >= MIN_TYPO_LEN and JaroWinkler.normalized_similarity(a, b) >= FUZZY_NAME
            and OSA.distance(a, b) <= (1 if shortest < 9 else 2))


@functools.lru_cache(maxsize=1 << 20)
def first_names_compatible(a: str | None, b: str | None) -> int:
    """Comparison level of two folded first names: 3 exact, 2 nickname, 1 typo, 0 initial,
    -1 different, None-ish (-2) when either is missing."""
    if not a or not b:
        return -2
    if a == b:
        return 3
    if len(a) == 1 or len(b) == 1:
        return 0 if a[0] == b[0] else -1
    if same_first_key(a, b):
        return 2
    if _typo(a, b):
        return 1
    return -1


@functools.lru_cache(maxsize=1 << 20)
def surnames_compatible(a: str | None, b: str | None) -> int:
    """2 exact, 1 typo (or one a part of a double surname), 0 one letter apart (see
    W_LAST_NEAR), -1 different, -2 missing."""
    if not a or not b:
        return -2
    if a == b:
        return 2
    if _typo(a, b):
        return 1
    if len(a) >= 3 and len(b) >= 3 and (a.startswith(b) or b.startswith(a) or a.endswith(b) or b.endswith(a)):
        return 1
    if (min(len(a), len(b)) >= MIN_TYPO_LEN and OSA.distance(a, b) == 1
            and JaroWinkler.normalized_similarity(a, b) >= CLEARLY_DIFFERENT):
        return 0  # one letter apart: near, neither a slip nor another name (W_LAST_NEAR)
    return -1


@functools.lru_cache(maxsize=1 << 20)
def clearly_different(fa: str | None, la: str | None, fb: str | None, lb: str | None) -> bool:
    """Whether two names cannot be one person's: surnames unlike each other, or first names
    that are neither equal, an initial, a nickname nor a near spelling. Names written in
    the other order are compared crosswise first, each one read the other way round in
    turn (a first name is compared as a first name, a surname as a surname: reading one
    name backwards or the other is not the same test). A missing part is no evidence."""
    return (_clearly_different_as_read(fa, la, fb, lb) and _clearly_different_as_read(fb, lb, fa, la)
            and not _rotated(fa, la, fb, lb))


MIN_ROTATED_LEN = 6  # letters in a whole name below which a rotation with a slip proves nothing


def _cuts(first: str) -> list[int]:
    """Where the words after a whole name's first word start, as letter offsets into first
    name + surname without spaces (the words of a surname are joined in the name key, so
    its inner cuts are unknown)."""
    cuts, at = [], 0
    for word in first.split(" "):
        at += len(word)
        cuts.append(at)
    return cuts


def _rotated(fa: str | None, la: str | None, fb: str | None, lb: str | None) -> bool:
    """Whether one whole name is the other's words turned round, perhaps with one slip: a
    name of three words or more written family name first or last
    ("Đỗ Văn Minh" ~ "Văn Minh Đỗ", "Trần Thanh Hà" ~ "Thanh Hà Ttần"), which reading
    first name and surname crosswise misses when the words were cut in other places.

    A name is turned at its own word cuts only (turned inside a word, Mingyang Xiao would
    be Yang Xiaoming, another person), and the two halves it falls into must pass the
    parts' own comparison against the other name cut at the same place: a slip in a short
    surname is another surname (Sang-ah Han ~ Ahn Sang-ah are two people)."""
    if not (fa and la and fb and lb):
        return False
    a, b = (fa + la).replace(" ", ""), (fb + lb).replace(" ", "")
    shortest = min(len(a), len(b))
    if shortest < MIN_ROTATED_LEN or abs(len(a) - len(b)) > 1:
        return False
    for x, first, y, other in ((a, fa, b, fb), (b, fb, a, fa)):
        # (read straight too when the other name is cut elsewhere: the same words split
        # differently, with a slip, as Thanh Nam + Duong ~ Thanh + Nam Duang)
        cut = len(first.replace(" ", ""))
        straight = [(x[:cut], x[cut:])] if cut != len(other.replace(" ", "")) else []
        for head, tail in straight + [(x[k:], x[:k]) for k in _cuts(first)]:
            if OSA.distance(head + tail, y, score_cutoff=1) > 1:
                continue
            for m in {len(head), len(head) + len(y) - len(x)}:
                if 0 < m < len(y) and not _different_direct(head, tail, y[:m], y[m:]):
                    return True
    return False


def _clearly_different_as_read(fa: str | None, la: str | None, fb: str | None, lb: str | None) -> bool:
    """clearly_different, with only the second name read in the other order."""
    if fa and la and fb and lb:
        if fa.replace(" ", "") == lb and la == fb.replace(" ", ""):
            return False  # the same words in the other order (Kwon Sang-min ~ Sang-min Kwon)
        if (fa + la).replace(" ", "") == (fb + lb).replace(" ", ""):
            return False  # the same words split differently (Xuân Hải + Võ ~ Xuân + Hải Võ)
        if (fa, la) != (lb, fb) and not _different_direct(fa, la, lb, fb):
            return False  # alike when one is read in the other order (Kofi Kamau ~ Kamau Kofii)
    return _different_direct(fa, la, fb, lb)


def _different_direct(fa: str | None, la: str | None, fb: str | None, lb: str | None) -> bool:
    if fa and la and fb and lb and fa == lb and la == fb:
        return False
    s = surnames_compatible(la, lb)
    if s == -1 and JaroWinkler.normalized_similarity(la, lb) < CLEARLY_DIFFERENT:
        # a short surname one letter off beside the same first name is a slip (Hyun-su Lm ~
        # Hyun-su Lim on one address), though Li and Lin are two names to score: two
        # relatives on one address have different first names (Mark and Mary Whitfield)
        return not (fa and fa == fb and OSA.distance(la, lb) <= 1)
    f = first_names_compatible(fa, fb)
    if f == -1:
        if fa and fb and JaroWinkler.normalized_similarity(fa, fb) >= CLEARLY_DIFFERENT:
            return False
        return not (fa and fb and (_nickname_slip(fa, fb) or _nickname_slip(fb, fa)))
    return False


def _nickname_slip(a: str, b: str) -> bool:
    """Whether first name ``a`` is one slip from a short form of ``b`` or of a fuller form
    of ``b`` (Trrish ~ Patricia, Debbyy ~ Deborah): a misspelt nickname, the same person's
    name, which the union guard must not call clearly different. Not for scoring: as
    evidence it is no stronger than the names' letters."""
    for form in variants_of_key(b):
        if any(_typo(a, short) for short in short_forms_of(form)):
            return True
    return False


# ------------------------------------------------------------------ features


def _domain_label(domain: str) -> str | None:
    """The name part of a domain, in the form a company key takes without its spaces:
    acme.com → acme, acme.co.uk → acme, mail.acme.de → acme, lee-smith.com → leesmith (the
    company "Lee-Smith" is ``lee smith``: hyphens are no part of either)."""
    parts = domain.split(".")
    if len(parts) >= 3 and parts[-2] in _TWO_LEVEL:
        parts = parts[:-1]
    return (_NOT_ALNUM.sub("", parts[-2]) or None) if len(parts) >= 2 else None


MIN_ORG_HEAD = 4  # letters a company's leading words need to stand for it (halcyon.example ~ Halcyon Bio)


def _org_heads(company: pl.Expr) -> pl.Expr:
    """The leading words of a company key, short of the whole ("halcyon bio partners" →
    halcyon, halcyonbio), spaces removed: what its work domain or a shorter way of writing
    it may say. They meet other records' whole names and domains, never each other's heads
    (Halcyon Bio and Halcyon Media share "halcyon" and are two companies)."""
    words = company.str.split(" ")
    heads = [words.list.head(k).list.join("") for k in (1, 2, 3)]
    return (pl.concat_list([pl.when(words.list.len() > k).then(h) for k, h in zip((1, 2, 3), heads)])
            .list.drop_nulls().list.eval(pl.element().filter(pl.element().str.len_chars() >= MIN_ORG_HEAD)))


def features(records: pl.DataFrame, parsed: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per record with the comparable forms (see FEATURES). ``parsed``: names
    parsed before (NAME_PARTS rows), not parsed again."""
    cols = records.columns
    names = _names_from_addresses(_name_columns(records, parsed), records)
    emails = (records.select("record_id", pl.col("emails").alias("e")).explode("e").drop_nulls("e")
              .with_columns(email_match_key_expr("e").alias("e")).drop_nulls("e")
              .with_columns(pl.col("e").str.split("@").list.first().alias("local"),
                            pl.col("e").str.split("@").list.last().alias("domain")))
    emails = emails.with_columns(
        pl.col("local").str.replace_all(r"[^a-z0-9]", "").str.replace(r"\d+$", "").alias("handle"),
        pl.when(~free_mail_expr(pl.col("domain"))).then(pl.col("domain")).alias("work"))
    labels = emails.select(pl.col("work").drop_nulls().unique())
    labels = labels.with_columns(pl.col("work").map_elements(_domain_label, return_dtype=pl.String).alias("label"))
    emails = emails.join(labels, on="work", how="left")
    per_email = emails.group_by("record_id").agg(
        pl.col("e").unique().alias("emails"),
        pl.col("local").unique().alias("locals"),
        pl.col("handle").filter(pl.col("handle").str.len_chars() >= 2).unique().alias("h_email"),
        pl.col("work").drop_nulls().unique().alias("work_domains"),
        pl.col("label").drop_nulls().unique().alias("labels"))
    phones = records.select("record_id", pl.col("phones").list.eval(
        pl.element().filter(pl.element().str.contains(r"^\+[1-9][0-9]{6,14}$"))).alias("phones"))
    company = (pl.col("company") if "company" in cols else pl.lit(None, pl.String))
    comp = records.select("record_id", company.alias("company_raw"))
    cmap = _map_unique(comp.drop_nulls("company_raw"), ["company_raw"], lambda c: (company_key(c),), {"company": pl.String})
    comp = comp.join(cmap, on="company_raw", how="left").drop("company_raw")
    # the whole name's letters in order, and whether the first-name field has two words: one
    # name split differently ("Sofía Casado" + "Oranes" from a display name ~ "Sofía" +
    # "Casado Oranes") has the same letters
    first = pl.col("first_name").str.strip_chars() if "first_name" in cols else pl.lit(None, pl.String)
    last = pl.col("last_name").str.strip_chars() if "last_name" in cols else pl.lit(None, pl.String)
    fullname = pl.col("full_name") if "full_name" in cols else pl.lit(None, pl.String)
    written = (pl.when((first.str.len_chars() > 0) & (last.str.len_chars() > 0))
               .then(pl.concat_str([first, last], separator=" ")).otherwise(fullname)
               .str.normalize("NFKD").str.to_lowercase())
    letters = written.str.replace_all(r"[^a-z]", "").replace("", None)
    # the name's words as a set (initials and credentials aside): a name in the other order
    # has the same set, however it was cut into first name and surname (see _reversed_whole_name)
    wset = (written.str.replace_all("-", " ", literal=True).str.replace_all(r"[^a-z ]", "").str.split(" ")
            .list.eval(pl.element().filter((pl.element().str.len_chars() > 1)
                                           & ~pl.element().is_in(sorted(CREDENTIALS))))
            .list.unique().list.sort().list.join(" ").replace("", None).hash())
    words = records.select("record_id", letters.alias("letters"), wset.alias("wset"),
                           first.str.contains(" ", literal=True).fill_null(False).alias("split_first"))
    title = pl.col("title") if "title" in cols else pl.lit(None, pl.String)
    file_id = pl.col("file_id").cast(pl.Int64) if "file_id" in cols else pl.lit(None, pl.Int64)
    slug = records.select("record_id", pl.col("linkedin_slug").alias("slug"), title.alias("title_raw"),
                          file_id.alias("file_id"))
    tmap = slug.select("title_raw").unique().drop_nulls().with_columns(title_key(pl.col("title_raw")).alias("title"))
    slug = slug.join(tmap, on="title_raw", how="left").drop("title_raw")  # (few distinct titles: each keyed once)
    # (in record order, kept through the joins: sorting the wide result would copy it)
    left = dict(on="record_id", maintain_order="left")
    feat = (names.sort("record_id").join(slug, **left).join(phones, **left).join(comp, **left)
            .join(words, **left).join(per_email, how="left", **left))
    empty = pl.lit([], pl.List(pl.String))
    feat = feat.with_columns([pl.col(c).fill_null(empty) for c in ("emails", "locals", "h_email", "work_domains", "labels")])
    # (in slices of records: the long form below is ~20 rows per record, which at a million
    # records held most of this function's memory at once)
    heads = feat.select("company").unique().drop_nulls().with_columns(_org_heads(pl.col("company")).alias("org_heads"))
    feat = pl.concat([_with_patterns(feat.slice(i, PATTERN_CHUNK), heads)
                      for i in range(0, max(feat.height, 1), PATTERN_CHUNK)])
    return feat if feat["record_id"].is_sorted() else feat.sort("record_id")


PATTERN_CHUNK = 100_000  # records whose name patterns are built at a time (see _with_patterns)


def _with_patterns(feat: pl.DataFrame, heads: pl.DataFrame) -> pl.DataFrame:
    """feat with the name patterns its handles may spell (``patterns``, ``full_patterns``,
    ``handle_keys``), its handles and orgs, ``own_handle``, and its company's leading words
    (``org_heads``, from ``heads``: company, org_heads); the FEATURES columns only."""
    slug_handle = pl.col("slug").str.replace(_SLUG_SUFFIX.pattern, "").str.replace_all(r"[^a-z0-9]", "")
    # the name patterns an address or slug may spell, built column by column (one nested
    # expression per element is several times slower in polars)
    feat = feat.with_columns(pl.col("fn").str.replace_all(" ", "", literal=True).alias("_f"),
                             pl.col("lalts").list.get(0, null_on_oob=True).alias("_a0"),
                             pl.col("lalts").list.get(1, null_on_oob=True).alias("_a1"))
    f_, l_, fi = pl.col("_f"), pl.col("ln"), pl.col("_f").str.head(1)
    # the whole name (first and surname, either order) and its shortened forms
    full = [pl.concat_str([f_, l_]), pl.concat_str([l_, f_])]
    short = [pl.concat_str([fi, l_]), pl.concat_str([f_, l_.str.head(1)]), pl.concat_str([l_, fi]),
             pl.concat_str([l_.str.head(1), f_])]
    for alt in (pl.col("_a0"), pl.col("_a1")):
        full += [pl.concat_str([f_, alt]), pl.concat_str([alt, f_])]
        short += [pl.concat_str([fi, alt])]
    parts = full + short + [f_, l_]
    # gathered in long form (one row per record and pattern) and grouped once: list
    # concatenation over a million rows costs more than all the rest of this function.
    # (Lists may repeat a value; every use explodes them and drops repeats.)
    kind = [0] * len(full) + [1] * len(short) + [2, 2]  # whole name, short form, one name alone
    long = (feat.select("record_id", *[x.alias(f"_p{i}") for i, x in enumerate(parts)])
            .unpivot(index="record_id", variable_name="p").drop_nulls("value")
            .with_columns(pl.col("p").str.slice(2).cast(pl.Int32).replace_strict(dict(enumerate(kind))).alias("k")))
    lists = long.group_by("record_id").agg(
        pl.col("value").alias("patterns"), pl.col("value").filter(pl.col("k") == 0).alias("full_patterns"),
        pl.col("value").filter(pl.col("k") <= 1).alias("handle_keys"))
    empty = pl.lit([], pl.List(pl.String))
    feat = feat.join(lists, on="record_id", how="left", maintain_order="left").with_columns(
        [pl.col(c).fill_null(empty) for c in ("patterns", "full_patterns", "handle_keys")])
    feat = feat.with_columns(
        pl.concat_list([pl.col("h_email"), pl.when(slug_handle.str.len_chars() >= 2).then(slug_handle)])
        .list.drop_nulls().alias("handles"),
        pl.concat_list([pl.col("company").str.replace_all(" ", ""), pl.col("labels")]).list.drop_nulls().alias("orgs"),
    )
    # whether one of its handles spells the record's own name (most do: ann.lee@ for Ann Lee)
    handles = feat.select("record_id", pl.col("handles").alias("value")).explode("value").drop_nulls("value")
    own = long.join(handles, on=["record_id", "value"], how="inner").select("record_id").unique()
    feat = feat.with_columns(pl.col("record_id").is_in(own["record_id"].implode()).alias("own_handle"))
    feat = feat.join(heads, on="company", how="left", maintain_order="left")
    return feat.with_columns(pl.col("org_heads").fill_null([])).select(list(FEATURES))


# ------------------------------------------------------------------ blocking


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
    jw, osa = _similarities(ok["x"], ok["y"])
    ok = ok.with_columns(jw, osa)
    x, y = pl.col("x"), pl.col("y")
    shortest = pl.min_horizontal(x.str.len_chars(), y.str.len_chars())
    typo = ((shortest >= MIN_TYPO_LEN) & (pl.col("jw") >= FUZZY_NAME)
            & (pl.col("osa") <= pl.when(shortest < 9).then(1).otherwise(2)))
    if kind == "last":
        part = ((x.str.len_chars() >= 3) & (y.str.len_chars() >= 3)
                & (x.str.starts_with(y) | y.str.starts_with(x) | x.str.ends_with(y) | y.str.ends_with(x)))
        near = (shortest >= MIN_TYPO_LEN) & (pl.col("osa") == 1) & (pl.col("jw") >= CLEARLY_DIFFERENT)
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
    return pairs.select(pl.min_horizontal("record_id", "record_id_b").alias("a"),
                        pl.max_horizontal("record_id", "record_id_b").alias("b")).unique()


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
    return pairs.select(pl.min_horizontal("record_id", "record_id_b").alias("a"),
                        pl.max_horizontal("record_id", "record_id_b").alias("b")).unique()


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
    return pairs.select(pl.min_horizontal("record_id", "record_id_b").alias("a"),
                        pl.max_horizontal("record_id", "record_id_b").alias("b")).unique()


def handle_pairs(feat: pl.DataFrame) -> pl.DataFrame:
    """(a, b) pairs of a record and another whose name its address's user name or LinkedIn
    slug spells: a record with no name (an address only) meets the names its user name
    spells whole or shortened (``handle_keys``: harutosakagawa, hsakagawa, harutos, ...); a
    named record meets the names its handles spell whole (``full_patterns``), which finds
    a misspelt name beside its own profile (Ivan Kassky, linkedin.com/in/ivan-krassky ~ Ivan
    Krassky). A user name spelling more than MAX_BLOCK names finds nobody."""
    handles = (feat.select("record_id", (pl.col("fn").is_null() & pl.col("ln").is_null()).alias("nameless"),
                           pl.col("handles").alias("v"))
               .explode("v").drop_nulls("v").filter(pl.col("v").str.len_chars() >= MIN_HANDLE).unique())
    if handles.height == 0:
        return pl.DataFrame(schema={"a": pl.Int64, "b": pl.Int64})
    parts = []
    for nameless, spelled_by in ((True, "handle_keys"), (False, "full_patterns")):
        mine = handles.filter(pl.col("nameless") == nameless).select("record_id", "v")
        named = (feat.select("record_id", pl.col(spelled_by).alias("v")).explode("v").drop_nulls("v")
                 .join(mine.select("v").unique(), on="v", how="semi").unique())
        named = named.join(named.group_by("v").len().filter(pl.col("len") <= MAX_BLOCK).select("v"), on="v",
                           how="semi")
        parts.append(mine.join(named, on="v", suffix="_b").filter(pl.col("record_id") != pl.col("record_id_b")))
    pairs = pl.concat(parts)
    return pairs.select(pl.min_horizontal("record_id", "record_id_b").alias("a"),
                        pl.max_horizontal("record_id", "record_id_b").alias("b")).unique()


# ------------------------------------------------------------------ comparisons


# Short forms address books write for the same title words ("Sr. Mgr" ~ "Senior Manager").
_TITLE_WORDS = {"sr": "senior", "snr": "senior", "jr": "junior", "mgr": "manager", "mngr": "manager",
                "dir": "director", "vp": "vice president", "svp": "senior vice president",
                "evp": "executive vice president", "avp": "assistant vice president", "asst": "assistant",
                "assoc": "associate", "exec": "executive", "eng": "engineer", "engr": "engineer",
                "mktg": "marketing", "dev": "developer", "acct": "account", "ops": "operations"}


def title_key(title: pl.Expr) -> pl.Expr:
    """A job title as compared: lower case, words only, common short forms spelled out."""
    t = (" " + title.str.to_lowercase().str.replace_all("&", " and ", literal=True)
         .str.replace_all(r"[^a-z0-9]+", " ") + " ")
    for short, long in _TITLE_WORDS.items():
        t = t.str.replace_all(f" {short} ", f" {long} ", literal=True)
    return t.str.strip_chars().replace("", None)


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


def _whole_names() -> list[pl.Expr]:
    """A record's whole name as one run of letters: ``st`` first name then surname, and
    ``r0``..``r2`` surname (or one of its other forms, ``lalts``) then first name. One
    record's ``st`` equal to another's ``r*`` is one name written in the other order, however
    each was cut into first name and surname: "Palhão Sarães" + "Nikhil" ~ "Nikhil" +
    "Palhão Sarães", "Al-Nabari" + "Hamza" ~ "Hamza" + "Al-Nabari" (whose core is Nabari)."""
    fk = pl.col("fn").str.replace_all(" ", "", literal=True)
    both = pl.col("fn").is_not_null() & pl.col("ln").is_not_null()
    alt = lambda i: pl.col("lalts").list.get(i, null_on_oob=True)  # noqa: E731
    return [pl.when(both).then(pl.concat_str([fk, pl.col("ln")])).alias("st"),
            pl.when(both).then(pl.concat_str([pl.col("ln"), fk])).alias("r0"),
            pl.when(both).then(pl.concat_str([alt(0), fk])).alias("r1"),
            pl.when(both).then(pl.concat_str([alt(1), fk])).alias("r2")]


def _whole_name_hashes() -> list[pl.Expr]:
    """``_whole_names`` as 64-bit hashes, to compare in memory (never stored: polars' hash
    may change between versions)."""
    return [pl.when(e.is_not_null()).then(e.hash()).alias(name)  # (a missing name hashes to null, not a value)
            for e, name in zip(_whole_names(), ("st", "r0", "r1", "r2"))]


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


SCORE_CHUNK = 400_000     # pairs scored at a time: bounds the memory of the joins below

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

    In two passes, each SCORE_CHUNK pairs at a time (the result is the same; peak memory
    is not proportional to a million records' pairs): names, company and title for every
    pair, which drops the pairs that cannot reach the floor whatever the rest says (most
    of them); then addresses, phones, handles and files for the rest. The records' list
    fields are exploded once for all chunks.
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
        f = feat.join(comp_orgs.select("record_id", "cemails", "cwork", "cfree", "cfiles"), on="record_id",
                      how="left")
        ex = {c: _exploded(f, c, hashed=c not in ("locals", "cfiles"))  # (user names are shown)
              for c in ("emails", "phones", "handles", "patterns", "locals", "cemails", "cwork", "cfree",
                        "full_patterns", "handle_keys", "cfiles")}
        handles = ex["handles"]["v"].unique()
        spelt = pl.concat([handles, ex["locals"]["v"].str.replace_all(r"[^a-z0-9]", "").hash()]).unique()
        ex["patterns"] = ex["patterns"].filter(pl.col("v").is_in(spelt.implode()))
        for c in ("full_patterns", "handle_keys"):
            ex[c] = ex[c].filter(pl.col("v").is_in(handles.implode()))
        side = f.select("record_id", pl.when(pl.col("slug").is_not_null()).then(pl.col("slug").hash()).alias("slug"),
                        pl.col("emails").list.len().alias("n_emails"), pl.col("phones").list.len().alias("n_phones"),
                        pl.col("cfree").fill_null([]).list.len().alias("n_cfree"), "own_handle",
                        (pl.col("fn").is_null() & pl.col("ln").is_null()).alias("nameless"), "name_from_email")
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

