{{ config(materialized='table') }}

-- Occurrences of repeat rules (seed repeat_rules): at least N matching events
-- within D days, that is an event and the N-1 matching events before it at
-- most D days apart. `once`: one occurrence, at the first such event.
-- `per_window`: one occurrence per D-day window in which the condition is
-- met, windows following each other from the contact's first matching event
-- (window k: from first + k*D days, inclusive, to first + (k+1)*D days).

with

event_matches as (

    select * from {{ ref('int_event_matches') }}

),

rules as (

    select * from {{ ref('int_scoring_rules_unioned') }}
    where rule_kind = 'repeat'

),

ranked as (

    select
        event_matches.contact_id,
        event_matches.rule_id,
        event_matches.event_id,
        event_matches.occurred_at,
        row_number() over (
            partition by event_matches.contact_id, event_matches.rule_id
            order by event_matches.occurred_at, event_matches.event_id
        ) as match_rank,
        min(event_matches.occurred_at) over (
            partition by event_matches.contact_id, event_matches.rule_id
        ) as first_matched_at

    from event_matches
    where event_matches.matcher_kind = 'rule'

),

qualifying as (

    -- The events that complete a run of N within D days: the N-1-th match
    -- before them is at most D days earlier.
    select
        latest.contact_id,
        latest.rule_id,
        rules.count_mode,
        latest.occurred_at,
        floor(
            {{ dbt.datediff('latest.first_matched_at', 'latest.occurred_at', 'second') }}
            / (rules.within_days * 86400)
        ) as window_number

    from ranked as latest
    inner join rules
        on latest.rule_id = rules.rule_id
    inner join ranked as earliest
        on
            latest.contact_id = earliest.contact_id
            and latest.rule_id = earliest.rule_id
            and earliest.match_rank = latest.match_rank - (rules.min_occurrences - 1)
    where
        {{ dbt.datediff('earliest.occurred_at', 'latest.occurred_at', 'second') }}
        <= rules.within_days * 86400

),

final as (

    select
        contact_id,
        rule_id,
        min(occurred_at) as occurred_at

    from qualifying
    group by
        contact_id,
        rule_id,
        case when count_mode = 'per_window' then window_number end

)

select * from final
