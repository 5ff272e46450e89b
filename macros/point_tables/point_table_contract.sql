{#-
    The point tables' contract: every point table (seed) the package reads,
    its columns in order, and how each is cleaned and typed. This block is
    the one description of the tables: the staging models
    (models/staging/point_tables/, macro stage_point_table) are generated
    from it, `leadscoring validate` reads it (the YAML between the two
    markers below), and docs/point_tables.md is checked against it.

    Each table: `key`, the columns that name a row in messages; `unique`,
    combinations of columns no two rows share; `columns`, in order, each with
    its `type` (alone, or in a mapping with its checks):
      required    the cell must be given (not empty)
      unique      no two rows have the same value
      allowed     the values it may hold (compared lower-cased)
      check       the shape of a given cell (macro point_table_check)
      references  table.column of another point table that must hold it
    The checks run as the test point_table_contract on each staging model,
    against the table as read (text), and as `leadscoring validate` before
    a build. Checks that read several columns or rows are named generic
    tests of their own (macros/tests/point_tables/).

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
  key: [score_model]
  columns:
    score_model: {type: id, required: true, unique: true, check: score_model_name}
    description: {type: text, required: true}
    min_total: {type: number, check: number}
    max_total: {type: number, check: number}
    half_life_days: {type: number, check: number_above_0}
    timeframe_days: {type: number, check: number_above_0}
score_model_segments:
  key: [score_model, condition_id]
  unique: [[score_model, condition_id]]
  columns:
    score_model: {type: id, required: true, references: score_models.score_model}
    condition_id: {type: id, required: true, check: identifier}
    applies_to: {type: code, required: true, allowed: [attribute, behaviour]}
    attribute: code
    operator: {type: code, allowed: [equals, in, contains, starts_with, between, is_present, is_missing]}
    value: text
    min_value: bound
    max_value: bound
    event_type: {type: code, references: event_types.event_type}
    page_category: {type: code, references: page_categories.page_category}
    min_occurrences: {type: whole, check: whole_1_or_more}
    within_days: {type: number, check: number_above_0}
    description: text
page_categories:
  key: [page_category, page_pattern]
  unique: [[page_category, page_pattern]]
  columns:
    page_category: {type: code, required: true, check: identifier}
    page_pattern: {type: pattern, required: true, check: path_glob}
    description: text
event_types:
  key: [event_type]
  columns:
    event_type: {type: code, required: true, unique: true, check: identifier}
    event_category: {type: code, required: true}
    is_engagement: {type: boolean, required: true, allowed: ['true', 'false']}
    description: text
email_domains:
  key: [domain]
  columns:
    domain: {type: code, required: true, unique: true, check: domain}
    domain_kind: {type: code, required: true, allowed: [free, disposable, competitor]}
    description: text
placeholder_names:
  key: [name]
  columns:
    name: {type: code, required: true, unique: true, check: lower_case}
    description: text
number_buckets:
  key: [bucket_set, min_value]
  unique: [[bucket_set, min_value]]
  columns:
    bucket_set: {type: code, required: true}
    min_value: {type: number, check: number}
    max_value: {type: number, check: number}
    points: {type: number, required: true, check: number}
    description: text
explicit_rules:
  key: [rule_id]
  columns:
    rule_id: {type: id, required: true, unique: true, check: rule_id}
    score_model: {type: id, required: true, references: score_models.score_model}
    attribute: {type: code, required: true}
    operator: {type: code, required: true, allowed: &rule_operators [equals, in, contains, starts_with, between, per_unit, buckets, age_between, is_present, is_missing]}
    value: text
    min_value: bound
    max_value: bound
    points: {type: number, check: number}
    cap_group: code
    description: text
implicit_rules:
  key: [rule_id]
  columns:
    rule_id: {type: id, required: true, unique: true, check: rule_id}
    score_model: {type: id, required: true, references: score_models.score_model}
    event_type: {type: code, required: true, references: event_types.event_type}
    page_pattern: {type: pattern, check: path_glob}
    page_category: {type: code, references: page_categories.page_category}
    points: {type: number, required: true, check: number_0_or_more}
    max_occurrences: {type: whole, check: occurrences}
    max_points: {type: number, check: number_above_0}
    cap_group: code
    half_life_days: {type: number, check: number_above_0}
    timeframe_days: {type: number, check: number_above_0}
    description: text
negative_rules:
  key: [rule_id]
  columns:
    rule_id: {type: id, required: true, unique: true, check: rule_id}
    score_model: {type: id, required: true, references: score_models.score_model}
    applies_to: {type: code, required: true, allowed: [attribute, event, inactivity]}
    attribute: code
    operator: {type: code, allowed: *rule_operators}
    value: text
    min_value: bound
    max_value: bound
    event_type: {type: code, references: event_types.event_type}
    page_pattern: {type: pattern, check: path_glob}
    page_category: {type: code, references: page_categories.page_category}
    points: {type: number, check: number_below_0}
    max_occurrences: {type: whole, check: occurrences}
    max_points: {type: number, check: number_above_0}
    half_life_days: {type: number, check: number_above_0}
    timeframe_days: {type: number, check: number_above_0}
    inactive_days: {type: number, check: number_above_0}
    description: text
repeat_rules:
  key: [rule_id]
  columns:
    rule_id: {type: id, required: true, unique: true, check: rule_id}
    score_model: {type: id, required: true, references: score_models.score_model}
    event_type: {type: code, required: true, references: event_types.event_type}
    page_pattern: {type: pattern, check: path_glob}
    page_category: {type: code, references: page_categories.page_category}
    min_occurrences: {type: whole, required: true, check: whole_2_or_more}
    within_days: {type: number, required: true, check: number_above_0}
    count_mode: {type: code, required: true, allowed: [once, per_window]}
    points: {type: number, required: true, check: number}
    max_occurrences: {type: whole, check: occurrences}
    max_points: {type: number, check: number_above_0}
    cap_group: code
    half_life_days: {type: number, check: number_above_0}
    timeframe_days: {type: number, check: number_above_0}
    description: text
combination_rules:
  key: [rule_id]
  columns:
    rule_id: {type: id, required: true, unique: true, check: rule_id}
    score_model: {type: id, required: true, references: score_models.score_model}
    within_days: {type: number, required: true, check: number_above_0}
    anchor: {type: code, required: true, allowed: [any, contact_created]}
    points: {type: number, required: true, check: number}
    cap_group: code
    half_life_days: {type: number, check: number_above_0}
    timeframe_days: {type: number, check: number_above_0}
    description: text
combination_rule_steps:
  key: [rule_id, step]
  unique: [[rule_id, step]]
  columns:
    rule_id: {type: id, required: true, references: combination_rules.rule_id}
    step: {type: code, required: true, check: identifier}
    event_type: {type: code, required: true, references: event_types.event_type}
    page_pattern: {type: pattern, check: path_glob}
    page_category: {type: code, references: page_categories.page_category}
point_caps:
  key: [score_model, cap_group]
  unique: [[score_model, cap_group]]
  columns:
    score_model: {type: id, required: true, references: score_models.score_model}
    cap_group: {type: code, required: true, check: identifier}
    max_points: {type: number, required: true, check: number_above_0}
    description: text
score_bands:
  key: [score_model, band]
  unique: [[score_model, band], [score_model, min_score]]
  columns:
    score_model: {type: id, required: true, references: score_models.score_model}
    band: {type: id, required: true}
    min_score: {type: number, required: true, check: number}
    description: text
fit_grades:
  key: [score_model, grade]
  unique: [[score_model, grade], [score_model, min_points]]
  columns:
    score_model: {type: id, required: true, references: score_models.score_model}
    grade: {type: id, required: true}
    min_points: {type: number, required: true, check: number}
    description: text
engagement_levels:
  key: [score_model, level]
  unique: [[score_model, level], [score_model, min_points]]
  columns:
    score_model: {type: id, required: true, references: score_models.score_model}
    level: {type: id, required: true}
    min_points: {type: number, required: true, check: number}
    description: text
predictive_weights:
  key: [criterion_id]
  columns:
    criterion_id: {type: id, required: true, unique: true}
    kind: {type: code, required: true, allowed: [intercept, value, missing, range, age_range, events]}
    attribute: code
    value: lower
    min_value: {type: number, check: number}
    max_value: {type: number, check: number}
    event_type: code
    page_category: code
    min_count: {type: whole, check: number}
    window_days: {type: number, check: number}
    weight: {type: float, required: true, check: number}
    description: text
sla_targets:
  key: [score_model, month]
  unique: [[score_model, month]]
  columns:
    score_model: {type: id, required: true, references: score_models.score_model}
    month: {type: date, required: true, check: first_day_of_month}
    target_mqls: {type: whole, check: whole}
    target_sqls: {type: whole, check: whole}
    description: text
{%- endset -%}
{#- contract:end -#}
    {{ return(fromyaml(contract_yaml)) }}
{%- endmacro %}


{#-
    The columns of point table `name`, in order: column -> its spec, a
    mapping with at least `type` (a column given by its type alone becomes
    {type: ...}).
-#}
{% macro point_table_columns(name) -%}
    {%- set columns = {} -%}
    {%- for column, spec in lead_scoring.point_table_contract()[name].columns.items() -%}
        {%- do columns.update({column: spec if spec is mapping else {'type': spec}}) -%}
    {%- endfor -%}
    {{ return(columns) }}
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
    stages alike. Numbers and dates are cast with cast_or_null: a malformed
    cell ('ten') is null here, and the test point_table_contract fails for it
    with the row and the fix before any model reads the staged table.
-#}
{% macro stage_point_table(name) -%}
    {%- set columns = lead_scoring.point_table_columns(name) -%}
    {%- set text = dbt.type_string() -%}
    {#- The point tables this one's tests read run first: the ones its columns
        reference, and those its named tests read (point_caps, number_buckets). -#}
    {%- set upstream = [] -%}
    {%- for column, spec in columns.items() -%}
        {%- if spec.references and spec.references.split('.')[0] != name -%}
            {%- do upstream.append(spec.references.split('.')[0]) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if 'cap_group' in columns and name != 'point_caps' -%}{%- do upstream.append('point_caps') -%}{%- endif -%}
    {%- if 'operator' in columns and name != 'score_model_segments' -%}{%- do upstream.append('number_buckets') -%}{%- endif -%}
    {%- for other in upstream | unique | sort %}
-- depends_on: {{ ref('lead_scoring', 'stg_lead_scoring__' ~ other) }}
    {%- endfor %}
with

point_table as (

    select * from {{ lead_scoring.point_table(name) }}

),

final as (

    select
        {%- for column, spec in columns.items() %}
        {%- set kind = spec.type %}
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
        {#- The outer cast keeps the type's scale: PostgreSQL drops it from a case. #}
        cast({{ lead_scoring.cast_or_null(given, dbt.type_numeric()) }} as {{ dbt.type_numeric() }}) as {{ column }}
        {%- elif kind == 'float' %}
        case
            when {{ lead_scoring.regexp_full_match(given, lead_scoring.number_pattern()) }}
                then cast({{ given }} as {{ lead_scoring.type_double() }})
        end as {{ column }}
        {%- elif kind == 'whole' %}
        {{ lead_scoring.cast_or_null(given, dbt.type_int()) }} as {{ column }}
        {%- elif kind == 'boolean' %}
        coalesce(lower({{ given }}) = 'true', false) as {{ column }}
        {%- elif kind == 'date' %}
        {{ lead_scoring.cast_or_null(given, 'date') }} as {{ column }}
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
        {%- for column, spec in lead_scoring.point_table_columns(name).items() -%}
            {%- do kinds.update({column: spec.type}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(kinds) }}
{%- endmacro %}


{#-
    The relation of the staging model of point table `name`, from the graph:
    tests call this at run time instead of ref(), which dbt only allows for
    the nodes a test declares (the staging models declare the point tables
    their tests read: stage_point_table).
-#}
{% macro point_table_staged_relation(name) -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set node = lead_scoring.package_model('stg_lead_scoring__' ~ name) -%}
    {%- if node is none -%}
        {{ exceptions.raise_compiler_error("lead_scoring: no staging model for point table '" ~ name ~ "'") }}
    {%- endif -%}
    {{ return(api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias)) }}
{%- endmacro %}


{#-
    The relation point table `name` is read from, as its staging model reads
    it (the seed, model or source var lead_scoring__<name> names), from the
    graph; or the var's text when it names a table dbt does not know.
-#}
{% macro point_table_located_relation(name) -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set node = lead_scoring.package_model('stg_lead_scoring__' ~ name) -%}
    {%- for unique_id in node.depends_on.nodes -%}
        {%- if unique_id.startswith('source.') -%}
            {%- set source = graph.sources[unique_id] -%}
            {{ return(api.Relation.create(database=source.database, schema=source.schema, identifier=source.identifier)) }}
        {%- elif not unique_id.startswith('model.lead_scoring.stg_lead_scoring__') -%}
            {%- set upstream = graph.nodes[unique_id] -%}
            {{ return(api.Relation.create(database=upstream.database, schema=upstream.schema, identifier=upstream.alias)) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(var('lead_scoring__' ~ name)) }}
{%- endmacro %}
