-- Every tunable number of the scoring model, in one place.
select
    365.0::double  as half_life_days,       -- an interaction counts half as much after a year
    0.05::double   as tenure_per_year,      -- strength added per year of being connected
    0.5::double    as tenure_cap,
    -- Dunbar's layers, by strength: the strongest 5 are layer 1, up to 15 layer 2, up to 50
    -- layer 3, up to 150 layer 4, everyone else (and nobody with no strength at all) layer 5;
    -- `kith tier` overrides. Each layer has its own expected gap before there is any history
    -- (g0): a week, a month, a quarter, a year, a year.
    [5, 15, 50, 150]                            as layer_sizes,
    [7.0, 30.0, 90.0, 365.0, 365.0]::double[]   as layer_prior_gap_days,
    2.0::double    as prior_weight,         -- how many pseudo-gaps the prior is worth (k0)
    1.0::double    as w_meeting,
    25             as broadcast_size,       -- a meeting with more people is a broadcast: weight 0
    0.5::double    as duration_min,         -- duration factor minutes/30, clamped to 0.5..2
    2.0::double    as duration_max,
    0.5::double    as w_message_two_way,    -- a thread-day where both sides wrote
    0.2::double    as w_message_one_way,
    0.5::double    as w_email_two_way,      -- an email thread-day where both sides wrote, x 1/(n-1) as meetings
    0.2::double    as w_email_one_way,
    0.3::double    as w_invitation_with_note,
    0.0::double    as w_invitation_bare,
    0.3::double    as w_connected,
    1.0::double    as w_done,               -- `kith done`: you were in touch (counts like a 30-minute 1:1)
    14             as quiet_days,           -- nobody in touch within this many days is listed
    1.5::double    as slipping_ratio,       -- overdue at 1.5x the usual gap is slipping ...
    8.0::double    as dormant_ratio,        -- ... and beyond 8x it is dormant (Navarro et al. 2017)
    30             as dormant_share_pct,    -- up to this share of the places after the moments ...
    1.0::double    as dormant_min_strength, -- ... go to dormant ties at least this strong when last in touch
    2              as max_per_company,
    28             as relist_after_days,    -- nobody is listed again within four weeks ...
                                            -- ... unless a moment applies:
    7              as birthday_window_days, -- a birthday within the next week
    60             as job_change_recent_days, -- a job change seen in an export this recent
    30             as new_connection_days,  -- a connection this new ...
    3              as follow_up_days,       -- ... not followed up within these days
    2              as reply_owed_min_days,  -- they wrote last, at least this many days ago ...
    30             as reply_owed_max_days,  -- ... and at most this many: a reply you owe
    3              as max_replies_owed      -- listed first, at most this many a week
