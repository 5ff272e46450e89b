-- Reads the raw accounts once (through base_lead_scoring__accounts_mapped, which maps the source's
-- columns onto the roles read here): typing, trimming, lower-cased domains, and the
-- reason a row cannot be used. stg_lead_scoring__accounts and stg_lead_scoring__accounts_rejected split it.
--
-- Numbers and timestamps are read with cast_or_null: a malformed cell
-- becomes null instead of failing the build, and its raw text is kept in the
-- *_raw column. A malformed timestamp (created_at = 'someday') quarantines
-- the row with the reason: when the account changed cannot be known. A
-- malformed number (employee_count = 'about 50') does not: the account is
-- kept with the number null, and stg_lead_scoring__attribute_issues lists the value with
-- its reason. An empty cell (or a missing-value token) stays an optional null.
{%- set mapped = ref('lead_scoring', 'base_lead_scoring__accounts_mapped') %}

with

source as (

    select * from {{ mapped }}

),

typed as (

    select
        {{ lead_scoring.clean_text('account_id', tokens=false) }} as account_id,
        {{ lead_scoring.clean_text('account_name') }} as account_name,
        lower({{ lead_scoring.clean_text('domain') }}) as domain,
        {{ lead_scoring.clean_text('industry') }} as industry,
        {{ lead_scoring.cast_or_null(
            lead_scoring.clean_text('employee_count'), dbt.type_int()
        ) }} as employee_count,
        {{ lead_scoring.cast_or_null(
            lead_scoring.clean_text('annual_revenue'), dbt.type_numeric()
        ) }} as annual_revenue,
        {{ lead_scoring.clean_text('country') }} as country,
        {{ lead_scoring.read_timestamp(mapped, 'created_at') }} as created_at,
        {{ lead_scoring.read_timestamp(mapped, 'updated_at') }} as updated_at,
        cast(employee_count as {{ dbt.type_string() }}) as employee_count_raw,
        cast(annual_revenue as {{ dbt.type_string() }}) as annual_revenue_raw,
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
        -- A row with a malformed value ranks after every well-formed row of
        -- its account, so the version kept is always one that can be used.
        row_number() over (
            partition by account_id
            order by
                invalid_value_reason is not null asc,
                -- Updated after the as-of moment (or the start of the build:
                -- a typo year): never wins over a row updated before it.
                is_updated_after_cutoff asc,
                updated_at desc nulls last,
                created_at desc nulls last,
                account_name asc
        ) as version_rank,
        -- Whether a usable row of this account was updated by the cutoff (then
        -- it is the one kept, and a later row is rejected as updated after it).
        coalesce(
            max(case when invalid_value_reason is null and not is_updated_after_cutoff then 1 end)
                over (partition by account_id),
            0
        ) = 1 as has_row_before_cutoff

    from validated

),

final as (

    select
        account_id,
        account_name,
        domain,
        industry,
        employee_count,
        annual_revenue,
        country,
        created_at,
        updated_at,
        employee_count_raw,
        annual_revenue_raw,
        created_at_raw,
        updated_at_raw,
        -- A malformed value comes before the duplicate check: the duplicate
        -- reason says a more recent row is kept, which is only true of rows
        -- that can be used.
        case
            when account_id is null then 'missing account_id'
            when invalid_value_reason is not null then invalid_value_reason
            when version_rank > 1 and is_updated_after_cutoff and has_row_before_cutoff
                then 'duplicate account_id: updated after the as-of moment; an earlier row of this account is kept'
            when version_rank > 1 then 'duplicate account_id: a more recent row of this account is kept'
        end as rejection_reason

    from checked

)

select * from final
