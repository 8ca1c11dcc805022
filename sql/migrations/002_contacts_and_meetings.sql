-- 002: what contact cards and calendars add: birthdays on person records, and the
-- duration and title of a meeting.
alter table store.person_records add column birthday varchar;      -- 'YYYY-MM-DD' or '--MM-DD'
alter table store.interaction_records add column duration_minutes double;
alter table store.interaction_records add column title varchar;
