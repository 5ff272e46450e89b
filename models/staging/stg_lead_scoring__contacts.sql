-- The contacts that can be used: the rows of base_lead_scoring__contacts without a rejection reason.

with

checked as (

    select * from {{ ref('lead_scoring', 'base_lead_scoring__contacts') }}

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
        updated_at

    from checked
    where rejection_reason is null

)

select * from final
