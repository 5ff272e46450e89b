{#-
    The dispatched macros that have no default working on every warehouse:
    each needs a version for the adapter (<adapter>__<name>). DuckDB,
    PostgreSQL and Spark have them all. On another warehouse, the default of
    each (when dbt first renders a model that uses one, at parse time) and
    preflight (on-run-start) name every one missing at once, rather than the
    build stopping at each in turn.
-#}
{% macro adapter_specific_macros() -%}
    {{ return({
        'regexp_full_match': 'macros/utils/regex.sql: true when the whole text matches a regular expression',
        'regexp_extract_group': 'macros/utils/regex.sql: the first group of the first match, or null',
        'regexp_replace_all': 'macros/utils/regex.sql: every match replaced by a plain text',
        'row_hash_number': 'macros/utils/rescore.sql: a 64-bit integer hash of a row of values',
        'publish_relations': 'macros/utils/publish.sql: the swap of the shadows into the published marts, '
            ~ 'atomic where the warehouse can (one transaction, or its own swap of several tables at once)',
    }) }}
{%- endmacro %}


{#-
    The names of adapter_specific_macros() that resolve to their default__
    version on this adapter. dbt reads the macro name of adapter.dispatch
    from the code (a literal), hence one call each.
-#}
{% macro missing_adapter_macros() -%}
    {%- set resolved = {
        'regexp_full_match': adapter.dispatch('regexp_full_match', 'lead_scoring'),
        'regexp_extract_group': adapter.dispatch('regexp_extract_group', 'lead_scoring'),
        'regexp_replace_all': adapter.dispatch('regexp_replace_all', 'lead_scoring'),
        'row_hash_number': adapter.dispatch('row_hash_number', 'lead_scoring'),
        'publish_relations': adapter.dispatch('publish_relations', 'lead_scoring'),
    } -%}
    {%- set missing = [] -%}
    {%- for name in lead_scoring.adapter_specific_macros() -%}
        {%- if resolved[name].macro.name.startswith('default__') -%}
            {%- do missing.append(name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(missing) }}
{%- endmacro %}


{#- Stops the run with every missing implementation named, and what each does. -#}
{% macro check_adapter_macros() -%}
    {%- set missing = lead_scoring.missing_adapter_macros() -%}
    {%- if missing -%}
        {%- set lines = [] -%}
        {%- for name in missing -%}
            {%- do lines.append('  ' ~ adapter.type() ~ '__' ~ name ~ ' (beside the others in '
                ~ lead_scoring.adapter_specific_macros()[name] ~ ')') -%}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error(
            "lead_scoring has no implementation of " ~ missing | length ~ " macro(s) for the '" ~ adapter.type()
            ~ "' adapter yet (DuckDB, PostgreSQL and Spark have them all). Fix: add these macros to the "
            ~ "package or to your project (dbt dispatches to your project's first):\n" ~ lines | join('\n')
        ) }}
    {%- endif -%}
{%- endmacro %}
