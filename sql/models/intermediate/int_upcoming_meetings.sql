-- Per person: the next meeting already on the calendar after the as-of date (a scheduled
-- occurrence, or a meeting dated later than the as-of day). Someone you are about to meet
-- is not worth a reminder. Broadcasts (all-hands) do not count: you will not talk there.
select
    m.person_id,
    min(i.occurred_at) as next_meeting_at,
    arg_min(i.title, i.occurred_at) as next_meeting_title
from store.interaction_records as i
join store.person_map as m using (record_id)
cross join store.run_context as c
cross join models.params as p
where not m.is_owner
  and i.kind in ('meeting', 'scheduled')
  and cast(i.occurred_at as date) > c.as_of
  and i.n_participants <= p.broadcast_size
group by m.person_id
