-- Everyone who could be on this week's list, best first: slipping or dormant (1.5x their
-- usual gap or more), not in touch for the quiet period, at least one real exchange (not
-- only the connection), no meeting with them already on the calendar, not listed in the
-- last four weeks, and at most a few per company so one employer cannot fill the list.
with recently_listed as (
    select distinct l.person_id
    from reconnect_lists as l
    cross join store.run_context as c
    cross join models.params as p
    where l.as_of < c.as_of
      and l.as_of > c.as_of - p.relist_after_days
      and l.week <> strftime(c.as_of, '%G-W%V')  -- re-running this week replaces this week's list
),
eligible as (
    select s.*, p.quiet_days, p.max_per_company
    from relationship_scores as s
    cross join models.params as p
    where s.overdue_ratio >= p.slipping_ratio
      and s.days_since >= p.quiet_days
      and s.contact_days > 0
      and s.person_id not in (select person_id from models.int_upcoming_meetings)
      and s.person_id not in (select person_id from recently_listed)
),
per_company as (
    select
        *,
        row_number() over (
            partition by lower(company) order by priority desc, person_id
        ) as company_rank
    from eligible
)
select
    row_number() over (order by priority desc, person_id) as rank,
    person_id,
    display_name,
    reason,
    days_since,
    expected_gap_days,
    overdue_ratio,
    strength,
    priority,
    status,
    company
from per_company
where company is null or company_rank <= max_per_company
