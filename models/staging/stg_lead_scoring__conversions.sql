-- The conversions that can be used: the rows of base_lead_scoring__conversions without a rejection reason.

with

checked as (

    select * from {{ ref('lead_scoring', 'base_lead_scoring__conversions') }}

),

final as (

    select
        conversion_id,
        contact_id,
        converted_at,
        outcome,
        amount

    from checked
    where rejection_reason is null

)

select * from final
