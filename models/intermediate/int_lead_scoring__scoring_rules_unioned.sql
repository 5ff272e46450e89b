{{ config(materialized='table') }}

-- Every rule of the five rule tables in one shape (their staging models
-- have cleaned and typed them), normalised for matching: values lower-cased,
-- `in` lists without blanks around the '|', page patterns turned into LIKE
-- patterns, and the decay and timeframe each rule really uses (a positive
-- engagement rule inherits its score model's).

{#- The columns the five rule tables share in this shape; each table lists
    the ones it has, the others are null. rule_kind is the table's kind, or
    the negative rules' applies_to. #}
{%- set rule_columns = [
    'attribute', 'operator', 'value', 'min_value', 'max_value', 'event_type', 'page_pattern',
    'page_category', 'points', 'max_occurrences', 'max_points', 'cap_group', 'half_life_days',
    'timeframe_days', 'min_occurrences', 'within_days', 'count_mode', 'anchor', 'inactive_days',
] %}
{%- set event_columns = [
    'event_type', 'page_pattern', 'page_category', 'points', 'max_occurrences', 'max_points',
    'half_life_days', 'timeframe_days',
] %}
{%- set attribute_columns = ['attribute', 'operator', 'value', 'min_value', 'max_value'] %}
{%- set rule_tables = [
    {'seed': 'explicit_rules', 'kind': "'attribute'", 'columns': attribute_columns + ['points', 'cap_group']},
    {'seed': 'implicit_rules', 'kind': "'event'", 'columns': event_columns + ['cap_group']},
    {'seed': 'negative_rules', 'kind': 'applies_to',
     'columns': attribute_columns + event_columns + ['inactive_days']},
    {'seed': 'repeat_rules', 'kind': "'repeat'",
     'columns': event_columns + ['cap_group', 'min_occurrences', 'within_days', 'count_mode']},
    {'seed': 'combination_rules', 'kind': "'combination'",
     'columns': ['points', 'cap_group', 'half_life_days', 'timeframe_days', 'within_days', 'anchor']},
] %}

{#- The staged type of each column, for the nulls of the tables without it. #}
{%- set kinds = lead_scoring.point_table_column_kinds(rule_tables | map(attribute='seed')) %}

with

unioned as (

    {%- for table in rule_tables %}

    select
        rule_id,
        score_model,
        {{ table.kind }} as rule_kind,
        {%- for column in rule_columns %}
        {%- if column in table.columns %}
        {{ column }},
        {%- else %}
        cast(null as {{ lead_scoring.point_table_column_type(kinds[column]) }}) as {{ column }},
        {%- endif %}
        {%- endfor %}
        description,
        '{{ table.seed }}' as point_table

    from {{ ref('lead_scoring', 'stg_lead_scoring__' ~ table.seed) }}
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

),

typed as (

    select
        rule_id,
        score_model,
        case
            when point_table = 'explicit_rules' then 'explicit'
            when point_table = 'negative_rules' or points < 0 then 'negative'
            else 'implicit'
        end as category,
        rule_kind,
        point_table,
        attribute,
        operator,
        -- Kept as written, for the docs and the explanations.
        value as rule_value,
        -- What attributes are compared with: case and surrounding blanks do
        -- not matter, nor blanks around the '|' of an `in` list.
        {{ lead_scoring.normalised_match_value('value', 'operator') }} as match_value,
        {{ lead_scoring.rule_bound('min_value', 'attribute', 'operator') }} as min_value,
        {{ lead_scoring.rule_bound('max_value', 'attribute', 'operator') }} as max_value,
        event_type,
        page_pattern,
        {{ lead_scoring.glob_to_like('lower(page_pattern)') }} as page_like_pattern,
        page_category,
        points,
        max_occurrences,
        max_points,
        cap_group,
        half_life_days as own_half_life_days,
        timeframe_days as own_timeframe_days,
        min_occurrences,
        within_days,
        count_mode,
        anchor,
        inactive_days,
        description

    from unioned

),

score_models as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__score_models') }}

),

final as (

    select
        typed.rule_id,
        typed.score_model,
        typed.category,
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
        -- Positive engagement (category implicit) inherits the score
        -- model's decay and timeframe; fit and negative rules only use
        -- their own.
        case
            when typed.category = 'implicit'
                then coalesce(typed.own_half_life_days, score_models.half_life_days)
            else typed.own_half_life_days
        end as half_life_days,
        case
            when typed.category = 'implicit'
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
