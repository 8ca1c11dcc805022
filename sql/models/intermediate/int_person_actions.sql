-- Per person the user acted on: ignored (never listed), snoozed until a day (not listed
-- before it), and the layer the user put them in. Where a merge brings two people's actions
-- together, the newest snooze and the newest tier win.
select
    person_id,
    bool_or(kind = 'ignore') as ignored,
    arg_max(on_date, action_id) filter (where kind = 'snooze') as snoozed_until,
    arg_max(layer, action_id) filter (where kind = 'tier') as tier
from models.stg_user_actions
where kind in ('ignore', 'snooze', 'tier')
group by person_id
