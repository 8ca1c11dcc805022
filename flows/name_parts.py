"""Parsed names kept between runs (store.name_parts): the matcher parses each distinct name
string in Python, which at a million records was most of the time ``features()`` took, and
the same names come back in every full resolution. They are parsed once, as their file is
ingested (in its transaction), and a resolution parses only the strings it finds no row
for, storing those with its result.

A row is only as good as the code that parsed it: rows carry :func:`parser_version`, a
digest of the parsing code and the nickname data, and rows of another version are never
read and are deleted at the next write.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import metadata
from pathlib import Path

import duckdb
import polars as pl

import transforms.match
import transforms.nicknames
import transforms.normalize
from flows.db import registered
from transforms.match import NAME_PARTS, name_strings, parse_names


def source_digest(*files: Path, extra: bytes = b"") -> str:
    """A short digest of source files' bytes (and ``extra``): which code made something
    stored, so that what other code made is not trusted."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    digest.update(extra)
    return digest.hexdigest()[:12]


@functools.lru_cache(maxsize=1)
def parser_version() -> str:
    """Digest of the code that parses names and of the nickname package's version."""
    try:
        package = metadata.version("nicknames").encode()
    except metadata.PackageNotFoundError:  # (a vendored copy: its source is hashed)
        package = b""
    modules = (transforms.match, *transforms.match.STAGE_MODULES, transforms.normalize, transforms.nicknames)
    return source_digest(*(Path(m.__file__) for m in modules), extra=package)


def known(con: duckdb.DuckDBPyConnection, strings: pl.DataFrame) -> pl.DataFrame:
    """The stored NAME_PARTS rows of this parser version for the (kind, raw) ``strings``."""
    if strings.height == 0:
        return pl.DataFrame(schema=NAME_PARTS)
    with registered(con, "kith_name_strings", strings.select("kind", "raw")):
        rows = con.execute("""select p.kind, p.raw, p.fn, p.ln, p.fv, p.la
                              from store.name_parts p join kith_name_strings s using (kind, raw)
                              where p.parser_version = ?""", [parser_version()]).pl()
    return rows.cast(NAME_PARTS) if rows.height else pl.DataFrame(schema=NAME_PARTS)


def parsed_for(con: duckdb.DuckDBPyConnection, records: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(every NAME_PARTS row ``features(records)`` needs, the rows among them just parsed):
    stored rows where there are some, the rest parsed now (to be stored with :func:`store`)."""
    strings = name_strings(records)
    stored = known(con, strings)
    fresh = parse_names(strings.join(stored, on=["kind", "raw"], how="anti"))
    return pl.concat([stored, fresh]), fresh


def store(con: duckdb.DuckDBPyConnection, rows: pl.DataFrame) -> None:
    """Keep parsed rows (inside the caller's transaction), dropping those of other parser
    versions; a string stored already is not stored twice."""
    version = parser_version()
    con.execute("delete from store.name_parts where parser_version <> ?", [version])
    if rows.height == 0:
        return
    with registered(con, "kith_name_parts", rows.select(list(NAME_PARTS)).unique(["kind", "raw"])):
        con.execute("""insert into store.name_parts
                       select ?, n.kind, n.raw, n.fn, n.ln, n.fv, n.la from kith_name_parts n
                       where not exists (select 1 from store.name_parts p
                                         where p.parser_version = ? and p.kind = n.kind and p.raw = n.raw)""",
                    [version, version])


def remember(con: duckdb.DuckDBPyConnection, records: pl.DataFrame) -> int:
    """Parse and store the names of newly stored ``records`` that have no row yet (inside
    the caller's transaction: an ingest's). Returns how many strings were parsed."""
    _all, fresh = parsed_for(con, records)
    store(con, fresh)
    return fresh.height
