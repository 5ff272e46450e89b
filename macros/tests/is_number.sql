{#-
    Point tables are loaded as text. Fails for every non-empty cell of
    `column_name` that is not a plain decimal number (`10`, `-2.5`), or not a
    whole number when `whole_number`, or below `at_least`, or not below
    `below`. The cast only runs on cells that look like numbers.
-#}
{% test is_number(model, column_name, whole_number=false, at_least=none, below=none) %}

{%- set pattern = '[0-9]+' if whole_number else '[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)' %}

with cells as (

    select
        *,
        {{ lead_scoring.regexp_full_match('trim(' ~ column_name ~ ')', pattern) }} as is_well_formed

    from {{ model }}
    where nullif(trim({{ column_name }}), '') is not null

),

checked as (

    select
        *,
        case
            when is_well_formed then cast(trim({{ column_name }}) as {{ dbt.type_numeric() }})
        end as number_value

    from cells

)

select *
from checked
where
    not is_well_formed
    {%- if at_least is not none %}
    or number_value < {{ at_least | float }}
    {%- endif %}
    {%- if below is not none %}
    or number_value >= {{ below | float }}
    {%- endif %}

{% endtest %}
