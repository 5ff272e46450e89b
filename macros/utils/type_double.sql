{#-
    A double-precision floating-point type. Not dbt.type_float(): that is
    `float`, which DuckDB reads as a 4-byte float (about 7 significant
    digits), enough to move a decayed value across a rounding boundary, while
    PostgreSQL reads it as 8 bytes; scores would then differ between engines
    and between two ways of computing the same decay.
-#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'lead_scoring')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{#- Spark has DOUBLE (8 bytes) but not the standard's spelling `double precision`. -#}
{% macro spark__type_double() -%}
    double
{%- endmacro %}
