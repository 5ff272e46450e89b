{#-
    The checks of the point tables that read several columns of a row, or
    several rows: each a named generic test on a staging model
    (stg_lead_scoring__<table>, whose values are cleaned and typed; a cell
    that could not be typed is null there and reported by
    point_table_contract). Each returns the failing rows with a
    failure_message saying what to do. The column-by-column checks are the
    contract's (point_table_contract). The single-row checks return their
    rows through the generic test condition_holds.
-#}

{#- score_models: the ceiling (max_total) is above the floor (min_total, empty = 0). -#}
{% test max_total_is_above_min_total(model) %}
{{ lead_scoring.test_condition_holds(model,
    'max_total is null or max_total > coalesce(min_total, 0)',
    'max_total must be greater than min_total (an empty min_total is 0). Fix: raise max_total or leave it empty.') }}
{% endtest %}


{#-
    Rules and segment conditions on attributes: each operator has what it
    needs (a value, bounds, a bucket set) and nothing else; a rule gives
    points, except a buckets rule (each bucket has its own).
    `has_points`: the table has a points column (rules; not segments).
    `applies_to`: only rows that apply to attributes are checked (negative
    rules and segments have an applies_to column; explicit rules do not).
-#}
{% test operator_has_its_value(model, has_points=true, applies_to=false) %}
{%- set value = "nullif(trim(value), '')" %}
{%- set condition %}
    case
        {%- if applies_to %}
        when applies_to <> 'attribute' then true
        {%- endif %}
        when operator in ('equals', 'in', 'contains', 'starts_with')
            then {{ value }} is not null and min_value is null and max_value is null
        when operator in ('between', 'age_between')
            then {{ value }} is null and (min_value is not null or max_value is not null)
        when operator in ('is_present', 'is_missing')
            then {{ value }} is null and min_value is null and max_value is null
        when operator = 'per_unit'
            then {{ value }} is null
        when operator = 'buckets'
            then {{ value }} is not null and min_value is null and max_value is null
            {%- if has_points %} and points is null{% endif %}
        else true
    end
    {%- if has_points %}
    and (coalesce(operator, '') = 'buckets' or points is not null)
    {%- endif %}
{%- endset %}
{{ lead_scoring.test_condition_holds(model, condition,
    'equals, in, contains, starts_with need a value; between and age_between need min_value and/or max_value; '
    ~ 'is_present and is_missing need neither; per_unit takes no value; buckets names a bucket set in value'
    ~ (' and takes no points (each bucket has its own); every other rule needs points' if has_points else '')
    ~ '. Fix: fill in what the operator needs and empty the rest.') }}
{% endtest %}


{#-
    Negative rules and segment conditions: the columns a row fills fit what it
    applies to (`kind`: negative_rules or score_model_segments).
-#}
{% test columns_fit_applies_to(model, kind) %}
{%- if kind == 'score_model_segments' %}
    {%- set condition %}
    case applies_to
        when 'attribute'
            then attribute is not null and operator is not null
            and event_type is null and page_category is null
            and min_occurrences is null and within_days is null
        when 'behaviour'
            then (event_type is not null or page_category is not null)
            and attribute is null and operator is null and nullif(trim(value), '') is null
            and min_value is null and max_value is null
        else true
    end
    {%- endset %}
    {%- set message = 'attribute conditions fill attribute, operator and their values only; behaviour conditions '
        ~ 'fill event_type and/or page_category, and min_occurrences and within_days, only. Fix: empty the others.' %}
{%- else %}
    {%- set condition %}
    case applies_to
        when 'attribute'
            then attribute is not null and operator is not null
            and event_type is null and page_pattern is null and page_category is null
            and max_occurrences is null and max_points is null
            and half_life_days is null and timeframe_days is null
            and inactive_days is null
        when 'event'
            then event_type is not null
            and attribute is null and operator is null and nullif(trim(value), '') is null
            and min_value is null and max_value is null
            and inactive_days is null
        when 'inactivity'
            then inactive_days is not null
            and attribute is null and operator is null and nullif(trim(value), '') is null
            and min_value is null and max_value is null
            and event_type is null and page_pattern is null and page_category is null
            and max_occurrences is null and max_points is null
            and half_life_days is null and timeframe_days is null
        else true
    end
    {%- endset %}
    {%- set message = 'attribute rules fill attribute, operator and their values; event rules fill event_type and '
        ~ 'optionally page_pattern, page_category, max_occurrences, max_points, half_life_days, timeframe_days; '
        ~ 'inactivity rules fill inactive_days only. Fix: empty the others.' %}
{%- endif %}
{{ lead_scoring.test_condition_holds(model, condition, message) }}
{% endtest %}


{#-
    min_value is not above max_value, when both are numbers (number buckets; the
    bounds of rules and conditions are text that holds a number or a date).
-#}
{% test min_value_is_not_above_max_value(model) %}
{%- set number = lead_scoring.number_pattern() %}
{%- set min_text = 'cast(min_value as ' ~ dbt.type_string() ~ ')' %}
{%- set max_text = 'cast(max_value as ' ~ dbt.type_string() ~ ')' %}
{%- set condition %}
    case
        when {{ lead_scoring.regexp_full_match(min_text, number) }}
            and {{ lead_scoring.regexp_full_match(max_text, number) }}
            then cast({{ min_text }} as {{ dbt.type_numeric() }}) <= cast({{ max_text }} as {{ dbt.type_numeric() }})
        else true
    end
{%- endset %}
{{ lead_scoring.test_condition_holds(model, condition,
    'min_value must not be greater than max_value. Fix: swap them, or correct one.') }}
{% endtest %}


{#- A rule's cap_group is a group of point_caps for the rule's score model. -#}
{% test cap_group_is_in_point_caps(model) %}
{%- set condition %}
    cap_group is null or exists (
        select 1 from {{ lead_scoring.point_table_staged_relation('point_caps') }} as caps
        where caps.score_model = rules.score_model and caps.cap_group = rules.cap_group
    )
{%- endset %}
select
    rules.*,
    {{ lead_scoring.quote_literal("the cap group is not in point_caps for the rule's score model. Fix: add it to point_caps, or empty cap_group.") }}
        as failure_message

from {{ model }} as rules
where not coalesce({{ condition }}, false)
{% endtest %}


{#- Cap groups limit positive points: a rule with negative points takes none. -#}
{% test negative_points_take_no_cap_group(model) %}
{{ lead_scoring.test_condition_holds(model,
    'cap_group is null or coalesce(points, 0) >= 0',
    'a rule with negative points takes no cap_group; cap groups limit positive points only. Fix: empty cap_group.') }}
{% endtest %}


{#- A buckets rule names a bucket set of number_buckets in its value. -#}
{% test bucket_set_is_in_number_buckets(model) %}
select
    rules.*,
    'the rule names a bucket set that is not in number_buckets. Fix: add the buckets, or correct value.'
        as failure_message

from {{ model }} as rules
where
    rules.operator = 'buckets'
    and not exists (
        select 1 from {{ lead_scoring.point_table_staged_relation('number_buckets') }} as buckets
        where buckets.bucket_set = lower(trim(rules.value))
    )
{% endtest %}


{#- number_buckets: no two buckets of a set hold a common value. -#}
{% test number_buckets_do_not_overlap(model) %}
select
    buckets.*,
    'two buckets of a set hold a common value; each value falls in one bucket at most. Fix: make the ranges meet without overlapping (max_value of one = min_value of the next).'
        as failure_message

from {{ model }} as buckets
where exists (
    select 1 from {{ model }} as other
    where
        other.bucket_set = buckets.bucket_set
        and (
            coalesce(other.min_value, -1e18) <> coalesce(buckets.min_value, -1e18)
            or coalesce(other.max_value, 1e18) <> coalesce(buckets.max_value, 1e18)
            or other.points <> buckets.points
        )
        and (other.max_value is null or buckets.min_value is null or buckets.min_value < other.max_value)
        and (buckets.max_value is null or other.min_value is null or other.min_value < buckets.max_value)
)
{% endtest %}


{#-
    combination_rules: each rule has at least 2 steps in combination_rule_steps
    (`steps`: its staging model, given as ref() so that the test runs after it).
-#}
{% test combination_rules_have_at_least_2_steps(model, steps) %}
select
    rules.*,
    'a combination rule needs at least 2 steps in combination_rule_steps. Fix: add its steps, or use an implicit rule.'
        as failure_message

from {{ model }} as rules
where
    rules.rule_id is not null
    and (
        select count(distinct steps.step)
        from {{ steps }} as steps
        where steps.rule_id = rules.rule_id
    ) < 2
{% endtest %}
