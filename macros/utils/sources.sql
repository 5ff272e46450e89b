{#-
    The raw sources as staging reads them: which columns each source has, which
    of them must be there, and how a user maps them onto a table of their own.

    Each source has roles (the columns the project reads). Var
    `lead_scoring__<source>_columns` maps a role onto the source's column name
    when the two differ, e.g. {contact_id: "Lead Id", email: "E-mail"}; a
    role not mapped is looked for under its own name. A column is found by
    its exact name, else by the same name in another case. A role that is not
    required may be absent from the table (it is then null), unless the var
    names a column for it: a mapped column that does not exist is a mistake to
    report, not a column to do without.

    A source other than contacts may be absent altogether: var
    `lead_scoring__<source>_identifier: null` (the source is then disabled,
    its staging models are empty, and the marts say what that means).
-#}

{% macro source_contract() -%}
    {{ return({
        'contacts': {
            'required': ['contact_id'],
            'roles': [
                'contact_id', 'email', 'first_name', 'last_name', 'phone', 'job_title', 'seniority',
                'department', 'country', 'region', 'lead_source', 'account_id', 'created_at', 'updated_at',
            ],
        },
        'accounts': {
            'required': ['account_id'],
            'roles': [
                'account_id', 'account_name', 'domain', 'industry', 'employee_count', 'annual_revenue',
                'country', 'created_at', 'updated_at',
            ],
        },
        'events': {
            'required': ['event_id', 'contact_id', 'event_type', 'occurred_at'],
            'roles': [
                'event_id', 'contact_id', 'event_type', 'occurred_at', 'page_url', 'campaign', 'channel',
                'properties',
            ],
        },
        'conversions': {
            'required': ['contact_id'],
            'roles': ['conversion_id', 'contact_id', 'converted_at', 'outcome', 'amount', 'is_converted'],
        },
    }) }}
{%- endmacro %}


{#- Whether a source is read at all: contacts always; the others unless their identifier var is null. -#}
{% macro source_enabled(name) -%}
    {{ return(name == 'contacts' or var('lead_scoring__' ~ name ~ '_identifier', name) is not none) }}
{%- endmacro %}


{#-
    Where a source is, exactly as models/staging/_sources.yml says (the yml
    cannot call macros, so the rule is written twice: keep them alike).
-#}
{% macro source_location(name) -%}
    {{ return({
        'database': var('lead_scoring__' ~ name ~ '_database', var('lead_scoring__source_database', none) or target.get('database')),
        'schema': var('lead_scoring__' ~ name ~ '_schema', var('lead_scoring__source_schema', 'raw') or target.schema),
        'identifier': var('lead_scoring__' ~ name ~ '_identifier', name),
    }) }}
{%- endmacro %}


{#-
    The extra contact attributes: a dict name -> {kind, column}. The var
    `lead_scoring__extra_contact_attributes` gives each either its kind
    ({nps: number}) or its kind and the raw column holding it
    ({total_visits: {kind: number, column: "Total Visits"}}).
-#}
{% macro extra_contact_attribute_specs() -%}
    {%- set declared = var('lead_scoring__extra_contact_attributes', {}) or {} -%}
    {%- set specs = {} -%}
    {%- for name, value in declared.items() -%}
        {%- if value is mapping -%}
            {%- do specs.update({name: {'kind': value.get('kind'), 'column': value.get('column') or name}}) -%}
        {%- else -%}
            {%- do specs.update({name: {'kind': value, 'column': name}}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(specs) }}
{%- endmacro %}


{#-
    The columns of one source: a list of {role, column, required, var} where
    column is the source's column name (as the warehouse spells it) or none
    when an optional role is absent. Stops with a message naming the
    relation, the column, the var that maps it and the fix when the table or
    a required (or explicitly mapped) column is missing. Only at execution
    time: while dbt parses, every role is taken to be there.
-#}
{% macro resolve_source_columns(name) -%}
    {%- set contract = lead_scoring.source_contract()[name] -%}
    {%- set mapping_var = 'lead_scoring__' ~ name ~ '_columns' -%}
    {%- set mapping = var(mapping_var, {}) or {} -%}
    {%- if mapping is not mapping -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ mapping_var ~ " must map roles to column names, e.g. {contact_id: \"Lead Id\"}; it is " ~ mapping ~ "."
        ) }}
    {%- endif -%}
    {%- for role in mapping -%}
        {%- if role not in contract.roles -%}
            {{ exceptions.raise_compiler_error(
                "var " ~ mapping_var ~ " maps '" ~ role ~ "', which is not a column the " ~ name ~ " source has. "
                ~ "Fix: map one of " ~ contract.roles | join(', ')
                ~ (" (extra attributes go in lead_scoring__extra_contact_attributes)" if name == 'contacts' else '') ~ "."
            ) }}
        {%- endif -%}
    {%- endfor -%}

    {%- set wanted = [] -%}
    {%- for role in contract.roles -%}
        {%- do wanted.append({
            'role': role,
            'column': mapping.get(role) or role,
            'required': role in contract.required or role in mapping,
            'var': mapping_var ~ '.' ~ role if role in mapping else mapping_var ~ ' (role ' ~ role ~ ', not mapped)',
        }) -%}
    {%- endfor -%}
    {%- if name == 'contacts' -%}
        {%- for attribute, spec in lead_scoring.extra_contact_attribute_specs().items() -%}
            {%- do wanted.append({
                'role': attribute,
                'column': spec.column,
                'required': true,
                'var': 'lead_scoring__extra_contact_attributes.' ~ attribute,
            }) -%}
        {%- endfor -%}
    {%- endif -%}

    {#- Checked strictly when dbt is to read the data; `dbt compile`, docs
        and the SQL linter render the project without raw tables. -#}
    {%- set strict = flags.WHICH in ['build', 'run', 'test', 'snapshot', 'run-operation'] -%}
    {%- if not execute -%}
        {%- for item in wanted -%}{%- do item.update({'found': item.column}) -%}{%- endfor -%}
        {{ return(wanted) }}
    {%- endif -%}

    {%- set location = lead_scoring.source_location(name) -%}
    {%- set shown = location.schema ~ '.' ~ location.identifier -%}
    {%- set relation = adapter.get_relation(
        database=location.database, schema=location.schema, identifier=location.identifier
    ) -%}
    {%- if relation is none and not strict -%}
        {%- for item in wanted -%}{%- do item.update({'found': item.column}) -%}{%- endfor -%}
        {{ return(wanted) }}
    {%- endif -%}
    {%- if relation is none -%}
        {{ exceptions.raise_compiler_error(
            "Source table " ~ shown ~ " (the " ~ name ~ " source) does not exist. "
            ~ "Vars that locate it: lead_scoring__" ~ name ~ "_identifier (the table), lead_scoring__" ~ name
            ~ "_schema or lead_scoring__source_schema (the schema), lead_scoring__" ~ name
            ~ "_database or lead_scoring__source_database. Fix: load the table (leadscoring load), point those vars at it"
            ~ (", or set lead_scoring__" ~ name ~ "_identifier: null if you have no " ~ name if name != 'contacts' else '')
            ~ "."
        ) }}
    {%- endif -%}
    {%- set existing = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
    {%- for item in wanted -%}
        {%- set exact = existing | select('equalto', item.column) | list -%}
        {%- set folded = [] -%}
        {%- for column in existing -%}
            {%- if column | lower == item.column | lower -%}{%- do folded.append(column) -%}{%- endif -%}
        {%- endfor -%}
        {%- set found = exact[0] if exact else (folded[0] if folded | length == 1 else none) -%}
        {%- if found is none and item.required and strict -%}
            {{ exceptions.raise_compiler_error(
                "Source table " ~ shown ~ " has no column '" ~ item.column ~ "' for " ~ item.role
                ~ " (var " ~ item.var ~ ")" ~ ("; several columns differ from it only in case: " ~ folded | join(', ') if folded else '')
                ~ ". Its columns: " ~ existing | join(', ') ~ ". "
                ~ "Fix: map " ~ item.role ~ " onto the column that holds it in var "
                ~ (item.var.split(' ')[0].split('.')[0]) ~ ", e.g. {" ~ item.role
                ~ (": {kind: ..., column: \"Your Column\"}}" if item.var.startswith('lead_scoring__extra_contact_attributes') else ": \"Your Column\"}")
                ~ (", or add the column to the table" if item.role in contract.required else ", or remove the mapping") ~ "."
            ) }}
        {%- endif -%}
        {%- do item.update({'found': found}) -%}
    {%- endfor -%}
    {{ return(wanted) }}
{%- endmacro %}


{#-
    The body of a base_lead_scoring__<source>_mapped view: the source's columns renamed to their
    roles, an absent optional role as null text. A disabled source is an
    empty relation of the same columns.
-#}
{% macro mapped_source(name) -%}
    {%- set columns = lead_scoring.resolve_source_columns(name) if lead_scoring.source_enabled(name) else none -%}
    {%- if columns is none -%}
    {%- set contract = lead_scoring.source_contract()[name] -%}
    select
        {%- for role in contract.roles %}
        cast(null as {{ dbt.type_string() }}) as {{ role }}{{ ',' if not loop.last }}
        {%- endfor %}
    where 1 = 0
    {%- else -%}
    select
        {%- for item in columns %}
        {% if item.found is none %}cast(null as {{ dbt.type_string() }}){% else %}{{ lead_scoring.quote_column_name(item.found) }}{% endif %} as {{ adapter.quote(item.role) }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ source('raw_' ~ name, name) }}
    {%- endif -%}
{%- endmacro %}


{#-
    on-run-start: before a build, run or test reads anything, every enabled
    source must exist with its required columns, and the as-of var must be a
    real moment. One message names what is missing and the fix.
-#}
{% macro preflight() -%}
    {%- if execute and flags.WHICH in ['build', 'run', 'test', 'snapshot'] -%}
        {%- do lead_scoring.check_adapter_macros() -%}
        {%- for name in lead_scoring.source_contract() -%}
            {%- if lead_scoring.source_enabled(name) -%}
                {%- do lead_scoring.resolve_source_columns(name) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do lead_scoring.as_of_text() -%}
        {%- do lead_scoring.check_schema_suffix() -%}
    {%- endif -%}
    select 1
{%- endmacro %}


{#-
    With var lead_scoring__schema_suffix set (`leadscoring calibrate` and
    `evaluate` build the project as of a past moment beside the real one),
    every model must be built in a schema ending in it: otherwise the build
    would overwrite the real marts. dbt takes generate_schema_name from the
    root project only, so in a host project the package's own
    (macros/utils/schema.sql) does not apply unless the host calls it.
-#}
{% macro check_schema_suffix() -%}
    {%- set suffix = var('lead_scoring__schema_suffix', none) -%}
    {%- if suffix is none or suffix | string | trim == '' -%}{{ return(none) }}{%- endif -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.package_name == 'lead_scoring'
            and not node.schema.endswith('_' ~ suffix) -%}
            {{ exceptions.raise_compiler_error(
                "var lead_scoring__schema_suffix is '" ~ suffix ~ "', but model " ~ node.name ~ " would be built in "
                ~ node.schema ~ ", beside the real marts, not in a schema of its own. Fix: in a project that installs "
                ~ "the package, add to its macros: {% macro generate_schema_name(custom_schema_name, node) %}"
                ~ "{{ lead_scoring.generate_schema_name(custom_schema_name, node) }}{% endmacro %}"
            ) }}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}


{#- Whether an enabled source has a column for `role` (at parse time: taken to be there). -#}
{% macro source_has_column(name, role) -%}
    {%- if not lead_scoring.source_enabled(name) -%}{{ return(false) }}{%- endif -%}
    {%- for item in lead_scoring.resolve_source_columns(name) -%}
        {%- if item.role == role -%}{{ return(item.found is not none) }}{%- endif -%}
    {%- endfor -%}
    {{ return(false) }}
{%- endmacro %}


{#-
    `dbt run-operation check_sources` (what `leadscoring validate --sources`
    runs): the preflight checks on their own, and one line per source saying
    what was found.
-#}
{% macro check_sources() -%}
    {%- for name in lead_scoring.source_contract() -%}
        {%- if lead_scoring.source_enabled(name) -%}
            {%- set columns = lead_scoring.resolve_source_columns(name) -%}
            {%- set location = lead_scoring.source_location(name) -%}
            {%- set absent = columns | selectattr('found', 'none') | map(attribute='role') | list -%}
            {{ log("source " ~ name ~ ": " ~ location.schema ~ "." ~ location.identifier ~ " OK"
                ~ ("; roles absent (empty): " ~ absent | join(', ') if absent else ''), info=true) }}
        {%- else -%}
            {{ log("source " ~ name ~ ": absent (lead_scoring__" ~ name ~ "_identifier is null)", info=true) }}
        {%- endif -%}
    {%- endfor -%}
    {%- do lead_scoring.as_of_text() -%}
{%- endmacro %}


{#-
    A source's column name (a header cell of a CSV export, say: data, not
    code) as one quoted identifier. dbt's adapter.quote does not double a
    double quote inside the name, so a header such as
    `email" from raw.contacts); drop table raw.x; ...` would end the
    identifier and run as SQL. Standard SQL writes it twice.
-#}
{% macro quote_column_name(name) -%}
    {{ return(adapter.dispatch('quote_column_name', 'lead_scoring')(name)) }}
{%- endmacro %}

{% macro default__quote_column_name(name) -%}
    {%- if '"' in name or '`' in name -%}
        {{ exceptions.raise_compiler_error(
            "Source column " ~ name ~ " holds a quote character, which the '" ~ adapter.type()
            ~ "' adapter cannot quote safely. Fix: rename the column in the source, or add a macro "
            ~ adapter.type() ~ "__quote_column_name beside the duckdb and postgres versions in "
            ~ "macros/utils/sources.sql."
        ) }}
    {%- endif -%}
    {{ return(adapter.quote(name)) }}
{%- endmacro %}

{% macro duckdb__quote_column_name(name) -%}
    {{ return('"' ~ name | replace('"', '""') ~ '"') }}
{%- endmacro %}

{% macro postgres__quote_column_name(name) -%}
    {{ return('"' ~ name | replace('"', '""') ~ '"') }}
{%- endmacro %}
