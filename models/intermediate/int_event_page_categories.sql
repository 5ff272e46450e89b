{{ config(materialized='table') }}

-- One row per event and page category its page matches (seed
-- page_categories): rules and segments name categories, not URLs. The
-- patterns are data, matched with LIKE on a pattern built by glob_to_like.

with

events as (

    select * from {{ ref('int_events_in_scope') }}

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
        page_categories.page_category

    from events
    inner join page_categories
        on events.page_path like page_categories.page_like_pattern escape '!'

)

select * from final
