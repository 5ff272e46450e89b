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

    select * from {{ ref('combination_rule_steps') }}

),

segments as (

    select * from {{ ref('score_model_segments') }}

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
        lower(trim(combination_steps.step)) as step,
        cast(null as {{ text }}) as condition_id,
        lower(nullif(trim(combination_steps.event_type), '')) as event_type,
        {{ lead_scoring.glob_to_like("lower(nullif(trim(combination_steps.page_pattern), ''))") }}
            as page_like_pattern,
        lower(nullif(trim(combination_steps.page_category), '')) as page_category

    from combination_steps
    inner join rules
        on trim(combination_steps.rule_id) = rules.rule_id

),

segment_matchers as (

    select
        'segment' as matcher_kind,
        trim(score_model) as score_model,
        cast(null as {{ text }}) as rule_id,
        cast(null as {{ text }}) as step,
        trim(condition_id) as condition_id,
        lower(nullif(trim(event_type), '')) as event_type,
        cast(null as {{ text }}) as page_like_pattern,
        lower(nullif(trim(page_category), '')) as page_category

    from segments
    where lower(trim(applies_to)) = 'behaviour'

),

final as (

    select * from rule_matchers
    union all
    select * from step_matchers
    union all
    select * from segment_matchers

)

select * from final
