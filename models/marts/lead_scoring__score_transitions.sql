{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    full_refresh=var('lead_scoring__allow_history_refresh', false),
    pre_hook=[
        "{{ lead_scoring.create_unpublished_days() }}",
        "{{ lead_scoring.note_unpublished_days() }}",
        "{{ lead_scoring.delete_recorded_days('transitioned_on') }}",
    ],
) }}

-- Every band change of every contact and score model, with the day it
-- happened: the feed automation and exports read ("became MQL on",
-- "fell back to warm on"). A band is evaluated at the end of each day
-- (00:00:00 UTC of the next day, transitioned_at), so a lead that crosses a
-- threshold and falls back within one day shows no change. direction is
-- `up` or `down` (by band rank), `entered` when the score model began to
-- apply to the contact, `left` when it stopped. Built from
-- lead_scoring__score_history for the days this build records (restated like it).

with

moments as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__scoring_moments') }}
    where is_recorded

),

history as (

    select lead_scoring__score_history.*

    from {{ ref('lead_scoring', 'lead_scoring__score_history') }} as lead_scoring__score_history
    inner join moments
        on lead_scoring__score_history.history_date = moments.history_date

),

final as (

    select
        contact_id,
        score_model,
        history_date as transitioned_on,
        as_of as transitioned_at,
        previous_score_band as from_band,
        score_band as to_band,
        previous_score_band_rank as from_band_rank,
        score_band_rank as to_band_rank,
        case
            when previous_score_band_rank is null then 'entered'
            when not is_scored then 'left'
            when score_band_rank > previous_score_band_rank then 'up'
            else 'down'
        end as direction,
        previous_total_score,
        total_score

    from history
    where
        previous_score_band_rank is null
        or not is_scored
        or score_band_rank <> previous_score_band_rank

)

select * from final
