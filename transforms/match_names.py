"""Matching, names: name strings parsed into the parts the matcher compares, and two names
compared one pair at a time.

Before it: the records' raw name fields (``transforms.normalize.parse_person_name`` reads a
name; this turns it into first name, surname, nickname variants and other surname forms,
each distinct string parsed once: NAME_PARTS, the rows flows/name_parts.py keeps between
runs). After it: ``transforms.match_features`` builds each record's features on these
parts; ``transforms.match_levels`` computes the levels of ``first_names_compatible`` and
``surnames_compatible`` (the reference) for whole columns at once; ``clearly_different``
is the guard clustering (``transforms.resolve``) applies before joining two people.
"""

from __future__ import annotations

import functools

import polars as pl
from rapidfuzz.distance import OSA, JaroWinkler

from transforms.nicknames import same_first_key, short_forms_of, variants_of_key
from transforms.normalize import email_match_key_expr, parse_person_name
from transforms.match_weights import CLEARLY_DIFFERENT, FUZZY_NAME, MIN_TYPO_LEN


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
