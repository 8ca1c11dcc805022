-- Everyone who could be on this week's list, best first. People with a moment this week
-- (birthday, job change, unanswered new connection) come first; then the slipping or
-- dormant (1.5x their usual gap or more) with at least one real exchange (not only the
-- connection). Nobody in touch within the quiet period, nobody with a meeting already on
-- the calendar, nobody listed in the last four weeks unless a moment applies, and at most
-- a few per company so one employer cannot fill the list.
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
    select
        -- the moment leads the reason (a new connection's own reason already says it)
        s.* replace (case when mo.moment = 'new connection' and s.contact_days = 0 then s.reason
                          else concat_ws(' ', mo.moment_text, s.reason) end as reason),
        mo.moment,
        coalesce(mo.moment_rank, 9) as moment_rank,
        p.quiet_days,
        p.max_per_company
    from relationship_scores as s
    cross join models.params as p
    left join models.int_moments as mo using (person_id)
    where (coalesce(s.days_since, p.quiet_days) >= p.quiet_days
           or mo.moment = 'new connection')  -- the connection itself is their only "contact"
      and s.person_id not in (select person_id from models.int_upcoming_meetings)
      and (
          mo.moment is not null
          or (s.overdue_ratio >= p.slipping_ratio
              and s.contact_days > 0
              and s.person_id not in (select person_id from recently_listed))
      )
),
capped as (
    -- new connections are moments, but a busy week of them must not crowd out old friends
    select *
    from eligible
    qualify moment is distinct from 'new connection'
         or row_number() over (partition by moment order by priority desc, person_id) <= 3
),
per_company as (
    select
        *,
        row_number() over (
            partition by lower(company) order by moment_rank, priority desc, person_id
        ) as company_rank
    from capped
)
select
    row_number() over (order by moment_rank, priority desc, person_id) as rank,
    person_id,
    display_name,
    reason,
    days_since,
    expected_gap_days,
    overdue_ratio,
    strength,
    priority,
    status,
    company,
    moment
from per_company
where company is null or company_rank <= max_per_company
