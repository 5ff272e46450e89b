-- One row per day: the time spine the semantic layer (MetricFlow) joins
-- time-based metrics to (models/marts/_semantic_models.yml; dbt requires one
-- at the grain of a day or finer). From ten years before the as-of moment's
-- day to a year after it: every day the marts can date (as_of, history_date,
-- transitioned_on) within that span.
{%- set as_of_date = 'cast(' ~ lead_scoring.as_of_timestamp() ~ ' as date)' %}

with

days as (

    {{ dbt.date_spine(
        'day',
        'cast(' ~ dbt.dateadd('year', -10, as_of_date) ~ ' as date)',
        'cast(' ~ dbt.dateadd('year', 1, as_of_date) ~ ' as date)',
    ) }}

),

final as (

    select cast(date_day as date) as date_day

    from days

)

select * from final
