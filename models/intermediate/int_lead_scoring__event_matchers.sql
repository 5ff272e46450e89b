-- Everything that is matched against events, in one shape, so that events
-- are matched in one place: event, repeat and event-based negative rules,
-- the steps of combination rules, and the behaviour conditions of score
-- model segments. A matcher names an event type (or any, for a segment) and
-- optionally a page pattern and a page category.

{%- set text = dbt.type_string() %}

with

rules as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__scoring_rules_unioned') }}

),

combination_steps as (

    select * from {{ ref('lead_scoring', 'stg_lead_scoring__combination_rule_steps') }}

),

segments as (

    select * from {{ ref('lead_scoring', 'stg_lead_scoring__score_model_segments') }}

),

rule_matchers as (

    select
        'rule' as matcher_kind,
        score_model,
        rule_id,
        cast(null as {{ text }}) as step,
        cast(null as {{ text }}) as condition_id,
        event_type,
        page_like_pattern,
        page_category

    from rules
    where rule_kind in ('event', 'repeat')

),

step_matchers as (

    select
        'step' as matcher_kind,
        rules.score_model,
        rules.rule_id,
        combination_steps.step,
        cast(null as {{ text }}) as condition_id,
        combination_steps.event_type,
        {{ lead_scoring.glob_to_like('lower(combination_steps.page_pattern)') }} as page_like_pattern,
        combination_steps.page_category

    from combination_steps
    inner join rules
        on combination_steps.rule_id = rules.rule_id

),

segment_matchers as (

    select
        'segment' as matcher_kind,
        score_model,
        cast(null as {{ text }}) as rule_id,
        cast(null as {{ text }}) as step,
        condition_id,
        event_type,
        cast(null as {{ text }}) as page_like_pattern,
        page_category

    from segments
    where applies_to = 'behaviour'

),

final as (

    select * from rule_matchers
    union all
    select * from step_matchers
    union all
    select * from segment_matchers

)

select * from final
