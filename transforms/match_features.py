"""Matching, features: one row per record with the comparable forms of its fields
(FEATURES): its name's parts (from ``transforms.match_names``) and letters, addresses, their
user names and work domains, company keys and their leading words, job titles as compared
(``title_key``), and the name patterns an address or LinkedIn slug may spell.

Before it: the records to resolve (``transforms.resolve.RESOLVE_INPUT``). After it:
``transforms.match_blocking`` finds candidate pairs among these rows, and
``transforms.match_comparisons`` scores them; both read a record's whole name in either
order from ``_whole_names`` here.
"""

from __future__ import annotations

import re

import polars as pl

from transforms.normalize import CREDENTIALS, company_key, email_match_key_expr, free_mail_expr
from transforms.match_names import _map_unique, _name_columns, _names_from_addresses


# ------------------------------------------------------------------ features


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


# ------------------------------------------------------------------ job titles, as compared


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


# ------------------------------------------------------------------ whole names, for blocking and comparisons


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
