{#-
    Seed column names come from the first line of a CSV: they are data, and
    must never become SQL. dbt_project.yml sets quote_columns: true, so dbt
    quotes them, but dbt's quoting (adapter.quote) does not double a double
    quote inside the name: a header cell holding one could still end the
    identifier and add statements to the seed's `create table`.

    The two macros below replace dbt's global macros of the same names (a
    macro of the root project takes precedence over dbt's own) and are
    dbt-core 1.11's code (materializations/seeds/helpers.sql) with one change:
    every column name is quoted by lead_scoring.quote_seed_column, whatever
    quote_columns says, so a header cell is always one identifier. A column
    that should not be there is then reported by the seed test
    has_only_declared_columns (macros/tests/has_only_declared_columns.sql).
    Adapters with their own <adapter>__create_csv_table keep dbt's.
-#}

{% macro default__create_csv_table(model, agate_table) %}
  {%- set column_override = model['config'].get('column_types', {}) -%}

  {% set sql %}
    create table {{ this.render() }} (
        {%- for col_name in agate_table.column_names -%}
            {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
            {%- set type = column_override.get(col_name, inferred_type) -%}
            {%- set column_name = (col_name | string) -%}
            {{ lead_scoring.quote_seed_column(column_name) }} {{ type }} {%- if not loop.last -%}, {%- endif -%}
        {%- endfor -%}
    )
  {% endset %}

  {% call statement('_') -%}
    {{ sql }}
  {%- endcall %}

  {{ return(sql) }}
{% endmacro %}


{% macro get_seed_column_quoted_csv(model, column_names) %}
    {%- set quoted = [] -%}
    {%- for col in column_names -%}
        {%- do quoted.append(lead_scoring.quote_seed_column(col | string)) -%}
    {%- endfor -%}
    {{ return(quoted | join(', ')) }}
{% endmacro %}


{#- A seed column name (a CSV header cell) as one quoted identifier. -#}
{% macro quote_seed_column(column_name) -%}
    {{ return(adapter.dispatch('quote_seed_column', 'lead_scoring')(column_name)) }}
{%- endmacro %}

{#- Any adapter: its own quoting, for names without a quote character only. -#}
{% macro default__quote_seed_column(column_name) -%}
    {%- if '"' in column_name or '`' in column_name -%}
        {{ exceptions.raise_compiler_error(
            "A seed's header has a column name holding a quote character, which the '"
            ~ adapter.type() ~ "' adapter cannot quote safely. Fix: rename the column in the "
            ~ "seed's CSV header to one of the columns declared in seeds/_seeds.yml, or add a "
            ~ "macro " ~ adapter.type() ~ "__quote_seed_column beside the duckdb and postgres "
            ~ "versions in macros/utils/seed_columns.sql."
        ) }}
    {%- endif -%}
    {{ return(adapter.quote(column_name)) }}
{%- endmacro %}

{#- Standard SQL: a double quote inside a quoted identifier is written twice. -#}
{% macro duckdb__quote_seed_column(column_name) -%}
    {{ return('"' ~ column_name | replace('"', '""') ~ '"') }}
{%- endmacro %}

{% macro postgres__quote_seed_column(column_name) -%}
    {{ return('"' ~ column_name | replace('"', '""') ~ '"') }}
{%- endmacro %}
