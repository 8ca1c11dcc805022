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
    interaction_id
from models.stg_interactions
