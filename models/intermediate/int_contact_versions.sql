{{ config(materialized='table') }}

-- Every version of every staged contact with the interval it was valid in
-- (valid_from inclusive, valid_to exclusive, null: still valid), from the
-- snapshot contacts_snapshot, or one version valid at every moment when var
-- lead_scoring__attribute_history is 'none'. Scoring a past moment reads the
-- version valid then.

with

versions as (

    {{ lead_scoring.attribute_versions('contacts') }}

),

final as (

    select
        contact_id,
        email,
        email_domain,
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
        {%- for column in lead_scoring.extra_contact_columns() %}
        {{ adapter.quote(column) }},
        {%- endfor %}
        updated_at,
        {{ lead_scoring.version_valid_from('contact_id') }} as valid_from,
        valid_to

    from versions

)

select * from final
