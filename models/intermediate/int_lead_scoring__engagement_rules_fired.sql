{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook=[
        "{{ lead_scoring.add_missing_column('decayed_sum', lead_scoring.type_double()) }}",
        "{{ lead_scoring.delete_contacts_to_rescore() }}",
    ],
) }}

-- Engagement rules that fire (event, repeat, combination and inactivity
-- rules, positive or negative), one row per contact, rule and moment scored
-- (int_lead_scoring__scoring_moments): the
-- occurrences inside the rule's timeframe, each worth its points times its
-- decay factor 0.5^(age in days / half-life), the most recent
-- `max_occurrences` of them counted, then the rule's `max_points`.
--
-- Most event rules of most contacts are settled over the moments scored: no
-- occurrence after the first moment, none leaving the rule's timeframe
-- between the first and the last. Their occurrences are the same at every
-- moment and only their decay moves, by the same factor for all of them
-- (decay is memoryless): they are summed once, at the first moment, and
-- carried to the others by that factor. The other rules are evaluated at
-- each moment.
--
-- Incremental by contact and moment: a build recomputes the rows
-- int_lead_scoring__contacts_to_rescore lists as changed (the moments after a contact's
-- new or late events), and every contact at the moments the table holds no
-- row of yet (a new as-of moment); the other rows are kept
-- (macros/utils/rescore.sql).
--
-- Carried forward: on a build at a new as-of moment, the event rules of a
-- contact with no new event and no profile change since the last moment
-- stored, and no occurrence leaving a rule's timeframe in between, are not
-- computed again: its rows at that moment are carried to the new one, the
-- unrounded `decayed_sum` times 0.5^(days between / half-life). Rows
-- written before this column existed (the first pre-hook adds it on the
-- first build after an upgrade) are computed, never carried. Repeat,
-- combination and inactivity rules come from their own occurrence tables
-- at every moment computed.
-- depends_on: {{ ref('lead_scoring', 'int_lead_scoring__contacts_to_rescore') }}

{%- set sum_of_recent = lead_scoring.sum_of_largest('decay_factor', 'coalesce(max_occurrences, 1)') %}
{%- set age_days = '(' ~ dbt.datediff('occurrences.occurred_at', 'occurrences.as_of', 'second') ~ ') / 86400.0' %}
{%- set carry = lead_scoring.carry_plan('decayed_sum') %}

with

moments as (

    -- On an incremental build, the moments with a row to compute.
    select * from {{ ref('lead_scoring', 'int_lead_scoring__scoring_moments') }}
    where {{ lead_scoring.is_moment_to_rescore('as_of') }}

),

event_matches as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__event_matches') }}

),

rules as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__scoring_rules_unioned') }}

),

{%- if carry %}

carried_contacts as (

    -- Unchanged since the last moment stored, and no occurrence of an event
    -- rule leaving its timeframe between it and the last new moment.
    select contact_id from (
        {{ lead_scoring.unchanged_since_carry_from(carry) | indent(8) }}
    ) as unchanged

    except

    select event_matches.contact_id
    from event_matches
    inner join rules
        on event_matches.rule_id = rules.rule_id
    where
        event_matches.matcher_kind = 'rule'
        and rules.rule_kind = 'event'
        and rules.timeframe_days is not null
        and {{ lead_scoring.at_most_days_apart(
            'event_matches.occurred_at', lead_scoring.timestamp_literal(carry['from']), 'rules.timeframe_days'
        ) }}
        and not {{ lead_scoring.at_most_days_apart(
            'event_matches.occurred_at', lead_scoring.timestamp_literal(carry['to'] | max), 'rules.timeframe_days'
        ) }}

),
{%- endif %}

span as (

    select
        min(as_of) as first_as_of,
        max(as_of) as last_as_of

    from moments

),

rule_matches as (

    select
        event_matches.contact_id,
        event_matches.rule_id,
        event_matches.occurred_at,
        rules.timeframe_days

    from event_matches
    inner join rules
        on event_matches.rule_id = rules.rule_id
    where
        event_matches.matcher_kind = 'rule'
        and rules.rule_kind = 'event'
        and {{ lead_scoring.is_contact_to_rescore('event_matches.contact_id') }}
        and {{ lead_scoring.is_not_carried('event_matches.contact_id', carry) }}

),

