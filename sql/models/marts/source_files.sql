-- Public: one row per file ever ingested, with what it gave. `source_file` is the name the
-- other views use for it (a path, or archive.zip!member).
select
    file_id,
    display_path as source_file,
    format,
    exported_on,
    ingested_at,
    records_read,
    records_new,
    records_known,
    records_rejected,
    size_bytes,
    sha256
from store.source_files
