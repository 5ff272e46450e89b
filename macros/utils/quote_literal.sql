{#-
    Render a Jinja string as a SQL string literal, doubling single quotes.
    Used only for values that come from the project's own code or vars
    (regular expressions, attribute names, the as-of date), never for values
    from seeds or sources: those stay in columns and are joined.
-#}
{% macro quote_literal(value) -%}
    {{ return(adapter.dispatch('quote_literal', 'lead_scoring')(value)) }}
{%- endmacro %}

{% macro default__quote_literal(value) -%}
    {{ return("'" ~ (value | string | replace("'", "''")) ~ "'") }}
{%- endmacro %}

{#-
    Spark SQL reads a backslash in a string literal as an escape, and two
    adjacent literals ('O''Brien') as one concatenated string ('OBrien'):
    backslashes and single quotes are escaped with a backslash.
-#}
{% macro spark__quote_literal(value) -%}
    {{ return("'" ~ (value | string | replace('\\', '\\\\') | replace("'", "\\'")) ~ "'") }}
{%- endmacro %}


{#-
    Names from the project's configuration (attribute names, outcomes) as a
    comma-separated list of quoted literals for `in (...)`; `null` when the
    list is empty, so that `x in (null)` matches nothing.
-#}
{% macro quoted_list(values) -%}
    {%- if values | length == 0 -%}
        null
    {%- else -%}
        {%- for value in values -%}{{ lead_scoring.quote_literal(value | string) }}{{ ', ' if not loop.last }}{%- endfor -%}
    {%- endif -%}
{%- endmacro %}


{#-
    string_agg of `measure` in the order of `order_by` (an expression), with
    `delimiter` (a SQL literal) between the values; nulls are skipped.
    dbt.listagg takes an order on most warehouses, but dbt-spark ignores it
    (with a warning): Spark collects the values in whatever order its tasks
    produce them, so a fingerprint or a pattern built from them would change
    from one run to the next.
-#}
{% macro ordered_listagg(measure, delimiter, order_by) -%}
    {{ return(adapter.dispatch('ordered_listagg', 'lead_scoring')(measure, delimiter, order_by)) }}
{%- endmacro %}

{% macro default__ordered_listagg(measure, delimiter, order_by) -%}
    {{ return(dbt.listagg(measure, delimiter, 'order by ' ~ order_by)) }}
{%- endmacro %}

{% macro spark__ordered_listagg(measure, delimiter, order_by) -%}
    {{ return(
        'array_join(transform(array_sort(collect_list(named_struct(\'k\', ' ~ order_by ~ ', \'v\', ' ~ measure
        ~ '))), x -> x.v), ' ~ delimiter ~ ')'
    ) }}
{%- endmacro %}
