{#-
    A join clause giving each score its band: the band with the highest
    min_score at or below the score. Scores below every threshold fall in the
    lowest band (band_rank 1), so a negative score is still banded.

    bands_alias: a relation shaped like int_score_bands (score_model, band,
                 band_rank, min_score, next_min_score)
-#}
{% macro band_join_condition(scores_alias, score_column, bands_alias) -%}
    {{ bands_alias }}.score_model = {{ scores_alias }}.score_model
    and ({{ scores_alias }}.{{ score_column }} >= {{ bands_alias }}.min_score or {{ bands_alias }}.band_rank = 1)
    and ({{ bands_alias }}.next_min_score is null or {{ scores_alias }}.{{ score_column }} < {{ bands_alias }}.next_min_score)
{%- endmacro %}