unsettled_pairs as (

    -- An occurrence after the first moment, or one inside the timeframe at
    -- the first moment and outside it at the last.
    select distinct
        rule_matches.contact_id,
        rule_matches.rule_id

    from rule_matches
    cross join span
    where
        rule_matches.occurred_at > span.first_as_of
        or (
            rule_matches.timeframe_days is not null
            and {{ lead_scoring.at_most_days_apart(
                'rule_matches.occurred_at', 'span.first_as_of', 'rule_matches.timeframe_days'
            ) }}
            and not {{ lead_scoring.at_most_days_apart(
                'rule_matches.occurred_at', 'span.last_as_of', 'rule_matches.timeframe_days'
            ) }}
        )

),

event_occurrences as (

    -- Unsettled: at every moment. Settled: at the first moment only.
    select
        rule_matches.contact_id,
        rule_matches.rule_id,
        moments.as_of,
        rule_matches.occurred_at,
        false as is_settled

    from rule_matches
    inner join unsettled_pairs
        on
            rule_matches.contact_id = unsettled_pairs.contact_id
            and rule_matches.rule_id = unsettled_pairs.rule_id
    inner join moments
        on rule_matches.occurred_at <= moments.as_of

    union all

    select
        rule_matches.contact_id,
        rule_matches.rule_id,
        span.first_as_of as as_of,
        rule_matches.occurred_at,
        true as is_settled

    from rule_matches
    cross join span
    left join unsettled_pairs
        on
            rule_matches.contact_id = unsettled_pairs.contact_id
            and rule_matches.rule_id = unsettled_pairs.rule_id
    where unsettled_pairs.contact_id is null

),

occurrences as (

    select * from event_occurrences
    {%- for kind in ['repeat', 'combination', 'inactivity'] %}
    union all
    select
        contact_id,
        rule_id,
        as_of,
        occurred_at,
        false as is_settled
    from {{ ref('lead_scoring', 'int_lead_scoring__' ~ kind ~ '_rule_occurrences') }}
    where {{ lead_scoring.is_row_to_rescore('contact_id', 'as_of') }}
    {%- endfor %}

),

decayed as (

    select
        occurrences.contact_id,
        occurrences.as_of,
        rules.rule_id,
        rules.points,
        rules.max_occurrences,
        occurrences.is_settled,
        occurrences.occurred_at,
        case
            when rules.half_life_days is null then 1.0
            else power(0.5, cast({{ age_days }} / rules.half_life_days as {{ lead_scoring.type_double() }}))
        end as decay_factor

    from occurrences
    inner join rules
        on occurrences.rule_id = rules.rule_id
    where
        rules.timeframe_days is null
        or {{ age_days }} <= rules.timeframe_days

),

weighted as (

    -- Only the rules with max_occurrences need the most recent occurrences:
    -- the others count every occurrence. Where the engine has a top-n
    -- aggregate, per_rule takes the largest decay factors (the most recent
    -- occurrences: same points and half-life within a rule) directly;
    -- elsewhere the occurrences are numbered, most recent first.
    {%- if sum_of_recent is none %}
    select
        *,
        row_number() over (
            partition by contact_id, rule_id, as_of
            order by occurred_at desc
        ) as recency_rank

    from decayed
    where max_occurrences is not null

    union all
    {%- endif %}

    select
        *,
        1 as recency_rank

    from decayed
    {%- if sum_of_recent is none %}
    where max_occurrences is null
    {%- endif %}

),

occurrence_sums as (

    -- Grouped by the rule alone (its points, caps and half-life follow from
    -- it and are joined back below): fewer, narrower group keys.
    select
        contact_id,
        as_of,
        rule_id,
        is_settled,
        count(*) as occurrences_matched,
        max(occurred_at) as last_occurred_at,
        {%- if sum_of_recent is none %}
        sum(case when max_occurrences is null or recency_rank <= max_occurrences then 1 else 0 end)
            as occurrences_counted,
        sum(
            case
                when max_occurrences is null or recency_rank <= max_occurrences
                    then points * decay_factor
                else 0
            end
        ) as decayed_sum
        {%- else %}
        sum(points * decay_factor) as decayed_sum,
        {{ sum_of_recent }} as recent_decay_sum
        {%- endif %}

    from weighted
    group by
        contact_id,
        as_of,
        rule_id,
        is_settled

),

