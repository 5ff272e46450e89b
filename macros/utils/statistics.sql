{#-
    A post-hook of every model: gather the planner's statistics of a table
    the model just built, where the engine does not do it by itself.
-#}
{% macro gather_statistics() -%}
    {{ return(adapter.dispatch('gather_statistics', 'lead_scoring')()) }}
{%- endmacro %}

{#- DuckDB keeps its statistics up to date as it writes: nothing to do. -#}
{% macro default__gather_statistics() -%}
{%- endmacro %}

{#-
    PostgreSQL has no statistics on a table created a moment ago until
    autovacuum gets to it, so the next model's plan guesses row counts and
    can pick a nested loop over millions of rows. ANALYZE samples the table
    (it may run inside the model's transaction). Views have nothing to sample.
-#}
{% macro postgres__gather_statistics() -%}
    {%- if config.get('materialized') in ['table', 'incremental'] -%}
        analyze {{ this }}
    {%- endif -%}
{%- endmacro %}
