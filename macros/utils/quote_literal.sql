{#-
    Render a Jinja string as a SQL string literal, doubling single quotes.
    Used only for values that come from the project's own code or vars
    (regular expressions, attribute names, the as-of date), never for values
    from seeds or sources: those stay in columns and are joined.
-#}
{% macro quote_literal(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}
