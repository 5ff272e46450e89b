-- The events that can count for a score: staged events of a known type,
-- with whether their type shows engagement. Every moment scored keeps the
-- ones at or before it.

with

events as (

    select * from {{ ref('lead_scoring', 'stg_lead_scoring__events') }}

),

event_types as (

    select
        event_type,
        is_engagement

    from {{ ref('lead_scoring', 'stg_lead_scoring__event_types') }}

),

final as (

    select
        events.event_id,
        events.contact_id,
        events.event_type,
        events.occurred_at,
        events.page_path,
        event_types.is_engagement,
        events.batch_at

    from events
    inner join event_types
        on events.event_type = event_types.event_type

)

select * from final
