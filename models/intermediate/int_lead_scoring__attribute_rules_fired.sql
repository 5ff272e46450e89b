{{ config(materialized='table') }}

-- Explicit (fit) rules and attribute-based negative rules that fire, one row
-- per contact profile (contact_id, profile_valid_from: see
-- int_lead_scoring__contacts_enriched) and rule; an age_between rule on a date attribute
-- only from fires_from to fires_until (macro score_attribute_rules).

with

attributes as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__contact_attributes_unpivoted') }}

),

rules as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__scoring_rules_unioned') }}

),

buckets as (

    select
        bucket_set,
        min_value,
        max_value,
        points

    from {{ ref('lead_scoring', 'stg_lead_scoring__number_buckets') }}

),

fired as (

    {{ lead_scoring.score_attribute_rules('attributes', 'rules', 'buckets') }}

),

final as (

    select * from fired

)

select * from final
