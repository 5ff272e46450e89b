-- The current point tables' scores of the calibration contacts, as of the
-- cutoff (lead_scoring__scores built as of it), counted per score model, split and
-- score: what `leadscoring evaluate` ranks. A contact a score model does not
-- apply to (a segment) is not in that model's rows.

with

population as (

    select * from {{ ref('lead_scoring', 'lead_scoring__calibration_population') }}

),

scores as (

    select * from {{ ref('lead_scoring', 'lead_scoring__scores') }}

),

final as (

    select
        scores.score_model,
        population.split,
        scores.total_score,
        scores.score_band,
        scores.score_band_rank,
        count(*) as contacts,
        sum(population.is_converted) as converted

    from scores
    inner join population
        on scores.contact_id = population.contact_id
    group by
        scores.score_model,
        population.split,
        scores.total_score,
        scores.score_band,
        scores.score_band_rank

)

select * from final
