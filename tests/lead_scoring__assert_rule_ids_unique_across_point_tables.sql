-- A rule id names one rule: it may not appear in two rule tables (each
-- table's own uniqueness is a generic test), nor take the names of the
-- adjustment rows. Returns the offending ids.

with

rule_ids as (

    select rule_id from {{ ref('lead_scoring', 'stg_lead_scoring__explicit_rules') }}
    union all
    select rule_id from {{ ref('lead_scoring', 'stg_lead_scoring__implicit_rules') }}
    union all
    select rule_id from {{ ref('lead_scoring', 'stg_lead_scoring__negative_rules') }}
    union all
    select rule_id from {{ ref('lead_scoring', 'stg_lead_scoring__repeat_rules') }}
    union all
    select rule_id from {{ ref('lead_scoring', 'stg_lead_scoring__combination_rules') }}

)

select
    rule_id,
    count(*) as occurrences

from rule_ids
group by rule_id
having count(*) > 1 or rule_id in ('score_floor', 'score_ceiling')
