{#-
    Turn a page pattern column (a glob: `*` is the only wildcard) into a LIKE
    pattern that matches every other character literally, for use with
    `like ... escape '!'`. `!` is the escape character rather than the usual
    backslash because a backslash inside a string literal is itself an escape
    on some warehouses (Snowflake, BigQuery, Databricks). The pattern stays a
    column: the rule's text is never pasted into SQL, so `%`, `_`, `!`, quotes
    or SQL in it match literally.
-#}
{% macro glob_to_like(column) -%}
    replace(
        replace(
            replace(
                replace({{ column }}, '!', '!!'),
                '%', '!%'
            ),
            '_', '!_'
        ),
        '*', '%'
    )
{%- endmacro %}
