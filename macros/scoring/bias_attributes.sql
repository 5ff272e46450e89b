{#-
    The attributes the bias check (lead_scoring__bias_check) groups contacts by:
    a list of {name, kind, is_sensitive}, those of var
    lead_scoring__bias_attributes then those of var
    lead_scoring__sensitive_attributes not already listed (a sensitive
    attribute is always checked too). Every name must be an attribute of the
    catalogue (macro scoring_attributes: vars lead_scoring__attributes and
    lead_scoring__extra_contact_attributes); anything else stops the build
    naming the var and the fix. The names only ever reach SQL as literals
    compared with int_lead_scoring__contact_attributes_unpivoted.attribute, and only after
    this check.
-#}
{% macro bias_attributes() -%}
    {%- set catalogue = lead_scoring.scoring_attributes() -%}
    {%- set sensitive = lead_scoring._listed_attributes('lead_scoring__sensitive_attributes', catalogue) -%}
    {%- set checked = [] -%}
    {%- set names = [] -%}
    {%- for name in lead_scoring._listed_attributes('lead_scoring__bias_attributes', catalogue) + sensitive -%}
        {%- if name not in names -%}
            {%- do names.append(name) -%}
            {%- do checked.append({'name': name, 'kind': catalogue[name], 'is_sensitive': name in sensitive}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(checked) }}
{%- endmacro %}


{#- The attributes var lead_scoring__sensitive_attributes lists (checked, lower-case). -#}
{% macro sensitive_attributes() -%}
    {{ return(lead_scoring._listed_attributes('lead_scoring__sensitive_attributes', lead_scoring.scoring_attributes())) }}
{%- endmacro %}


{#- A var holding a list of attribute names of the catalogue: the names, or a compile error with the fix. -#}
{% macro _listed_attributes(var_name, catalogue) -%}
    {%- set listed = var(var_name, []) or [] -%}
    {%- if listed is string or listed is mapping or listed is not iterable -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ var_name ~ " must be a list of attribute names, e.g. [country, seniority]."
        ) }}
    {%- endif -%}
    {%- set names = [] -%}
    {%- for entry in listed -%}
        {%- set name = entry | string | trim | lower -%}
        {%- if entry is not string or name not in catalogue -%}
            {{ exceptions.raise_compiler_error(
                "var " ~ var_name ~ " names '" ~ entry ~ "', which is not an attribute rules can name. "
                ~ "Fix: list attributes of var lead_scoring__attributes ("
                ~ (catalogue.keys() | list | join(', ')) ~ "), or declare your column in var "
                ~ "lead_scoring__extra_contact_attributes (e.g. {age_band: text}) and list it."
            ) }}
        {%- endif -%}
        {%- if name not in names -%}
            {%- do names.append(name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}


{#-
    var lead_scoring__bias_max_ratio as a number: a group is flagged when its
    MQL rate is above this times the overall rate, or below the overall rate
    divided by it. Greater than 1; anything else stops the build.
-#}
{% macro bias_max_ratio() -%}
    {%- set ratio = var('lead_scoring__bias_max_ratio', 1.25) -%}
    {%- if ratio is not number or ratio is sameas true or ratio is sameas false or ratio <= 1 -%}
        {{ exceptions.raise_compiler_error(
            "var lead_scoring__bias_max_ratio is '" ~ ratio ~ "'. Fix: give a number greater than 1, "
            ~ "e.g. 1.25 (a group is flagged when its MQL rate is above 1.25 x the overall rate or "
            ~ "below the overall rate / 1.25, i.e. below four fifths of it)."
        ) }}
    {%- endif -%}
    {{ return(ratio) }}
{%- endmacro %}
