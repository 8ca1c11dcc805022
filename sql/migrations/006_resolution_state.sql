-- 006: what the current person_map was resolved from, so that after a small new export only
-- the people it can touch are resolved again (flows/people.py). person_map itself says which
-- records the last run covered: a record without a row there is new.

-- One row per resolution run; the newest says how person_map was made.
create sequence store.resolution_run_id_seq start 1;
create table store.resolution_runs (
    run_id           integer primary key default nextval('store.resolution_run_id_seq'),
    resolved_at      timestamp not null,
    mode             varchar not null,   -- 'full' | 'incremental'
    reason           varchar not null,   -- why this mode, in plain English
    resolver_version varchar not null,   -- flows.people.resolver_version() of the code that ran
    owner_key        varchar not null,   -- digest of the owner identities it used
    records          integer not null,   -- records in person_map afterwards
    new_records      integer not null,   -- records it found without a person_map row
    resolved_records integer not null    -- records it gave to the matcher
);

-- The user's rules as the last run applied them, by record id (smaller id first): a rule
-- added or removed since then re-resolves the records it names.
create table store.resolution_applied_rules (
    kind        varchar not null,        -- 'same' | 'different'
    record_id_a bigint not null,
    record_id_b bigint not null
);

-- The keys by which a record can be linked to another, for every record in person_map, as
-- the last run's resolver version computes them: what a new record is looked up by.
create table store.record_match_keys (
    record_id bigint not null,
    kind      varchar not null,          -- 'slug' | 'email' | 'phone' | 'block' (a name blocking key)
    key       varchar not null
);
