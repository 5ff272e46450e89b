{#-
    Fails for every combination of `combination_of_columns` that appears more
    than once: the primary-key test of a model whose key has several columns.
    Returns each repeated key with its number of rows, on every adapter.
-#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    {{ return(adapter.dispatch('test_unique_combination_of_columns', 'lead_scoring')(
        model, combination_of_columns
    )) }}
{% endtest %}


{% macro default__test_unique_combination_of_columns(model, combination_of_columns) %}

select
    {{ combination_of_columns | join(', ') }},
    count(*) as occurrences

from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1

{% endmacro %}


{#-
    DuckDB: the same result in two passes, for the tables of tens of millions
    of rows (contact x rule x moment). The first groups one 64-bit hash per
    row, far cheaper than grouping several text columns (half the time at 17
    million rows); the second counts the full keys of the rows whose hash is
    repeated only, so a hash collision between two different keys is never
    reported as a duplicate: the test stays exact.
-#}
{% macro duckdb__test_unique_combination_of_columns(model, combination_of_columns) %}

{%- set key = combination_of_columns | join(', ') %}

with

repeated_hashes as (

    select hash({{ key }}) as key_hash
    from {{ model }}
    group by hash({{ key }})
    having count(*) > 1

)

select
    {{ key }},
    count(*) as occurrences

from {{ model }}
where hash({{ key }}) in (select key_hash from repeated_hashes)
group by {{ key }}
having count(*) > 1

{% endmacro %}
