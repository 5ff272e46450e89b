{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ lead_scoring.delete_events_to_sync(lead_scoring.page_categories_fingerprint()) }}",
) }}

-- One row per event and page category its page matches (seed
-- page_categories): rules and segments name categories, not URLs. The
-- patterns are data, matched with LIKE on a pattern built by glob_to_like.
--
-- Incremental: a build processes only the events base_events wrote since
-- the last one (macro event_sync), or every event when seed page_categories
-- changed (its fingerprint is kept on every row).
-- depends_on: {{ ref('base_events') }}
{%- set fingerprint = lead_scoring.page_categories_fingerprint() %}
{%- set sync = lead_scoring.event_sync(fingerprint) %}

with

events as (

    select * from {{ ref('int_events_in_scope') }}
    {%- if not sync.full %}
    where event_id in ({{ lead_scoring.events_to_sync(sync) }})
    {%- endif %}

),

page_categories as (

    select
        lower(trim(page_category)) as page_category,
        {{ lead_scoring.glob_to_like("lower(trim(page_pattern))") }} as page_like_pattern

    from {{ ref('page_categories') }}

),

final as (

    select distinct
        events.event_id,
        events.contact_id,
        page_categories.page_category,
        events.batch_at as events_batch_at,
        {{ lead_scoring.quote_literal(fingerprint) }} as config_fingerprint

    from events
    inner join page_categories
        on events.page_path like page_categories.page_like_pattern escape '!'

)

select * from final
