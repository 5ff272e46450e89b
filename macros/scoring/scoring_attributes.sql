{#-
    The contact and account attributes rules may name: a dict of attribute
    name -> kind ('text', 'number', 'boolean' or 'date'), from the vars
    `lead_scoring__attributes` (built in) and
    `lead_scoring__extra_contact_attributes` (columns of your own).
    Names and kinds are checked here because they become column names.
-#}
{% macro scoring_attributes() -%}
    {%- set merged = {} -%}
    {%- for source_var in ['lead_scoring__attributes', 'lead_scoring__extra_contact_attributes'] -%}
        {%- set declared = var(source_var, {}) or {} -%}
        {%- if declared is not mapping -%}
            {{ exceptions.raise_compiler_error(
                "var " ~ source_var ~ " must map attribute names to their kind, e.g. {nps: number}."
            ) }}
        {%- endif -%}
        {%- for name, declared_kind in declared.items() -%}
            {#- An extra attribute may give its kind and its raw column: {kind: number, column: "Total Visits"}. -#}
            {%- set kind = declared_kind.get('kind') if declared_kind is mapping else declared_kind -%}
            {%- if not modules.re.fullmatch('[a-z][a-z0-9_]*', name | string) -%}
                {{ exceptions.raise_compiler_error(
                    "var " ~ source_var ~ " names attribute '" ~ name ~ "'. "
                    ~ "Fix: attribute names are lower-case column names (letters, digits, _)."
                ) }}
            {%- endif -%}
            {%- if kind not in ['text', 'number', 'boolean', 'date'] -%}
                {{ exceptions.raise_compiler_error(
                    "var " ~ source_var ~ " gives attribute '" ~ name ~ "' the kind '" ~ kind ~ "'. "
                    ~ "Fix: use text, number, boolean or date."
                ) }}
            {%- endif -%}
            {%- do merged.update({name: kind}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(merged) }}
{%- endmacro %}


{#- The extra contact columns only (carried through staging as they are). -#}
{% macro extra_contact_columns() -%}
    {%- set extra = var('lead_scoring__extra_contact_attributes', {}) or {} -%}
    {{ return(extra.keys() | list) }}
{%- endmacro %}
