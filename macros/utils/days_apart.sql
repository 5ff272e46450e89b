{#-
    True when `later` is at most `days` days after `earlier` (inclusive, to
    the second): the boundary test behind timeframes, repeat and combination
    windows and behaviour segments. `days` may be a column and may hold
    decimals. Written once so that every window has the same edge.
-#}
{% macro at_most_days_apart(earlier, later, days) -%}
    {{ dbt.datediff(earlier, later, 'second') }} <= {{ days }} * 86400
{%- endmacro %}
