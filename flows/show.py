"""Looking a person up: by id, email, LinkedIn URL or a name search. Read-only."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from transforms.normalize import fold, linkedin_slug, linkedin_url, normalize_email


@dataclass
class PersonDetail:
    person: dict
    score: dict | None
    sources: list[dict]
    interactions: list[dict]
    interaction_count: int
    near_misses: list[dict] = field(default_factory=list)
    moment: str | None = None  # this week's reason to write, if any ("Wrote to you on Tuesday ...")


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def find_people(con: duckdb.DuckDBPyConnection, query: str) -> list[dict]:
    """People matching ``query``: an id, an email, a LinkedIn URL, or words of a name."""
    query = query.strip()
    base = "select person_id, display_name, company, title from people"
    if query.isdigit():
        return _dicts(con.execute(f"{base} where person_id = ?", [int(query)]))
    email = normalize_email(query)
    if email:
        return _dicts(con.execute(f"{base} where list_contains(emails, ?) order by person_id", [email]))
    slug = linkedin_slug(query)
    if slug:
        return _dicts(con.execute(f"{base} where linkedin_url = ? order by person_id", [linkedin_url(slug)]))
    words = fold(query).split()
    if not words:
        return []
    where = " and ".join(["strip_accents(lower(display_name)) like ?"] * len(words))
    return _dicts(con.execute(f"{base} where {where} order by display_name, person_id limit 50",
                              [f"%{w}%" for w in words]))


def person_detail(con: duckdb.DuckDBPyConnection, person_id: int, max_interactions: int = 20) -> PersonDetail:
    person = _dicts(con.execute("select * from people where person_id = ?", [person_id]))[0]
    scores = _dicts(con.execute("select * from relationship_scores where person_id = ?", [person_id]))
    has_context = con.execute("select count(*) from store.run_context").fetchone()[0] > 0
    sources = _dicts(con.execute(
        "select * from person_sources where person_id = ? order by ingested_at, record_id", [person_id]))
    interactions = _dicts(con.execute(
        """select occurred_at, kind, direction, weight, n_participants, summary, title, duration_minutes,
                  source_file, record_key, count(*) over () as kith_total
           from interactions where person_id = ? order by occurred_at desc limit ?""",
        [person_id, max_interactions]))  # the newest, and how many in all, from one pass over the view
    count = interactions[0]["kith_total"] if interactions else 0
    for row in interactions:
        del row["kith_total"]
    moment = con.execute("select moment_text from models.int_moments where person_id = ?",
                         [person_id]).fetchone() if has_context else None
    return PersonDetail(person, scores[0] if scores and has_context else None, sources, interactions, count,
                        near_misses(con, person_id), moment[0] if moment else None)


def near_misses(con: duckdb.DuckDBPyConnection, person_id: int, limit: int = 5) -> list[dict]:
    """Other people a record of this person was compared with and not joined to: those
    kept for review first, then the ones kept apart, best score first. Pairs the user
    already decided are left out. Each with the matcher's reason and the other person."""
    return _dicts(con.execute(
        """with mine as (select record_id from store.person_map where person_id = ?),
                pairs as (
                    select case when p.record_id_a in (select record_id from mine) then p.record_id_b
                                else p.record_id_a end as other_record,
                           p.score, p.decision, p.reason,
                           case when p.record_id_a in (select record_id from mine) then p.record_id_a
                                else p.record_id_b end as own_record
                    from store.match_pairs p
                    where (p.record_id_a in (select record_id from mine)) <> (p.record_id_b in (select record_id from mine))
                      and p.decision in ('review', 'no link'))
            select o.person_id, o.display_name, o.company, pr.other_record, pr.own_record, pr.score, pr.decision,
                   pr.reason
            from pairs pr
            join store.person_map m on m.record_id = pr.other_record and not m.is_owner
            join people o on o.person_id = m.person_id
            join store.person_records ra on ra.record_id = pr.own_record
            join store.person_records rb on rb.record_id = pr.other_record
            where not exists (select 1 from store.resolution_rules r
                              where (r.record_hash_a = ra.record_hash and r.record_hash_b = rb.record_hash)
                                 or (r.record_hash_a = rb.record_hash and r.record_hash_b = ra.record_hash))
            qualify row_number() over (partition by o.person_id
                                       order by pr.decision = 'review' desc, pr.score desc nulls last) = 1
            order by pr.decision = 'review' desc, pr.score desc nulls last, o.person_id
            limit ?""", [person_id, limit]))
