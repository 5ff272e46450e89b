{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ lead_scoring.delete_contacts_to_rescore() }}",
) }}

-- Occurrences of combination rules (seeds combination_rules and
-- combination_rule_steps): one per contact and rule, when an event of every
-- step occurs within D days of each other (anchor `any`: some window
-- [t, t + D days] holds them all, and the window starts worth trying are the
-- matched events) or within D days of the contact's creation (anchor
-- `contact_created`). Only events inside the rule's timeframe count, and a
-- window needs at least as many distinct events as steps (one event cannot
-- stand for two steps). The occurrence is the most recent moment a
-- combination was complete: the freshest evidence, which decay weighs.
--
-- One row per contact, rule and moment scored (int_lead_scoring__scoring_moments). The
-- windows of anchor `any` are found once, over the events up to the last
-- moment that are inside the timeframe at the first: a window complete by
-- a moment holds the same events then (its step events are at or before
-- its completion), and it counts at a moment when its start is inside the
-- timeframe then (so are its other events, all later). As for repeat rules,
-- a contact_created rule without a timeframe is evaluated once; one with a
-- timeframe is evaluated at each moment, since its one window loses the
-- events that leave the timeframe.
--
-- Incremental by contact and moment: a build recomputes the rows
-- int_lead_scoring__contacts_to_rescore lists as changed (the moments after a contact's
-- new or late events), and every contact at the moments the table holds no
-- row of yet (a new as-of moment); the other rows are kept
-- (macros/utils/rescore.sql). On a build at a new as-of moment, the rows
-- of a rule without a timeframe of a contact with no new event and no
-- profile change since the last moment stored are copied from that moment
-- (its windows are the same), not computed again.
-- depends_on: {{ ref('lead_scoring', 'int_lead_scoring__contacts_to_rescore') }}

{%- set carry = lead_scoring.carry_plan(none) %}

with

moments as (

    -- On an incremental build, the moments with a row to compute.
    select * from {{ ref('lead_scoring', 'int_lead_scoring__scoring_moments') }}
    where {{ lead_scoring.is_moment_to_rescore('as_of') }}

),

rules as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__scoring_rules_unioned') }}
    where rule_kind = 'combination'

),

{%- if carry %}

carried_contacts as (

    {{ lead_scoring.unchanged_since_carry_from(carry) | indent(4) }}

),
{%- endif %}

span as (

    select min(as_of) as first_as_of

    from moments

),

evaluations as (

    select
        rules.rule_id,
        moments.as_of as evaluated_at,
        -- The events of an evaluation: inside the timeframe at this moment,
        -- or, for anchor any, at the first moment scored.
        case when rules.anchor = 'any' then span.first_as_of else moments.as_of end as timeframe_at

    from rules
    cross join span
    inner join moments
        on
            moments.is_current
            or (rules.timeframe_days is not null and rules.anchor <> 'any')

),

event_matches as (

    select
        event_matches.*,
        evaluations.evaluated_at

    from {{ ref('lead_scoring', 'int_lead_scoring__event_matches') }} as event_matches
    inner join rules
        on event_matches.rule_id = rules.rule_id
    inner join evaluations
        on event_matches.rule_id = evaluations.rule_id
    where
        event_matches.matcher_kind = 'step'
        and {{ lead_scoring.is_contact_to_rescore('event_matches.contact_id') }}
        and {{ lead_scoring.is_not_carried(
            'event_matches.contact_id', carry, computed_anyway='rules.timeframe_days is not null'
        ) }}
        and event_matches.occurred_at <= evaluations.evaluated_at
        and (
            rules.timeframe_days is null
            or {{ lead_scoring.at_most_days_apart(
                'event_matches.occurred_at', 'evaluations.timeframe_at', 'rules.timeframe_days'
            ) }}
        )

),

contacts as (

    -- When each contact was created: a fact of its past, whichever version
    -- says it (the earliest, should two disagree), so that a moment scored
    -- after the contact left the raw table keeps the window it had.
    select
        contact_id,
        min(created_at) as created_at

    from {{ ref('lead_scoring', 'int_lead_scoring__contacts_enriched') }}
    where {{ lead_scoring.is_contact_to_rescore('contact_id') }}
    group by contact_id

),

steps_per_rule as (

    select
        rule_id,
        count(distinct step) as steps

    from {{ ref('lead_scoring', 'stg_lead_scoring__combination_rule_steps') }}
    group by rule_id

),

