-- The accounts that can be used: the rows of base_lead_scoring__accounts without a rejection reason.

with

checked as (

    select * from {{ ref('lead_scoring', 'base_lead_scoring__accounts') }}

),

final as (

    select
        account_id,
        account_name,
        domain,
        industry,
        employee_count,
        annual_revenue,
        country,
        created_at,
        updated_at

    from checked
    where rejection_reason is null

)

select * from final
