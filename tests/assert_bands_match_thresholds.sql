-- Every band is the one its thresholds say, recomputed here another way: the
-- band with the highest min_score not above the total, or the lowest band
-- when the total is below every min_score. Returns the rows that disagree.

with

scores as (

    select * from {{ ref('lead_scores') }}

),

bands as (

    select
        trim(score_model) as score_model,
        trim(band) as band,
        cast(trim(min_score) as {{ dbt.type_numeric() }}) as min_score

    from {{ ref('score_bands') }}

),

reached as (

    select
        scores.contact_id,
        scores.score_model,
        max(bands.min_score) as reached_min_score

    from scores
    left join bands
        on
            scores.score_model = bands.score_model
            and scores.total_score >= bands.min_score
    group by scores.contact_id, scores.score_model

),

lowest as (

    select
        score_model,
        min(min_score) as lowest_min_score

    from bands
    group by score_model

),

expected as (

    select
        reached.contact_id,
        reached.score_model,
        bands.band as expected_band

    from reached
    inner join lowest
        on reached.score_model = lowest.score_model
    inner join bands
        on
            reached.score_model = bands.score_model
            and coalesce(reached.reached_min_score, lowest.lowest_min_score) = bands.min_score

)

select
    scores.contact_id,
    scores.score_model,
    scores.total_score,
    scores.score_band,
    expected.expected_band

from scores
left join expected
    on
        scores.contact_id = expected.contact_id
        and scores.score_model = expected.score_model
where
    expected.expected_band is null
    or scores.score_band is null
    or scores.score_band <> expected.expected_band
