{#-
    dbt's schema naming (<target schema>_<custom schema>), plus one option:
    var `lead_scoring__schema_suffix` appends `_<suffix>` to the schema of
    every model, seed and test. `leadscoring calibrate` and `evaluate` set it
    to build the project as of a past moment beside the real one (its
    incremental models and published marts stay untouched), reading the
    snapshots, which are not suffixed: they hold the attribute history both
    builds share.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {#- dbt's default_schema rule, written out: default__generate_schema_name is not public. -#}
    {%- set schema = target.schema if custom_schema_name is none
        else target.schema ~ '_' ~ (custom_schema_name | trim) -%}
    {%- set suffix = var('lead_scoring__schema_suffix', none) -%}
    {%- if suffix is none or suffix | string | trim == '' or node.resource_type == 'snapshot' -%}
        {{ schema }}
    {%- else -%}
        {%- if not modules.re.fullmatch('[a-z][a-z0-9_]{0,30}', suffix | string) -%}
            {{ exceptions.raise_compiler_error(
                "var lead_scoring__schema_suffix is '" ~ suffix ~ "'. Fix: use lower-case letters, "
                ~ "digits and underscores (at most 31), starting with a letter."
            ) }}
        {%- endif -%}
        {{ schema ~ '_' ~ suffix }}
    {%- endif -%}
{%- endmacro %}
