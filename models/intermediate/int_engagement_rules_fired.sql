{{ config(materialized='table') }}

-- Engagement rules that fire (event, repeat, combination and inactivity
-- rules, positive or negative), one row per contact, rule and moment scored
-- (int_scoring_moments): the
-- occurrences inside the rule's timeframe, each worth its points times its
-- decay factor 0.5^(age in days / half-life), the most recent
-- `max_occurrences` of them counted, then the rule's `max_points`.

{%- set age_days = '(' ~ dbt.datediff('occurrences.occurred_at', 'occurrences.as_of', 'second') ~ ') / 86400.0' %}

with

moments as (

    select * from {{ ref('int_scoring_moments') }}

),

event_matches as (

    select * from {{ ref('int_event_matches') }}

),

rules as (

    select * from {{ ref('int_scoring_rules_unioned') }}

),

event_occurrences as (

    select
        event_matches.contact_id,
        event_matches.rule_id,
        moments.as_of,
        event_matches.occurred_at

    from event_matches
    inner join rules
        on event_matches.rule_id = rules.rule_id
    inner join moments
        on event_matches.occurred_at <= moments.as_of
    where
        event_matches.matcher_kind = 'rule'
        and rules.rule_kind = 'event'

),

occurrences as (

    select * from event_occurrences
    union all
    select * from {{ ref('int_repeat_rule_occurrences') }}
    union all
    select * from {{ ref('int_combination_rule_occurrences') }}
    union all
    select * from {{ ref('int_inactivity_rule_occurrences') }}

),

decayed as (

    select
        occurrences.contact_id,
        occurrences.as_of,
        rules.score_model,
        rules.rule_id,
        rules.category,
        rules.points,
        rules.max_occurrences,
        rules.max_points,
        occurrences.occurred_at,
        case
            when rules.half_life_days is null then 1.0
            else power(0.5, cast({{ age_days }} / rules.half_life_days as {{ dbt.type_float() }}))
        end as decay_factor

    from occurrences
    inner join rules
        on occurrences.rule_id = rules.rule_id
    where
        rules.timeframe_days is null
        or {{ age_days }} <= rules.timeframe_days

),

weighted as (

    -- Only the rules with max_occurrences need the occurrences ranked
    -- (most recent first): the others count every occurrence.
    select
        *,
        row_number() over (
            partition by contact_id, rule_id, as_of
            order by occurred_at desc
        ) as recency_rank

    from decayed
    where max_occurrences is not null

    union all

    select
        *,
        1 as recency_rank

    from decayed
    where max_occurrences is null

),

per_rule as (

    select
        contact_id,
        as_of,
        score_model,
        rule_id,
        category,
        points as points_per_occurrence,
        max_points,
        count(*) as occurrences_matched,
        sum(case when max_occurrences is null or recency_rank <= max_occurrences then 1 else 0 end)
            as occurrences_counted,
        max(occurred_at) as last_occurred_at,
        -- Cast with a wide scale before rounding, so that the value is
        -- rounded once, to 2 decimals.
        round(
            cast(
                sum(
                    case
                        when max_occurrences is null or recency_rank <= max_occurrences
                            then points * decay_factor
                        else 0
                    end
                ) as decimal(38, 12)
            ),
            2
        ) as decayed_points

    from weighted
    group by
        contact_id,
        as_of,
        score_model,
        rule_id,
        category,
        points,
        max_points

),

final as (

    select
        contact_id,
        score_model,
        rule_id,
        category,
        occurrences_matched,
        occurrences_counted,
        points_per_occurrence,
        cast(occurrences_counted * points_per_occurrence as {{ dbt.type_numeric() }}) as base_points,
        decayed_points,
        -- max_points bounds what a rule gives, or for a negative rule what it
        -- takes away.
        case
            when max_points is null then decayed_points
            when decayed_points > max_points then max_points
            when decayed_points < -max_points then -max_points
            else decayed_points
        end as rule_capped_points,
        last_occurred_at,
        as_of

    from per_rule

)

select * from final
