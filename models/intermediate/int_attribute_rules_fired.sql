{{ config(materialized='table') }}

-- Explicit (fit) rules and attribute-based negative rules that fire, one row
-- per contact profile (contact_id, profile_valid_from: see
-- int_contacts_enriched) and rule.

with

attributes as (

    select * from {{ ref('int_contact_attributes_unpivoted') }}

),

rules as (

    select * from {{ ref('int_scoring_rules_unioned') }}

),

fired as (

    {{ lead_scoring.score_attribute_rules('attributes', 'rules') }}

),

final as (

    select * from fired

)

select * from final
