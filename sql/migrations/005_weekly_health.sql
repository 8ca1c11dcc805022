-- 005: how many relationships were warm, due, slipping or dormant each week a list was made,
-- so the report can show how the network changes week to week (statuses are computed live
-- and would otherwise be lost).
create table store.weekly_health (
    week        varchar primary key,  -- ISO week, as in reconnect_lists
    as_of       date not null,
    warm        integer not null,
    due         integer not null,
    slipping    integer not null,
    dormant     integer not null,
    no_history  integer not null,
    recorded_at timestamp not null
);
