-- 003: what the user told kith about who is who, and the candidate pairs behind each link.
--
-- Rules name source records by record_hash (their content identity), not record_id, so they
-- survive a rebuild of the database from the same exports and a re-import of a file.
create sequence store.rule_id_seq start 1;
create table store.resolution_rules (
    rule_id      integer primary key default nextval('store.rule_id_seq'),
    kind         varchar not null,   -- 'same' (one person) | 'different' (never one person)
    record_hash_a varchar not null,
    record_hash_b varchar not null,
    created_at   timestamp not null,
    source       varchar not null,   -- 'merge' | 'split' | 'review'
    note         varchar
);

-- Rebuilt by every resolution run: each compared pair once, with its score and why.
create table store.match_pairs (
    record_id_a bigint not null,     -- the smaller id
    record_id_b bigint not null,
    score       double,              -- match weight (log2 odds); null for deterministic links
    decision    varchar not null,    -- 'link' | 'review' | 'no link'
    reason      varchar not null,    -- plain English: which fields agreed or disagreed
    primary key (record_id_a, record_id_b)
);
