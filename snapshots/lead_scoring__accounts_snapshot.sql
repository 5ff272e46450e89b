{#-
    The history of every staged account, like lead_scoring__contacts_snapshot: one row per
    version, valid from its updated_at (or created_at) until the next one.
    Enabled when var lead_scoring__attribute_history is 'snapshot'.
-#}
{% snapshot lead_scoring__accounts_snapshot %}

{{ config(
    unique_key='account_id',
    strategy='timestamp',
    updated_at='version_at',
    hard_deletes='invalidate',
    enabled=var('lead_scoring__attribute_history', 'snapshot') == 'snapshot',
) }}

select
    *,
    coalesce(updated_at, created_at, {{ lead_scoring.beginning_of_time() }}) as version_at

from {{ ref('lead_scoring', 'stg_lead_scoring__accounts') }}

{% endsnapshot %}
