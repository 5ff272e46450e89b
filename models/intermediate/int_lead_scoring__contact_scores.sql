{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ lead_scoring.delete_contacts_to_rescore() }}",
) }}

-- One row per moment scored (int_lead_scoring__scoring_moments), contact and score model
-- that applies to it then: fit, engagement and negative points, the fit
-- score and its grade, the engagement score and its level, the matrix cell
-- (A1..D4), the total and its band. lead_scoring__scores reads the as-of moment,
-- lead_scoring__score_history the ends of days. The sums are taken from the rule
-- points, not from lead_scoring__score_details, so that the test that the details
-- add up to the total compares two computations.
--
-- Incremental by contact and moment: a build recomputes the rows
-- int_lead_scoring__contacts_to_rescore lists as changed (the moments after a contact's
-- new or late events), and every contact at the moments the table holds no
-- row of yet (a new as-of moment); the other rows are kept
-- (macros/utils/rescore.sql).
-- depends_on: {{ ref('lead_scoring', 'int_lead_scoring__contacts_to_rescore') }}

with

scored_contacts as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__scored_contacts') }}
    where {{ lead_scoring.is_row_to_rescore('contact_id', 'as_of') }}

),

rule_points as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__rule_points_capped') }}
    where {{ lead_scoring.is_row_to_rescore('contact_id', 'as_of') }}

),

adjustments as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__score_adjustments') }}
    where {{ lead_scoring.is_row_to_rescore('contact_id', 'as_of') }}

),

points as (

    select
        contact_id,
        score_model,
        as_of,
        category,
        score_dimension,
        points
    from rule_points
    union all
    select
        contact_id,
        score_model,
        as_of,
        'adjustment' as category,
        'total' as score_dimension,
        points
    from adjustments

),

thresholds as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__score_thresholds_ranked') }}

),

points_by_category as (

    select
        contact_id,
        score_model,
        as_of,
        sum(case when category = 'explicit' then points else 0 end) as fit_points,
        sum(case when category = 'implicit' then points else 0 end) as engagement_points,
        sum(case when category = 'negative' then points else 0 end) as negative_points,
        sum(case when category = 'adjustment' then points else 0 end) as adjustment_points,
        sum(case when score_dimension = 'fit' then points else 0 end) as fit_score,
        sum(case when score_dimension = 'engagement' then points else 0 end) as engagement_score,
        sum(points) as total_score,
        sum(case when category <> 'adjustment' then 1 else 0 end) as rules_fired

    from points
    group by contact_id, score_model, as_of

),

scores as (

    select
        scored_contacts.contact_id,
        scored_contacts.score_model,
        scored_contacts.as_of,
        scored_contacts.profile_valid_from,
        {%- for column in [
            'fit_points', 'engagement_points', 'negative_points', 'adjustment_points',
            'fit_score', 'engagement_score', 'total_score'
        ] %}
        cast(coalesce(points_by_category.{{ column }}, 0) as {{ dbt.type_numeric() }}) as {{ column }},
        {%- endfor %}
        coalesce(points_by_category.rules_fired, 0) as rules_fired

    from scored_contacts
    left join points_by_category
        on
            scored_contacts.contact_id = points_by_category.contact_id
            and scored_contacts.score_model = points_by_category.score_model
            and scored_contacts.as_of = points_by_category.as_of

),

final as (

    select
        scores.contact_id,
        scores.score_model,
        scores.as_of,
        scores.profile_valid_from,
        scores.fit_points,
        scores.engagement_points,
        scores.negative_points,
        scores.adjustment_points,
        scores.fit_score,
        scores.engagement_score,
        scores.total_score,
        bands.threshold_name as score_band,
        bands.threshold_rank as score_band_rank,
        grades.threshold_name as fit_grade,
        levels.threshold_name as engagement_level,
        {{ dbt.concat(['grades.threshold_name', 'levels.threshold_name']) }} as score_matrix,
        scores.rules_fired

    from scores
    left join thresholds as bands
        on {{ lead_scoring.threshold_join_condition('scores', 'total_score', 'bands', 'band') }}
    left join thresholds as grades
        on {{ lead_scoring.threshold_join_condition('scores', 'fit_score', 'grades', 'fit_grade') }}
    left join thresholds as levels
        on {{ lead_scoring.threshold_join_condition('scores', 'engagement_score', 'levels', 'engagement_level') }}

)

select * from final
