{{ config(
    materialized='incremental',
    incremental_strategy=lead_scoring.replace_by_key_strategy(),
    unique_key='page_path',
    on_schema_change='fail',
    pre_hook="{{ lead_scoring.delete_when_config_changed(lead_scoring.page_categories_fingerprint()) }}",
) }}

-- One row per page path of the staged events and page category (seed
-- page_categories) it matches: rules and segments name categories, not
-- URLs. The patterns are data, matched with LIKE on a pattern built by
-- glob_to_like. A category depends only on the path, so each distinct path
-- is matched once, however many events view it (int_lead_scoring__event_matches joins
-- the events to their paths by equality).
--
-- Incremental: a build matches again only the paths of the events
-- base_lead_scoring__events wrote since the last one (macro event_sync) and replaces their
-- rows, or every path when seed page_categories changed (its fingerprint is
-- kept on every row, and the pre-hook then empties the table). Every row
-- written carries the newest batch_at of the events read, the watermark of
-- the next build.
-- depends_on: {{ ref('lead_scoring', 'base_lead_scoring__events') }}
{%- if execute and is_incremental()
    and 'page_path' not in (adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list) %}
    {{ exceptions.raise_compiler_error(
        this ~ " was built by an earlier version of this project (one row per event; now one row "
        ~ "per page path). Fix: rebuild it and what depends on it once: "
        ~ "dbt build --full-refresh --select " ~ this.identifier ~ "+"
    ) }}
{%- endif %}
{%- set fingerprint = lead_scoring.page_categories_fingerprint() %}
{%- set sync = lead_scoring.event_sync(fingerprint) %}

with

events as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__events_in_scope') }}
    {%- if not sync.full %}
    where event_id in ({{ lead_scoring.events_to_sync(sync) }})
    {%- endif %}

),

paths as (

    select distinct page_path
    from events
    where page_path is not null

),

batch as (

    select max(batch_at) as events_batch_at
    from events

),

page_categories as (

    select
        page_category,
        {{ lead_scoring.glob_to_like('lower(page_pattern)') }} as page_like_pattern

    from {{ ref('lead_scoring', 'stg_lead_scoring__page_categories') }}

),

final as (

    select distinct
        paths.page_path,
        page_categories.page_category,
        batch.events_batch_at,
        {{ lead_scoring.quote_literal(fingerprint) }} as config_fingerprint

    from paths
    inner join page_categories
        on paths.page_path like page_categories.page_like_pattern escape '!'
    cross join batch

)

select * from final
