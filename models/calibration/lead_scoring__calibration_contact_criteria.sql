-- Which criteria of lead_scoring__calibration_criteria hold for each contact of
-- lead_scoring__calibration_population at the cutoff: one row per contact and criterion.
-- A rule holds when it gave the contact points (lead_scoring__score_details, scored
-- as of the same cutoff); the other criteria are matched by criteria_fired.
{{ config(materialized='table') }}

with

population as (

    select * from {{ ref('lead_scoring', 'lead_scoring__calibration_population') }}

),

criteria as (

    select * from {{ ref('lead_scoring', 'lead_scoring__calibration_criteria') }}

),

details as (

    select * from {{ ref('lead_scoring', 'lead_scoring__score_details') }}

),

matched as (

    {{ lead_scoring.criteria_fired('criteria', 'population') }}

),

rules_fired as (

    select distinct
        details.contact_id,
        criteria.criterion_key,
        1 as feature_value

    from details
    inner join criteria
        on
            criteria.kind = 'rule'
            and details.rule_id = criteria.rule_id
            and details.score_model = criteria.score_model
    inner join population
        on details.contact_id = population.contact_id
    where details.points <> 0

),

final as (

    select * from matched
    union all
    select * from rules_fired

)

select * from final
