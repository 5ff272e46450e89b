{{ config(materialized='table') }}

-- Contacts with the firmographics of their account (company_* columns,
-- industry, size, revenue) and the data-quality attributes rules can name:
-- the kind of their email domain (seed email_domains) and whether they gave
-- a placeholder name (seed placeholder_names, or one character repeated).
-- A contact without a known account keeps its row, with empty company columns.

with

contacts as (

    select * from {{ ref('stg_contacts') }}

),

accounts as (

    select * from {{ ref('stg_accounts') }}

),

email_domains as (

    select
        lower(trim(domain)) as domain,
        lower(trim(domain_kind)) as domain_kind

    from {{ ref('email_domains') }}

),

placeholder_names as (

    select distinct lower(trim(name)) as placeholder_name

    from {{ ref('placeholder_names') }}

),

names as (

    select
        contact_id,
        lower(first_name) as name
    from contacts
    where first_name is not null
    union all
    select
        contact_id,
        lower(last_name) as name
    from contacts
    where last_name is not null

),

placeholder_contacts as (

    -- A listed placeholder, or one character repeated ('xxx', 'aa').
    select distinct names.contact_id

    from names
    left join placeholder_names
        on names.name = placeholder_names.placeholder_name
    where
        placeholder_names.placeholder_name is not null
        or (
            {{ dbt.length('names.name') }} >= 2
            and replace(names.name, substr(names.name, 1, 1), '') = ''
        )

),

final as (

    select
        contacts.contact_id,
        contacts.email,
        contacts.email_domain,
        email_domains.domain_kind as email_domain_kind,
        contacts.is_email_valid,
        placeholder_contacts.contact_id is not null as has_placeholder_name,
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
    left join email_domains
        on contacts.email_domain = email_domains.domain
    left join placeholder_contacts
        on contacts.contact_id = placeholder_contacts.contact_id

)

select * from final
