-- A rule id names one rule: it may not appear in two point tables (each
-- table's own uniqueness is a generic test). Returns the repeated ids.

with

rule_ids as (

    select
        trim(rule_id) as rule_id,
        'explicit_rules' as point_table
    from {{ ref('explicit_rules') }}
    union all
    select
        trim(rule_id) as rule_id,
        'implicit_rules' as point_table
    from {{ ref('implicit_rules') }}
    union all
    select
        trim(rule_id) as rule_id,
        'negative_rules' as point_table
    from {{ ref('negative_rules') }}

)

select
    rule_id,
    count(*) as occurrences

from rule_ids
group by rule_id
having count(*) > 1
