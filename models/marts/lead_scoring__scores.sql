-- One row per contact and score model that applies to it: fit, engagement
-- and negative points, the fit score and its grade, the engagement score and
-- its level, the matrix cell (A1..D4), the total and its band, as of one
-- timestamp (var lead_scoring__as_of, or the start of the run), with the
-- contact's details as they were then.

with

moments as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__scoring_moments') }}
    where is_current

),

scores as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__contact_scores') }}

),

contacts as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__contacts_enriched') }}

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
        scores.adjustment_points,
        scores.fit_score,
        scores.engagement_score,
        scores.total_score,
        scores.score_band,
        scores.score_band_rank,
        scores.fit_grade,
        scores.engagement_level,
        scores.score_matrix,
        scores.rules_fired,
        scores.as_of

    from scores
    inner join moments
        on scores.as_of = moments.as_of
    inner join contacts
        on
            scores.contact_id = contacts.contact_id
            and scores.profile_valid_from = contacts.valid_from

)

select * from final
