-- Implicit (engagement) rules and event-based negative rules that fire, one
-- row per contact and rule, counting the events up to the as-of timestamp
-- and capping them at the rule's max_occurrences.

with

events as (

    select * from {{ ref('stg_events') }}

),

rules as (

    select * from {{ ref('int_scoring_rules_unioned') }}

),

fired as (

    {{ lead_scoring.score_event_rules('events', 'rules', ['implicit', 'negative'], lead_scoring.as_of_timestamp()) }}

),

final as (

    select * from fired

)

select * from final
