-- Raw accounts rows that cannot be used, quarantined with the reason. Nothing is
-- dropped silently: raw rows = stg_lead_scoring__accounts + stg_lead_scoring__accounts_rejected.

with

checked as (

    select * from {{ ref('lead_scoring', 'base_lead_scoring__accounts') }}

),

final as (

    select *
    from checked
    where rejection_reason is not null

)

select * from final
