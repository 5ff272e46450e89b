-- The rules that score a sensitive attribute directly: one row per explicit
-- or negative attribute rule (int_lead_scoring__scoring_rules_unioned) whose attribute is
-- listed in var lead_scoring__sensitive_attributes. Empty when the var lists
-- none. Its test (tests/lead_scoring__assert_no_rule_scores_a_sensitive_attribute.sql)
-- warns for every row: whether such a rule is acceptable is the company's
-- decision, so the build goes on and the warning says what to review.
{%- set sensitive = lead_scoring.sensitive_attributes() %}

with

rules as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__scoring_rules_unioned') }}

),

sensitive_attributes as (

    -- Names from the var, known attributes only (macro sensitive_attributes).
    {%- if sensitive %}
    {%- for name in sensitive %}

    select {{ lead_scoring.quote_literal(name) }} as attribute
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}
    {%- else %}

    select cast(null as {{ dbt.type_string() }}) as attribute
    where 1 = 0
    {%- endif %}

),

final as (

    select
        rules.rule_id,
        rules.score_model,
        rules.attribute,
        rules.points,
        rules.point_table,
        rules.category,
        rules.operator,
        rules.rule_value,
        rules.description as rule_description

    from rules
    inner join sensitive_attributes
        on rules.attribute = sensitive_attributes.attribute
    where rules.rule_kind = 'attribute'

)

select * from final
