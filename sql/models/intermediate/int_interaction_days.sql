-- One row per person per day they were in touch, up to the as-of date. Several
-- interactions on one day count once, at the weight of the strongest; between two of equal
-- weight (connecting and an invitation with a note, 0.3 each) the day's kind is the real
-- contact's, never 'connected', and otherwise the first by name, so the same data always
-- gives the same contact days.
select
    i.person_id,
    i.occurred_on,
    max(i.weight) as weight,
    arg_max(i.kind, (i.weight, i.kind <> 'connected', i.kind)) as kind,
    count(*) as n_interactions
from models.stg_interactions as i
cross join store.run_context as c
where i.occurred_on <= c.as_of
group by i.person_id, i.occurred_on
