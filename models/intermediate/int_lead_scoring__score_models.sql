-- The score models: the floor and ceiling of the total, and the decay
-- and timeframe that positive engagement rules inherit.

with

score_models as (

    select * from {{ ref('lead_scoring', 'stg_lead_scoring__score_models') }}

),

final as (

    select
        score_model,
        description,
        coalesce(min_total, 0) as min_total,
        max_total,
        half_life_days,
        timeframe_days

    from score_models

)

select * from final
