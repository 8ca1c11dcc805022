-- Per person: whether there is a relationship, not just an address-book card or a
-- connection. A relationship is real two-way contact up to the as-of date: a meeting you
-- both attended (not a broadcast), a message or email thread where you both wrote, a `kith done`;
-- or a layer you gave the person yourself (`kith tier`). Moments such as a birthday or a
-- job change are reasons to write only to people with a relationship.
with contact as (
    select
        i.person_id,
        count(distinct i.occurred_on) filter (where i.kind = 'meeting' and i.weight > 0) as meeting_days,
        count(distinct i.occurred_on) filter (where i.kind = 'done') as done_days,
        count(distinct i.direction) filter (where i.kind in ('message', 'email')) as message_directions
    from models.stg_interactions as i
    cross join store.run_context as c
    where i.occurred_on <= c.as_of
    group by i.person_id
)
select
    coalesce(c.person_id, a.person_id) as person_id,
    coalesce(c.meeting_days, 0) > 0
        or coalesce(c.done_days, 0) > 0
        or coalesce(c.message_directions, 0) > 1
        or a.tier is not null as has_relationship,
    case
        when a.tier is not null then 'you gave them a layer'
        when c.meeting_days > 0 then 'you met'
        when c.message_directions > 1 then 'you wrote to each other'
        when c.done_days > 0 then 'you marked contact'
    end as relationship_basis
from contact as c
full join (select person_id, tier from models.int_person_actions where tier is not null) as a using (person_id)
