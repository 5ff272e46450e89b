{{ config(materialized='table') }}

-- Every version of every staged contact with the interval it was valid in
-- (valid_from inclusive, valid_to exclusive, null: still valid), from the
-- snapshot contacts_snapshot, or one version valid at every moment when var
-- lead_scoring__attribute_history is 'none'. Scoring a past moment reads the
-- version valid then.
--
-- The open version always holds the staged row as it is now: a change that
-- did not move updated_at, or a column added since the snapshot began, is
-- known from the build that sees it. A contact no longer in the raw table is
-- valid until the start of this build at the latest (the snapshot closes it
-- by its own clock, which can be later, or local time). A contact that left
-- the raw table and came back unchanged has two snapshot rows that overlap:
-- a version starts no earlier than the end of the one before.
{%- set columns = [
    'email', 'email_domain', 'is_email_valid', 'first_name', 'last_name', 'phone',
    'job_title', 'seniority', 'department', 'country', 'region', 'lead_source',
    'account_id', 'created_at', 'updated_at',
] + lead_scoring.extra_contact_columns() %}

with

versions as (

    select
        history.*,
        history.valid_to is null as is_open

    from (
        {{ lead_scoring.attribute_versions('contacts') | indent(8) }}
    ) as history

),

current_rows as (

    select * from {{ ref('stg_contacts') }}

),

overlaid as (

    select
        versions.contact_id,
        {%- for column in columns %}
        case
            when versions.is_open and current_rows.contact_id is not null then current_rows.{{ adapter.quote(column) }}
            else versions.{{ adapter.quote(column) }}
        end as {{ adapter.quote(column) }},
        {%- endfor %}
        {{ lead_scoring.version_valid_from('versions.contact_id', 'versions.valid_from') }} as valid_from,
        case
            when current_rows.contact_id is null
                then coalesce(
                    case
                        when versions.valid_to < {{ lead_scoring.run_started_timestamp() }} then versions.valid_to
                    end,
                    {{ lead_scoring.run_started_timestamp() }}
                )
            else versions.valid_to
        end as valid_to

    from versions
    left join current_rows
        on versions.contact_id = current_rows.contact_id

),

ordered as (

    select
        *,
        max(valid_to) over (
            partition by contact_id
            order by valid_from, valid_to
            rows between unbounded preceding and 1 preceding
        ) as previous_valid_to

    from overlaid

),

final as (

    select
        contact_id,
        {%- for column in columns %}
        {{ adapter.quote(column) }},
        {%- endfor %}
        case
            when previous_valid_to > valid_from then previous_valid_to
            else valid_from
        end as valid_from,
        valid_to

    from ordered
    where valid_to is null or previous_valid_to is null or valid_to > previous_valid_to

)

select * from final
