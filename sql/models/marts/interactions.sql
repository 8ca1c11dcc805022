-- Public: every interaction with a person, with the weight the score gives it.
select
    person_id,
    occurred_at,
    kind,
    direction,
    weight,
    n_participants,
    conversation_id,
    summary,
    source_file,
    record_key,
    interaction_id,
    duration_minutes,
    title
from models.stg_interactions
-- only what has happened by the last run's date; future meetings stay in models.stg_interactions
where occurred_on <= (select coalesce(max(as_of), current_date) from store.run_context)
