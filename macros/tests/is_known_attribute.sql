{#-
    Fails for every rule naming an attribute that is not in the attribute
    catalogue (vars lead_scoring__attributes and
    lead_scoring__extra_contact_attributes), or an operator that does not fit
    the attribute's kind: text attributes take equals, in, contains,
    starts_with; number attributes take between, per_unit and buckets;
    boolean attributes take equals with the value true or false; date
    attributes take between and age_between; all take is_present and
    is_missing. Operators that exist for no kind are left to the
    accepted_values tests, rows whose `column_name` is empty to not_null tests.
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

),

allowed (attribute_kind, operator) as (

    values
        ('text', 'equals'), ('text', 'in'), ('text', 'contains'), ('text', 'starts_with'),
        ('number', 'between'), ('number', 'per_unit'), ('number', 'buckets'),
        ('boolean', 'equals'),
        ('date', 'between'), ('date', 'age_between')

)

select
    rules.*,
    catalogue.attribute_kind

from {{ model }} as rules
left join catalogue
    on lower(trim(rules.{{ column_name }})) = catalogue.attribute
left join allowed
    on
        catalogue.attribute_kind = allowed.attribute_kind
        and lower(trim(rules.{{ operator_column }})) = allowed.operator
where
    nullif(trim(rules.{{ column_name }}), '') is not null
    and (
        catalogue.attribute is null
        or (
            lower(trim(rules.{{ operator_column }})) in (select operator from allowed)
            and allowed.operator is null
        )
        or (
            catalogue.attribute_kind = 'boolean'
            and lower(trim(rules.{{ operator_column }})) = 'equals'
            and coalesce(lower(trim(rules.value)), '') not in ('true', 'false')
        )
    )

{% endtest %}
