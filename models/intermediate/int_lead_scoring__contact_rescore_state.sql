{{ config(materialized='table') }}

-- The fingerprint of every contact and moment as the last complete build
-- scored it
-- (see int_lead_scoring__contacts_to_rescore and macros/utils/rescore.sql). Built after
-- every model scored by contact, so that a build stopped before them leaves
-- the fingerprints of the build before, and the next one rescores the same
-- contacts.
{%- for model in [
    'int_lead_scoring__repeat_rule_occurrences', 'int_lead_scoring__combination_rule_occurrences',
    'int_lead_scoring__inactivity_rule_occurrences', 'int_lead_scoring__engagement_rules_fired', 'int_lead_scoring__rule_points_capped',
    'int_lead_scoring__score_adjustments', 'int_lead_scoring__contact_scores',
] %}
-- depends_on: {{ ref(model) }}
{%- endfor %}

select
    contact_id,
    as_of,
    fingerprint

from {{ ref('lead_scoring', 'int_lead_scoring__contacts_to_rescore') }}
where fingerprint is not null
