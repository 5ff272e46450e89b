-- The contacts calibration learns from, one row each: the contacts that
-- exist at the as-of moment (the cutoff) and that the calibrated score model
-- (var lead_scoring__calibration_score_model) applies to then, with the
-- profile valid then, and their outcome.
--   - With var lead_scoring__calibration_outcome_window_days = N: the outcome
--     is a conversion in the N days after the cutoff; a contact that had
--     already converted at the cutoff, or whose conversion has no date, is
--     left out (it cannot be scored before it converted).
--   - With null (one snapshot: a CRM export with a converted flag, no
--     dates): the outcome is any conversion.
-- A conversion counts when its outcome is one of var
-- lead_scoring__calibration_outcomes. Var lead_scoring__calibration_split:
--   random  stratified random split with a fixed seed (var
--           lead_scoring__calibration_seed): within converted and not
--           converted contacts apart, ordered by a hash of the seed and the
--           contact id, lead_scoring__calibration_test_percent of the rows,
--           spread evenly over that order, are test
--   time    the contacts created last (the last
--           lead_scoring__calibration_test_percent of them by created_at)
--           are test: the points learned on older leads are tested on newer
--           ones
{%- set window_days = var('lead_scoring__calibration_outcome_window_days', none) %}
{%- set outcomes = var('lead_scoring__calibration_outcomes', ['opportunity_created', 'won']) %}
{%- set split = var('lead_scoring__calibration_split', 'random') %}
{%- set test_percent = var('lead_scoring__calibration_test_percent', 30) | int %}
{%- set seed = var('lead_scoring__calibration_seed', 42) | int %}
{%- set as_of = lead_scoring.as_of_timestamp() %}
{%- set split_key = dbt.hash(dbt.concat([lead_scoring.quote_literal(seed | string), "'|'", 'contact_id'])) %}
{%- set score_model = var('lead_scoring__calibration_score_model', 'default') | string %}
{%- if split not in ['random', 'time'] %}
    {{ exceptions.raise_compiler_error(
        "var lead_scoring__calibration_split is '" ~ split ~ "'. Fix: random or time."
    ) }}
{%- endif %}

with

contacts as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__contacts_enriched') }}

),

conversions as (

    select * from {{ ref('lead_scoring', 'stg_lead_scoring__conversions') }}

),

scored_contacts as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__scored_contacts') }}

),

in_scope as (

    -- The contacts the calibrated score model applies to at the cutoff (its
    -- segment, seed score_model_segments; every contact for most models), with
    -- the profile valid then: int_lead_scoring__scored_contacts has already chosen both.
    select
        scored_contacts.contact_id,
        contacts.created_at,
        scored_contacts.profile_valid_from

    from scored_contacts
    inner join contacts
        on
            scored_contacts.contact_id = contacts.contact_id
            and scored_contacts.profile_valid_from = contacts.valid_from
    where
        scored_contacts.score_model = {{ lead_scoring.quote_literal(score_model) }}
        and scored_contacts.as_of = {{ as_of }}

),

counted_conversions as (

    select
        contact_id,
        converted_at

    from conversions
    where outcome in ({{ lead_scoring.quoted_list(outcomes | map('lower') | list) }})

),

outcomes as (

    select
        contact_id,
        {%- if window_days is none %}
        1 as is_converted,
        0 as is_excluded
        {%- else %}
        max(case
            when converted_at > {{ as_of }}
                and {{ lead_scoring.at_most_days_apart(as_of, 'converted_at', window_days | float) }}
                then 1 else 0
        end) as is_converted,
        max(case when converted_at is null or converted_at <= {{ as_of }} then 1 else 0 end) as is_excluded
        {%- endif %}

    from counted_conversions
    group by contact_id

),

labelled as (

    select
        in_scope.contact_id,
        in_scope.created_at,
        in_scope.profile_valid_from,
        coalesce(outcomes.is_converted, 0) as is_converted

    from in_scope
    left join outcomes
        on in_scope.contact_id = outcomes.contact_id
    where coalesce(outcomes.is_excluded, 0) = 0

),

ranked as (

    select
        *,
        row_number() over (
            partition by is_converted
            order by {{ split_key }}, contact_id
        ) as split_rank,
        percent_rank() over (order by created_at, contact_id) as created_rank

    from labelled

),

final as (

    select
        contact_id,
        created_at,
        profile_valid_from,
        is_converted,
        {%- if split == 'random' %}
        -- Rank r is test when floor(r * p) steps up from floor((r - 1) * p),
        -- p the test share: exactly floor(n * p) test rows of each outcome,
        -- spread evenly over the ranks.
        case
            when floor(split_rank * {{ test_percent }} / 100.0) > floor((split_rank - 1) * {{ test_percent }} / 100.0)
                then 'test'
            else 'train'
        end as split
        {%- else %}
        case when created_rank >= {{ 1 - test_percent / 100 }} then 'test' else 'train' end as split
        {%- endif %}

    from ranked

)

select * from final
