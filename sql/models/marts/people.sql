-- Public: one row per person (never the owner), with the preferred value of each field:
-- the newest export's; the name from an address book or connection row when there is one.
with grouped as (
    select
        person_id,
        arg_max(full_name, name_rank) filter (where full_name is not null) as display_name,
        arg_max(first_name, name_rank) filter (where full_name is not null) as first_name,
        arg_max(last_name, name_rank) filter (where full_name is not null) as last_name,
        list_sort(list_distinct(flatten(list(emails)))) as emails,
        list_sort(list_distinct(flatten(list(phones)))) as phones,
        arg_max(linkedin_url, recency) filter (where linkedin_url is not null) as linkedin_url,
        arg_max(company, recency) filter (where company is not null) as company,
        arg_max(title, recency) filter (where title is not null) as title,
        min(connected_on) as connected_on,
        count(*) as source_records,
        min(ingested_at) as first_seen_at,
        -- a full date beats a month-day from a source that omits the year
        arg_max(birthday, {'has_year': not starts_with(birthday, '--'), 'recency': recency})
            filter (where birthday is not null) as birthday
    from models.stg_person_records
    group by person_id
)
select
    person_id,
    coalesce(display_name, emails[1], linkedin_url, 'person ' || person_id) as display_name,
    first_name,
    last_name,
    emails,
    phones,
    linkedin_url,
    company,
    title,
    connected_on,
    source_records,
    first_seen_at,
    birthday
from grouped
