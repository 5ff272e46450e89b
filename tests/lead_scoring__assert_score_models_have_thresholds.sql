-- Every score model has bands, fit grades and engagement levels, or its
-- contacts could not be banded, graded or levelled. Returns what is missing.
-- Engagement levels are optional as a whole: a project without engagement
-- (no events) may leave seed engagement_levels empty, and then no contact has
-- an engagement level or a matrix cell; once it has a row, every score model
-- needs its levels.

with

score_models as (

    select score_model from {{ ref('lead_scoring', 'stg_lead_scoring__score_models') }}

),

thresholds as (

    select
        'score_bands' as seed,
        score_model
    from {{ ref('lead_scoring', 'stg_lead_scoring__score_bands') }}
    union all
    select
        'fit_grades' as seed,
        score_model
    from {{ ref('lead_scoring', 'stg_lead_scoring__fit_grades') }}
    union all
    select
        'engagement_levels' as seed,
        score_model
    from {{ ref('lead_scoring', 'stg_lead_scoring__engagement_levels') }}

),

seeds as (

    select 'score_bands' as seed
    union all
    select 'fit_grades' as seed
    union all
    select 'engagement_levels' as seed
    where exists (select 1 from {{ ref('lead_scoring', 'stg_lead_scoring__engagement_levels') }})

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
