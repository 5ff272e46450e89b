{#-
    The hint that a CTE is inlined where it is used rather than computed once
    (`name as not materialized (...)`): PostgreSQL and DuckDB take it. Spark
    has no such hint (it always inlines a CTE that is not cached): nothing.
-#}
{% macro not_materialized() -%}
    {{ return(adapter.dispatch('not_materialized', 'lead_scoring')()) }}
{%- endmacro %}

{% macro default__not_materialized() -%}
    {{ return('not materialized') }}
{%- endmacro %}

{% macro spark__not_materialized() -%}
    {{ return('') }}
{%- endmacro %}
