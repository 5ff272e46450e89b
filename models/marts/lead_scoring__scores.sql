-- One row per contact and score model that applies to it: fit, engagement
-- and negative points, the fit score and its grade, the engagement score and
-- its level, the matrix cell (A1..D4), the total and its band, as of one
-- timestamp (var lead_scoring__as_of, or the start of the run), with the
-- contact's details as they were then. For BI and the metrics
-- (models/marts/_semantic_models.yml): whether the band is the MQL band or
-- above (the SQL band or above), by the ranks of the bands named 'MQL' and
-- 'SQL' (case-insensitively) of seed score_bands, as the reports read them,
-- and whether the contact has a staged conversion (any outcome, at any time:
-- at an earlier as-of moment, the outcome a back-test is measured against).

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

thresholds as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__score_thresholds_ranked') }}

),

conversions as (

    select * from {{ ref('lead_scoring', 'stg_lead_scoring__conversions') }}

),

qualified_bands as (

    -- The rank of the MQL and the SQL band of each score model (null: none).
    select
        score_model,
        max(case when lower(threshold_name) = 'mql' then threshold_rank end) as mql_rank,
        max(case when lower(threshold_name) = 'sql' then threshold_rank end) as sql_rank

    from thresholds
    where threshold_kind = 'band'
    group by score_model

),

converted_contacts as (

    select distinct contact_id

    from conversions

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
        cast(scores.rules_fired as {{ dbt.type_bigint() }}) as rules_fired,
        coalesce(scores.score_band_rank >= qualified_bands.mql_rank, false) as is_mql,
        coalesce(scores.score_band_rank >= qualified_bands.sql_rank, false) as is_sql,
        converted_contacts.contact_id is not null as has_converted,
        scores.as_of

    from scores
    inner join moments
        on scores.as_of = moments.as_of
    inner join contacts
        on
            scores.contact_id = contacts.contact_id
            and scores.profile_valid_from = contacts.valid_from
    left join qualified_bands
        on scores.score_model = qualified_bands.score_model
    left join converted_contacts
        on scores.contact_id = converted_contacts.contact_id

)

select * from final
