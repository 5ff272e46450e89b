-- Reads the raw contacts once: typing, trimming, lower-cased emails, and the
-- reason a row cannot be scored. stg_contacts and stg_contacts_rejected
-- split this model, so raw rows = staged + rejected by construction.
--
-- Timestamps are read with cast_or_null: a malformed cell (created_at = 'n/a')
-- becomes null instead of failing the build, its raw text is kept in the
-- *_raw column, and the row is quarantined with the reason. An empty cell
-- stays an optional null. Extra attributes are carried as they are.
{%- set extra_columns = lead_scoring.extra_contact_columns() %}

with

source as (

    select * from {{ source('raw_contacts', 'contacts') }}

),

typed as (

    select
        nullif(trim(cast(contact_id as {{ dbt.type_string() }})), '') as contact_id,
        lower(nullif(trim(email), '')) as email,
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,
        nullif(trim(phone), '') as phone,
        nullif(trim(job_title), '') as job_title,
        nullif(trim(seniority), '') as seniority,
        nullif(trim(department), '') as department,
        nullif(trim(country), '') as country,
        nullif(trim(region), '') as region,
        nullif(trim(lead_source), '') as lead_source,
        nullif(trim(cast(account_id as {{ dbt.type_string() }})), '') as account_id,
        {{ lead_scoring.read_timestamp(source('raw_contacts', 'contacts'), 'created_at') }} as created_at,
        {%- for column in extra_columns %}
        {{ adapter.quote(column) }},
        {%- endfor %}
        {{ lead_scoring.read_timestamp(source('raw_contacts', 'contacts'), 'updated_at') }} as updated_at,
        cast(created_at as {{ dbt.type_string() }}) as created_at_raw,
        cast(updated_at as {{ dbt.type_string() }}) as updated_at_raw

    from source

),

validated as (

    select
        *,
        case
            when created_at is null and nullif(trim(created_at_raw), '') is not null
                then 'invalid created_at: not a timestamp'
            when updated_at is null and nullif(trim(updated_at_raw), '') is not null
                then 'invalid updated_at: not a timestamp'
        end as invalid_value_reason

    from typed

),

checked as (

    select
        *,
        {{ lead_scoring.regexp_full_match('email', '[^@[:space:]]+@[^@[:space:]]+[.][^@[:space:]]+') }}
            as is_email_valid,
        -- A row with a malformed value ranks after every well-formed row of
        -- its contact, so the version kept is always one that can be used.
        row_number() over (
            partition by contact_id
            order by
                invalid_value_reason is not null,
                updated_at desc nulls last,
                created_at desc nulls last,
                email asc
        ) as version_rank

    from validated

),

final as (

    select
        contact_id,
        email,
        case when is_email_valid then {{ dbt.split_part('email', "'@'", 2) }} end as email_domain,
        is_email_valid,
        first_name,
        last_name,
        phone,
        job_title,
        seniority,
        department,
        country,
        region,
        lead_source,
        account_id,
        created_at,
        updated_at,
        {%- for column in extra_columns %}
        {{ adapter.quote(column) }},
        {%- endfor %}
        created_at_raw,
        updated_at_raw,
        -- A malformed value comes before the duplicate check: the duplicate
        -- reason says a more recent row is kept, which is only true of rows
        -- that can be used.
        case
            when contact_id is null then 'missing contact_id'
            when invalid_value_reason is not null then invalid_value_reason
            when version_rank > 1 then 'duplicate contact_id: a more recent row of this contact is kept'
        end as rejection_reason

    from checked

)

select * from final
