-- A rule id names one rule: it may not appear in two rule tables (each
-- table's own uniqueness is a generic test), nor take the names of the
-- adjustment rows. Returns the offending ids.

with

rule_ids as (

    select trim(rule_id) as rule_id from {{ ref('explicit_rules') }}
    union all
    select trim(rule_id) as rule_id from {{ ref('implicit_rules') }}
    union all
    select trim(rule_id) as rule_id from {{ ref('negative_rules') }}
    union all
    select trim(rule_id) as rule_id from {{ ref('repeat_rules') }}
    union all
    select trim(rule_id) as rule_id from {{ ref('combination_rules') }}

)

select
    rule_id,
    count(*) as occurrences

from rule_ids
group by rule_id
having count(*) > 1 or rule_id in ('score_floor', 'score_ceiling')
