-- Plain-English phrases the reasons are built from.

-- 12 -> '12 days', 143 -> '143 days', 400 -> '13 months', 1200 -> '3.3 years'
create or replace macro models.ago_phrase(days) as
    case
        when days is null then null
        when days = 0 then 'today'
        when days = 1 then '1 day'
        when days < 180 then printf('%d days', days)
        when days < 730 then printf('%d months', cast(round(days / 30.44) as integer))
        else printf('%.1f years', days / 365.25)
    end;

-- 6.5 -> 'week', 30 -> '~30 days', 70 -> '~10 weeks', 200 -> '~7 months'
create or replace macro models.gap_phrase(days) as
    case
        when days is null then null
        when days < 10.5 and days >= 5.5 then 'week'
        when days < 45 then printf('~%d days', cast(round(days) as integer))
        when days < 120 then printf('~%d weeks', cast(round(days / 7) as integer))
        when days < 548 then printf('~%d months', cast(round(days / 30.44) as integer))
        else printf('~%.1f years', days / 365.25)
    end;

create or replace macro models.kind_phrase(kind) as
    case kind
        when 'message' then 'message'
        when 'email' then 'email'
        when 'meeting' then 'meeting'
        when 'invitation' then 'invitation'
        when 'done' then 'in touch'  -- `kith done`
        else kind
    end;
