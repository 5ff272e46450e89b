-- Raw contacts rows that cannot be used, quarantined with the reason. Nothing is
-- dropped silently: raw rows = stg_contacts + stg_contacts_rejected.

with

checked as (

    select * from {{ ref('base_contacts') }}

),

final as (

    select *
    from checked
    where rejection_reason is not null

)

select * from final
