{#-
    The score models of seed `score_models`, read from the warehouse when the
    model is compiled, so that a score model added to the seed becomes new
    columns of lead_scoring__scores_wide without editing SQL. Names become column
    names, so each must be a lower-case identifier; anything else stops the
    build with the fix. Returns [] while dbt only parses, and when the seed
    is not loaded yet (e.g. while a linter compiles the project).

    score_models_relation: ref('lead_scoring', 'stg_lead_scoring__score_models'), passed by the calling model
-#}
{% macro score_model_names(score_models_relation) -%}
    {%- if not execute or score_models_relation.identifier is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set existing = adapter.get_relation(
        database=score_models_relation.database,
        schema=score_models_relation.schema,
        identifier=score_models_relation.identifier
    ) -%}
    {%- if existing is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set query -%}
        select distinct score_model from {{ score_models_relation }} order by 1
    {%- endset -%}
    {%- set names = run_query(query).columns[0].values() | list -%}
    {%- for name in names -%}
        {%- if not modules.re.fullmatch('[a-z][a-z0-9_]{0,39}', name | string) -%}
            {{ exceptions.raise_compiler_error(
                "seeds/score_models.csv names the score model '" ~ name ~ "', which cannot become a column "
                ~ "of lead_scoring__scores_wide. Fix: name score models with lower-case letters, digits and _, "
                ~ "starting with a letter, at most 40 characters (e.g. emea_enterprise)."
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}
