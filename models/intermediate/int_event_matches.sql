{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ lead_scoring.delete_events_to_sync(lead_scoring.event_matchers_fingerprint()) }}",
) }}

-- One row per event and matcher it satisfies (see int_event_matchers): the
-- event type when the matcher names one, the page pattern when it has one
-- (`like ... escape '!'` on a pattern that is data), the page category when
-- it names one. Events without a page never match a page condition. Two
-- branches keep every join an equi-join: matchers that name an event type,
-- and matchers that name only a page category.
--
-- Every staged event is matched, whatever the as-of moment: the models that
-- score a moment keep the matches at or before it. Incremental: a build
-- processes only the events base_events wrote since the last one (macro
-- event_sync), or every event when a matcher or a page category changed
-- (their fingerprint is kept on every row).
-- depends_on: {{ ref('base_events') }}
{%- set fingerprint = lead_scoring.event_matchers_fingerprint() %}
{%- set sync = lead_scoring.event_sync(fingerprint) %}

with

events as (

    select * from {{ ref('int_events_in_scope') }}
    {%- if not sync.full %}
    where event_id in ({{ lead_scoring.events_to_sync(sync) }})
    {%- endif %}

),

page_categories as (

    select * from {{ ref('int_event_page_categories') }}
    {%- if not sync.full %}
    where event_id in ({{ lead_scoring.events_to_sync(sync) }})
    {%- endif %}

),

matchers as (

    select * from {{ ref('int_event_matchers') }}

),

by_event_type as (

    select
        events.contact_id,
        events.event_id,
        events.occurred_at,
        matchers.matcher_kind,
        matchers.score_model,
        matchers.rule_id,
        matchers.step,
        matchers.condition_id,
        events.batch_at as events_batch_at,
        {{ lead_scoring.quote_literal(fingerprint) }} as config_fingerprint

    from events
    inner join matchers
        on events.event_type = matchers.event_type
    left join page_categories
        on
            events.event_id = page_categories.event_id
            and matchers.page_category = page_categories.page_category
    where
        (
            matchers.page_like_pattern is null
            or events.page_path like matchers.page_like_pattern escape '!'
        )
        and (matchers.page_category is null or page_categories.event_id is not null)

),

by_page_category_only as (

    select
        events.contact_id,
        events.event_id,
        events.occurred_at,
        matchers.matcher_kind,
        matchers.score_model,
        matchers.rule_id,
        matchers.step,
        matchers.condition_id,
        events.batch_at as events_batch_at,
        {{ lead_scoring.quote_literal(fingerprint) }} as config_fingerprint

    from page_categories
    inner join matchers
        on page_categories.page_category = matchers.page_category
    inner join events
        on page_categories.event_id = events.event_id
    where
        matchers.event_type is null
        and (
            matchers.page_like_pattern is null
            or events.page_path like matchers.page_like_pattern escape '!'
        )

),

final as (

    select * from by_event_type
    union all
    select * from by_page_category_only

)

select * from final
