-- The events that can be used: the rows of base_lead_scoring__events without a rejection reason.

with

checked as (

    select * from {{ ref('lead_scoring', 'base_lead_scoring__events') }}

),

final as (

    select
        event_id,
        contact_id,
        event_type,
        occurred_at,
        page_url,
        page_path,
        campaign,
        channel,
        properties,
        batch_at

    from checked
    where rejection_reason is null

)

select * from final