per_rule as (

    select
        occurrence_sums.contact_id,
        occurrence_sums.as_of,
        rules.score_model,
        occurrence_sums.rule_id,
        rules.category,
        rules.points as points_per_occurrence,
        rules.max_points,
        rules.half_life_days,
        occurrence_sums.is_settled,
        occurrence_sums.occurrences_matched,
        {%- if sum_of_recent is none %}
        occurrence_sums.occurrences_counted,
        occurrence_sums.decayed_sum,
        {%- else %}
        case
            when rules.max_occurrences is null or occurrence_sums.occurrences_matched <= rules.max_occurrences
                then occurrence_sums.occurrences_matched
            else rules.max_occurrences
        end as occurrences_counted,
        case
            when rules.max_occurrences is null or occurrence_sums.occurrences_matched <= rules.max_occurrences
                then occurrence_sums.decayed_sum
            else rules.points * occurrence_sums.recent_decay_sum
        end as decayed_sum,
        {%- endif %}
        occurrence_sums.last_occurred_at

    from occurrence_sums
    inner join rules
        on occurrence_sums.rule_id = rules.rule_id

),

per_moment as (

    select
        contact_id,
        as_of,
        score_model,
        rule_id,
        category,
        points_per_occurrence,
        max_points,
        occurrences_matched,
        occurrences_counted,
        last_occurred_at,
        decayed_sum

    from per_rule
    where not is_settled

    union all

    -- A settled rule at every moment: the sum at the first moment, decayed
    -- by the time since.
    select
        per_rule.contact_id,
        moments.as_of,
        per_rule.score_model,
        per_rule.rule_id,
        per_rule.category,
        per_rule.points_per_occurrence,
        per_rule.max_points,
        per_rule.occurrences_matched,
        per_rule.occurrences_counted,
        per_rule.last_occurred_at,
        per_rule.decayed_sum * case
            when per_rule.half_life_days is null then 1.0
            else power(
                0.5,
                cast(
                    ({{ dbt.datediff('per_rule.as_of', 'moments.as_of', 'second') }}) / 86400.0
                    / per_rule.half_life_days as {{ lead_scoring.type_double() }}
                )
            )
        end as decayed_sum

    from per_rule
    cross join moments
    where per_rule.is_settled
    {%- if carry %}

    union all

    -- The event rules of the contacts carried forward: their rows at the
    -- last moment stored, decayed by the time since.
    select
        stored.contact_id,
        moments.as_of,
        stored.score_model,
        stored.rule_id,
        stored.category,
        stored.points_per_occurrence,
        rules.max_points,
        stored.occurrences_matched,
        stored.occurrences_counted,
        stored.last_occurred_at,
        stored.decayed_sum * case
            when rules.half_life_days is null then 1.0
            else power(
                0.5,
                cast(
                    ({{ dbt.datediff('stored.as_of', 'moments.as_of', 'second') }}) / 86400.0
                    / rules.half_life_days as {{ lead_scoring.type_double() }}
                )
            )
        end as decayed_sum

    from {{ this }} as stored
    inner join rules
        on stored.rule_id = rules.rule_id
    inner join carried_contacts
        on stored.contact_id = carried_contacts.contact_id
    inner join moments
        on moments.as_of in ({{ lead_scoring.timestamp_list(carry['to']) }})
    where
        stored.as_of = {{ lead_scoring.timestamp_literal(carry['from']) }}
        and rules.rule_kind = 'event'
    {%- endif %}

),

rounded as (

    select
        *,
        -- Cast with a wide scale before rounding, so that the value is
        -- rounded once, to 2 decimals.
        round(cast(decayed_sum as decimal(38, 12)), 2) as decayed_points

    from per_moment

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
        as_of,
        -- Unrounded, before max_points: what a later build carries forward.
        cast(decayed_sum as {{ lead_scoring.type_double() }}) as decayed_sum

    from rounded
    where {{ lead_scoring.is_row_to_rescore('contact_id', 'as_of') }}

)

select * from final
