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

    -- Seed number_buckets, typed (tested as text first, like every seed).
    select
        lower(trim(bucket_set)) as bucket_set,
        cast(nullif(trim(min_value), '') as {{ dbt.type_numeric() }}) as min_value,
        cast(nullif(trim(max_value), '') as {{ dbt.type_numeric() }}) as max_value,
        cast(trim(points) as {{ dbt.type_numeric() }}) as points

    from {{ ref('number_buckets') }}

),

fired as (

    {{ lead_scoring.score_attribute_rules('attributes', 'rules', 'buckets') }}

),

final as (

    select * from fired

)

select * from final
