{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ lead_scoring.delete_contacts_to_rescore() }}",
) }}

-- Occurrences of repeat rules (seed repeat_rules) at every moment scored
-- (int_lead_scoring__scoring_moments): at least N matching events within D days, that is
-- an event and the N-1 matching events before it at most D days apart. Only
-- the events at or before the moment and inside the rule's timeframe count.
-- `once`: one occurrence, at the most recent such event (the freshest
-- evidence, which decay then weighs). `per_window`: one occurrence per D-day
-- window holding N matching events, windows following each other from the
-- contact's first matching event (window k: from first + k*D days,
-- inclusive, to first + (k+1)*D days), at the event that completes the N.
--
-- A rule without a timeframe is evaluated once, over the events up to the
-- as-of moment: an event that completes a run only needs earlier events, so
-- the runs complete at or before an earlier moment are those it would find
-- on its own. A rule with a timeframe is evaluated for each moment, because
-- which events count depends on it.
--
-- Incremental by contact and moment: a build recomputes the rows
-- int_lead_scoring__contacts_to_rescore lists as changed (the moments after a contact's
-- new or late events), and every contact at the moments the table holds no
-- row of yet (a new as-of moment); the other rows are kept
-- (macros/utils/rescore.sql). On a build at a new as-of moment, the rows
-- of a rule without a timeframe of a contact with no new event and no
-- profile change since the last moment stored are copied from that moment
-- (its runs are the same), not computed again.
-- depends_on: {{ ref('lead_scoring', 'int_lead_scoring__contacts_to_rescore') }}

{%- set carry = lead_scoring.carry_plan(none) %}

with

moments as (

    -- On an incremental build, the moments with a row to compute.
    select * from {{ ref('lead_scoring', 'int_lead_scoring__scoring_moments') }}
    where {{ lead_scoring.is_moment_to_rescore('as_of') }}

),

event_matches as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__event_matches') }}
    where
        matcher_kind = 'rule'
        and {{ lead_scoring.is_contact_to_rescore('contact_id') }}

),

rules as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__scoring_rules_unioned') }}
    where rule_kind = 'repeat'

),

{%- if carry %}

carried_contacts as (

    {{ lead_scoring.unchanged_since_carry_from(carry) | indent(4) }}

),
{%- endif %}

evaluations as (

    -- The moments each rule is evaluated at (see above).
    select
        rules.rule_id,
        moments.as_of as evaluated_at

    from rules
    inner join moments
        on rules.timeframe_days is not null or moments.is_current

),

in_timeframe as (

    select
        event_matches.contact_id,
        event_matches.rule_id,
        evaluations.evaluated_at,
        event_matches.event_id,
        event_matches.occurred_at,
        rules.within_days,
        rules.min_occurrences

    from event_matches
    inner join rules
        on event_matches.rule_id = rules.rule_id
    inner join evaluations
        on event_matches.rule_id = evaluations.rule_id
    where
        event_matches.occurred_at <= evaluations.evaluated_at
        and {{ lead_scoring.is_not_carried(
            'event_matches.contact_id', carry, computed_anyway='rules.timeframe_days is not null'
        ) }}
        and (
            rules.timeframe_days is null
            or {{ lead_scoring.at_most_days_apart(
                'event_matches.occurred_at', 'evaluations.evaluated_at', 'rules.timeframe_days'
            ) }}
        )

),

first_matches as (

    select
        contact_id,
        rule_id,
        evaluated_at,
        min(occurred_at) as first_matched_at

    from in_timeframe
    group by contact_id, rule_id, evaluated_at

),

ranked as (

    select
        in_timeframe.contact_id,
        in_timeframe.rule_id,
        in_timeframe.evaluated_at,
        in_timeframe.event_id,
        in_timeframe.occurred_at,
        row_number() over (
            partition by in_timeframe.contact_id, in_timeframe.rule_id, in_timeframe.evaluated_at
            order by in_timeframe.occurred_at, in_timeframe.event_id
        ) as match_rank,
        in_timeframe.min_occurrences,
        floor(
            {{ dbt.datediff('first_matches.first_matched_at', 'in_timeframe.occurred_at', 'second') }}
            / (in_timeframe.within_days * 86400)
        ) as window_number

    from in_timeframe
    inner join first_matches
        on
            in_timeframe.contact_id = first_matches.contact_id
            and in_timeframe.rule_id = first_matches.rule_id
            and in_timeframe.evaluated_at = first_matches.evaluated_at

),

run_ends as (

    -- Each match as the possible end of a run of N: the rank of the match
    -- that would start it, so that the run is found by an equi-join.
    select
        ranked.*,
        ranked.match_rank - (ranked.min_occurrences - 1) as run_start_rank

    from ranked

),

qualifying as (

    -- The events that complete a run of N within D days: the N-1-th match
    -- before them is at most D days earlier (and, per window, in the same
    -- window).
    select
        latest.contact_id,
        latest.rule_id,
        latest.evaluated_at,
        rules.count_mode,
        rules.timeframe_days,
        latest.occurred_at,
        latest.window_number

    from run_ends as latest
    inner join rules
        on latest.rule_id = rules.rule_id
    inner join ranked as earliest
        on
            latest.contact_id = earliest.contact_id
            and latest.rule_id = earliest.rule_id
            and latest.evaluated_at = earliest.evaluated_at
            and latest.run_start_rank = earliest.match_rank
    where
        {{ lead_scoring.at_most_days_apart('earliest.occurred_at', 'latest.occurred_at', 'rules.within_days') }}
        and (rules.count_mode <> 'per_window' or earliest.window_number = latest.window_number)

),

per_moment as (

    -- A rule with a timeframe was evaluated at each moment; a rule evaluated
    -- once serves every moment with the runs completed by then.
    select
        qualifying.contact_id,
        qualifying.rule_id,
        qualifying.evaluated_at as as_of,
        qualifying.count_mode,
        qualifying.occurred_at,
        qualifying.window_number

    from qualifying
    where qualifying.timeframe_days is not null

    union all

    select
        qualifying.contact_id,
        qualifying.rule_id,
        moments.as_of,
        qualifying.count_mode,
        qualifying.occurred_at,
        qualifying.window_number

    from qualifying
    inner join moments
        on qualifying.occurred_at <= moments.as_of
    where qualifying.timeframe_days is null

),

final as (

    select
        contact_id,
        rule_id,
        as_of,
        case
            when count_mode = 'per_window' then min(occurred_at)
            else max(occurred_at)
        end as occurred_at

    from per_moment
    where {{ lead_scoring.is_row_to_rescore('contact_id', 'as_of') }}
    group by
        contact_id,
        rule_id,
        as_of,
        count_mode,
        case when count_mode = 'per_window' then window_number end
    {%- if carry %}

    union all

    -- Copied: the rules without a timeframe of the contacts carried.
    {{ lead_scoring.copied_occurrences(carry) | indent(4) }}
    {%- endif %}

)

select * from final
