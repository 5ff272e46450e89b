{#-
    The median of `expression` over the rows of a group (an aggregate; nulls
    are ignored, null when no row has a value), as a double-precision number.

    One default serves DuckDB and PostgreSQL: both take the SQL standard's
    ordered-set aggregate percentile_cont(0.5) within group (order by ...),
    which interpolates between the two middle values of an even count. The
    value is cast to double precision first because DuckDB returns a decimal
    for a decimal input where PostgreSQL returns double precision: the same
    median would otherwise have a different type on each engine. Dispatched
    so that a warehouse without ordered-set aggregates can add its own
    version (e.g. a median() function) beside this one.
-#}
{% macro median(expression) -%}
    {{ return(adapter.dispatch('median', 'lead_scoring')(expression)) }}
{%- endmacro %}

{% macro default__median(expression) -%}
    percentile_cont(0.5) within group (order by cast({{ expression }} as {{ lead_scoring.type_double() }}))
{%- endmacro %}
