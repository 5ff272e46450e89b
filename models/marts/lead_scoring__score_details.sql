-- One row per contact, score model and rule that fired, plus an adjustment
-- row when the total hit its floor or ceiling: the explanation of every point
-- of lead_scoring__scores, before and after decay and caps. Its points add up to
-- lead_scoring__scores.total_score exactly. As of the as-of moment, like lead_scoring__scores.

{%- set text = dbt.type_string() %}
{%- set floor_description = "The total is raised to the score model's floor (min_total)" %}
{%- set ceiling_description = "The total is lowered to the score model's ceiling (max_total)" %}

with

moments as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__scoring_moments') }}
    where is_current

),

rule_points as (

    select int_lead_scoring__rule_points_capped.*

    from {{ ref('lead_scoring', 'int_lead_scoring__rule_points_capped') }} as int_lead_scoring__rule_points_capped
    inner join moments
        on int_lead_scoring__rule_points_capped.as_of = moments.as_of

),

adjustments as (

    select int_lead_scoring__score_adjustments.*

    from {{ ref('lead_scoring', 'int_lead_scoring__score_adjustments') }} as int_lead_scoring__score_adjustments
    inner join moments
        on int_lead_scoring__score_adjustments.as_of = moments.as_of

),

rules as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__scoring_rules_unioned') }}

),

rule_rows as (

    select
        rule_points.contact_id,
        rule_points.score_model,
        rule_points.rule_id,
        rule_points.category,
        rule_points.rule_kind,
        rule_points.score_dimension,
        rules.description as rule_description,
        rule_points.cap_group,
        rule_points.occurrences_matched,
        rule_points.occurrences_counted,
        rule_points.points_per_occurrence,
        rule_points.base_points,
        rule_points.decayed_points,
        case
            when
                rule_points.rule_capped_points <> rule_points.decayed_points
                and rule_points.points <> rule_points.rule_capped_points
                then 'max_points, cap_group'
            when rule_points.rule_capped_points <> rule_points.decayed_points then 'max_points'
            when rule_points.points <> rule_points.rule_capped_points then 'cap_group'
        end as capped_by,
        rule_points.points,
        rule_points.last_occurred_at,
        rule_points.as_of

    from rule_points
    inner join rules
        on rule_points.rule_id = rules.rule_id

),

adjustment_rows as (

    select
        contact_id,
        score_model,
        rule_id,
        'adjustment' as category,
        'adjustment' as rule_kind,
        'total' as score_dimension,
        case
            when rule_id = 'score_floor' then {{ lead_scoring.quote_literal(floor_description) }}
            else {{ lead_scoring.quote_literal(ceiling_description) }}
        end as rule_description,
        cast(null as {{ text }}) as cap_group,
        1 as occurrences_matched,
        1 as occurrences_counted,
        points as points_per_occurrence,
        points as base_points,
        points as decayed_points,
        cast(null as {{ text }}) as capped_by,
        points,
        cast(null as {{ dbt.type_timestamp() }}) as last_occurred_at,
        as_of

    from adjustments

),

unioned as (

    select * from rule_rows
    union all
    select * from adjustment_rows

),

final as (

    -- One numeric type for every point column, whatever step produced it.
    select
        contact_id,
        score_model,
        rule_id,
        category,
        rule_kind,
        score_dimension,
        rule_description,
        cap_group,
        occurrences_matched,
        occurrences_counted,
        cast(points_per_occurrence as {{ dbt.type_numeric() }}) as points_per_occurrence,
        cast(base_points as {{ dbt.type_numeric() }}) as base_points,
        cast(decayed_points as {{ dbt.type_numeric() }}) as decayed_points,
        capped_by,
        cast(points as {{ dbt.type_numeric() }}) as points,
        last_occurred_at,
        as_of

    from unioned

)

select * from final
