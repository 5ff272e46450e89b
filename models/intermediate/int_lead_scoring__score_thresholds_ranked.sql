-- The thresholds of every score model in one shape: score bands (of the total
-- score), fit grades (of the fit score) and engagement levels (of the
-- engagement score), each ranked by its minimum with the next one's minimum,
-- so that a value belongs to the threshold whose range holds it.

with

bands as (

    select
        'band' as threshold_kind,
        score_model,
        band as threshold_name,
        min_score as min_value,
        description

    from {{ ref('lead_scoring', 'stg_lead_scoring__score_bands') }}

),

grades as (

    select
        'fit_grade' as threshold_kind,
        score_model,
        grade as threshold_name,
        min_points as min_value,
        description

    from {{ ref('lead_scoring', 'stg_lead_scoring__fit_grades') }}

),

levels as (

    select
        'engagement_level' as threshold_kind,
        score_model,
        level as threshold_name,
        min_points as min_value,
        description

    from {{ ref('lead_scoring', 'stg_lead_scoring__engagement_levels') }}

),

unioned as (

    select * from bands
    union all
    select * from grades
    union all
    select * from levels

),

typed as (

    select
        threshold_kind,
        score_model,
        threshold_name,
        min_value,
        description

    from unioned

),

final as (

    select
        threshold_kind,
        score_model,
        threshold_name,
        row_number() over (partition by threshold_kind, score_model order by min_value) as threshold_rank,
        min_value,
        lead(min_value) over (partition by threshold_kind, score_model order by min_value) as next_min_value,
        description

    from typed

)

select * from final
