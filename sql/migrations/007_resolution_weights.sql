-- 007: the weights a full resolution measured on every record (job titles, files, names two
-- groups of records share: transforms/match.py, measure_weights), which an incremental run
-- reuses: the few records it resolves would measure something else.
create table store.resolution_weights (
    kind   varchar not null,   -- 'title' | 'title_disagree' | 'title_m' | 'title_pairs' | 'file' | 'few_groups'
    key    varchar,            -- the title or file_id for 'title' and 'file'; else null
    value  double not null
);
