{{ config(materialized='table') }}

-- Occurrences of repeat rules (seed repeat_rules): at least N matching events
-- within D days, that is an event and the N-1 matching events before it at
-- most D days apart. Only the events inside the rule's timeframe count.
-- `once`: one occurrence, at the most recent such event (the freshest
-- evidence, which decay then weighs). `per_window`: one occurrence per D-day
-- window holding N matching events, windows following each other from the
-- contact's first matching event (window k: from first + k*D days,
-- inclusive, to first + (k+1)*D days), at the event that completes the N.

{%- set as_of = lead_scoring.as_of_timestamp() %}

with

event_matches as (

    select * from {{ ref('int_event_matches') }}
    where matcher_kind = 'rule'

),

rules as (

    select * from {{ ref('int_scoring_rules_unioned') }}
    where rule_kind = 'repeat'

),

in_timeframe as (

    select
        event_matches.contact_id,
        event_matches.rule_id,
        event_matches.event_id,
        event_matches.occurred_at,
        rules.within_days

    from event_matches
    inner join rules
        on event_matches.rule_id = rules.rule_id
    where
        rules.timeframe_days is null
        or {{ lead_scoring.at_most_days_apart('event_matches.occurred_at', as_of, 'rules.timeframe_days') }}

),

first_matches as (

    select
        contact_id,
        rule_id,
        min(occurred_at) as first_matched_at

    from in_timeframe
    group by contact_id, rule_id

),

ranked as (

    select
        in_timeframe.contact_id,
        in_timeframe.rule_id,
        in_timeframe.event_id,
        in_timeframe.occurred_at,
        row_number() over (
            partition by in_timeframe.contact_id, in_timeframe.rule_id
            order by in_timeframe.occurred_at, in_timeframe.event_id
        ) as match_rank,
        floor(
            {{ dbt.datediff('first_matches.first_matched_at', 'in_timeframe.occurred_at', 'second') }}
            / (in_timeframe.within_days * 86400)
        ) as window_number

    from in_timeframe
    inner join first_matches
        on
            in_timeframe.contact_id = first_matches.contact_id
            and in_timeframe.rule_id = first_matches.rule_id

),

qualifying as (

    -- The events that complete a run of N within D days: the N-1-th match
    -- before them is at most D days earlier (and, per window, in the same
    -- window).
    select
        latest.contact_id,
        latest.rule_id,
        rules.count_mode,
        latest.occurred_at,
        latest.window_number

    from ranked as latest
    inner join rules
        on latest.rule_id = rules.rule_id
    inner join ranked as earliest
        on
            latest.contact_id = earliest.contact_id
            and latest.rule_id = earliest.rule_id
            and earliest.match_rank = latest.match_rank - (rules.min_occurrences - 1)
    where
        {{ lead_scoring.at_most_days_apart('earliest.occurred_at', 'latest.occurred_at', 'rules.within_days') }}
        and (rules.count_mode <> 'per_window' or earliest.window_number = latest.window_number)

),

final as (

    select
        contact_id,
        rule_id,
        case
            when count_mode = 'per_window' then min(occurred_at)
            else max(occurred_at)
        end as occurred_at

    from qualifying
    group by
        contact_id,
        rule_id,
        count_mode,
        case when count_mode = 'per_window' then window_number end

)

select * from final
