{#-
    The sum of the `n` largest values of `value` in a group, as one
    aggregate, where the engine has a top-n aggregate (DuckDB's
    `max(value, n)`, which keeps only the n largest values of each group
    instead of sorting every row). `n` is the same for every row of a group
    and never null; DuckDB takes n below 1,000,000 only (the seed tests and
    `leadscoring validate` keep max_occurrences there). Returns none where the engine has no such aggregate: the
    caller then numbers the rows with a window (row_number) and sums those
    ranked within n, which gives the same sum.
-#}
{% macro sum_of_largest(value, n) -%}
    {{ return(adapter.dispatch('sum_of_largest', 'lead_scoring')(value, n)) }}
{%- endmacro %}

{% macro default__sum_of_largest(value, n) -%}
    {{ return(none) }}
{%- endmacro %}

{% macro duckdb__sum_of_largest(value, n) -%}
    {{ return('list_sum(max(' ~ value ~ ', ' ~ n ~ '))') }}
{%- endmacro %}
