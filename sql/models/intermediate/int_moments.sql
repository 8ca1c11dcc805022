-- Per person: a moment that makes this week a good time to write, in words, at most one
-- (the first of: a birthday in the next week, a job change seen between two LinkedIn
-- exports, a new connection nobody followed up).
with context as (
    select c.as_of, p.birthday_window_days, p.job_change_recent_days, p.new_connection_days,
           p.follow_up_days
    from store.run_context as c
    cross join models.params as p
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
    select * from birthday_moments
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
