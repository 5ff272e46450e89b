{#-
    Fails for every non-empty min_value or max_value cell (`column_name`) that
    does not fit its rule: a 'YYYY-MM-DD' date that exists, for `between` on
    a date attribute (var lead_scoring__extra_contact_attributes or
    lead_scoring__attributes with kind date); a plain decimal number for
    every other rule. What passes is what the models can cast
    (macro rule_bound).
-#}
{% test is_rule_bound(model, column_name, attribute_column='attribute', operator_column='operator') %}

{%- set dates = [] %}
{%- for name, kind in lead_scoring.scoring_attributes().items() %}
    {%- if kind == 'date' %}{%- do dates.append(name) %}{%- endif %}
{%- endfor %}
{%- set cell = 'trim(' ~ column_name ~ ')' %}

with cells as (

    select
        *,
        {%- if dates %}
        (
            lower(trim({{ operator_column }})) = 'between'
            and lower(trim({{ attribute_column }})) in (
                {%- for name in dates %}{{ lead_scoring.quote_literal(name) }}{{ ', ' if not loop.last }}{% endfor -%}
            )
        )
        {%- else %}
        false
        {%- endif %} as is_date_bound

    from {{ model }}
    where nullif({{ cell }}, '') is not null

)

select *
from cells
where
    case
        when is_date_bound
            then {{ lead_scoring.cast_or_null(cell, 'date') }} is null
        else not coalesce({{ lead_scoring.regexp_full_match(cell, lead_scoring.number_pattern()) }}, false)
    end

{% endtest %}
