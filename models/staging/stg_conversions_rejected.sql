-- Raw conversions rows that cannot be used, quarantined with the reason. Nothing is
-- dropped silently: raw rows = stg_conversions + stg_conversions_rejected.

with

checked as (

    select * from {{ ref('base_conversions') }}

),

final as (

    select *
    from checked
    where rejection_reason is not null

)

select * from final
