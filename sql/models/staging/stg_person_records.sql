-- Source records of everyone but the owner, with the person they resolved to and the file
-- they came from.
select
    m.person_id,
    r.record_id,
    r.source_kind,
    f.display_path as source_file,
    r.record_key,
    r.line_no,
    r.full_name,
    r.first_name,
    r.last_name,
    r.emails,
    r.phones,
    r.linkedin_url,
    r.company,
    r.title,
    r.connected_on,
    r.birthday,
    m.link_reason,
    f.ingested_at,
    -- the newest export wins for facts that change (job, phones, birthday) ...
    {'exported': coalesce(f.exported_on, cast(f.ingested_at as date)),
     'kind': case r.source_kind when 'linkedin_connections' then 1 else 0 end,
     'record': r.record_id} as recency,
    -- ... and for the name, records a person keeps (connections, address books) beat names
    -- seen in passing (a message header, an invitation, a calendar invite's display name)
    {'kind': case when r.source_kind in ('linkedin_connections', 'google_csv', 'outlook_csv', 'contacts_csv', 'vcard')
                  then 1 else 0 end,
     'exported': coalesce(f.exported_on, cast(f.ingested_at as date)),
     'record': r.record_id} as name_rank
from store.person_records as r
join store.person_map as m using (record_id)
join store.source_files as f using (file_id)
where not m.is_owner
