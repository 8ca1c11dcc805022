-- Everyone who could be on this week's list, best first.
--
-- Three tracks:
--   moment    a moment this week: a reply you owe (they wrote last, 2-30 days ago: these
--             lead the list, at most three), a birthday or a job change of someone you have a
--             relationship with (models.int_relationships: two-way contact, or a layer you
--             set), or a new connection nobody followed up. Moments take at most a third of
--             the places (3, 6, 9, ...) unless nothing else is due; a birthday of someone
--             you never wrote to is no reason to write (the report mentions it, nothing more);
--   slipping  1.5x to 8x past their usual gap, with at least one real exchange (not only
--             the connection), best by priority (strength x ln(1 + overdue));
--   dormant   beyond 8x, and strong when you were last in touch (the decayed weight of
--             your interactions on that day, at least dormant_min_strength): dormant but
--             once strong ties are worth reviving and get their own share, best by that
--             strength before going quiet (today's strength has decayed and would bury them).
-- Among the lapsed ties the k-th dormant tie takes place ceil(k / share) (with a 30% share:
-- places 4, 7, 10, 14, ... of theirs), so any list length gives dormant ties up to 30% of
-- those places; the slipping take the others, and when one track runs out the other fills in.
--
-- Never: anyone you ignored (`kith ignore`) or snoozed until after the as-of date (`kith
-- snooze`), even with a moment; anyone in touch within the quiet period (a `kith done` is
-- contact too); anyone with a meeting already on the calendar; anyone listed in the last
-- four weeks unless a moment applies. At most a few per company so one employer cannot
-- fill the list (the best placed stay).
with recently_listed as (
    select distinct l.person_id
    from reconnect_lists as l
    cross join store.run_context as c
    cross join models.params as p
    where l.as_of < c.as_of
      and l.as_of > c.as_of - p.relist_after_days
      and l.week <> strftime(c.as_of, '%G-W%V')  -- re-running this week replaces this week's list
),
moments as (
    -- the moments that are a reason to write: the new connection's follow-up (the start of a
    -- relationship), anything else only where there is a relationship
    select mo.*
    from models.int_moments as mo
    left join models.int_relationships as r using (person_id)
    where mo.moment = 'new connection' or coalesce(r.has_relationship, false)
),
scored as (
    select
        s.*,
        mo.moment,
        mo.moment_text,
        coalesce(mo.moment_rank, 9) as moment_rank,
        coalesce(h.decayed_weight_at_last, 0) as strength_when_last_in_touch,
        case
            when mo.moment is not null then 'moment'
            when s.status = 'dormant' then 'dormant'
            else 'slipping'
        end as track,
        coalesce(a.ignored, false) as ignored,
        a.snoozed_until,
        p.quiet_days,
        p.slipping_ratio,
        p.dormant_min_strength,
        p.dormant_share_pct,
        p.max_per_company,
        p.max_replies_owed
    from relationship_scores as s
    cross join models.params as p
    left join moments as mo using (person_id)
    left join models.int_person_history as h using (person_id)
    left join models.int_person_actions as a using (person_id)
),
eligible as (
    select
        -- the moment leads the reason (a new connection's own reason already says it)
        * replace (case
                       when moment = 'new connection' and contact_days = 0 then reason
                       when moment is not null then concat_ws(' ', moment_text, reason)
                       when track = 'dormant' then concat_ws(' ', 'Once a strong tie, now quiet: worth reviving.', reason)
                       else reason
                   end as reason)
    from scored
    where not ignored
      and (snoozed_until is null or snoozed_until <= as_of)
      and (coalesce(days_since, quiet_days) >= quiet_days
           or moment = 'new connection'  -- the connection itself is their only "contact"
           or moment = 'reply owed')  -- their message is the recent contact, and it waits for you
      and (person_id not in (select person_id from models.int_upcoming_meetings) or moment = 'reply owed')
      and (
          moment is not null
          or (overdue_ratio >= slipping_ratio
              and contact_days > 0
              and person_id not in (select person_id from recently_listed)
              and (track = 'slipping' or strength_when_last_in_touch >= dormant_min_strength))
      )
),
capped as (
    -- new connections and replies owed are moments, but a busy week of them must not crowd
    -- out old friends
    select *
    from eligible
    qualify moment is distinct from 'new connection' and moment is distinct from 'reply owed'
         or row_number() over (partition by moment order by
                               case when moment = 'reply owed' then strength else priority end desc,
                               person_id) <= case when moment = 'reply owed' then max_replies_owed else 3 end
),
placed as (
    -- the place within the track, and the slot after the moments it sorts at
    select
        *,
        row_number() over (
            partition by track
            order by case when track = 'dormant' then strength_when_last_in_touch else priority end desc, person_id
        ) as track_rank
    from capped
),
slotted as (
    select
        *,
        case track
            when 'moment' then 0
            when 'slipping' then track_rank
            -- the k-th dormant tie goes after ceil(100k / share%) - k slipping ones
            else (track_rank * 100 + dormant_share_pct - 1) // nullif(dormant_share_pct, 0) - track_rank + 0.5
        end as slot
    from placed
),
per_company as (
    select *
    from slotted
    qualify company is null
         or row_number() over (
                partition by lower(company) order by moment_rank, slot nulls last, priority desc, person_id
            ) <= max_per_company
),
-- place again without those the company cap removed
replaced as (
    select
        * replace (row_number() over (
            partition by track
            order by case when track = 'dormant' then strength_when_last_in_touch else priority end desc, person_id
        ) as track_rank)
    from per_company
),
reslotted as (
    select
        * replace (case track
            when 'moment' then 0
            when 'slipping' then track_rank
            else (track_rank * 100 + dormant_share_pct - 1) // nullif(dormant_share_pct, 0) - track_rank + 0.5
        end as slot)
    from replaced
),
interleaved as (
    -- replies owed first (the most time-critical, strongest tie first); then the k-th other
    -- moment at place 3k, the lapsed ties around them (places 1, 2, 4, 5, 7, ...): at most a
    -- third of any list are those moments; when either runs out the other fills in
    select
        *,
        case when moment = 'reply owed'
             then -100 + row_number() over (partition by moment = 'reply owed' order by strength desc, person_id)
             when track = 'moment'
             then 3 * row_number() over (partition by track = 'moment', moment is not distinct from 'reply owed'
                                         order by moment_rank, priority desc, person_id)
             else (lapsed_no + (lapsed_no - 1) // 2)
        end as place
    from (
        select *, row_number() over (partition by track = 'moment' order by slot nulls last, priority desc, person_id)
                  as lapsed_no
        from reslotted
    )
)
select
    row_number() over (order by place, track = 'moment', person_id) as rank,
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
    moment,
    track,
    layer,
    strength_when_last_in_touch
from interleaved
