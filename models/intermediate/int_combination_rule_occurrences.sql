{{ config(materialized='table') }}

-- Occurrences of combination rules (seeds combination_rules and
-- combination_rule_steps): one per contact and rule, when an event of every
-- step occurs within D days of each other (anchor `any`: some window
-- [t, t + D days] holds them all, and the earliest window start worth trying
-- is always one of the matched events) or within D days of the contact's
-- creation (anchor `contact_created`). The occurrence is the moment the
-- combination was first complete.

with

event_matches as (

    select * from {{ ref('int_event_matches') }}
    where matcher_kind = 'step'

),

rules as (

    select * from {{ ref('int_scoring_rules_unioned') }}
    where rule_kind = 'combination'

),

contacts as (

    select * from {{ ref('int_contacts_enriched') }}

),

steps_per_rule as (

    select
        trim(rule_id) as rule_id,
        count(distinct lower(trim(step))) as steps

    from {{ ref('combination_rule_steps') }}
    group by trim(rule_id)

),

window_starts as (

    -- anchor any: every matched event is a window start worth trying.
    select distinct
        event_matches.contact_id,
        event_matches.rule_id,
        event_matches.occurred_at as window_start

    from event_matches
    inner join rules
        on event_matches.rule_id = rules.rule_id
    where rules.anchor = 'any'

    union all

    -- anchor contact_created: the one window starts at creation.
    select distinct
        event_matches.contact_id,
        event_matches.rule_id,
        contacts.created_at as window_start

    from event_matches
    inner join rules
        on event_matches.rule_id = rules.rule_id
    inner join contacts
        on event_matches.contact_id = contacts.contact_id
    where
        rules.anchor = 'contact_created'
        and contacts.created_at is not null

),

step_firsts as (

    -- The first event of each step inside each window.
    select
        window_starts.contact_id,
        window_starts.rule_id,
        window_starts.window_start,
        event_matches.step,
        min(event_matches.occurred_at) as first_occurred_at

    from window_starts
    inner join rules
        on window_starts.rule_id = rules.rule_id
    inner join event_matches
        on
            window_starts.contact_id = event_matches.contact_id
            and window_starts.rule_id = event_matches.rule_id
            and window_starts.window_start <= event_matches.occurred_at
    where
        {{ dbt.datediff('window_starts.window_start', 'event_matches.occurred_at', 'second') }}
        <= rules.within_days * 86400
    group by
        window_starts.contact_id,
        window_starts.rule_id,
        window_starts.window_start,
        event_matches.step

),

complete_windows as (

    select
        step_firsts.contact_id,
        step_firsts.rule_id,
        max(step_firsts.first_occurred_at) as completed_at

    from step_firsts
    inner join steps_per_rule
        on step_firsts.rule_id = steps_per_rule.rule_id
    group by
        step_firsts.contact_id,
        step_firsts.rule_id,
        step_firsts.window_start,
        steps_per_rule.steps
    having count(*) = steps_per_rule.steps

),

final as (

    select
        contact_id,
        rule_id,
        min(completed_at) as occurred_at

    from complete_windows
    group by contact_id, rule_id

)

select * from final
