{{ config(materialized='table') }}

-- One row per contact profile: an interval in which neither the contact's
-- own version nor its account's changed (valid_from inclusive, valid_to
-- exclusive, null: still valid), with the firmographics of its account
-- (company_* columns, industry, size, revenue) and the data-quality
-- attributes rules can name: the kind of the email domain (seed
-- email_domains) and whether the contact gave a placeholder name (seed
-- placeholder_names, or one character repeated). A contact without a known
-- account, or before its account's first version, keeps its row with empty
-- company columns. Scoring a moment reads the profile valid then.

with

contact_versions as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__contact_versions') }}

),

account_versions as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__account_versions') }}

),

email_domains as (

    select
        domain,
        domain_kind

    from {{ ref('lead_scoring', 'stg_lead_scoring__email_domains') }}

),

placeholder_names as (

    select distinct name as placeholder_name

    from {{ ref('lead_scoring', 'stg_lead_scoring__placeholder_names') }}

),

boundaries as (

    -- Where a contact's profile may change: its own versions' starts and
    -- ends, and its account's versions' starts and ends while it has one.
    select
        contact_id,
        valid_from as starts_at
    from contact_versions
    union
    select
        contact_id,
        valid_to as starts_at
    from contact_versions
    where valid_to is not null
    union
    select
        contact_versions.contact_id,
        account_versions.valid_from as starts_at
    from contact_versions
    inner join account_versions
        on contact_versions.account_id = account_versions.account_id
    where
        account_versions.valid_from > contact_versions.valid_from
        and (contact_versions.valid_to is null or account_versions.valid_from < contact_versions.valid_to)
    union
    select
        contact_versions.contact_id,
        account_versions.valid_to as starts_at
    from contact_versions
    inner join account_versions
        on contact_versions.account_id = account_versions.account_id
    where
        account_versions.valid_to > contact_versions.valid_from
        and (contact_versions.valid_to is null or account_versions.valid_to < contact_versions.valid_to)

),

intervals as (

    select
        contact_id,
        starts_at as valid_from,
        lead(starts_at) over (partition by contact_id order by starts_at) as valid_to

    from boundaries

),

profiles as (

    -- An interval that starts where no contact version is valid (after the
    -- contact was deleted) has no profile.
    select
        intervals.valid_from,
        intervals.valid_to,
        contact_versions.contact_id,
        contact_versions.email,
        contact_versions.email_domain,
        contact_versions.is_email_valid,
        contact_versions.first_name,
        contact_versions.last_name,
        contact_versions.phone,
        contact_versions.job_title,
        contact_versions.seniority,
        contact_versions.department,
        contact_versions.country,
        contact_versions.region,
        contact_versions.lead_source,
        contact_versions.account_id,
        account_versions.account_name as company_name,
        account_versions.domain as company_domain,
        account_versions.industry,
        account_versions.employee_count,
        account_versions.annual_revenue,
        account_versions.country as company_country,
        contact_versions.created_at,
        {%- for column in lead_scoring.extra_contact_columns() %}
        contact_versions.{{ adapter.quote(column) }},
        {%- endfor %}
        contact_versions.updated_at

    from intervals
    inner join contact_versions
        on
            intervals.contact_id = contact_versions.contact_id
            and {{ lead_scoring.is_valid_at('contact_versions', 'intervals.valid_from') }}
    left join account_versions
        on
            contact_versions.account_id = account_versions.account_id
            and {{ lead_scoring.is_valid_at('account_versions', 'intervals.valid_from') }}

),

names as (

    select
        contact_id,
        valid_from,
        lower(first_name) as name
    from profiles
    where first_name is not null
    union all
    select
        contact_id,
        valid_from,
        lower(last_name) as name
    from profiles
    where last_name is not null

),

placeholder_profiles as (

    -- A listed placeholder, or one character repeated ('xxx', 'aa').
    select distinct
        names.contact_id,
        names.valid_from

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
        profiles.contact_id,
        profiles.valid_from,
        profiles.valid_to,
        profiles.email,
        profiles.email_domain,
        email_domains.domain_kind as email_domain_kind,
        profiles.is_email_valid,
        placeholder_profiles.contact_id is not null as has_placeholder_name,
        profiles.first_name,
        profiles.last_name,
        profiles.phone,
        profiles.job_title,
        profiles.seniority,
        profiles.department,
        profiles.country,
        profiles.region,
        profiles.lead_source,
        profiles.account_id,
        profiles.company_name,
        profiles.company_domain,
        profiles.industry,
        profiles.employee_count,
        profiles.annual_revenue,
        profiles.company_country,
        profiles.created_at,
        {%- for column in lead_scoring.extra_contact_columns() %}
        profiles.{{ adapter.quote(column) }},
        {%- endfor %}
        profiles.updated_at

    from profiles
    left join email_domains
        on profiles.email_domain = email_domains.domain
    left join placeholder_profiles
        on
            profiles.contact_id = placeholder_profiles.contact_id
            and profiles.valid_from = placeholder_profiles.valid_from

)

select * from final
