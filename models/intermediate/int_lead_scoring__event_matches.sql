{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ lead_scoring.delete_events_to_sync(lead_scoring.event_matchers_fingerprint()) }}",
) }}

-- One row per event and matcher it satisfies (see int_lead_scoring__event_matchers): the
-- event type when the matcher names one, the page pattern when it has one
-- (`like ... escape '!'` on a pattern that is data), the page category when
-- it names one. Events without a page never match a page condition. Whether
-- an event matches depends only on its type and page path, so each distinct
-- (event type, page path) pair is matched once and the events are joined to
-- their pairs' matchers by equality: millions of events, thousands of pairs.
-- Two branches keep every join an equi-join: matchers that name an event
-- type, and matchers that name only a page category.
--
-- Every staged event is matched, whatever the as-of moment: the models that
-- score a moment keep the matches at or before it. Incremental: a build
-- processes only the events base_lead_scoring__events wrote since the last one (macro
-- event_sync), or every event when a matcher or a page category changed
-- (their fingerprint is kept on every row).
-- depends_on: {{ ref('lead_scoring', 'base_lead_scoring__events') }}
{%- set fingerprint = lead_scoring.event_matchers_fingerprint() %}
{%- set sync = lead_scoring.event_sync(fingerprint) %}

with

events as (

    select
        *,
        coalesce(page_path, '') as page_key

    from {{ ref('lead_scoring', 'int_lead_scoring__events_in_scope') }}
    {%- if not sync.full %}
    where event_id in ({{ lead_scoring.events_to_sync(sync) }})
    {%- endif %}

),

pages as (

    select distinct
        event_type,
        page_path,
        page_key

    from events

),

page_categories as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__event_page_categories') }}

),

matchers as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__event_matchers') }}

),

by_event_type as (

    select
        pages.event_type,
        pages.page_key,
        matchers.matcher_kind,
        matchers.score_model,
        matchers.rule_id,
        matchers.step,
        matchers.condition_id

    from pages
    inner join matchers
        on pages.event_type = matchers.event_type
    left join page_categories
        on
            pages.page_path = page_categories.page_path
            and matchers.page_category = page_categories.page_category
    where
        (
            matchers.page_like_pattern is null
            or pages.page_path like matchers.page_like_pattern escape '!'
        )
        and (matchers.page_category is null or page_categories.page_path is not null)

),

by_page_category_only as (

    select
        pages.event_type,
        pages.page_key,
        matchers.matcher_kind,
        matchers.score_model,
        matchers.rule_id,
        matchers.step,
        matchers.condition_id

    from pages
    inner join page_categories
        on pages.page_path = page_categories.page_path
    inner join matchers
        on page_categories.page_category = matchers.page_category
    where
        matchers.event_type is null
        and (
            matchers.page_like_pattern is null
            or pages.page_path like matchers.page_like_pattern escape '!'
        )

),

page_matches as (

    select * from by_event_type
    union all
    select * from by_page_category_only

),

final as (

    select
        events.contact_id,
        events.event_id,
        events.occurred_at,
        page_matches.matcher_kind,
        page_matches.score_model,
        page_matches.rule_id,
        page_matches.step,
        page_matches.condition_id,
        events.batch_at as events_batch_at,
        {{ lead_scoring.quote_literal(fingerprint) }} as config_fingerprint

    from events
    inner join page_matches
        on
            events.event_type = page_matches.event_type
            and events.page_key = page_matches.page_key

)

select * from final
