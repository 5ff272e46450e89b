{#-
    The moment scores are computed for, as a SQL timestamp literal.

    Var `lead_scoring__as_of` ('YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS', UTC)
    or, when it is null, the start of the dbt run. Using dbt's run_started_at
    rather than the warehouse's clock makes every model of one run agree on
    the same instant. The var is checked before it reaches SQL.
-#}
{% macro as_of_timestamp() -%}
    {%- set as_of = var('lead_scoring__as_of', none) -%}
    {%- if as_of is none or as_of | string | trim == '' -%}
        {{ lead_scoring.timestamp_literal(run_started_at.strftime('%Y-%m-%d %H:%M:%S')) }}
    {%- else -%}
        {%- set text = as_of | string | trim -%}
        {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?', text) -%}
            {{ exceptions.raise_compiler_error(
                "var lead_scoring__as_of is '" ~ text ~ "', which is not a date. "
                ~ "Fix: give it as 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS' (UTC), or leave it null for now."
            ) }}
        {%- endif -%}
        {%- set normalized = text | replace('T', ' ') -%}
        {%- if normalized | length == 10 -%}{%- set normalized = normalized ~ ' 00:00:00' -%}{%- endif -%}
        {%- if normalized | length == 16 -%}{%- set normalized = normalized ~ ':00' -%}{%- endif -%}
        {{ lead_scoring.timestamp_literal(normalized) }}
    {%- endif -%}
{%- endmacro %}


{#- The start of the dbt run (UTC), as a SQL timestamp literal. -#}
{% macro run_started_timestamp() -%}
    {{ lead_scoring.timestamp_literal(run_started_at.strftime('%Y-%m-%d %H:%M:%S')) }}
{%- endmacro %}


{% macro timestamp_literal(text) -%}
    cast({{ lead_scoring.quote_literal(text) }} as {{ dbt.type_timestamp() }})
{%- endmacro %}
