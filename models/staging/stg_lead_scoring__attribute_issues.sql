-- Attribute values staging could not read, one row per staged contact (or
-- account) and attribute: a number, boolean or date attribute whose raw
-- value was not empty but is null in its typed column, with the raw text and
-- the reason (not a number, not a yes/no value, not a date, or a
-- missing-value token of var lead_scoring__missing_value_tokens). The
-- contact or account is kept and scored: a rule on the attribute treats the
-- value as missing. Contacts: the extra attributes of kind number, boolean
-- or date; accounts: employee_count and annual_revenue.
{%- set typed = [] %}
{%- for name, spec in lead_scoring.extra_contact_attribute_specs().items() %}
    {%- if spec.kind != 'text' %}{%- do typed.append((name, spec.kind)) %}{%- endif %}
{%- endfor %}

with
{%- if typed %}

contacts as (

    select * from {{ ref('lead_scoring', 'base_lead_scoring__contacts') }}
    where rejection_reason is null

),
{%- endif %}

accounts as (

    select * from {{ ref('lead_scoring', 'base_lead_scoring__accounts') }}
    where rejection_reason is null

),

issues as (

    {%- for name, kind in typed %}

    select
        'contacts' as source_table,
        contact_id as record_id,
        {{ lead_scoring.quote_literal(name) }} as attribute,
        {{ lead_scoring.quote_literal(kind) }} as attribute_kind,
        {{ adapter.quote(name ~ '_raw') }} as raw_value,
        {{ lead_scoring.unread_value_reason(adapter.quote(name ~ '_raw'), kind) }} as reason

    from contacts
    where
        {{ adapter.quote(name) }} is null
        and {{ lead_scoring.clean_text(adapter.quote(name ~ '_raw'), tokens=false) }} is not null

    union all
    {%- endfor %}
    {%- for name, kind in [('employee_count', 'whole number'), ('annual_revenue', 'number')] %}

    select
        'accounts' as source_table,
        account_id as record_id,
        '{{ name }}' as attribute,
        'number' as attribute_kind,
        {{ name }}_raw as raw_value,
        {{ lead_scoring.unread_value_reason(name ~ '_raw', kind) }} as reason

    from accounts
    where
        {{ name }} is null
        and {{ lead_scoring.clean_text(name ~ '_raw', tokens=false) }} is not null
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

)

select * from issues
