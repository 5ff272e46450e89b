-- One row per score model and month: how many contacts became MQL and SQL
-- for the first time that month, against the targets of seed sla_targets,
-- how many days they took from creation to MQL, and how many of them ever
-- converted. Read from lead_scoring__score_transitions (band changes, evaluated at
-- the end of each day), so a month counts what the recorded history holds.
--
-- The MQL (SQL) band of a score model is its band named 'MQL' ('SQL'),
-- compared case-insensitively (seed score_bands); a contact reaches it when
-- a band change takes it from a lower band, or from no band (the score
-- model began to apply), to that band or a higher one. Only a contact's
-- first such crossing counts: one that falls back and crosses again is not a
-- new MQL, nor is one that was already at the band or above before its first
-- recorded crossing (it became MQL before the history began). A score model
-- without a band of that name counts none.

with

transitions as (

    select * from {{ ref('lead_scoring', 'lead_scoring__score_transitions') }}

),

thresholds as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__score_thresholds_ranked') }}

),

contacts as (

    select * from {{ ref('lead_scoring', 'stg_lead_scoring__contacts') }}

),

conversions as (

    select * from {{ ref('lead_scoring', 'stg_lead_scoring__conversions') }}

),

targets as (

    select
        score_model,
        month,
        target_mqls,
        target_sqls

    from {{ ref('lead_scoring', 'stg_lead_scoring__sla_targets') }}

),

stages as (

    -- The rank of the MQL and the SQL band of each score model.
    select
        score_model,
        lower(threshold_name) as stage,
        threshold_rank as stage_rank

    from thresholds
    where
        threshold_kind = 'band'
        and lower(threshold_name) in ('mql', 'sql')

),

crossings as (

    -- Every band change from below a stage's band (or from no band) to it or above.
    select
        transitions.contact_id,
        transitions.score_model,
        stages.stage,
        transitions.transitioned_on,
        row_number() over (
            partition by transitions.contact_id, transitions.score_model, stages.stage
            order by transitions.transitioned_on
        ) as crossing_number

    from transitions
    inner join stages
        on transitions.score_model = stages.score_model
    where
        transitions.to_band_rank >= stages.stage_rank
        and coalesce(transitions.from_band_rank, 0) < stages.stage_rank

),

already_at_stage as (

    -- The first recorded day a contact left a stage's band or a higher one:
    -- if that is before its first crossing, it was there before the history began.
    select
        transitions.contact_id,
        transitions.score_model,
        stages.stage,
        min(transitions.transitioned_on) as first_left_on

    from transitions
    inner join stages
        on transitions.score_model = stages.score_model
    where transitions.from_band_rank >= stages.stage_rank
    group by
        transitions.contact_id,
        transitions.score_model,
        stages.stage

),

first_crossings as (

    select
        crossings.contact_id,
        crossings.score_model,
        crossings.stage,
        crossings.transitioned_on,
        cast({{ dbt.date_trunc('month', 'cast(crossings.transitioned_on as timestamp)') }} as date) as month

    from crossings
    left join already_at_stage
        on
            crossings.contact_id = already_at_stage.contact_id
            and crossings.score_model = already_at_stage.score_model
            and crossings.stage = already_at_stage.stage
    where
        crossings.crossing_number = 1
        and (already_at_stage.first_left_on is null or already_at_stage.first_left_on > crossings.transitioned_on)

),

converted_contacts as (

    select distinct contact_id

    from conversions

),

new_mqls as (

    select
        first_crossings.score_model,
        first_crossings.month,
        first_crossings.contact_id,
        -- Whole days from the day the contact was created to the day it
        -- crossed (0: the same day).
        {{ dbt.datediff('cast(contacts.created_at as date)', 'first_crossings.transitioned_on', 'day') }}
            as days_to_mql,
        converted_contacts.contact_id is not null as has_converted

    from first_crossings
    left join contacts
        on first_crossings.contact_id = contacts.contact_id
    left join converted_contacts
        on first_crossings.contact_id = converted_contacts.contact_id
    where first_crossings.stage = 'mql'

),

mqls_by_month as (

    select
        score_model,
        month,
        count(*) as mqls,
        {{ lead_scoring.median('days_to_mql') }} as median_days_to_mql,
        sum(case when has_converted then 1 else 0 end) as mqls_converted

    from new_mqls
    group by
        score_model,
        month

),

sqls_by_month as (

    select
        score_model,
        month,
        count(*) as sqls

    from first_crossings
    where stage = 'sql'
    group by
        score_model,
        month

),

months as (

    select
        score_model,
        month
    from mqls_by_month
    union
    select
        score_model,
        month
    from sqls_by_month
    union
    select
        score_model,
        month
    from targets

),

final as (

    select
        months.score_model,
        months.month,
        coalesce(mqls_by_month.mqls, 0) as mqls,
        coalesce(sqls_by_month.sqls, 0) as sqls,
        targets.target_mqls,
        targets.target_sqls,
        cast(coalesce(mqls_by_month.mqls, 0) as {{ lead_scoring.type_double() }})
        / nullif(targets.target_mqls, 0) as mql_attainment,
        cast(coalesce(sqls_by_month.sqls, 0) as {{ lead_scoring.type_double() }})
        / nullif(targets.target_sqls, 0) as sql_attainment,
        mqls_by_month.median_days_to_mql,
        cast(coalesce(mqls_by_month.mqls_converted, 0) as {{ dbt.type_bigint() }}) as mqls_converted,
        cast(mqls_by_month.mqls_converted as {{ lead_scoring.type_double() }})
        / nullif(mqls_by_month.mqls, 0) as share_of_mqls_converted

    from months
    left join mqls_by_month
        on
            months.score_model = mqls_by_month.score_model
            and months.month = mqls_by_month.month
    left join sqls_by_month
        on
            months.score_model = sqls_by_month.score_model
            and months.month = sqls_by_month.month
    left join targets
        on
            months.score_model = targets.score_model
            and months.month = targets.month

)

select * from final
