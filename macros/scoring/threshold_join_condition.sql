{#-
    A join clause giving a value its threshold (band, fit grade or engagement
    level): the threshold with the highest min_value at or below the value.
    Values below every threshold fall in the lowest one (threshold_rank 1),
    so a negative score is still banded.

    thresholds_alias: a relation shaped like int_lead_scoring__score_thresholds_ranked
    kind:             'band', 'fit_grade' or 'engagement_level'
-#}
{% macro threshold_join_condition(scores_alias, value_column, thresholds_alias, kind) -%}
    {{ thresholds_alias }}.score_model = {{ scores_alias }}.score_model
    and {{ thresholds_alias }}.threshold_kind = {{ lead_scoring.quote_literal(kind) }}
    and (
        {{ scores_alias }}.{{ value_column }} >= {{ thresholds_alias }}.min_value
        or {{ thresholds_alias }}.threshold_rank = 1
    )
    and (
        {{ thresholds_alias }}.next_min_value is null
        or {{ scores_alias }}.{{ value_column }} < {{ thresholds_alias }}.next_min_value
    )
{%- endmacro %}
