-- Reads the raw accounts once: typing, trimming, lower-cased domains, and the
-- reason a row cannot be used. stg_accounts and stg_accounts_rejected split it.

with

source as (

    select * from {{ source('raw_accounts', 'accounts') }}

),

typed as (

    select
        nullif(trim(cast(account_id as {{ dbt.type_string() }})), '') as account_id,
        nullif(trim(account_name), '') as account_name,
        lower(nullif(trim(domain), '')) as domain,
        nullif(trim(industry), '') as industry,
        cast(employee_count as {{ dbt.type_int() }}) as employee_count,
        cast(annual_revenue as {{ dbt.type_numeric() }}) as annual_revenue,
        nullif(trim(country), '') as country,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at

    from source

),

checked as (

    select
        *,
        row_number() over (
            partition by account_id
            order by updated_at desc nulls last, created_at desc nulls last, account_name asc
        ) as version_rank

    from typed

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
        case
            when account_id is null then 'missing account_id'
            when version_rank > 1 then 'duplicate account_id: a more recent row of this account is kept'
        end as rejection_reason

    from checked

)

select * from final
