-- Public: one row per ingested source record of a person, and why it was linked to them.
select
    person_id,
    record_id,
    source_kind,
    source_file,
    record_key,
    line_no,
    full_name as name,
    emails,
    phones,
    linkedin_url,
    company,
    title,
    connected_on,
    link_reason,
    ingested_at,
    birthday
from models.stg_person_records
