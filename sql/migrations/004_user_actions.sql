-- 004: what the user did about the list: `kith done` (you were in touch), `kith snooze`,
-- `kith ignore` and `kith tier`.
--
-- Like the resolution rules, an action names the person by the record_hash of each of their
-- source records at the time (their content identity), so it survives re-ingesting and a
-- rebuild of the database from the same exports, and applies to whichever person holds any
-- of those records after a merge or split. A copy lives beside the database
-- (kith-actions.csv) and is read back into a rebuilt one.
create sequence store.action_id_seq start 1;
create table store.user_actions (
    action_id     integer primary key default nextval('store.action_id_seq'),
    kind          varchar not null,   -- 'done' | 'snooze' | 'ignore' | 'tier'
    record_hashes varchar[] not null, -- the person's source records when the user acted
    on_date       date,               -- done: the day you were in touch; snooze: off the list until this day
    layer         integer,            -- tier: the layer the user put the person in (1..4)
    note          varchar,
    created_at    timestamp not null
);
