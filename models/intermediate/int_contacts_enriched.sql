-- Contacts with the firmographics of their account, the columns rules can
-- name (see var lead_scoring__attributes). A contact without a known account
-- keeps its row, with empty company columns.

with

contacts as (

    select * from {{ ref('stg_contacts') }}

),

accounts as (

    select * from {{ ref('stg_accounts') }}

),

final as (

    select
        contacts.contact_id,
        contacts.email,
        contacts.email_domain,
        contacts.is_email_valid,
        contacts.first_name,
        contacts.last_name,
        contacts.phone,
        contacts.job_title,
        contacts.seniority,
        contacts.department,
        contacts.country,
        contacts.region,
        contacts.lead_source,
        contacts.account_id,
        accounts.account_name as company_name,
        accounts.domain as company_domain,
        accounts.industry,
        accounts.employee_count,
        accounts.annual_revenue,
        accounts.country as company_country,
        contacts.created_at,
        {%- for column in lead_scoring.extra_contact_columns() %}
        contacts.{{ adapter.quote(column) }},
        {%- endfor %}
        contacts.updated_at

    from contacts
    left join accounts
        on contacts.account_id = accounts.account_id

)

select * from final
