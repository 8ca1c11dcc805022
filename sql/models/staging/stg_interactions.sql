-- One row per interaction with a person, weighted: channel x size x duration.
-- A message or an email counts as a two-way thread-day when both sides wrote in that
-- conversation that day. A meeting's or an email's size factor is 1/(n-1) for n people
-- including you (a 1:1 counts 1), and above the broadcast size it weighs nothing; a
-- meeting's duration factor is minutes/30, clamped.
-- `kith done` adds a day you were in touch (kind 'done', no interaction_id).
with base as (
    select
        m.person_id,
        i.interaction_id,
        i.occurred_at,
        cast(i.occurred_at as date) as occurred_on,
        i.kind,
        i.direction,
        i.n_participants,
        i.conversation_id,
        i.summary,
        i.duration_minutes,
        i.title,
        f.display_path as source_file,
        i.record_key
    from store.interaction_records as i
    join store.person_map as m using (record_id)
    join store.source_files as f using (file_id)
    where not m.is_owner
      and i.kind <> 'scheduled'  -- a meeting still ahead is not contact (yet)
),
thread_days as (
    select
        *,
        count(distinct direction) over (
            partition by person_id, conversation_id, occurred_on
        ) as sides_that_wrote
    from base
)
select
    t.person_id,
    t.interaction_id,
    t.occurred_at,
    t.occurred_on,
    t.kind,
    t.direction,
    case t.kind
        when 'meeting' then
            case when t.n_participants > p.broadcast_size then 0.0
                 else p.w_meeting
                      * (1.0 / greatest(t.n_participants - 1, 1))
                      * least(greatest(coalesce(t.duration_minutes, 30) / 30.0, p.duration_min), p.duration_max)
            end
        when 'message' then
            case when t.sides_that_wrote > 1 then p.w_message_two_way else p.w_message_one_way end
        when 'email' then
            case when t.n_participants > p.broadcast_size then 0.0
                 else (case when t.sides_that_wrote > 1 then p.w_email_two_way else p.w_email_one_way end)
                      * (1.0 / greatest(t.n_participants - 1, 1))
            end
        when 'invitation' then
            case when t.summary is not null then p.w_invitation_with_note else p.w_invitation_bare end
        when 'connected' then p.w_connected
        else 0.0
    end as weight,
    t.n_participants,
    t.conversation_id,
    t.summary,
    t.duration_minutes,
    t.title,
    t.source_file,
    t.record_key
from thread_days as t
cross join models.params as p
union all
select
    d.person_id,
    null::bigint as interaction_id,
    cast(d.on_date as timestamp) as occurred_at,
    d.on_date as occurred_on,
    'done' as kind,
    null::varchar as direction,
    p.w_done as weight,
    2 as n_participants,
    null::varchar as conversation_id,
    coalesce(d.note, 'You marked it: in touch') as summary,
    null::double as duration_minutes,
    null::varchar as title,
    'kith done' as source_file,
    cast(d.action_id as varchar) as record_key
from models.stg_user_actions as d
cross join models.params as p
where d.kind = 'done'
