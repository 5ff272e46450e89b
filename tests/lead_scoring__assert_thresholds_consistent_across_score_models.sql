-- One scale for every campaign: every score model uses the same band names
-- in the same order of min_score, and likewise the same fit grades and the
-- same engagement levels, so that "MQL" means the same step everywhere.
-- Each score model is compared with the first one (in name order). Returns
-- the names that differ, with their rank.

with

thresholds as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__score_thresholds_ranked') }}

),

reference_models as (

    select
        threshold_kind,
        min(score_model) as reference_model

    from thresholds
    group by threshold_kind

),

reference as (

    select
        thresholds.threshold_kind,
        thresholds.threshold_rank,
        thresholds.threshold_name

    from thresholds
    inner join reference_models
        on
            thresholds.threshold_kind = reference_models.threshold_kind
            and thresholds.score_model = reference_models.reference_model

),

model_ranks as (

    select distinct
        threshold_kind,
        score_model

    from thresholds

),

expected as (

    select
        model_ranks.threshold_kind,
        model_ranks.score_model,
        reference.threshold_rank,
        reference.threshold_name

    from model_ranks
    inner join reference
        on model_ranks.threshold_kind = reference.threshold_kind

)

select
    coalesce(expected.threshold_kind, thresholds.threshold_kind) as threshold_kind,
    coalesce(expected.score_model, thresholds.score_model) as score_model,
    coalesce(expected.threshold_rank, thresholds.threshold_rank) as threshold_rank,
    expected.threshold_name as reference_name,
    thresholds.threshold_name

from expected
full outer join thresholds
    on
        expected.threshold_kind = thresholds.threshold_kind
        and expected.score_model = thresholds.score_model
        and expected.threshold_rank = thresholds.threshold_rank
where
    expected.threshold_name is null
    or thresholds.threshold_name is null
    or expected.threshold_name <> thresholds.threshold_name
