-- Reads the raw conversions once: typing, trimming, and the reason a row
-- cannot be used. stg_conversions and stg_conversions_rejected split it.
--
-- converted_at and amount are read with cast_or_null: a malformed cell
-- (amount = '12k') becomes null instead of failing the build, its raw text
-- is kept in the *_raw column, and the row is quarantined with the reason.
-- An empty amount stays an optional null.

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
        {{ lead_scoring.read_timestamp(source('raw_conversions', 'conversions'), 'converted_at') }} as converted_at,
        lower(nullif(trim(outcome), '')) as outcome,
        {{ lead_scoring.cast_or_null('amount', dbt.type_numeric()) }} as amount,
        cast(converted_at as {{ dbt.type_string() }}) as converted_at_raw,
        cast(amount as {{ dbt.type_string() }}) as amount_raw

    from source

),

validated as (

    select
        *,
        converted_at is null and nullif(trim(converted_at_raw), '') is not null as is_converted_at_invalid,
        amount is null and nullif(trim(amount_raw), '') is not null as is_amount_invalid

    from typed

),

checked as (

    select
        validated.*,
        contacts.contact_id is not null as is_known_contact,
        -- A copy with a malformed value ranks after the well-formed copies,
        -- so the row kept is one that can be used when there is one.
        row_number() over (
            partition by validated.conversion_id
            order by
                validated.is_converted_at_invalid or validated.is_amount_invalid,
                validated.converted_at nulls last,
                validated.contact_id nulls last,
                validated.outcome
        ) as conversion_id_rank

    from validated
    left join contacts
        on validated.contact_id = contacts.contact_id

),

final as (

    select
        conversion_id,
        contact_id,
        converted_at,
        outcome,
        amount,
        converted_at_raw,
        amount_raw,
        case
            when conversion_id is null then 'missing conversion_id'
            when conversion_id_rank > 1 then 'duplicate conversion_id: the first row is kept'
            when contact_id is null then 'missing contact_id'
            when not is_known_contact then 'unknown contact_id'
            when outcome is null then 'missing outcome'
            when outcome not in ('opportunity_created', 'won', 'lost')
                then 'unknown outcome: expected opportunity_created, won or lost'
            when is_converted_at_invalid then 'invalid converted_at: not a timestamp'
            when converted_at is null then 'missing converted_at'
            when converted_at > {{ lead_scoring.run_started_timestamp() }} then 'converted_at is in the future'
            when is_amount_invalid then 'invalid amount: not a number'
        end as rejection_reason

    from checked

)

select * from final
