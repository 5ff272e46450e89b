-- Raw events rows that cannot be used, quarantined with the reason. Nothing is
-- dropped silently: raw rows = stg_events + stg_events_rejected.

with

checked as (

    select * from {{ ref('base_events') }}

),

final as (

    select *
    from checked
    where rejection_reason is not null

)

select * from final
