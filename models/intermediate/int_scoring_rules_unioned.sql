{{ config(materialized='table') }}

-- Every rule of the five rule tables in one shape, typed and normalised for
-- matching: values lower-cased and trimmed, `in` lists without blanks around
-- the '|', page patterns turned into LIKE patterns, and the decay and
-- timeframe each rule really uses (a positive engagement rule inherits its
-- score model's). The seeds are loaded as text and tested first, so these
-- casts only run on values that passed.

{%- set text = dbt.type_string() %}

with

explicit_rules as (

    select
        rule_id,
        score_model,
        'attribute' as rule_kind,
        attribute,
        operator,
        value,
        min_value,
        max_value,
        cast(null as {{ text }}) as event_type,
        cast(null as {{ text }}) as page_pattern,
        cast(null as {{ text }}) as page_category,
        points,
        cast(null as {{ text }}) as max_occurrences,
        cast(null as {{ text }}) as max_points,
        cap_group,
        cast(null as {{ text }}) as half_life_days,
        cast(null as {{ text }}) as timeframe_days,
        cast(null as {{ text }}) as min_occurrences,
        cast(null as {{ text }}) as within_days,
        cast(null as {{ text }}) as count_mode,
        cast(null as {{ text }}) as anchor,
        cast(null as {{ text }}) as inactive_days,
        description,
        'explicit_rules' as point_table

    from {{ ref('explicit_rules') }}

),

implicit_rules as (

    select
        rule_id,
        score_model,
        'event' as rule_kind,
        cast(null as {{ text }}) as attribute,
        cast(null as {{ text }}) as operator,
        cast(null as {{ text }}) as value,
        cast(null as {{ text }}) as min_value,
        cast(null as {{ text }}) as max_value,
        event_type,
        page_pattern,
        page_category,
        points,
        max_occurrences,
        max_points,
        cap_group,
        half_life_days,
        timeframe_days,
        cast(null as {{ text }}) as min_occurrences,
        cast(null as {{ text }}) as within_days,
        cast(null as {{ text }}) as count_mode,
        cast(null as {{ text }}) as anchor,
        cast(null as {{ text }}) as inactive_days,
        description,
        'implicit_rules' as point_table

    from {{ ref('implicit_rules') }}

),

negative_rules as (

    select
        rule_id,
        score_model,
        lower(trim(applies_to)) as rule_kind,
        attribute,
        operator,
        value,
        min_value,
        max_value,
        event_type,
        page_pattern,
        page_category,
        points,
        max_occurrences,
        max_points,
        cast(null as {{ text }}) as cap_group,
        half_life_days,
        timeframe_days,
        cast(null as {{ text }}) as min_occurrences,
        cast(null as {{ text }}) as within_days,
        cast(null as {{ text }}) as count_mode,
        cast(null as {{ text }}) as anchor,
        inactive_days,
        description,
        'negative_rules' as point_table

    from {{ ref('negative_rules') }}

),

repeat_rules as (

    select
        rule_id,
        score_model,
        'repeat' as rule_kind,
        cast(null as {{ text }}) as attribute,
        cast(null as {{ text }}) as operator,
        cast(null as {{ text }}) as value,
        cast(null as {{ text }}) as min_value,
        cast(null as {{ text }}) as max_value,
        event_type,
        page_pattern,
        page_category,
        points,
        max_occurrences,
        max_points,
        cap_group,
        half_life_days,
        timeframe_days,
        min_occurrences,
        within_days,
        count_mode,
        cast(null as {{ text }}) as anchor,
        cast(null as {{ text }}) as inactive_days,
        description,
        'repeat_rules' as point_table

    from {{ ref('repeat_rules') }}

),

combination_rules as (

    select
        rule_id,
        score_model,
        'combination' as rule_kind,
        cast(null as {{ text }}) as attribute,
        cast(null as {{ text }}) as operator,
        cast(null as {{ text }}) as value,
        cast(null as {{ text }}) as min_value,
        cast(null as {{ text }}) as max_value,
        cast(null as {{ text }}) as event_type,
        cast(null as {{ text }}) as page_pattern,
        cast(null as {{ text }}) as page_category,
        points,
        cast(null as {{ text }}) as max_occurrences,
        cast(null as {{ text }}) as max_points,
        cap_group,
        half_life_days,
        timeframe_days,
        cast(null as {{ text }}) as min_occurrences,
        within_days,
        cast(null as {{ text }}) as count_mode,
        anchor,
        cast(null as {{ text }}) as inactive_days,
        description,
        'combination_rules' as point_table

    from {{ ref('combination_rules') }}

),

unioned as (

    select * from explicit_rules
    union all
    select * from implicit_rules
    union all
    select * from negative_rules
    union all
    select * from repeat_rules
    union all
    select * from combination_rules

),

typed as (

    select
        trim(rule_id) as rule_id,
        trim(score_model) as score_model,
        rule_kind,
        point_table,
        lower(trim(attribute)) as attribute,
        lower(trim(operator)) as operator,
        -- Kept as written, for the docs and the explanations.
        value as rule_value,
        -- What attributes are compared with: case and surrounding blanks do
        -- not matter, nor blanks around the '|' of an `in` list.
        {{ lead_scoring.normalised_match_value('value', 'operator') }} as match_value,
        cast(nullif(trim(min_value), '') as {{ dbt.type_numeric() }}) as min_value,
        cast(nullif(trim(max_value), '') as {{ dbt.type_numeric() }}) as max_value,
        lower(nullif(trim(event_type), '')) as event_type,
        nullif(trim(page_pattern), '') as page_pattern,
        {{ lead_scoring.glob_to_like("lower(nullif(trim(page_pattern), ''))") }} as page_like_pattern,
        lower(nullif(trim(page_category), '')) as page_category,
        cast(trim(points) as {{ dbt.type_numeric() }}) as points,
        cast(nullif(trim(max_occurrences), '') as {{ dbt.type_int() }}) as max_occurrences,
        cast(nullif(trim(max_points), '') as {{ dbt.type_numeric() }}) as max_points,
        lower(nullif(trim(cap_group), '')) as cap_group,
        cast(nullif(trim(half_life_days), '') as {{ dbt.type_numeric() }}) as own_half_life_days,
        cast(nullif(trim(timeframe_days), '') as {{ dbt.type_numeric() }}) as own_timeframe_days,
        cast(nullif(trim(min_occurrences), '') as {{ dbt.type_int() }}) as min_occurrences,
        cast(nullif(trim(within_days), '') as {{ dbt.type_numeric() }}) as within_days,
        lower(nullif(trim(count_mode), '')) as count_mode,
        lower(nullif(trim(anchor), '')) as anchor,
        cast(nullif(trim(inactive_days), '') as {{ dbt.type_numeric() }}) as inactive_days,
        description

    from unioned

),

score_models as (

    select * from {{ ref('int_score_models') }}

),

final as (

    select
        typed.rule_id,
        typed.score_model,
        case
            when typed.point_table = 'explicit_rules' then 'explicit'
            when typed.point_table = 'negative_rules' or typed.points < 0 then 'negative'
            else 'implicit'
        end as category,
        typed.rule_kind,
        case when typed.rule_kind = 'attribute' then 'fit' else 'engagement' end as score_dimension,
        typed.point_table,
        typed.attribute,
        typed.operator,
        typed.rule_value,
        typed.match_value,
        typed.min_value,
        typed.max_value,
        typed.event_type,
        typed.page_pattern,
        typed.page_like_pattern,
        typed.page_category,
        typed.points,
        typed.max_occurrences,
        typed.max_points,
        typed.cap_group,
        -- Positive engagement inherits the score model's decay and
        -- timeframe; fit and negative rules only use their own.
        case
            when typed.rule_kind <> 'attribute' and typed.point_table <> 'negative_rules' and typed.points >= 0
                then coalesce(typed.own_half_life_days, score_models.half_life_days)
            else typed.own_half_life_days
        end as half_life_days,
        case
            when typed.rule_kind <> 'attribute' and typed.point_table <> 'negative_rules' and typed.points >= 0
                then coalesce(typed.own_timeframe_days, score_models.timeframe_days)
            else typed.own_timeframe_days
        end as timeframe_days,
        typed.min_occurrences,
        typed.within_days,
        typed.count_mode,
        typed.anchor,
        typed.inactive_days,
        typed.description

    from typed
    left join score_models
        on typed.score_model = score_models.score_model

)

select * from final
