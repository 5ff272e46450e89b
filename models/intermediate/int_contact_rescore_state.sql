{{ config(materialized='table') }}

-- The fingerprint of every contact and moment as the last complete build
-- scored it
-- (see int_contacts_to_rescore and macros/utils/rescore.sql). Built after
-- every model scored by contact, so that a build stopped before them leaves
-- the fingerprints of the build before, and the next one rescores the same
-- contacts.
{%- for model in [
    'int_repeat_rule_occurrences', 'int_combination_rule_occurrences',
    'int_inactivity_rule_occurrences', 'int_engagement_rules_fired', 'int_rule_points_capped',
    'int_score_adjustments', 'int_contact_scores',
] %}
-- depends_on: {{ ref(model) }}
{%- endfor %}

select
    contact_id,
    as_of,
    fingerprint

from {{ ref('int_contacts_to_rescore') }}
where fingerprint is not null
