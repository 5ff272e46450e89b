{#-
    Select one row per contact profile and attribute rule that fires (explicit fit
    rules and attribute-based negative rules), shaped like the engagement
    rules that fire: an attribute rule fires once, without decay.

    attributes: a relation with contact_id, valid_from, attribute,
                attribute_text, attribute_number, is_present (one row per
                contact profile and attribute)
    rules:      a relation shaped like int_lead_scoring__scoring_rules_unioned
    buckets:    a relation shaped like seed number_buckets, typed (bucket_set
                lower-cased, min_value, max_value, points as numbers)

    Besides the operators of attribute_rule_matches (shared with the segment
    conditions), rules have three operators of their own, on numbers:
      per_unit     points per unit of the value (HubSpot's "per value"):
                   the value counts from 0 up to max_value units when one is
                   given, and the rule fires from min_value on (when given)
                   for a value above 0; points rounded to 2 decimals;
      buckets      the points of the bucket of the set named by the rule's
                   value (seed number_buckets) that holds the value: min
                   inclusive, max exclusive; no bucket, no row;
      age_between  on a date attribute: fires while the date's age, in whole
                   days at the moment scored, is between min_value and
                   max_value days (inclusive; either may be open). The row
                   says when: fires_from and fires_until (exclusive), which
                   int_lead_scoring__rule_points_capped compares with each moment; every
                   other rule fires at every moment of its profile (both null).
-#}
{% macro score_attribute_rules(attributes, rules, buckets) -%}
    {%- set epoch = "cast('1970-01-01' as " ~ dbt.type_timestamp() ~ ")" -%}
    {%- set units = 'least(greatest(attributes.attribute_number, 0), coalesce(rules.max_value, attributes.attribute_number))' -%}
    {%- set points -%}
        cast(case rules.operator
            when 'buckets' then buckets.points
            when 'per_unit' then round(rules.points * {{ units }}, 2)
            else rules.points
        end as {{ dbt.type_numeric() }})
    {%- endset -%}
    select
        attributes.contact_id,
        attributes.valid_from as profile_valid_from,
        rules.score_model,
        rules.rule_id,
        rules.category,
        1 as occurrences_matched,
        1 as occurrences_counted,
        {{ points }} as points_per_occurrence,
        {{ points }} as base_points,
        {{ points }} as decayed_points,
        {{ points }} as rule_capped_points,
        cast(null as {{ dbt.type_timestamp() }}) as last_occurred_at,
        case
            when rules.operator = 'age_between'
                then {{ dbt.dateadd('day', 'cast(attributes.attribute_number + coalesce(rules.min_value, 0) as ' ~ dbt.type_int() ~ ')', epoch) }}
        end as fires_from,
        case
            when rules.operator = 'age_between' and rules.max_value is not null
                then {{ dbt.dateadd('day', 'cast(attributes.attribute_number + rules.max_value + 1 as ' ~ dbt.type_int() ~ ')', epoch) }}
        end as fires_until
    from {{ attributes }} as attributes
    inner join {{ rules }} as rules
        on attributes.attribute = rules.attribute
    left join {{ buckets }} as buckets
        on
            rules.operator = 'buckets'
            and rules.match_value = buckets.bucket_set
            and attributes.attribute_number >= coalesce(buckets.min_value, attributes.attribute_number)
            and (buckets.max_value is null or attributes.attribute_number < buckets.max_value)
    where
        rules.rule_kind = 'attribute'
        and (
            {{ lead_scoring.attribute_rule_matches('rules', 'attributes') }}
            or (rules.operator = 'buckets' and buckets.bucket_set is not null)
            or (
                rules.operator = 'per_unit'
                and attributes.attribute_number >= coalesce(rules.min_value, attributes.attribute_number)
                and {{ units }} > 0
            )
            or (rules.operator = 'age_between' and attributes.attribute_number is not null)
        )
{%- endmacro %}
