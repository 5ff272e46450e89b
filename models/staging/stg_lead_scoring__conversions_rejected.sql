-- Raw conversions rows that cannot be used, quarantined with the reason. Nothing is
-- dropped silently: raw rows = stg_lead_scoring__conversions + stg_lead_scoring__conversions_rejected.

with

checked as (

    select * from {{ ref('lead_scoring', 'base_lead_scoring__conversions') }}

),

final as (

    select *
    from checked
    where rejection_reason is not null

)

select * from final
