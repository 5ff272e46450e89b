-- Every point is explained: for every contact and score model, the points of
-- lead_scoring__score_details add up to lead_scoring__scores.total_score, and its rule rows
-- (adjustments aside) match rules_fired. lead_scoring__scores sums the intermediate
-- models directly, not the details, so this catches rows the details mart
-- loses or duplicates on its way (joins, unions, casts). Returns the
-- contacts where they disagree.

with

scores as (

    select * from {{ ref('lead_scoring', 'lead_scoring__scores') }}

),

details as (

    select
        contact_id,
        score_model,
        sum(points) as detail_points,
        sum(case when category <> 'adjustment' then 1 else 0 end) as detail_rows

    from {{ ref('lead_scoring', 'lead_scoring__score_details') }}
    group by contact_id, score_model

),

compared as (

    select
        scores.contact_id,
        scores.score_model,
        scores.total_score,
        scores.rules_fired,
        coalesce(details.detail_points, 0) as detail_points,
        coalesce(details.detail_rows, 0) as detail_rows

    from scores
    full outer join details
        on
            scores.contact_id = details.contact_id
            and scores.score_model = details.score_model

)

select *
from compared
where
    contact_id is null
    or total_score is null
    or total_score <> detail_points
    or rules_fired <> detail_rows