window_starts as (

    -- anchor any: every matched event is a window start worth trying.
    select distinct
        event_matches.contact_id,
        event_matches.rule_id,
        event_matches.evaluated_at,
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
        event_matches.evaluated_at,
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

window_events as (

    -- The step events inside each window.
    select
        window_starts.contact_id,
        window_starts.rule_id,
        window_starts.evaluated_at,
        window_starts.window_start,
        event_matches.step,
        event_matches.event_id,
        event_matches.occurred_at

    from window_starts
    inner join rules
        on window_starts.rule_id = rules.rule_id
    inner join event_matches
        on
            window_starts.contact_id = event_matches.contact_id
            and window_starts.rule_id = event_matches.rule_id
            and window_starts.evaluated_at = event_matches.evaluated_at
            and window_starts.window_start <= event_matches.occurred_at
    where
        {{ lead_scoring.at_most_days_apart(
            'window_starts.window_start', 'event_matches.occurred_at', 'rules.within_days'
        ) }}

),

step_firsts as (

    -- The first event of each step inside each window.
    select
        contact_id,
        rule_id,
        evaluated_at,
        window_start,
        step,
        min(occurred_at) as first_occurred_at

    from window_events
    group by contact_id, rule_id, evaluated_at, window_start, step

),

distinct_events as (

    -- The window's distinct events in time order: a combination of N steps
    -- is complete no sooner than its N-th distinct event.
    select
        contact_id,
        rule_id,
        evaluated_at,
        window_start,
        occurred_at,
        row_number() over (
            partition by contact_id, rule_id, evaluated_at, window_start
            order by occurred_at, event_id
        ) as event_rank

    from (
        select distinct
            contact_id,
            rule_id,
            evaluated_at,
            window_start,
            event_id,
            occurred_at
        from window_events
    ) as window_distinct_events

),

complete_windows as (

    select
        step_firsts.contact_id,
        step_firsts.rule_id,
        step_firsts.evaluated_at,
        step_firsts.window_start,
        case
            when max(step_firsts.first_occurred_at) > nth_events.occurred_at
                then max(step_firsts.first_occurred_at)
            else nth_events.occurred_at
        end as completed_at

    from step_firsts
    inner join steps_per_rule
        on step_firsts.rule_id = steps_per_rule.rule_id
    inner join distinct_events as nth_events
        on
            step_firsts.contact_id = nth_events.contact_id
            and step_firsts.rule_id = nth_events.rule_id
            and step_firsts.evaluated_at = nth_events.evaluated_at
            and step_firsts.window_start = nth_events.window_start
            and steps_per_rule.steps = nth_events.event_rank
    group by
        step_firsts.contact_id,
        step_firsts.rule_id,
        step_firsts.evaluated_at,
        step_firsts.window_start,
        steps_per_rule.steps,
        nth_events.occurred_at
    having count(*) = steps_per_rule.steps

),

per_moment as (

    -- Anchor any: each window at the moments it is complete by, while its
    -- start is inside the timeframe. Anchor contact_created: a rule with a
    -- timeframe was evaluated at each moment; one without serves every
    -- moment with the window complete by then.
    select
        complete_windows.contact_id,
        complete_windows.rule_id,
        moments.as_of,
        complete_windows.completed_at

    from complete_windows
    inner join rules
        on complete_windows.rule_id = rules.rule_id
    inner join moments
        on complete_windows.completed_at <= moments.as_of
    where
        rules.timeframe_days is null
        or (
            rules.anchor = 'any'
            and {{ lead_scoring.at_most_days_apart(
                'complete_windows.window_start', 'moments.as_of', 'rules.timeframe_days'
            ) }}
        )

    union all

    select
        complete_windows.contact_id,
        complete_windows.rule_id,
        complete_windows.evaluated_at as as_of,
        complete_windows.completed_at

    from complete_windows
    inner join rules
        on complete_windows.rule_id = rules.rule_id
    where rules.anchor <> 'any' and rules.timeframe_days is not null

),

final as (

    select
        contact_id,
        rule_id,
        as_of,
        max(completed_at) as occurred_at

    from per_moment
    where {{ lead_scoring.is_row_to_rescore('contact_id', 'as_of') }}
    group by contact_id, rule_id, as_of
    {%- if carry %}

    union all

    -- Copied: the rules without a timeframe of the contacts carried.
    {{ lead_scoring.copied_occurrences(carry) | indent(4) }}
    {%- endif %}

)

select * from final
