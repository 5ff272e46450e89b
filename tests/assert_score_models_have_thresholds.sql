-- Every score model has bands, fit grades and engagement levels, or its
-- contacts could not be banded, graded or levelled. Returns what is missing.

with

score_models as (

    select trim(score_model) as score_model from {{ ref('score_models') }}

),

thresholds as (

    select
        'score_bands' as seed,
        trim(score_model) as score_model
    from {{ ref('score_bands') }}
    union all
    select
        'fit_grades' as seed,
        trim(score_model) as score_model
    from {{ ref('fit_grades') }}
    union all
    select
        'engagement_levels' as seed,
        trim(score_model) as score_model
    from {{ ref('engagement_levels') }}

),

seeds as (

    select 'score_bands' as seed
    union all
    select 'fit_grades' as seed
    union all
    select 'engagement_levels' as seed

)

select
    score_models.score_model,
    seeds.seed as missing_in

from score_models
cross join seeds
left join thresholds
    on
        score_models.score_model = thresholds.score_model
        and seeds.seed = thresholds.seed
group by score_models.score_model, seeds.seed
having count(thresholds.score_model) = 0
