{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    full_refresh=var('lead_scoring__allow_history_refresh', false),
    pre_hook=[
        "{{ lead_scoring.create_unpublished_days() }}",
        "{{ lead_scoring.note_unpublished_days() }}",
        "{{ lead_scoring.delete_recorded_days('history_date') }}",
    ],
) }}

-- The daily score history: one row per contact, score model and day on
-- which the contact's state at the end of the day (00:00:00 UTC of the next
-- day) differs from its state at the end of the day before: its total, fit
-- or engagement score, band, grade or level changed, the score model began
-- to apply to it (previous_* empty) or stopped applying (is_scored false).
-- Only changes are stored, except on the first day the table records, which
-- holds every scored contact: a contact's state on any day is its latest
-- row at or before that day. Each build records the last complete day before
-- the as-of moment and restates var lead_scoring__lookback_days days before
-- it (late events count on the day they happened), or every day from var
-- lead_scoring__history_backfill_from; those days are deleted and written
-- again, so rebuilding a day gives the same rows. A full refresh leaves this
-- table alone unless var lead_scoring__allow_history_refresh is true.

with

moments as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__scoring_moments') }}
    where history_date is not null

),

scores as (

    select
        int_lead_scoring__contact_scores.*,
        moments.history_date,
        moments.is_recorded,
        cast({{ dbt.dateadd('day', 1, 'moments.history_date') }} as date) as next_date

    from {{ ref('lead_scoring', 'int_lead_scoring__contact_scores') }} as int_lead_scoring__contact_scores
    inner join moments
        on int_lead_scoring__contact_scores.as_of = moments.as_of

),

recorded_scores as (

    select * from scores
    where is_recorded

),

recorded_days as (

    select
        history_date,
        as_of

    from moments
    where is_recorded

),

day_pairs as (

    -- Each contact and score model's state at the end of a recorded day
    -- beside its state at the end of the day before.
    select
        coalesce(today.contact_id, yesterday.contact_id) as contact_id,
        coalesce(today.score_model, yesterday.score_model) as score_model,
        coalesce(today.history_date, yesterday.next_date) as history_date,
        today.contact_id is not null as is_scored,
        today.total_score,
        today.fit_score,
        today.engagement_score,
        today.score_band,
        today.score_band_rank,
        today.fit_grade,
        today.engagement_level,
        today.score_matrix,
        yesterday.contact_id is not null as was_scored,
        yesterday.total_score as previous_total_score,
        yesterday.fit_score as previous_fit_score,
        yesterday.engagement_score as previous_engagement_score,
        yesterday.score_band as previous_score_band,
        yesterday.score_band_rank as previous_score_band_rank,
        yesterday.fit_grade as previous_fit_grade,
        yesterday.engagement_level as previous_engagement_level

    from recorded_scores as today
    full outer join scores as yesterday
        on
            today.contact_id = yesterday.contact_id
            and today.score_model = yesterday.score_model
            and today.history_date = yesterday.next_date

),

final as (

    select
        day_pairs.contact_id,
        day_pairs.score_model,
        day_pairs.history_date,
        recorded_days.as_of,
        day_pairs.is_scored,
        day_pairs.total_score,
        day_pairs.fit_score,
        day_pairs.engagement_score,
        day_pairs.score_band,
        day_pairs.score_band_rank,
        day_pairs.fit_grade,
        day_pairs.engagement_level,
        day_pairs.score_matrix,
        day_pairs.previous_total_score,
        day_pairs.previous_fit_score,
        day_pairs.previous_engagement_score,
        day_pairs.previous_score_band,
        day_pairs.previous_score_band_rank,
        day_pairs.previous_fit_grade,
        day_pairs.previous_engagement_level

    from day_pairs
    inner join recorded_days
        on day_pairs.history_date = recorded_days.history_date
    where
        {%- if not is_incremental() %}
        -- The first day recorded holds every contact: the starting state.
        day_pairs.history_date = (select min(first_day.history_date) from recorded_days as first_day)
        or day_pairs.is_scored <> day_pairs.was_scored
        {%- else %}
        day_pairs.is_scored <> day_pairs.was_scored
        {%- endif %}
        or day_pairs.total_score <> day_pairs.previous_total_score
        or day_pairs.fit_score <> day_pairs.previous_fit_score
        or day_pairs.engagement_score <> day_pairs.previous_engagement_score
        or day_pairs.score_band <> day_pairs.previous_score_band
        or day_pairs.fit_grade <> day_pairs.previous_fit_grade
        or day_pairs.engagement_level <> day_pairs.previous_engagement_level

)

select * from final
