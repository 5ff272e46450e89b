-- Attribute values staging could not read, one row per staged contact and
-- attribute: a number, boolean or date attribute whose raw value was not
-- empty but is null in its typed column, with the raw text and the reason
-- (not a number, not a yes/no value, not a date, or a missing-value token of
-- var lead_scoring__missing_value_tokens). The contact is kept and scored:
-- a rule on the attribute treats the value as missing. Empty when no extra
-- attribute is a number, boolean or date.
{%- set typed = [] %}
{%- for name, spec in lead_scoring.extra_contact_attribute_specs().items() %}
    {%- if spec.kind != 'text' %}{%- do typed.append((name, spec.kind)) %}{%- endif %}
{%- endfor %}

with

contacts as (

    select * from {{ ref('base_contacts') }}
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
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- else %}

    select
        cast(null as {{ dbt.type_string() }}) as source_table,
        cast(null as {{ dbt.type_string() }}) as record_id,
        cast(null as {{ dbt.type_string() }}) as attribute,
        cast(null as {{ dbt.type_string() }}) as attribute_kind,
        cast(null as {{ dbt.type_string() }}) as raw_value,
        cast(null as {{ dbt.type_string() }}) as reason

    from contacts
    where 1 = 0
    {%- endfor %}

)

select * from issues
