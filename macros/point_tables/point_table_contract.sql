{#-
    The point tables' contract: every point table (seed) the package reads,
    its columns in order, and how each is cleaned and typed. This block is
    the one description of the tables: the staging models
    (models/staging/point_tables/, macro stage_point_table) are generated
    from it, `leadscoring validate` reads it (the YAML between the two
    markers below), and docs/point_tables.md is checked against it.

    Column types (what staging makes of the text cell):
      id       trimmed, case kept (rule_id, score_model, condition_id ...)
      code     trimmed and lower-cased (attribute, operator, event_type ...)
      pattern  trimmed, case kept (page_pattern: lower-cased when matched)
      bound    trimmed text, read as a number or a date by the rule's
               attribute kind (min_value, max_value of rules and segments)
      text     as written (description, a rule's value)
      lower    as written but trimmed and lower-cased (predictive weights)
      number   a decimal number
      float    a double-precision number (learned weights)
      whole    a whole number
      boolean  true when the cell says true (any case), else false
      date     a 'YYYY-MM-DD' date
    Empty cells are null for every type but text.

    Where each table comes from: var lead_scoring__<table> (default: the
    package's seed lead_scoring__<table>; README, "Point tables the host owns").
-#}
{% macro point_table_contract() -%}
{#- contract:begin -#}
{%- set contract_yaml -%}
score_models:
  columns: {score_model: id, description: text, min_total: number, max_total: number,
            half_life_days: number, timeframe_days: number}
score_model_segments:
  columns: {score_model: id, condition_id: id, applies_to: code, attribute: code, operator: code,
            value: text, min_value: bound, max_value: bound, event_type: code, page_category: code,
            min_occurrences: whole, within_days: number, description: text}
page_categories:
  columns: {page_category: code, page_pattern: pattern, description: text}
event_types:
  columns: {event_type: code, event_category: code, is_engagement: boolean, description: text}
email_domains:
  columns: {domain: code, domain_kind: code, description: text}
placeholder_names:
  columns: {name: code, description: text}
number_buckets:
  columns: {bucket_set: code, min_value: number, max_value: number, points: number,
            description: text}
explicit_rules:
  columns: {rule_id: id, score_model: id, attribute: code, operator: code, value: text,
            min_value: bound, max_value: bound, points: number, cap_group: code, description: text}
implicit_rules:
  columns: {rule_id: id, score_model: id, event_type: code, page_pattern: pattern,
            page_category: code, points: number, max_occurrences: whole, max_points: number,
            cap_group: code, half_life_days: number, timeframe_days: number, description: text}
negative_rules:
  columns: {rule_id: id, score_model: id, applies_to: code, attribute: code, operator: code,
            value: text, min_value: bound, max_value: bound, event_type: code,
            page_pattern: pattern, page_category: code, points: number, max_occurrences: whole,
            max_points: number, half_life_days: number, timeframe_days: number,
            inactive_days: number, description: text}
repeat_rules:
  columns: {rule_id: id, score_model: id, event_type: code, page_pattern: pattern,
            page_category: code, min_occurrences: whole, within_days: number, count_mode: code,
            points: number, max_occurrences: whole, max_points: number, cap_group: code,
            half_life_days: number, timeframe_days: number, description: text}
combination_rules:
  columns: {rule_id: id, score_model: id, within_days: number, anchor: code, points: number,
            cap_group: code, half_life_days: number, timeframe_days: number, description: text}
combination_rule_steps:
  columns: {rule_id: id, step: code, event_type: code, page_pattern: pattern, page_category: code}
point_caps:
  columns: {score_model: id, cap_group: code, max_points: number, description: text}
score_bands:
  columns: {score_model: id, band: id, min_score: number, description: text}
fit_grades:
  columns: {score_model: id, grade: id, min_points: number, description: text}
engagement_levels:
  columns: {score_model: id, level: id, min_points: number, description: text}
predictive_weights:
  columns: {criterion_id: id, kind: code, attribute: code, value: lower, min_value: number,
            max_value: number, event_type: code, page_category: code, min_count: whole,
            window_days: number, weight: float, description: text}
sla_targets:
  columns: {score_model: id, month: date, target_mqls: whole, target_sqls: whole, description: text}
{%- endset -%}
{#- contract:end -#}
    {{ return(fromyaml(contract_yaml)) }}
{%- endmacro %}


{#-
    The relation a point table is read from: var lead_scoring__<table>, by
    default the package's seed (`"{{ ref('lead_scoring', 'lead_scoring__<table>') }}"`
    in dbt_project.yml). A host points it at its own seed or model
    (`"{{ ref('my_rules') }}"`), a source (`"{{ source('crm', 'rules') }}"`)
    or any table.
-#}
{% macro point_table(name) -%}
    {%- if name not in lead_scoring.point_table_contract() -%}
        {{ exceptions.raise_compiler_error("lead_scoring.point_table: no point table named '" ~ name ~ "'") }}
    {%- endif -%}
    {{ return(var('lead_scoring__' ~ name)) }}
{%- endmacro %}


{#-
    The body of the staging model of point table `name`
    (stg_lead_scoring__<name>): each column of the contract cleaned and typed
    once, from the table var lead_scoring__<name> locates. A column is read as
    text first, so a host table with typed columns (points as an integer)
    stages alike.
-#}
{% macro stage_point_table(name) -%}
    {%- set columns = lead_scoring.point_table_contract()[name].columns -%}
    {%- set text = dbt.type_string() -%}
with

point_table as (

    select * from {{ lead_scoring.point_table(name) }}

),

final as (

    select
        {%- for column, kind in columns.items() %}
        {%- set cell = 'cast(' ~ column ~ ' as ' ~ text ~ ')' %}
        {%- set given = 'nullif(trim(' ~ cell ~ "), '')" %}
        {%- if kind in ('id', 'pattern', 'bound') %}
        {{ given }} as {{ column }}
        {%- elif kind == 'code' %}
        lower({{ given }}) as {{ column }}
        {%- elif kind == 'text' %}
        {{ cell }} as {{ column }}
        {%- elif kind == 'lower' %}
        lower(trim({{ cell }})) as {{ column }}
        {%- elif kind == 'number' %}
        cast({{ given }} as {{ dbt.type_numeric() }}) as {{ column }}
        {%- elif kind == 'float' %}
        cast({{ given }} as {{ lead_scoring.type_double() }}) as {{ column }}
        {%- elif kind == 'whole' %}
        cast({{ given }} as {{ dbt.type_int() }}) as {{ column }}
        {%- elif kind == 'boolean' %}
        coalesce(lower({{ given }}) = 'true', false) as {{ column }}
        {%- elif kind == 'date' %}
        cast({{ given }} as date) as {{ column }}
        {%- else %}
        {{ exceptions.raise_compiler_error("point_table_contract: " ~ name ~ "." ~ column ~ " has an unknown type '" ~ kind ~ "'") }}
        {%- endif %}
        {{- ',' if not loop.last }}
        {%- endfor %}

    from point_table

)

select * from final
{%- endmacro %}


{#- The SQL type a staged column of contract type `kind` has (for typed nulls in unions). -#}
{% macro point_table_column_type(kind) -%}
    {%- if kind == 'number' -%}{{ return(dbt.type_numeric()) }}
    {%- elif kind == 'float' -%}{{ return(lead_scoring.type_double()) }}
    {%- elif kind == 'whole' -%}{{ return(dbt.type_int()) }}
    {%- elif kind == 'boolean' -%}{{ return(dbt.type_boolean()) }}
    {%- elif kind == 'date' -%}{{ return('date') }}
    {%- else -%}{{ return(dbt.type_string()) }}
    {%- endif -%}
{%- endmacro %}


{#- Column name -> contract type, over the point tables `names` (a column has one type wherever it appears). -#}
{% macro point_table_column_kinds(names) -%}
    {%- set contract = lead_scoring.point_table_contract() -%}
    {%- set kinds = {} -%}
    {%- for name in names -%}
        {%- do kinds.update(contract[name].columns) -%}
    {%- endfor -%}
    {{ return(kinds) }}
{%- endmacro %}
