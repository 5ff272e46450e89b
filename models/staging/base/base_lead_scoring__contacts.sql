-- Reads the raw contacts once (through base_lead_scoring__contacts_mapped, which maps the
-- source's columns onto the roles read here): typing, trimming, lower-cased
-- emails, and the reason a row cannot be scored. stg_lead_scoring__contacts and
-- stg_lead_scoring__contacts_rejected split this model, so raw rows = staged + rejected by
-- construction.
--
-- Text is trimmed of every whitespace character (tabs, carriage returns,
-- non-breaking spaces: macro clean_text), and a missing-value token (var
-- lead_scoring__missing_value_tokens: 'n/a', '-' ...) is null like an empty
-- cell; names are not, a placeholder name is a signal of its own (seed
-- placeholder_names). Timestamps are read with cast_or_null: a malformed
-- cell (created_at = 'yesterday') becomes null instead of failing the
-- build, its raw text is kept in the *_raw column, and the row is
-- quarantined with the reason. Extra attributes are typed by their kind
-- (text, number, boolean, date); a value of a number, boolean or date
-- attribute that cannot be read is null, with its raw text beside it in
-- <attribute>_raw, and listed with the reason in stg_lead_scoring__attribute_issues: the
-- contact is kept.
{%- set extra = lead_scoring.extra_contact_attribute_specs() %}
{%- set src = ref('lead_scoring', 'base_lead_scoring__contacts_mapped') %}

with

source as (

    select * from {{ src }}

),

typed as (

    select
        {{ lead_scoring.clean_text('contact_id', tokens=false) }} as contact_id,
        lower({{ lead_scoring.clean_text('email') }}) as email,
        {{ lead_scoring.clean_text('first_name', tokens=false) }} as first_name,
        {{ lead_scoring.clean_text('last_name', tokens=false) }} as last_name,
        {%- for column in ['phone', 'job_title', 'seniority', 'department', 'country', 'region', 'lead_source'] %}
        {{ lead_scoring.clean_text(column) }} as {{ column }},
        {%- endfor %}
        {{ lead_scoring.clean_text('account_id', tokens=false) }} as account_id,
        {{ lead_scoring.read_timestamp(src, 'created_at') }} as created_at,
        {%- for name, spec in extra.items() %}
        {{ lead_scoring.read_attribute(adapter.quote(name), spec.kind) }} as {{ adapter.quote(name) }},
        {%- if spec.kind != 'text' %}
        cast({{ adapter.quote(name) }} as {{ dbt.type_string() }}) as {{ adapter.quote(name ~ '_raw') }},
        {%- endif %}
        {%- endfor %}
        {{ lead_scoring.read_timestamp(src, 'updated_at') }} as updated_at,
        cast(created_at as {{ dbt.type_string() }}) as created_at_raw,
        cast(updated_at as {{ dbt.type_string() }}) as updated_at_raw

    from source

),

validated as (

    select
        *,
        case
            when created_at is null and {{ lead_scoring.clean_text('created_at_raw') }} is not null
                then 'invalid created_at: not a timestamp'
            when updated_at is null and {{ lead_scoring.clean_text('updated_at_raw') }} is not null
                then 'invalid updated_at: not a timestamp'
            when created_at > {{ lead_scoring.run_started_timestamp() }}
                then 'created_at is in the future'
        end as invalid_value_reason,
        coalesce(updated_at > {{ lead_scoring.version_cutoff_timestamp() }}, false) as is_updated_after_cutoff

    from typed

),

checked as (

    select
        *,
        {{ lead_scoring.regexp_full_match('email', '[^@[:space:]]+@[^@[:space:]]+[.][^@[:space:]]+') }}
            as is_email_valid,
        -- A row with a malformed value ranks after every well-formed row of
        -- its contact, so the version kept is always one that can be used;
        -- a row updated after the as-of moment (or the start of the build:
        -- a typo year, a stale copy dated 2099) ranks after the rows updated
        -- before it, so it never wins over the row current at that moment.
        row_number() over (
            partition by contact_id
            order by
                invalid_value_reason is not null asc,
                is_updated_after_cutoff asc,
                updated_at desc nulls last,
                created_at desc nulls last,
                email asc
        ) as version_rank,
        -- Whether a usable row of this contact was updated by the cutoff (then
        -- it is the one kept, and a later row is rejected as updated after it).
        coalesce(
            max(case when invalid_value_reason is null and not is_updated_after_cutoff then 1 end)
                over (partition by contact_id),
            0
        ) = 1 as has_row_before_cutoff

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
        {%- for name, spec in extra.items() %}
        {{ adapter.quote(name) }},
        {%- if spec.kind != 'text' %}
        {{ adapter.quote(name ~ '_raw') }},
        {%- endif %}
        {%- endfor %}
        created_at_raw,
        updated_at_raw,
        -- A malformed value comes before the duplicate check: the duplicate
        -- reason says a more recent row is kept, which is only true of rows
        -- that can be used.
        case
            when contact_id is null then 'missing contact_id'
            when invalid_value_reason is not null then invalid_value_reason
            when version_rank > 1 and is_updated_after_cutoff and has_row_before_cutoff
                then 'duplicate contact_id: updated after the as-of moment; an earlier row of this contact is kept'
            when version_rank > 1 then 'duplicate contact_id: a more recent row of this contact is kept'
        end as rejection_reason

    from checked

)

select * from final
