-- The user's actions (`kith done`, `snooze`, `ignore`, `tier`) on the people who hold the
-- records each one named: one row per action and person (an action follows its records
-- through merges and splits; the owner is never acted on).
with named as (
    select action_id, unnest(record_hashes) as record_hash
    from store.user_actions
)
select distinct
    m.person_id,
    a.action_id,
    a.kind,
    a.on_date,
    a.layer,
    a.note,
    a.created_at
from named as n
join store.user_actions as a using (action_id)
join store.person_records as r on r.record_hash = n.record_hash
join store.person_map as m on m.record_id = r.record_id
where not m.is_owner
