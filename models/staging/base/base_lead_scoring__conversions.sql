-- Reads the raw conversions once (through base_lead_scoring__conversions_mapped, which maps the
-- source's columns onto the roles read here): typing, trimming, and the
-- reason a row cannot be used. stg_lead_scoring__conversions and stg_lead_scoring__conversions_rejected
-- split it.
--
-- A CRM export often has no conversions table, only a converted flag on
-- each lead: map the conversions source onto that table, contact_id onto its
-- id and is_converted onto the flag. Then:
--   - a row whose flag is false or empty is not a conversion (rejected with
--     that reason, so raw rows = staged + rejected still holds);
--   - without a conversion_id column, the contact_id is the conversion's id
--     (one conversion per contact);
--   - without an outcome column, the outcome is var
--     lead_scoring__conversions_default_outcome (default won);
--   - without a converted_at, or with an empty one, the conversion is kept
--     with a null converted_at: converted at a time not known.
-- converted_at and amount are read with cast_or_null: a malformed cell
-- (amount = '12k') becomes null instead of failing the build, its raw text
-- is kept in the *_raw column, and the row is quarantined with the reason.
-- The copies of a conversion id are ranked usable first, so a copy that
-- cannot be used never hides a good one.
{%- set src = ref('lead_scoring', 'base_lead_scoring__conversions_mapped') %}
{%- set has_conversion_id = lead_scoring.source_has_column('conversions', 'conversion_id') %}
{%- set has_outcome = lead_scoring.source_has_column('conversions', 'outcome') %}
{%- set has_flag = lead_scoring.source_has_column('conversions', 'is_converted') %}
{%- set default_outcome = var('lead_scoring__conversions_default_outcome', 'won') %}

with

source as (

    select * from {{ src }}

),

contacts as (

    select contact_id from {{ ref('lead_scoring', 'stg_lead_scoring__contacts') }}

),

typed as (

    select
        {%- if has_conversion_id %}
        {{ lead_scoring.clean_text('conversion_id', tokens=false) }} as conversion_id,
        {%- else %}
        {{ lead_scoring.clean_text('contact_id', tokens=false) }} as conversion_id,
        {%- endif %}
        {{ lead_scoring.clean_text('contact_id', tokens=false) }} as contact_id,
        {{ lead_scoring.read_timestamp(src, 'converted_at') }} as converted_at,
        {%- if has_outcome %}
        lower({{ lead_scoring.clean_text('outcome') }}) as outcome,
        {%- else %}
        {{ lead_scoring.quote_literal(default_outcome | string | lower) }} as outcome,
        {%- endif %}
        {{ lead_scoring.cast_or_null(lead_scoring.clean_text('amount'), dbt.type_numeric()) }} as amount,
        {%- if has_flag %}
        {{ lead_scoring.read_attribute('is_converted', 'boolean') }} as is_converted,
        {%- else %}
        true as is_converted,
        {%- endif %}
        cast(converted_at as {{ dbt.type_string() }}) as converted_at_raw,
        cast(amount as {{ dbt.type_string() }}) as amount_raw,
        cast(is_converted as {{ dbt.type_string() }}) as is_converted_raw

    from source

),

validated as (

    select
        *,
        converted_at is null and {{ lead_scoring.clean_text('converted_at_raw') }} is not null
            as is_converted_at_invalid,
        amount is null and {{ lead_scoring.clean_text('amount_raw') }} is not null as is_amount_invalid,
        is_converted is null and {{ lead_scoring.clean_text('is_converted_raw') }} is not null
            as is_flag_invalid

    from typed

),

checked as (

    select
        validated.*,
        contacts.contact_id is not null as is_known_contact

    from validated
    left join contacts
        on validated.contact_id = contacts.contact_id

),

ranked as (

    select
        *,
        -- The copies that can be used rank first, so the row kept is one
        -- that can be used when there is one.
        row_number() over (
            partition by conversion_id
            order by
                is_converted_at_invalid
                or is_amount_invalid
                or is_flag_invalid
                or not coalesce(is_converted, false)
                or contact_id is null
                or not is_known_contact
                or outcome is null
                or outcome not in ('opportunity_created', 'won', 'lost')
                or coalesce(converted_at > {{ lead_scoring.run_started_timestamp() }}, false),
                converted_at nulls last,
                contact_id nulls last,
                outcome
        ) as conversion_id_rank

    from checked

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
            when is_flag_invalid then 'invalid is_converted: not a yes/no value'
            when not coalesce(is_converted, false) then 'not a conversion: is_converted is false or empty'
            when contact_id is null then 'missing contact_id'
            when not is_known_contact then 'unknown contact_id'
            when outcome is null then 'missing outcome'
            when outcome not in ('opportunity_created', 'won', 'lost')
                then 'unknown outcome: expected opportunity_created, won or lost'
            when is_converted_at_invalid then 'invalid converted_at: not a timestamp'
            when converted_at > {{ lead_scoring.run_started_timestamp() }} then 'converted_at is in the future'
            when is_amount_invalid then 'invalid amount: not a number'
        end as rejection_reason

    from ranked

)

select * from final
