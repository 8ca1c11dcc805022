-- Public: one row per person, scored as of the last run's date (store.run_context).
--
-- strength:     recency-decayed sum of interaction-day weights, times a small tenure bonus
-- layer:        Dunbar's layers by strength rank: the strongest 5 are layer 1, up to 15
--               layer 2, up to 50 layer 3, up to 150 layer 4, the rest (and anyone with no
--               strength) layer 5; a `kith tier` override wins (layer_source 'you')
-- expected gap: the person's own rhythm, shrunk toward their layer's prior while history is
--               short (gamma-Poisson: alpha = k0 + contact days - 1, beta = k0 * g0(layer)
--               + span of contact; gap = beta / alpha)
-- overdue:      days since the last contact / expected gap
-- priority:     strength * ln(1 + overdue), for people at or past their usual gap
with context as (
    select c.as_of, p.*
    from store.run_context as c
    cross join models.params as p
),
measured as (
    select
        pe.person_id,
        pe.display_name,
        pe.company,
        pe.title,
        pe.connected_on,
        cx.as_of,
        h.last_on,
        h.last_kind,
        h.last_contact_kind,
        date_diff('day', h.last_on, cx.as_of) as days_since,
        date_diff('day', h.last_contact_on, cx.as_of) as days_since_contact,
        coalesce(h.interaction_days, 0) as interaction_days,
        coalesce(h.contact_days, 0) as contact_days,
        coalesce(h.contact_days_last_year, 0) as contact_days_last_year,
        coalesce(h.meeting_days_last_year, 0) as meeting_days_last_year,
        h.last_meeting_on,
        h.first_contact_on,
        h.last_contact_on,
        coalesce(h.decayed_weight, 0)
            * (1 + least(cx.tenure_cap,
                         cx.tenure_per_year * coalesce(date_diff('day', pe.connected_on, cx.as_of), 0) / 365.25))
            as strength,
        a.tier,
        cx.layer_sizes,
        cx.layer_prior_gap_days,
        cx.prior_weight,
        cx.slipping_ratio,
        cx.dormant_ratio
    from people as pe
    cross join context as cx
    left join models.int_person_history as h using (person_id)
    left join models.int_person_actions as a using (person_id)
),
ranked as (
    select *, row_number() over (order by strength desc, person_id) as strength_rank
    from measured
),
by_strength as (
    select
        *,
        case
            when strength <= 0 then 5
            when strength_rank <= layer_sizes[1] then 1
            when strength_rank <= layer_sizes[2] then 2
            when strength_rank <= layer_sizes[3] then 3
            when strength_rank <= layer_sizes[4] then 4
            else 5
        end as strength_layer
    from ranked
),
layered as (
    select
        *,
        coalesce(tier, strength_layer) as layer,
        case when tier is not null then 'you' else 'strength' end as layer_source,
        -- the rhythm is measured on real contact, not on the day you connected
        (prior_weight * layer_prior_gap_days[coalesce(tier, strength_layer)]
            + coalesce(date_diff('day', first_contact_on, last_contact_on), 0))
            / (prior_weight + greatest(contact_days - 1, 0)) as expected_gap_days
    from by_strength
),
scored as (
    select
        *,
        days_since / expected_gap_days as overdue_ratio
    from layered
)
select
    person_id,
    display_name,
    as_of,
    last_on as last_interaction_on,
    last_kind as last_interaction_kind,
    days_since,
    interaction_days,
    contact_days,
    contact_days_last_year,
    round(expected_gap_days, 1) as expected_gap_days,
    round(overdue_ratio, 2) as overdue_ratio,
    round(strength, 4) as strength,
    round(case when overdue_ratio >= 1 then strength * ln(1 + overdue_ratio) else 0 end, 4) as priority,
    case
        when last_on is null then 'no history'
        when overdue_ratio < 1 then 'warm'
        when overdue_ratio < slipping_ratio then 'due'
        when overdue_ratio < dormant_ratio then 'slipping'
        else 'dormant'
    end as status,
    company,
    title,
    connected_on,
    concat_ws(' ',
        case
            when last_on is null then 'No contact on record yet.'
            when contact_days = 0 then printf('Connected %s ago; no messages since.', models.ago_phrase(days_since))
            when last_kind = 'connected'
                then printf('You connected %s ago (usually in touch every %s, so %.1f× your usual gap); last %s %s ago.',
                            models.ago_phrase(days_since), models.gap_phrase(expected_gap_days), overdue_ratio,
                            models.kind_phrase(last_contact_kind), models.ago_phrase(days_since_contact))
            else printf('Last %s %s (usually every %s, so %.1f× your usual gap).',
                        models.kind_phrase(last_kind),
                        case when days_since = 0 then 'today' else models.ago_phrase(days_since) || ' ago' end,
                        models.gap_phrase(expected_gap_days), overdue_ratio)
        end,
        case when contact_days > 1
            then printf('In touch on %d days since %s.', contact_days, strftime(first_contact_on, '%b %Y'))
        end,
        case
            when meeting_days_last_year > 1
                then printf('You met %d times in the last year, last %s ago.', meeting_days_last_year,
                            models.ago_phrase(date_diff('day', last_meeting_on, as_of)))
            when meeting_days_last_year = 1 and last_kind <> 'meeting'
                then printf('You last met %s ago.', models.ago_phrase(date_diff('day', last_meeting_on, as_of)))
        end,
        case when connected_on is not null and contact_days > 0
            then printf('Connected since %s.', strftime(connected_on, '%b %Y'))
        end,
        case
            when title is not null and company is not null then printf('Now %s at %s.', title, rtrim(company, '.'))
            when company is not null then printf('At %s.', rtrim(company, '.'))
            when title is not null then printf('Now %s.', rtrim(title, '.'))
        end
    ) as reason,
    layer,
    layer_source
from scored
