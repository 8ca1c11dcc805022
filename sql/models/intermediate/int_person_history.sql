-- Per person: how often and how recently they were in touch, and the decayed strength.
-- Only days with a positive weight count as contact (a broadcast or a bare invitation
-- does not reset the timer).
with days as (
    select d.*, c.as_of, p.half_life_days,
           max(d.occurred_on) over (partition by d.person_id) as person_last_on
    from models.int_interaction_days as d
    cross join store.run_context as c
    cross join models.params as p
    where d.weight > 0
)
select
    person_id,
    count(*) as interaction_days,
    count(*) filter (where kind <> 'connected') as contact_days,
    min(occurred_on) as first_on,
    min(occurred_on) filter (where kind <> 'connected') as first_contact_on,
    max(occurred_on) filter (where kind <> 'connected') as last_contact_on,
    max(occurred_on) as last_on,
    arg_max(kind, occurred_on) as last_kind,
    arg_max(kind, occurred_on) filter (where kind <> 'connected') as last_contact_kind,
    sum(weight * pow(0.5, date_diff('day', occurred_on, as_of) / half_life_days)) as decayed_weight,
    -- the same on the last day in touch: how strong the tie was before it went quiet
    sum(weight * pow(0.5, date_diff('day', occurred_on, person_last_on) / half_life_days)) as decayed_weight_at_last,
    count(*) filter (where kind <> 'connected' and occurred_on > as_of - interval 365 day) as contact_days_last_year,
    count(*) filter (where kind = 'meeting' and occurred_on > as_of - interval 365 day) as meeting_days_last_year,
    max(occurred_on) filter (where kind = 'meeting') as last_meeting_on
from days
group by person_id
