-- Every band, fit grade and engagement level is the one its thresholds say,
-- recomputed here another way, from the staged point tables: the threshold with the
-- highest minimum not above the value, or the lowest one when the value is
-- below every minimum. Returns the rows that disagree.

{%- set checks = [
    {'seed': 'score_bands', 'name': 'band', 'minimum': 'min_score', 'value': 'total_score', 'column': 'score_band'},
    {'seed': 'fit_grades', 'name': 'grade', 'minimum': 'min_points', 'value': 'fit_score', 'column': 'fit_grade'},
    {'seed': 'engagement_levels', 'name': 'level', 'minimum': 'min_points', 'value': 'engagement_score', 'column': 'engagement_level'},
] %}

with

scores as (

    select * from {{ ref('lead_scoring', 'lead_scoring__scores') }}

),

{%- for check in checks %}

{{ check.seed }}_staged as (

    select
        score_model,
        {{ check.name }} as threshold_name,
        {{ check.minimum }} as min_value

    from {{ ref('lead_scoring', 'stg_lead_scoring__' ~ check.seed) }}

),

{{ check.seed }}_reached as (

    select
        scores.contact_id,
        scores.score_model,
        max(thresholds.min_value) as reached_min_value

    from scores
    left join {{ check.seed }}_staged as thresholds
        on
            scores.score_model = thresholds.score_model
            and scores.{{ check.value }} >= thresholds.min_value
    group by scores.contact_id, scores.score_model

),

{{ check.seed }}_lowest as (

    select
        score_model,
        min(min_value) as lowest_min_value

    from {{ check.seed }}_staged
    group by score_model

),

{{ check.seed }}_mismatches as (

    select
        scores.contact_id,
        scores.score_model,
        '{{ check.column }}' as checked_column,
        scores.{{ check.column }} as actual,
        thresholds.threshold_name as expected

    from scores
    inner join {{ check.seed }}_reached as reached
        on
            scores.contact_id = reached.contact_id
            and scores.score_model = reached.score_model
    inner join {{ check.seed }}_lowest as lowest
        on scores.score_model = lowest.score_model
    left join {{ check.seed }}_staged as thresholds
        on
            scores.score_model = thresholds.score_model
            and coalesce(reached.reached_min_value, lowest.lowest_min_value) = thresholds.min_value
    where
        thresholds.threshold_name is null
        or scores.{{ check.column }} is null
        or scores.{{ check.column }} <> thresholds.threshold_name

),

{%- endfor %}

final as (

    {%- for check in checks %}
    select * from {{ check.seed }}_mismatches
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

)

select * from final
