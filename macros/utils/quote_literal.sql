{#-
    Render a Jinja string as a SQL string literal, doubling single quotes.
    Used only for values that come from the project's own code or vars
    (regular expressions, attribute names, the as-of date), never for values
    from seeds or sources: those stay in columns and are joined.
-#}
{% macro quote_literal(value) -%}
    '{{ value | string | replace("'", "''") }}'
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
