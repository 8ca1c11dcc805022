-- Public: every record an import did not load, or loaded with one field dropped (`kept`),
-- with where it is and why.
select
    f.display_path as source_file,
    f.format,
    r.record_key,
    r.line_no,
    r.reason,
    r.kept,
    f.ingested_at
from store.ingest_rejects as r
join store.source_files as f using (file_id)
