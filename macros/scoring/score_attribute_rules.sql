{#-
    Select one row per contact profile and attribute rule that fires (explicit fit
    rules and attribute-based negative rules), shaped like the engagement
    rules that fire: an attribute rule fires once, without decay.

    attributes: a relation with contact_id, valid_from, attribute,
                attribute_text, attribute_number, is_present (one row per
                contact profile and attribute)
    rules:      a relation shaped like int_scoring_rules_unioned
-#}
{% macro score_attribute_rules(attributes, rules) -%}
    select
        attributes.contact_id,
        attributes.valid_from as profile_valid_from,
        rules.score_model,
        rules.rule_id,
        rules.category,
        1 as occurrences_matched,
        1 as occurrences_counted,
        rules.points as points_per_occurrence,
        rules.points as base_points,
        rules.points as decayed_points,
        rules.points as rule_capped_points,
        cast(null as {{ dbt.type_timestamp() }}) as last_occurred_at
    from {{ attributes }} as attributes
    inner join {{ rules }} as rules
        on attributes.attribute = rules.attribute
    where
        rules.rule_kind = 'attribute'
        and {{ lead_scoring.attribute_rule_matches('rules', 'attributes') }}
{%- endmacro %}
