"""Scoring and the weekly list: thin calls into the SQL models in sql/models."""

from __future__ import annotations

from datetime import date, datetime

import duckdb

from flows.db import in_transaction

LIST_COLUMNS = ["rank", "person_id", "display_name", "reason", "days_since", "expected_gap_days",
                "overdue_ratio", "strength", "priority"]


def iso_week(as_of: date) -> str:
    year, week, _ = as_of.isocalendar()
    return f"{year}-W{week:02d}"


def set_as_of(con: duckdb.DuckDBPyConnection, as_of: date) -> None:
    """Score as of this date: relationship_scores reads it from store.run_context."""
    def work() -> None:
        con.execute("delete from store.run_context")
        con.execute("insert into store.run_context values (?)", [as_of])

    in_transaction(con, work, "set as_of")


def score_summary(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """How many relationships are in each status."""
    rows = con.execute("select status, count(*) from relationship_scores group by status").fetchall()
    return dict(rows)


def store_weekly_list(con: duckdb.DuckDBPyConnection, as_of: date, limit: int) -> list[dict]:
    """Pick this week's list from models.reconnect_candidates and keep it in reconnect_lists,
    with the week's status counts in store.weekly_health (for the report's trend). Running
    again in the same week replaces that week's list and counts."""
    week = iso_week(as_of)
    cols = ", ".join(LIST_COLUMNS)

    def work() -> None:
        con.execute("delete from reconnect_lists where week = ?", [week])
        con.execute(
            f"""insert into reconnect_lists (week, as_of, {cols}, created_at)
                select ?, ?, {cols}, ? from models.reconnect_candidates where rank <= ? order by rank""",
            [week, as_of, datetime.now(), limit],
        )
        con.execute("delete from store.weekly_health where week = ?", [week])
        con.execute(
            """insert into store.weekly_health
               select ?, ?, count(*) filter (where status = 'warm'), count(*) filter (where status = 'due'),
                      count(*) filter (where status = 'slipping'), count(*) filter (where status = 'dormant'),
                      count(*) filter (where status = 'no history'), ?
               from relationship_scores""",
            [week, as_of, datetime.now()],
        )

    in_transaction(con, work, "store weekly list")
    return read_list(con, week)


def read_list(con: duckdb.DuckDBPyConnection, week: str) -> list[dict]:
    cursor = con.execute(
        """select l.week, l.as_of, l.rank, l.person_id, l.display_name, l.reason, l.days_since,
                  l.expected_gap_days, l.overdue_ratio, l.strength, l.priority, p.company, p.title,
                  p.linkedin_url, p.emails
           from reconnect_lists l left join people p using (person_id)
           where week = ? order by rank""",
        [week],
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]
