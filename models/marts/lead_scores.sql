-- One row per contact and score model: fit, engagement and negative points,
-- the total and its band, as of one timestamp. lead_score_details explains
-- every point.

with

scored_contacts as (

    select * from {{ ref('int_scored_contacts') }}

),

contacts as (

    select * from {{ ref('int_contacts_enriched') }}

),

details as (

    select * from {{ ref('lead_score_details') }}

),

bands as (

    select * from {{ ref('int_score_bands_ranked') }}

),

points_by_category as (

    select
        contact_id,
        score_model,
        sum(case when category = 'explicit' then points else 0 end) as fit_points,
        sum(case when category = 'implicit' then points else 0 end) as engagement_points,
        sum(case when category = 'negative' then points else 0 end) as negative_points,
        sum(points) as total_score,
        count(*) as rules_fired

    from details
    group by contact_id, score_model

),

scores as (

    select
        scored_contacts.contact_id,
        scored_contacts.score_model,
        scored_contacts.as_of,
        cast(coalesce(points_by_category.fit_points, 0) as {{ dbt.type_numeric() }}) as fit_points,
        cast(coalesce(points_by_category.engagement_points, 0) as {{ dbt.type_numeric() }})
            as engagement_points,
        cast(coalesce(points_by_category.negative_points, 0) as {{ dbt.type_numeric() }})
            as negative_points,
        cast(coalesce(points_by_category.total_score, 0) as {{ dbt.type_numeric() }}) as total_score,
        coalesce(points_by_category.rules_fired, 0) as rules_fired

    from scored_contacts
    left join points_by_category
        on
            scored_contacts.contact_id = points_by_category.contact_id
            and scored_contacts.score_model = points_by_category.score_model

),

final as (

    select
        scores.contact_id,
        scores.score_model,
        contacts.email,
        contacts.first_name,
        contacts.last_name,
        contacts.job_title,
        contacts.company_name,
        scores.fit_points,
        scores.engagement_points,
        scores.negative_points,
        scores.total_score,
        bands.band as score_band,
        bands.band_rank as score_band_rank,
        scores.rules_fired,
        scores.as_of

    from scores
    inner join contacts
        on scores.contact_id = contacts.contact_id
    left join bands
        on {{ lead_scoring.band_join_condition('scores', 'total_score', 'bands') }}

)

select * from final
