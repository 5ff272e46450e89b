-- Reads the raw conversions once: typing, trimming, and the reason a row
-- cannot be used. stg_conversions and stg_conversions_rejected split it.

with

source as (

    select * from {{ source('raw_conversions', 'conversions') }}

),

contacts as (

    select contact_id from {{ ref('stg_contacts') }}

),

typed as (

    select
        nullif(trim(cast(conversion_id as {{ dbt.type_string() }})), '') as conversion_id,
        nullif(trim(cast(contact_id as {{ dbt.type_string() }})), '') as contact_id,
        cast(converted_at as {{ dbt.type_timestamp() }}) as converted_at,
        lower(nullif(trim(outcome), '')) as outcome,
        cast(amount as {{ dbt.type_numeric() }}) as amount

    from source

),

checked as (

    select
        typed.*,
        contacts.contact_id is not null as is_known_contact,
        row_number() over (
            partition by typed.conversion_id
            order by typed.converted_at nulls last, typed.contact_id nulls last, typed.outcome
        ) as conversion_id_rank

    from typed
    left join contacts
        on typed.contact_id = contacts.contact_id

),

final as (

    select
        conversion_id,
        contact_id,
        converted_at,
        outcome,
        amount,
        case
            when conversion_id is null then 'missing conversion_id'
            when conversion_id_rank > 1 then 'duplicate conversion_id: the first row is kept'
            when contact_id is null then 'missing contact_id'
            when not is_known_contact then 'unknown contact_id'
            when outcome is null then 'missing outcome'
            when outcome not in ('opportunity_created', 'won', 'lost')
                then 'unknown outcome: expected opportunity_created, won or lost'
            when converted_at is null then 'missing converted_at'
            when converted_at > {{ lead_scoring.run_started_timestamp() }} then 'converted_at is in the future'
        end as rejection_reason

    from checked

)

select * from final
