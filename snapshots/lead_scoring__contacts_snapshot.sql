{#-
    The history of every staged contact: dbt keeps one row per version, valid
    from the contact's updated_at (its created_at when it has none) until the
    next version, and closes the last one when the contact disappears from the
    raw table. Scoring "as of" a past moment reads the version valid then, so
    a later change of job title or company never leaks into the past.
    Enabled when var lead_scoring__attribute_history is 'snapshot'.
-#}
{% snapshot lead_scoring__contacts_snapshot %}

{{ config(
    unique_key='contact_id',
    strategy='timestamp',
    updated_at='version_at',
    hard_deletes='invalidate',
    enabled=var('lead_scoring__attribute_history', 'snapshot') == 'snapshot',
) }}

select
    *,
    -- A row without any timestamp says nothing of when it became true: it
    -- is taken as known since the earliest moment scored.
    coalesce(updated_at, created_at, {{ lead_scoring.beginning_of_time() }}) as version_at

from {{ ref('lead_scoring', 'stg_lead_scoring__contacts') }}

{% endsnapshot %}
