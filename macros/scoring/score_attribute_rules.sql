{#-
    Select one row per contact and attribute rule that fires: explicit (fit)
    rules and the attribute-based negative rules share this macro.

    attributes: a relation with contact_id, attribute, attribute_text,
                attribute_number, is_present (one row per contact and attribute)
    rules:      a relation shaped like int_scoring_rules
    categories: which rule categories to apply
-#}
{% macro score_attribute_rules(attributes, rules, categories) -%}
    select
        attributes.contact_id,
        rules.score_model,
        rules.rule_id,
        rules.category,
        1 as occurrences_matched,
        1 as occurrences_counted,
        rules.points as points_per_occurrence,
        rules.points as points
    from {{ attributes }} as attributes
    inner join {{ rules }} as rules
        on attributes.attribute = rules.attribute
    where
        rules.applies_to = 'attribute'
        and rules.category in ({% for category in categories %}{{ lead_scoring.quote_literal(category) }}{% if not loop.last %}, {% endif %}{% endfor %})
        and {{ lead_scoring.attribute_rule_matches('rules', 'attributes') }}
{%- endmacro %}
