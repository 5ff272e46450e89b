{#-
    The relation the versions of contacts or accounts are read from, with
    their validity columns, for var lead_scoring__attribute_history:
      snapshot  the project's snapshot (lead_scoring__contacts_snapshot, lead_scoring__accounts_snapshot):
                valid from dbt_valid_from to dbt_valid_to
      none      the staged rows, each valid at every moment
    Returns a SQL select of every column of the staged model plus valid_from
    and valid_to (null: open on that side).
-#}
{% macro attribute_versions(entity) -%}
    {%- set origin = var('lead_scoring__attribute_history', 'snapshot') -%}
    {%- if origin not in ['snapshot', 'none'] -%}
        {{ exceptions.raise_compiler_error(
            "var lead_scoring__attribute_history is '" ~ origin ~ "'. "
            ~ "Fix: use 'snapshot' (attributes as they were, from the project's snapshots) "
            ~ "or 'none' (the current attributes at every moment)."
        ) }}
    {%- endif -%}
    {%- if origin == 'snapshot' and entity == 'contacts' %}
    select
        *,
        dbt_valid_from as valid_from,
        dbt_valid_to as valid_to
    from {{ ref('lead_scoring', 'lead_scoring__contacts_snapshot') }}
    {%- elif origin == 'snapshot' %}
    select
        *,
        dbt_valid_from as valid_from,
        dbt_valid_to as valid_to
    from {{ ref('lead_scoring', 'lead_scoring__accounts_snapshot') }}
    {%- elif entity == 'contacts' %}
    select
        *,
        cast(null as {{ dbt.type_timestamp() }}) as valid_from,
        cast(null as {{ dbt.type_timestamp() }}) as valid_to
    from {{ ref('lead_scoring', 'stg_lead_scoring__contacts') }}
    {%- else %}
    select
        *,
        cast(null as {{ dbt.type_timestamp() }}) as valid_from,
        cast(null as {{ dbt.type_timestamp() }}) as valid_to
    from {{ ref('lead_scoring', 'stg_lead_scoring__accounts') }}
    {%- endif %}
{%- endmacro %}


{#-
    valid_from as the versions models give it: the beginning of time for a
    version without a start, and for the first version of each id when var
    lead_scoring__attributes_before_first_version is 'earliest'.
-#}
{% macro version_valid_from(id_column, valid_from='valid_from') -%}
    {%- set before_first = var('lead_scoring__attributes_before_first_version', 'earliest') -%}
    {%- if before_first not in ['unknown', 'earliest'] -%}
        {{ exceptions.raise_compiler_error(
            "var lead_scoring__attributes_before_first_version is '" ~ before_first ~ "'. "
            ~ "Fix: use 'unknown' (no attributes before the first known version: no leakage) "
            ~ "or 'earliest' (the first version holds since creation)."
        ) }}
    {%- endif -%}
    case
        when {{ valid_from }} is null then {{ lead_scoring.beginning_of_time() }}
        {%- if before_first == 'earliest' %}
        when row_number() over (partition by {{ id_column }} order by {{ valid_from }}) = 1
            then {{ lead_scoring.beginning_of_time() }}
        {%- endif %}
        else {{ valid_from }}
    end
{%- endmacro %}


{#- Is the version row `alias` (valid_from, valid_to) valid at `moment`? -#}
{% macro is_valid_at(alias, moment) -%}
    {{ alias }}.valid_from <= {{ moment }}
    and ({{ alias }}.valid_to is null or {{ alias }}.valid_to > {{ moment }})
{%- endmacro %}


{#-
    The body of int_lead_scoring__contact_versions and int_lead_scoring__account_versions: the versions
    of `entity` ('contacts' or 'accounts', keyed by `key`) from
    attribute_versions, with the open version holding the staged row as it
    is now, a row gone from the raw table valid until the start of this
    build at the latest, and versions that overlap cut so that each starts no
    earlier than the end of the one before. `columns`: the columns kept
    besides the key and the interval.
-#}
{% macro versions_with_current_row(entity, key, columns) -%}
with

versions as (

    select
        history.*,
        history.valid_to is null as is_open

    from (
        {{ lead_scoring.attribute_versions(entity) | indent(8) }}
    ) as history

),

current_rows as (

    select * from {{ ref('lead_scoring', 'stg_lead_scoring__' ~ entity) }}

),

overlaid as (

    select
        versions.{{ key }},
        {%- for column in columns %}
        case
            when versions.is_open and current_rows.{{ key }} is not null then current_rows.{{ adapter.quote(column) }}
            else versions.{{ adapter.quote(column) }}
        end as {{ adapter.quote(column) }},
        {%- endfor %}
        {{ lead_scoring.version_valid_from('versions.' ~ key, 'versions.valid_from') }} as valid_from,
        case
            when current_rows.{{ key }} is null
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
        on versions.{{ key }} = current_rows.{{ key }}

),

ordered as (

    select
        *,
        max(valid_to) over (
            partition by {{ key }}
            order by valid_from, valid_to
            rows between unbounded preceding and 1 preceding
        ) as previous_valid_to

    from overlaid

),

final as (

    select
        {{ key }},
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
{%- endmacro %}
