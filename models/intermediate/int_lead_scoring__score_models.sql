-- The score models, typed: the floor and ceiling of the total, and the decay
-- and timeframe that positive engagement rules inherit.

with

score_models as (

    select * from {{ ref('score_models') }}

),

final as (

    select
        trim(score_model) as score_model,
        description,
        coalesce(cast(nullif(trim(min_total), '') as {{ dbt.type_numeric() }}), 0) as min_total,
        cast(nullif(trim(max_total), '') as {{ dbt.type_numeric() }}) as max_total,
        cast(nullif(trim(half_life_days), '') as {{ dbt.type_numeric() }}) as half_life_days,
        cast(nullif(trim(timeframe_days), '') as {{ dbt.type_numeric() }}) as timeframe_days

    from score_models

)

select * from final
