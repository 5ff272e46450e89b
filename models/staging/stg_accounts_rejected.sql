-- Raw accounts rows that cannot be used, quarantined with the reason. Nothing is
-- dropped silently: raw rows = stg_accounts + stg_accounts_rejected.

with

checked as (

    select * from {{ ref('base_accounts') }}

),

final as (

    select *
    from checked
    where rejection_reason is not null

)

select * from final
