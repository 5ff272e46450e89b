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
    Adapters with their own <adapter>__create_csv_table keep dbt's, except
    Spark's (spark__create_csv_table and spark__load_csv_rows below: dbt-spark
    1.11's code with the same two changes).

    The column types of seeds/_seeds.yml say `varchar` (text): property files
    cannot call macros, so seed_column_type turns a text type into the
    adapter's own, dbt.type_string() (Spark has no varchar without a length).
-#}

{#- The type of a seed column: its column_types entry (a text type as dbt.type_string()) or dbt's inferred one. -#}
{% macro seed_column_type(column_override, agate_table, index) -%}
    {%- set col_name = agate_table.column_names[index] -%}
    {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, index)) -%}
    {%- if type | string | lower | trim in ['varchar', 'text', 'string', 'character varying'] -%}
        {{ return(dbt.type_string()) }}
    {%- endif -%}
    {{ return(type) }}
{%- endmacro %}


{% macro default__create_csv_table(model, agate_table) %}
  {%- set column_override = model['config'].get('column_types', {}) -%}

  {% set sql %}
    create table {{ this.render() }} (
        {%- for col_name in agate_table.column_names -%}
            {%- set type = lead_scoring.seed_column_type(column_override, agate_table, loop.index0) -%}
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

{#- Spark: backticks, a backtick inside the name written twice. -#}
{% macro spark__quote_seed_column(column_name) -%}
    {{ return('`' ~ column_name | replace('`', '``') ~ '`') }}
{%- endmacro %}


{#- dbt-spark 1.11's spark__create_csv_table, with seed_column_type and quote_seed_column. -#}
{% macro spark__create_csv_table(model, agate_table) %}
  {%- set column_override = model['config'].get('column_types', {}) -%}

  {% set sql %}
    create table {{ this.render() }} (
        {%- for col_name in agate_table.column_names -%}
            {%- set type = lead_scoring.seed_column_type(column_override, agate_table, loop.index0) -%}
            {%- set column_name = (col_name | string) -%}
            {{ lead_scoring.quote_seed_column(column_name) }} {{ type }} {%- if not loop.last -%}, {%- endif -%}
        {%- endfor -%}
    )
    {{ file_format_clause() }}
    {{ partition_cols(label="partitioned by") }}
    {{ clustered_cols(label="clustered by") }}
    {{ location_clause() }}
    {{ comment_clause() }}
  {% endset %}

  {% call statement('_') -%}
    {{ sql }}
  {%- endcall %}

  {{ return(sql) }}
{% endmacro %}


{#-
    Spark: dbt-spark 1.11's spark__load_csv_rows, with seed_column_type, and
    the values written as literals (spark__quote_literal, null for an empty
    cell) instead of bindings: the session method puts each binding between
    quotes as it is, so a value holding a quote (A competitor's domain)
    breaks the statement, and an empty cell is loaded as the text 'None'.
-#}
{% macro spark__load_csv_rows(model, agate_table) %}

  {% set batch_size = get_batch_size() %}
  {% set column_override = model['config'].get('column_types', {}) %}
  {% set types = [] %}
  {% for col_name in agate_table.column_names %}
      {% do types.append(lead_scoring.seed_column_type(column_override, agate_table, loop.index0)) %}
  {% endfor %}

  {% set statements = [] %}

  {% for chunk in agate_table.rows | batch(batch_size) %}
      {% set sql %}
          insert into {{ this.render() }} values
          {% for row in chunk -%}
              ({%- for value in row -%}
                  {%- if value is none -%}
                    cast(null as {{ types[loop.index0] }})
                  {%- else -%}
                    cast({{ lead_scoring.spark__quote_literal(value | string) }} as {{ types[loop.index0] }})
                  {%- endif -%}
                  {%- if not loop.last%},{%- endif %}
              {%- endfor -%})
              {%- if not loop.last%},{%- endif %}
          {%- endfor %}
      {% endset %}

      {% do adapter.add_query(sql, abridge_sql_log=True) %}

      {% if loop.index0 == 0 %}
          {% do statements.append(sql) %}
      {% endif %}
  {% endfor %}

  {# Return SQL so we can render it out into the compiled files #}
  {{ return(statements[0]) }}
{% endmacro %}
