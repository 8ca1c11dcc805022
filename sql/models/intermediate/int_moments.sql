-- Per person: a moment that makes this week a good time to write, in words, at most one
-- (the first of: a reply you owe, a birthday in the next week, a job change seen between two
-- LinkedIn exports, a new connection nobody followed up).
with context as (
    select c.as_of, p.birthday_window_days, p.job_change_recent_days, p.new_connection_days,
           p.follow_up_days, p.reply_owed_min_days, p.reply_owed_max_days
    from store.run_context as c
    cross join models.params as p
),
threads as (
    -- per person and email or LinkedIn thread: who wrote last (their message to you, yours
    -- to them, or someone else's with them copied), when, and about what
    select
        i.person_id,
        i.conversation_id,
        arg_max(coalesce(i.direction, 'copied'), i.occurred_at) as last_direction,
        max(i.occurred_at) as last_at,
        arg_max(i.kind, i.occurred_at) as kind,
        -- the subject without its Re:/Fwd: prefixes, as a person names the thread
        regexp_replace(arg_max(i.summary, i.occurred_at), '^(\s*(re|fwd?|aw|wg|sv|vs|antw|tr|rif|odp)(\[\d+\])?\s*:\s*)+', '', 'i')
            as subject
    from models.stg_interactions as i
    cross join context as cx
    where i.kind in ('email', 'message')
      and i.conversation_id is not null
      and i.occurred_on <= cx.as_of
    group by i.person_id, i.conversation_id
),
last_written as (
    -- the last time you wrote to each person, in any thread
    select i.person_id, max(i.occurred_at) as last_sent_at
    from models.stg_interactions as i
    cross join context as cx
    where i.kind in ('email', 'message') and i.direction = 'sent' and i.occurred_on <= cx.as_of
    group by i.person_id
),
replies_owed as (
    -- they wrote last in a thread, two days to a month ago, and you have not written since
    select
        t.person_id,
        0 as moment_rank,
        'reply owed' as moment,
        concat_ws(' ', 'Wrote to you',
                  case when t.kind = 'message' then 'on LinkedIn' end,
                  case when date_diff('day', cast(t.last_at as date), cx.as_of) <= 6
                       then 'on ' || strftime(t.last_at, '%A')
                       else models.ago_phrase(date_diff('day', cast(t.last_at as date), cx.as_of)) || ' ago' end,
                  case when t.kind = 'email' and t.subject is not null
                       then printf('(''%s'')', case when length(t.subject) > 60
                                                    then rtrim(left(t.subject, 59)) || '…' else t.subject end)
                  end,
                  'and is waiting for your reply.') as moment_text
    from threads as t
    cross join context as cx
    left join last_written as w using (person_id)
    where t.last_direction = 'received'
      and date_diff('day', cast(t.last_at as date), cx.as_of) between cx.reply_owed_min_days and cx.reply_owed_max_days
      and (w.last_sent_at is null or w.last_sent_at < t.last_at)
    qualify row_number() over (partition by t.person_id order by t.last_at desc, t.conversation_id) = 1
),
birthdays as (
    -- the next birthday on or after as_of ('--MM-DD' has no year; 29 Feb falls on 1 Mar)
    select
        pe.person_id,
        coalesce(
            try_cast(printf('%d-%s', year(cx.as_of), right(pe.birthday, 5)) as date),
            make_date(year(cx.as_of), 3, 1)) as this_year,
        cx.as_of,
        cx.birthday_window_days
    from people as pe
    cross join context as cx
    where pe.birthday is not null
),
next_birthday as (
    select
        person_id,
        case when this_year >= as_of then this_year else this_year + interval 1 year end as next_on,
        as_of,
        birthday_window_days
    from birthdays
),
birthday_moments as (
    select
        person_id,
        1 as moment_rank,
        'birthday' as moment,
        case date_diff('day', as_of, cast(next_on as date))
            when 0 then 'Their birthday is today.'
            when 1 then 'Their birthday is tomorrow.'
            else printf('Their birthday is on %s.', strftime(next_on, '%A %-d %B'))
        end as moment_text
    from next_birthday
    where date_diff('day', as_of, cast(next_on as date)) between 0 and birthday_window_days
),
connection_rows as (
    -- each LinkedIn connection row of a person, by the export it came from
    select
        m.person_id,
        r.company,
        r.title,
        coalesce(f.exported_on, cast(f.ingested_at as date)) as exported_on,
        r.record_id
    from store.person_records as r
    join store.person_map as m using (record_id)
    join store.source_files as f using (file_id)
    where r.source_kind = 'linkedin_connections' and not m.is_owner
),
ranked_exports as (
    select
        *,
        row_number() over (partition by person_id order by exported_on desc, record_id desc) as newest
    from connection_rows
),
job_changes as (
    select
        n.person_id,
        2 as moment_rank,
        'job change' as moment,
        concat_ws(' ',
            case when n.title is not null and n.company is not null then printf('Now %s at %s', n.title, n.company)
                 when n.company is not null then printf('Now at %s', n.company)
                 else printf('Now %s', n.title) end,
            printf('(changed since your %s export; was %s).', strftime(o.exported_on, '%b %Y'),
                   coalesce(concat_ws(' at ', o.title, o.company), 'different'))) as moment_text
    from ranked_exports as n
    join ranked_exports as o on o.person_id = n.person_id and o.newest = 2
    cross join context as cx
    where n.newest = 1
      and n.exported_on > o.exported_on
      and n.exported_on > cx.as_of - cx.job_change_recent_days
      and (coalesce(n.company, '') <> coalesce(o.company, '') or coalesce(n.title, '') <> coalesce(o.title, ''))
),
new_connections as (
    select
        pe.person_id,
        3 as moment_rank,
        'new connection' as moment,
        printf('You connected %s ago and have not written since.',
               models.ago_phrase(date_diff('day', pe.connected_on, cx.as_of))) as moment_text
    from people as pe
    cross join context as cx
    left join models.int_person_history as h using (person_id)
    where pe.connected_on between cx.as_of - cx.new_connection_days and cx.as_of - cx.follow_up_days
      and (h.last_contact_on is null or h.last_contact_on < pe.connected_on)
),
all_moments as (
    select * from replies_owed
    union all select * from birthday_moments
    union all select * from job_changes
    union all select * from new_connections
)
select
    person_id,
    min(moment_rank) as moment_rank,
    arg_min(moment, moment_rank) as moment,
    arg_min(moment_text, moment_rank) as moment_text
from all_moments
group by person_id
