{#-
    The relation the versions of contacts or accounts are read from, with
    their validity columns, for var lead_scoring__attribute_history:
      snapshot  the project's snapshot (contacts_snapshot, accounts_snapshot):
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
    from {{ ref('contacts_snapshot') }}
    {%- elif origin == 'snapshot' %}
    select
        *,
        dbt_valid_from as valid_from,
        dbt_valid_to as valid_to
    from {{ ref('accounts_snapshot') }}
    {%- elif entity == 'contacts' %}
    select
        *,
        cast(null as {{ dbt.type_timestamp() }}) as valid_from,
        cast(null as {{ dbt.type_timestamp() }}) as valid_to
    from {{ ref('stg_contacts') }}
    {%- else %}
    select
        *,
        cast(null as {{ dbt.type_timestamp() }}) as valid_from,
        cast(null as {{ dbt.type_timestamp() }}) as valid_to
    from {{ ref('stg_accounts') }}
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
