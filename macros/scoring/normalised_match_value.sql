{#-
    The value an attribute is compared with: lower-cased and trimmed, and for
    the `in` operator the '|'-separated items without blanks around the '|'.
    Shared by the rules and the segment conditions, which match alike;
    `operator_column` is a staged (lower-cased) operator.
-#}
{% macro normalised_match_value(value_column, operator_column) -%}
    case
        when {{ operator_column }} = 'in'
            then {{ lead_scoring.regexp_replace_all('lower(trim(' ~ value_column ~ '))', '[[:space:]]*[|][[:space:]]*', '|') }}
        else lower(trim({{ value_column }}))
    end
{%- endmacro %}
