{#-
    The shapes a point table's cell may be required to have (the `check` of a
    column in point_table_contract), each a SQL condition on the trimmed,
    non-empty text of the cell and the sentence that says what is expected.
    `leadscoring validate` checks the same shapes (validation/spec.py names
    them alike); docs/point_tables.md describes them.
-#}
{% macro number_pattern() -%}
    {{ return('[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)') }}
{%- endmacro %}


{% macro point_table_checks() -%}
    {%- set number = lead_scoring.number_pattern() -%}
    {%- set above_0 = '[+]?([0-9]*[1-9][0-9]*([.][0-9]*)?|[0-9]*[.][0-9]*[1-9][0-9]*)' -%}
    {%- set below_0 = '-([0-9]*[1-9][0-9]*([.][0-9]*)?|[0-9]*[.][0-9]*[1-9][0-9]*)' -%}
    {{ return({
        'number': {'pattern': number, 'says': 'a number (e.g. 10 or -2.5)'},
        'number_above_0': {'pattern': above_0, 'says': 'a number greater than 0'},
        'number_below_0': {'pattern': below_0, 'says': 'a number below 0 (e.g. -10)'},
        'number_0_or_more': {'pattern': number, 'not_pattern': below_0, 'says': 'a number of 0 or more'},
        'whole': {'pattern': '[0-9]+', 'says': 'a whole number of 0 or more'},
        'whole_1_or_more': {'pattern': '0*[1-9][0-9]*', 'says': 'a whole number of 1 or more'},
        'whole_2_or_more': {'pattern': '0*([2-9]|[1-9][0-9]+)', 'says': 'a whole number of 2 or more'},
        'occurrences': {'pattern': '0*[1-9][0-9]{0,5}', 'says': 'a whole number from 1 to 999999'},
        'identifier': {'pattern': '[a-z][a-z0-9_]*', 'says': 'a lower-case identifier ([a-z][a-z0-9_]*)'},
        'score_model_name': {
            'pattern': '[a-z][a-z0-9_]{0,39}',
            'says': 'a lower-case identifier ([a-z][a-z0-9_]*) of at most 40 characters: it becomes column names of lead_scoring__scores_wide',
        },
        'rule_id': {
            'pattern': '[A-Za-z0-9_.-]+', 'reserved': ['score_floor', 'score_ceiling'],
            'says': 'made of letters, digits, _, . and -, and not score_floor or score_ceiling (reserved for the adjustment rows)',
        },
        'path_glob': {
            'pattern': '[/*][^[:space:]?#]*', 'not_pattern': '[*]+',
            'says': 'a path glob starting with / or * (e.g. /pricing*), without blanks, query or fragment, and not only *',
        },
        'domain': {
            'pattern': '[^[:space:]@/:?#.A-Z]+([.][^[:space:]@/:?#.A-Z]+)+',
            'says': 'a domain written lower-case as in email addresses (gmail.com), without @, scheme or path',
        },
        'lower_case': {'lower_case': true, 'says': 'written in lower case'},
        'first_day_of_month': {'pattern': '[0-9]{4}-(0[1-9]|1[0-2])-01', 'says': 'the first day of a month, YYYY-MM-01 (e.g. 2026-06-01)'},
    }) }}
{%- endmacro %}


{#- Whether `cell` (trimmed text, not empty) has the shape `check`: a SQL condition. -#}
{% macro point_table_check(check, cell) -%}
    {%- set spec = lead_scoring.point_table_checks()[check] -%}
    {%- set conditions = [] -%}
    {%- if spec.pattern is defined -%}
        {%- do conditions.append(lead_scoring.regexp_full_match(cell, spec.pattern)) -%}
    {%- endif -%}
    {%- if spec.not_pattern is defined -%}
        {%- do conditions.append('not ' ~ lead_scoring.regexp_full_match(cell, spec.not_pattern)) -%}
    {%- endif -%}
    {%- if spec.reserved is defined -%}
        {%- set reserved = [] -%}
        {%- for word in spec.reserved -%}{%- do reserved.append(lead_scoring.quote_literal(word)) -%}{%- endfor -%}
        {%- do conditions.append(cell ~ ' not in (' ~ reserved | join(', ') ~ ')') -%}
    {%- endif -%}
    {%- if spec.lower_case is defined -%}
        {%- do conditions.append(cell ~ ' = lower(' ~ cell ~ ')') -%}
    {%- endif -%}
    ({{ conditions | join(' and ') }})
{%- endmacro %}
