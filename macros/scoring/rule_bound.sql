{#-
    Dates as numbers: the days from 1970-01-01 to a date. Date attributes are
    compared (between) and aged (age_between) as these numbers.
-#}
{% macro epoch_days(date_expression) -%}
    {{ dbt.datediff("cast('1970-01-01' as date)", 'cast(' ~ date_expression ~ ' as date)', 'day') }}
{%- endmacro %}


{#-
    A rule's (or segment condition's) min_value or max_value as a number: for
    `between` on a date attribute, a 'YYYY-MM-DD' date as its epoch_days; for
    every other rule, the number written. The columns are staged (trimmed,
    lower-cased operator and attribute, null when empty) and tested first; the
    date attributes are the ones declared with kind date.
-#}
{% macro rule_bound(value_column, attribute_column, operator_column) -%}
    {%- set dates = [] -%}
    {%- for name, kind in lead_scoring.scoring_attributes().items() -%}
        {%- if kind == 'date' -%}{%- do dates.append(name) -%}{%- endif -%}
    {%- endfor -%}
    {%- set number = 'cast(' ~ value_column ~ ' as ' ~ dbt.type_numeric() ~ ')' -%}
    {%- if dates -%}
    case
        when {{ operator_column }} = 'between'
            and {{ attribute_column }} in (
                {%- for name in dates %}{{ lead_scoring.quote_literal(name) }}{{ ', ' if not loop.last }}{% endfor -%}
            )
            then cast({{ lead_scoring.epoch_days(value_column) }} as {{ dbt.type_numeric() }})
        else {{ number }}
    end
    {%- else -%}
    {{ number }}
    {%- endif -%}
{%- endmacro %}
