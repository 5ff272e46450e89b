-- The bands of every score model, ranked by their minimum score, with the
-- next band's minimum: a score belongs to the band whose range holds it.

with

bands as (

    select
        trim(score_model) as score_model,
        trim(band) as band,
        cast(trim(min_score) as {{ dbt.type_numeric() }}) as min_score,
        description

    from {{ ref('score_bands') }}

),

final as (

    select
        score_model,
        band,
        row_number() over (partition by score_model order by min_score) as band_rank,
        min_score,
        lead(min_score) over (partition by score_model order by min_score) as next_min_score,
        description

    from bands

)

select * from final
