{{ config(materialized='table') }}

-- Every version of every staged account with the interval it was valid in,
-- like int_contact_versions: from the snapshot accounts_snapshot, or one
-- version valid at every moment when var lead_scoring__attribute_history is
-- 'none'.

with

versions as (

    {{ lead_scoring.attribute_versions('accounts') }}

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
        {{ lead_scoring.version_valid_from('account_id') }} as valid_from,
        valid_to

    from versions

)

select * from final
