{#-
    Fails for every rule naming an attribute that is not in the attribute
    catalogue (vars lead_scoring__attributes and
    lead_scoring__extra_contact_attributes), or an operator that does not fit
    the attribute's kind: text attributes take equals, in, contains,
    starts_with; number attributes take between; both take is_present and
    is_missing. Rows whose `column_name` is empty are left to not_null tests.
-#}
{% test is_known_attribute(model, column_name, operator_column='operator') %}

{%- set attributes = lead_scoring.scoring_attributes() %}

with catalogue as (

    {%- for name, kind in attributes.items() %}
    select
        {{ lead_scoring.quote_literal(name) }} as attribute,
        {{ lead_scoring.quote_literal(kind) }} as attribute_kind
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

)

select
    rules.*,
    catalogue.attribute_kind

from {{ model }} as rules
left join catalogue
    on lower(trim(rules.{{ column_name }})) = catalogue.attribute
where
    nullif(trim(rules.{{ column_name }}), '') is not null
    and (
        catalogue.attribute is null
        or (
            catalogue.attribute_kind = 'text'
            and lower(trim(rules.{{ operator_column }})) = 'between'
        )
        or (
            catalogue.attribute_kind = 'number'
            and lower(trim(rules.{{ operator_column }})) in ('equals', 'in', 'contains', 'starts_with')
        )
    )

{% endtest %}
