{{ config(materialized='table') }}

-- One row per contact profile (int_lead_scoring__contacts_enriched: contact_id and
-- valid_from) and attribute that rules may name, so that a rule
-- finds its attribute by a join on the attribute's name instead of a column
-- chosen in SQL text. Text is lower-cased and trimmed for matching; numbers
-- stay numbers for `between`, `per_unit` and `buckets`; booleans are the
-- text 'true' or 'false'; dates are numbers too, the days since 1970-01-01
-- (a `between` rule's dates are turned into the same numbers, and an
-- `age_between` rule adds days to them).
{%- set attributes = lead_scoring.scoring_attributes() %}

with

contacts as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__contacts_enriched') }}

),

unpivoted as (

    {%- for name, kind in attributes.items() %}

    select
        contact_id,
        valid_from,
        {{ lead_scoring.quote_literal(name) }} as attribute,
        {%- if kind == 'number' %}
        cast(null as {{ dbt.type_string() }}) as attribute_text,
        cast({{ adapter.quote(name) }} as {{ dbt.type_numeric() }}) as attribute_number
        {%- elif kind == 'date' %}
        cast(null as {{ dbt.type_string() }}) as attribute_text,
        cast({{ lead_scoring.epoch_days(adapter.quote(name)) }} as {{ dbt.type_numeric() }}) as attribute_number
        {%- elif kind == 'boolean' %}
        case
            when {{ adapter.quote(name) }} then 'true'
            when not {{ adapter.quote(name) }} then 'false'
        end as attribute_text,
        cast(null as {{ dbt.type_numeric() }}) as attribute_number
        {%- else %}
        nullif(lower(trim(cast({{ adapter.quote(name) }} as {{ dbt.type_string() }}))), '') as attribute_text,
        cast(null as {{ dbt.type_numeric() }}) as attribute_number
        {%- endif %}

    from contacts
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

),

final as (

    select
        contact_id,
        valid_from,
        attribute,
        attribute_text,
        attribute_number,
        (attribute_text is not null or attribute_number is not null) as is_present

    from unpivoted

)

select * from final
