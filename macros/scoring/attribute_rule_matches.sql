{#-
    A boolean SQL expression: does the attribute row `attribute_alias` satisfy
    the rule row `rule_alias`? Both sides are columns, so a rule's value is
    compared as data and matches literally whatever characters it holds.

    Expects on the attribute side: attribute_text (lower-cased, trimmed, null
    when empty), attribute_number, is_present; on the rule side: operator,
    match_value (lower-cased, trimmed; `in` items joined by '|' without
    blanks around it), min_value,
    max_value.
-#}
{% macro attribute_rule_matches(rule_alias, attribute_alias) -%}
    {%- set r = rule_alias -%}
    {%- set a = attribute_alias -%}
    coalesce(
        case {{ r }}.operator
            when 'equals'
                then {{ a }}.attribute_text = {{ r }}.match_value
            when 'in'
                {#- An attribute holding '|' itself can never equal one item. #}
                then {{ dbt.position("'|'", a ~ '.attribute_text') }} = 0
                and {{ dbt.position(
                    dbt.concat(["'|'", a ~ '.attribute_text', "'|'"]),
                    dbt.concat(["'|'", r ~ '.match_value', "'|'"])
                ) }} > 0
            when 'contains'
                then {{ dbt.position(r ~ '.match_value', a ~ '.attribute_text') }} > 0
            when 'starts_with'
                then {{ dbt.position(r ~ '.match_value', a ~ '.attribute_text') }} = 1
            when 'between'
                then {{ a }}.attribute_number >= coalesce({{ r }}.min_value, {{ a }}.attribute_number)
                and {{ a }}.attribute_number <= coalesce({{ r }}.max_value, {{ a }}.attribute_number)
            when 'is_present'
                then {{ a }}.is_present
            when 'is_missing'
                then not {{ a }}.is_present
        end,
        false
    )
{%- endmacro %}
