{#-
    Regular expressions differ in syntax between warehouses, so each use is a
    dispatched macro. Patterns are always written in the project's code.
    DuckDB, PostgreSQL and Spark are implemented; on another warehouse the
    default stops the build with a message naming every macro to add.
    Patterns are written in the syntax the engines share (POSIX bracket
    classes such as [:space:] included); Spark's Java regular expressions
    have no POSIX bracket classes, so spark_regex_literal translates them.
-#}

{#- The default of each regex macro: stops with every macro the adapter lacks (macros/utils/adapter_support.sql). -#}
{% macro _regex_not_implemented(name) -%}
    {{ lead_scoring.check_adapter_macros() }}
{%- endmacro %}


{#-
    A pattern for Spark (java.util.regex) as a SQL string literal: POSIX
    bracket classes ([:space:] inside a bracket expression, which Java would
    read as the characters ':', 's', 'p' ...) become Java's classes, and the
    literal is written with Spark's escapes (spark__quote_literal).
-#}
{% macro spark_regex_literal(pattern) -%}
    {%- set classes = {
        '[:space:]': '\\s', '[:digit:]': '\\d', '[:alpha:]': '\\p{Alpha}', '[:alnum:]': '\\p{Alnum}',
        '[:upper:]': '\\p{Upper}', '[:lower:]': '\\p{Lower}', '[:punct:]': '\\p{Punct}',
    } -%}
    {%- set translated = namespace(text=pattern) -%}
    {%- for posix, java in classes.items() -%}
        {%- set translated.text = translated.text | replace(posix, java) -%}
    {%- endfor -%}
    {{ return(lead_scoring.spark__quote_literal(translated.text)) }}
{%- endmacro %}


{#- True when the whole of `expression` matches `pattern`. -#}
{% macro regexp_full_match(expression, pattern) -%}
    {{ return(adapter.dispatch('regexp_full_match', 'lead_scoring')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regexp_full_match(expression, pattern) -%}
    {{ lead_scoring._regex_not_implemented('regexp_full_match') }}
{%- endmacro %}

{#- PostgreSQL's `~` operator: anchored here so the whole value must match. -#}
{% macro postgres__regexp_full_match(expression, pattern) -%}
    ({{ expression }} ~ {{ lead_scoring.quote_literal('^(?:' ~ pattern ~ ')$') }})
{%- endmacro %}

{#- Spark: rlike finds a match anywhere; anchored with \z (Java's $ also matches before a final line break). -#}
{% macro spark__regexp_full_match(expression, pattern) -%}
    ({{ expression }} rlike {{ lead_scoring.spark_regex_literal('^(?:' ~ pattern ~ ')\\z') }})
{%- endmacro %}

{#- DuckDB has no `~` operator for regular expressions. -#}
{% macro duckdb__regexp_full_match(expression, pattern) -%}
    regexp_full_match({{ expression }}, {{ lead_scoring.quote_literal(pattern) }})
{%- endmacro %}


{#- The first capture group of `pattern` in `expression`, or null. -#}
{% macro regexp_extract_group(expression, pattern) -%}
    {{ return(adapter.dispatch('regexp_extract_group', 'lead_scoring')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regexp_extract_group(expression, pattern) -%}
    {{ lead_scoring._regex_not_implemented('regexp_extract_group') }}
{%- endmacro %}

{#- PostgreSQL's substring(... from ...) returns the first capture group. -#}
{% macro postgres__regexp_extract_group(expression, pattern) -%}
    substring({{ expression }} from {{ lead_scoring.quote_literal(pattern) }})
{%- endmacro %}

{#- DuckDB returns '' when nothing matches; null keeps both engines alike. -#}
{% macro duckdb__regexp_extract_group(expression, pattern) -%}
    nullif(regexp_extract({{ expression }}, {{ lead_scoring.quote_literal(pattern) }}, 1), '')
{%- endmacro %}


{#- Spark returns '' when nothing matches, as DuckDB does. -#}
{% macro spark__regexp_extract_group(expression, pattern) -%}
    nullif(regexp_extract({{ expression }}, {{ lead_scoring.spark_regex_literal(pattern) }}, 1), '')
{%- endmacro %}


{#- Replace every match of `pattern` in `expression` with `replacement`. -#}
{% macro regexp_replace_all(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'lead_scoring')(expression, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regexp_replace_all(expression, pattern, replacement) -%}
    {{ lead_scoring._regex_not_implemented('regexp_replace_all') }}
{%- endmacro %}

{#- PostgreSQL and DuckDB share this signature and its 'g' (global) flag. -#}
{% macro postgres__regexp_replace_all(expression, pattern, replacement) -%}
    regexp_replace(
        {{ expression }},
        {{ lead_scoring.quote_literal(pattern) }},
        {{ lead_scoring.quote_literal(replacement) }},
        'g'
    )
{%- endmacro %}

{% macro duckdb__regexp_replace_all(expression, pattern, replacement) -%}
    {{ lead_scoring.postgres__regexp_replace_all(expression, pattern, replacement) }}
{%- endmacro %}

{#- Spark's regexp_replace replaces every match; `replacement` is plain text here (no group references). -#}
{% macro spark__regexp_replace_all(expression, pattern, replacement) -%}
    regexp_replace(
        {{ expression }},
        {{ lead_scoring.spark_regex_literal(pattern) }},
        {{ lead_scoring.spark__quote_literal(replacement | replace('\\', '\\\\') | replace('$', '\\$')) }}
    )
{%- endmacro %}
