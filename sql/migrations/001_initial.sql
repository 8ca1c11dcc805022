-- 001: the stored data. Everything kith ingests lives in schema `store`; the public
-- views in `main` are rebuilt from sql/models on every run, and `reconnect_lists`
-- keeps every week's list.
--
-- No foreign keys: DuckDB checks them on every update and cannot update a referenced
-- row; the ingest step keeps the references right inside one transaction instead.

create schema if not exists store;

create sequence store.file_id_seq start 1;
create table store.source_files (
    file_id          integer primary key default nextval('store.file_id_seq'),
    path             varchar not null,   -- absolute path of the file, or of the archive holding it
    member           varchar,            -- path inside the archive; null for a plain file
    display_path     varchar not null,   -- path, or path!member
    sha256           varchar not null unique,
    format           varchar not null,
    size_bytes       bigint not null,
    exported_on      date,               -- when the export was made, where the file or archive name says
    ingested_at      timestamp not null,
    records_read     integer not null,
    records_new      integer not null,
    records_known    integer not null,
    records_rejected integer not null
);

create sequence store.record_id_seq start 1;
create table store.person_records (
    record_id     bigint primary key default nextval('store.record_id_seq'),
    file_id       integer not null,
    record_key    varchar not null,      -- 1-based data record number, or the participant's key
    line_no       integer,
    source_kind   varchar not null,
    full_name     varchar,
    first_name    varchar,
    last_name     varchar,
    name_key      varchar,
    emails        varchar[] not null,
    phones        varchar[] not null,
    linkedin_url  varchar,
    linkedin_slug varchar,
    company       varchar,
    title         varchar,
    connected_on  date,
    record_hash   varchar not null unique
);

create sequence store.interaction_id_seq start 1;
create table store.interaction_records (
    interaction_id  bigint primary key default nextval('store.interaction_id_seq'),
    file_id         integer not null,
    record_key      varchar not null,    -- the data record it came from
    line_no         integer,
    record_id       bigint not null,     -- the person record of the other side
    kind            varchar not null,    -- message | connected | invitation
    occurred_at     timestamp not null,  -- UTC
    direction       varchar,             -- sent | received
    conversation_id varchar,
    n_participants  integer not null,
    summary         varchar,
    record_hash     varchar not null unique
);

create table store.ingest_rejects (
    file_id    integer not null,
    record_key varchar not null,
    line_no    integer,
    reason     varchar not null,
    kept       boolean not null          -- true: the record loaded, one field was dropped
);

create table store.owner_identities (
    kind    varchar not null,            -- name | linkedin_slug | email
    value   varchar not null,
    file_id integer,                     -- where it was learnt
    primary key (kind, value)
);

-- Rebuilt by every resolution run from the records and, later, the user's rules.
create table store.person_map (
    record_id   bigint primary key,
    person_id   bigint not null,
    link_reason varchar not null,
    is_owner    boolean not null
);

-- Fingerprint of the sql/models and sql/macros files the views were last built from.
create table store.model_build (
    fingerprint varchar not null,
    built_at    timestamp not null
);

-- The as-of date of the last scoring run: relationship_scores is computed as of it.
create table store.run_context (
    as_of date not null
);

create table main.reconnect_lists (
    week              varchar not null,  -- ISO week of as_of, e.g. 2026-W47
    as_of             date not null,
    rank              integer not null,
    person_id         bigint not null,
    display_name      varchar not null,
    reason            varchar not null,
    days_since        integer,
    expected_gap_days double,
    overdue_ratio     double,
    strength          double,
    priority          double,
    created_at        timestamp not null,
    primary key (week, rank)
);
