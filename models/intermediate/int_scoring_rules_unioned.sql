-- Every rule of the three point tables in one shape, typed and normalised for
-- matching: values lower-cased and trimmed, `in` lists without blanks around
-- the '|', page patterns turned into LIKE patterns. The seeds are loaded as
-- text and tested first, so these casts only run on values that passed.

with

explicit_rules as (

    select
        rule_id,
        score_model,
        'explicit' as category,
        'attribute' as applies_to,
        attribute,
        operator,
        value,
        min_value,
        max_value,
        cast(null as {{ dbt.type_string() }}) as event_type,
        cast(null as {{ dbt.type_string() }}) as page_pattern,
        points,
        cast(null as {{ dbt.type_string() }}) as max_occurrences,
        description

    from {{ ref('explicit_rules') }}

),

implicit_rules as (

    select
        rule_id,
        score_model,
        'implicit' as category,
        'event' as applies_to,
        cast(null as {{ dbt.type_string() }}) as attribute,
        cast(null as {{ dbt.type_string() }}) as operator,
        cast(null as {{ dbt.type_string() }}) as value,
        cast(null as {{ dbt.type_string() }}) as min_value,
        cast(null as {{ dbt.type_string() }}) as max_value,
        event_type,
        page_pattern,
        points,
        max_occurrences,
        description

    from {{ ref('implicit_rules') }}

),

negative_rules as (

    select
        rule_id,
        score_model,
        'negative' as category,
        applies_to,
        attribute,
        operator,
        value,
        min_value,
        max_value,
        event_type,
        page_pattern,
        points,
        max_occurrences,
        description

    from {{ ref('negative_rules') }}

),

unioned as (

    select * from explicit_rules
    union all
    select * from implicit_rules
    union all
    select * from negative_rules

),

final as (

    select
        trim(rule_id) as rule_id,
        trim(score_model) as score_model,
        category,
        lower(trim(applies_to)) as applies_to,
        lower(trim(attribute)) as attribute,
        lower(trim(operator)) as operator,
        -- Kept as written, for the docs and the explanations.
        value as rule_value,
        -- What attributes are compared with: case and surrounding blanks do
        -- not matter, nor blanks around the '|' of an `in` list.
        {{ lead_scoring.regexp_replace_all('lower(trim(value))', '[[:space:]]*[|][[:space:]]*', '|') }}
            as match_value,
        cast(nullif(trim(min_value), '') as {{ dbt.type_numeric() }}) as min_value,
        cast(nullif(trim(max_value), '') as {{ dbt.type_numeric() }}) as max_value,
        lower(trim(event_type)) as event_type,
        nullif(trim(page_pattern), '') as page_pattern,
        {{ lead_scoring.glob_to_like("lower(nullif(trim(page_pattern), ''))") }} as page_like_pattern,
        cast(trim(points) as {{ dbt.type_numeric() }}) as points,
        cast(nullif(trim(max_occurrences), '') as {{ dbt.type_int() }}) as max_occurrences,
        description

    from unioned

)

select * from final
