{#-
    Spark only (dbt-spark): dbt-spark 1.11's spark__list_relations_without_caching,
    plus one fix for Apache Iceberg tables kept in a Hive metastore and read
    through Iceberg's SparkSessionCatalog (open-source Spark's way to have
    Iceberg tables and views side by side). SHOW TABLE EXTENDED describes
    such a table as `Provider: hive` (its table properties say
    table_type=ICEBERG), so dbt-spark takes it for a plain Hive table and
    refuses to snapshot into it ("in another format than 'delta' or 'iceberg'
    or 'hudi'") or to use its row-level operations. The provider is
    corrected from the table_type property; other tables (Delta, parquet,
    views) are listed as dbt-spark lists them.
-#}
{% macro spark__list_relations_without_caching(relation) %}
  {% call statement('list_relations_without_caching', fetch_result=True) -%}
    show table extended in {{ relation.schema }} like '*'
  {% endcall %}
  {%- set rows = [] -%}
  {%- for row in load_result('list_relations_without_caching').table -%}
      {%- set information = row[3] -%}
      {%- if 'table_type=ICEBERG' in information and 'Provider: iceberg' not in information -%}
          {%- set information = information | replace('Provider: hive', 'Provider: iceberg') -%}
      {%- endif -%}
      {%- do rows.append([row[0], row[1], row[2], information]) -%}
  {%- endfor -%}
  {% do return(rows) %}
{% endmacro %}
