{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ lead_scoring.delete_contacts_to_rescore() }}",
) }}

-- The floor and ceiling of each score model's total (min_total, max_total of
-- seed score_models), at every moment scored, as explanation rows: when the rules' points add up to
-- less than the floor, an `adjustment` row gives the difference; above the
-- ceiling, it takes the excess away. The details then still add up to the
-- total exactly.
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

score_models as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__score_models') }}

),

sums as (

    select
        scored_contacts.contact_id,
        scored_contacts.score_model,
        scored_contacts.as_of,
        coalesce(sum(rule_points.points), 0) as rules_total

    from scored_contacts
    left join rule_points
        on
            scored_contacts.contact_id = rule_points.contact_id
            and scored_contacts.score_model = rule_points.score_model
            and scored_contacts.as_of = rule_points.as_of
    group by
        scored_contacts.contact_id,
        scored_contacts.score_model,
        scored_contacts.as_of

),

final as (

    select
        sums.contact_id,
        sums.score_model,
        case
            when sums.rules_total < score_models.min_total then 'score_floor'
            else 'score_ceiling'
        end as rule_id,
        case
            when sums.rules_total < score_models.min_total then score_models.min_total - sums.rules_total
            else score_models.max_total - sums.rules_total
        end as points,
        sums.as_of

    from sums
    inner join score_models
        on sums.score_model = score_models.score_model
    where
        sums.rules_total < score_models.min_total
        or sums.rules_total > score_models.max_total

)

select * from final
