-- lead_scoring__scores_wide holds the same scores as lead_scoring__scores, one column set per
-- score model: every contact of lead_scoring__scores has a row, with as many score
-- models applied as lead_scoring__scores has rows for it. (The per-model columns are
-- generated from the seed; a unit test checks their values.) Returns the
-- contacts that disagree.

with

scores as (

    select
        contact_id,
        count(*) as score_models_applied

    from {{ ref('lead_scoring', 'lead_scoring__scores') }}
    group by contact_id

),

wide as (

    select * from {{ ref('lead_scoring', 'lead_scoring__scores_wide') }}

)

select
    coalesce(scores.contact_id, wide.contact_id) as contact_id,
    scores.score_models_applied as expected_score_models,
    wide.score_models_applied

from scores
full outer join wide
    on scores.contact_id = wide.contact_id
where
    wide.contact_id is null
    or (scores.contact_id is null and wide.score_models_applied <> 0)
    or scores.score_models_applied <> wide.score_models_applied
