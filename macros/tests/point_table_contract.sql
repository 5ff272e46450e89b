{#-
    The checks of point table `point_table` that its contract states column by
    column (macros/point_tables/point_table_contract.sql): every column is
    there, required cells are given, given cells have their shape and one of
    the allowed values, unique columns and combinations hold once, and
    references name a row of the other point table. Attached to the table's
    staging model, it reads the table as its var locates it (the package's
    seed or the host's own table), as text, so a malformed cell is reported
    here rather than failing a cast.

    One failing row per problem: the point table, the row (its key columns),
    the column, the cell and what to do. The first problems are also written
    to the build's log, so the fix shows without querying stored failures.
-#}
{% test point_table_contract(model, point_table) %}

{%- set columns = lead_scoring.point_table_columns(point_table) %}
{%- set spec = lead_scoring.point_table_contract()[point_table] %}
{%- set located = lead_scoring.point_table_located_relation(point_table) if execute else none %}
{%- set where = "point table " ~ point_table ~ " (var lead_scoring__" ~ point_table ~ ": " ~ located ~ ")" %}
{%- set text = dbt.type_string() %}

{%- if execute %}
    {%- set present = run_query('select * from ' ~ located ~ ' where 1 = 0').column_names | map('lower') | list %}
    {%- set missing = [] %}
    {%- for column in columns %}
        {%- if column not in present %}{%- do missing.append(column) %}{%- endif %}
    {%- endfor %}
    {%- if missing %}
        {{ exceptions.raise_compiler_error(
            where ~ " has no column " ~ missing | join(', ') ~ ". Fix: its header must name every column of "
            ~ point_table ~ " (" ~ columns.keys() | join(',') ~ "), written in lower case (docs/point_tables.md); "
            ~ "a table without rows holds its header line only."
        ) }}
    {%- endif %}
{%- endif %}

{%- set key_parts = [] %}
{%- for column in spec.key %}
    {%- if not loop.first %}{%- do key_parts.append("', '") %}{%- endif %}
    {%- do key_parts.append(lead_scoring.quote_literal(column ~ ' ')) %}
    {%- do key_parts.append("coalesce(" ~ column ~ ", '(empty)')") %}
{%- endfor %}

{%- set checks = [] %}
{%- for column, rules in columns.items() %}
    {%- set staged = 'lower(' ~ column ~ ')' if rules.type in ('code', 'boolean') else column %}
    {%- if rules.required %}
        {%- do checks.append({'column': column, 'failing': column ~ ' is null',
            'message': column ~ ' is empty. Fix: fill it in; every row of ' ~ point_table ~ ' needs one.'}) %}
    {%- endif %}
    {%- if rules.allowed %}
        {%- set values = [] %}
        {%- for value in rules.allowed %}{%- do values.append(lead_scoring.quote_literal(value | string)) %}{%- endfor %}
        {%- do checks.append({'column': column,
            'failing': column ~ ' is not null and lower(' ~ column ~ ') not in (' ~ values | join(', ') ~ ')',
            'message': column ~ ' is not one of its values. Fix: write one of ' ~ rules.allowed | join(', ') ~ '.'}) %}
    {%- endif %}
    {%- if rules.check %}
        {%- do checks.append({'column': column,
            'failing': column ~ ' is not null and not coalesce(' ~ lead_scoring.point_table_check(rules.check, column) ~ ', false)',
            'message': column ~ ' has the wrong shape. Fix: write ' ~ lead_scoring.point_table_checks()[rules.check].says ~ '.'}) %}
    {%- endif %}
    {%- if rules.unique %}
        {%- do checks.append({'column': column,
            'failing': staged ~ ' in (select ' ~ staged ~ ' from cells group by ' ~ staged ~ ' having count(*) > 1)',
            'message': column ~ ' is not unique: another row of ' ~ point_table ~ ' has it too. Fix: keep one row per ' ~ column ~ '.'}) %}
    {%- endif %}
    {%- if rules.references %}
        {%- set target_table, target_column = rules.references.split('.') %}
        {%- do checks.append({'column': column,
            'failing': column ~ ' is not null and not exists (select 1 from '
                ~ lead_scoring.point_table_staged_relation(target_table) ~ ' as referenced where referenced.'
                ~ target_column ~ ' = ' ~ ('lower(keyed.' ~ column ~ ')' if rules.type in ('code', 'boolean') else 'keyed.' ~ column) ~ ')',
            'message': column ~ ' names no ' ~ target_column ~ ' of point table ' ~ target_table
                ~ '. Fix: correct it, or add that ' ~ target_column ~ ' to ' ~ target_table ~ '.'}) %}
    {%- endif %}
{%- endfor %}
{%- for combination in spec.unique or [] %}
    {%- set staged_columns = [] %}
    {%- for column in combination %}
        {%- do staged_columns.append('lower(' ~ column ~ ')' if columns[column].type in ('code', 'boolean') else column) %}
    {%- endfor %}
    {%- do checks.append({'column': combination | join('+'),
        'failing': 'count(*) over (partition by ' ~ staged_columns | join(', ') ~ ') > 1 and '
            ~ '(' ~ combination | join(' is not null and ') ~ ' is not null)',
        'message': 'the combination ' ~ combination | join(', ') ~ ' is not unique. Fix: keep one row per '
            ~ combination | join(' and ') ~ '.',
        'windowed': true}) %}
{%- endfor %}

{%- set sql %}
with

cells as (

    select
        {%- for column in columns %}
        nullif(trim(cast({{ column }} as {{ text }})), '') as {{ column }},
        {%- endfor %}
        1 as one_row

    from {{ located }}

),

keyed as (

    select
        cells.*,
        {{ dbt.concat(key_parts) }} as row_key

    from cells

),

problems as (

    {%- for check in checks %}

    select
        {{ lead_scoring.quote_literal(point_table) }} as point_table,
        row_key,
        {{ lead_scoring.quote_literal(check.column) }} as column_name,
        cast({{ check.column.split('+')[0] }} as {{ text }}) as cell,
        {{ lead_scoring.quote_literal(check.message) }} as failure_message
    {%- if check.windowed %}
    from (select keyed.*, case when {{ check.failing }} then 1 else 0 end as is_failing from keyed) as windowed
    where is_failing = 1
    {%- else %}
    from keyed
    where {{ check.failing }}
    {%- endif %}
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}
    {%- if not checks %}

    select
        cast(null as {{ text }}) as point_table,
        cast(null as {{ text }}) as row_key,
        cast(null as {{ text }}) as column_name,
        cast(null as {{ text }}) as cell,
        cast(null as {{ text }}) as failure_message
    where 1 = 0
    {%- endif %}

)

select * from problems
{%- endset %}

{%- if execute %}
    {%- set found = run_query('select * from (' ~ sql ~ ') as found order by row_key, column_name limit 20') %}
    {%- for row in found.rows %}
        {{ log(where ~ ", row " ~ row['row_key'] ~ ": " ~ row['failure_message']
            ~ (" (the cell holds '" ~ row['cell'] ~ "')" if row['cell'] is not none else ""), info=true) }}
    {%- endfor %}
{%- endif %}

{{ sql }}

{% endtest %}
