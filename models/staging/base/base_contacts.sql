-- Reads the raw contacts once: typing, trimming, lower-cased emails, and the
-- reason a row cannot be scored. stg_contacts and stg_contacts_rejected
-- split this model, so raw rows = staged + rejected by construction.
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
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        {%- for column in extra_columns %}
        {{ adapter.quote(column) }},
        {%- endfor %}
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at

    from source

),

checked as (

    select
        *,
        {{ lead_scoring.regexp_full_match('email', '[^@[:space:]]+@[^@[:space:]]+[.][^@[:space:]]+') }}
            as is_email_valid,
        row_number() over (
            partition by contact_id
            order by updated_at desc nulls last, created_at desc nulls last, email asc
        ) as version_rank

    from typed

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
        case
            when contact_id is null then 'missing contact_id'
            when version_rank > 1 then 'duplicate contact_id: a more recent row of this contact is kept'
        end as rejection_reason

    from checked

)

select * from final
