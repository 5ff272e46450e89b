{#-
    Fails for every column of a seed that seeds/_seeds.yml does not declare
    for it (under `columns` or `config.column_types`): a CSV with an extra
    column, a misspelt header cell ('point' for 'points') or one written with
    capitals or blanks (the seeds' column names are quoted, so 'Points' and
    'points ' are other columns than points). Each failing row names the
    column (store failures to read it) and the fix.

    The declared columns are read from the seed's node in the graph, so the
    list is written once, in seeds/_seeds.yml. The seed's actual columns are
    read by SQL from the database's catalogue and compared there: the header
    cells, which are data, never become SQL text.
-#}
{% test has_only_declared_columns(model) %}

{%- set declared = [] %}
{%- if execute %}
    {%- set seeds = graph.nodes.values()
        | selectattr('resource_type', 'equalto', 'seed')
        | selectattr('alias', 'equalto', model.identifier)
        | selectattr('schema', 'equalto', model.schema)
        | list %}
    {%- if seeds | length != 1 %}
        {{ exceptions.raise_compiler_error(
            "has_only_declared_columns applies to seeds, but " ~ model ~ " is not one seed. "
            ~ "Fix: apply the test to the seeds of seeds/_seeds.yml only."
        ) }}
    {%- endif %}
    {%- for name in (seeds[0].columns.keys() | list) + (seeds[0].config.get('column_types', {}).keys() | list) %}
        {%- if name not in declared %}
            {%- do declared.append(name) %}
        {%- endif %}
    {%- endfor %}
    {%- if not declared %}
        {{ exceptions.raise_compiler_error(
            "has_only_declared_columns: seed " ~ seeds[0].name ~ " declares no columns. "
            ~ "Fix: list its columns under `columns` (or `config.column_types`) in seeds/_seeds.yml."
        ) }}
    {%- endif %}
{%- endif %}

with seed_columns as (

    {{ lead_scoring.relation_column_names(model) }}

)

select
    column_name,
    {{ lead_scoring.quote_literal(
        'the seed has a column that seeds/_seeds.yml does not declare for it: remove the column '
        ~ 'from the header (line 1) and from every row of the CSV, or correct its name to one of: '
        ~ declared | join(', ')
    ) }} as failure_message

from seed_columns
where column_name not in (
    {%- for name in declared %}
    {{ lead_scoring.quote_literal(name) }}{{ ',' if not loop.last }}
    {%- endfor %}
    {%- if not declared %}''{% endif %}
)

{% endtest %}


{#-
    One row per column of `relation`, its name in `column_name`, from the
    database's catalogue (the information schema of standard SQL, which
    DuckDB and PostgreSQL have); another warehouse may dispatch its own.
-#}
{% macro relation_column_names(relation) -%}
    {{ return(adapter.dispatch('relation_column_names', 'lead_scoring')(relation)) }}
{%- endmacro %}

{% macro default__relation_column_names(relation) -%}
    select cast(columns.column_name as {{ dbt.type_string() }}) as column_name
    from information_schema.columns as columns
    where
        columns.table_catalog = {{ lead_scoring.quote_literal(relation.database) }}
        and columns.table_schema = {{ lead_scoring.quote_literal(relation.schema) }}
        and columns.table_name = {{ lead_scoring.quote_literal(relation.identifier) }}
{%- endmacro %}

{#-
    Spark has no information_schema: the columns dbt reads from the catalogue
    (DESCRIBE) when the test is compiled, right before it runs, as a
    relation of literals.
-#}
{% macro spark__relation_column_names(relation) -%}
    {%- set names = adapter.get_columns_in_relation(relation) | map(attribute='name') | list if execute else [] -%}
    select cast(column_name as {{ dbt.type_string() }}) as column_name
    from (
        {%- if names %}
        values
        {%- for name in names %}
            ({{ lead_scoring.quote_literal(name) }}){{ ',' if not loop.last }}
        {%- endfor %}
        {%- else %}
        select cast(null as {{ dbt.type_string() }}) as column_name where 1 = 0
        {%- endif %}
    ) as columns (column_name)
{%- endmacro %}
