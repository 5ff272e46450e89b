-- Every contact's probability of converting, from the logistic regression
-- `leadscoring calibrate` fitted on past conversions (seed
-- predictive_weights), computed in SQL as of the as-of moment:
--   log_odds = intercept + sum(weight * value of each criterion that holds)
--   probability = 1 / (1 + exp(-log_odds))
-- The criteria are matched by criteria_fired, the macro calibration learned
-- them with, so a weight applies to exactly the feature it was fitted on.
{%- set as_of = lead_scoring.as_of_timestamp() %}

with

weights as (

    select
        criterion_id,
        kind,
        attribute,
        value as match_value,
        min_value,
        max_value,
        event_type,
        page_category,
        min_count,
        window_days,
        weight

    from {{ ref('lead_scoring', 'stg_lead_scoring__predictive_weights') }}

),

criteria as (

    select
        row_number() over (order by weights.criterion_id) as criterion_key,
        weights.*

    from weights
    where weights.kind <> 'intercept'

),

intercept as (

    select coalesce(sum(weight), 0) as intercept
    from weights
    where kind = 'intercept'

),

contacts as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__contacts_enriched') }}

),

profiles as (

    select
        contacts.contact_id,
        contacts.valid_from as profile_valid_from

    from contacts
    where
        {{ lead_scoring.is_valid_at('contacts', as_of) }}
        and (contacts.created_at is null or contacts.created_at <= {{ as_of }})

),

fired as (

    {{ lead_scoring.criteria_fired('criteria', 'profiles') }}

),

contributions as (

    select
        fired.contact_id,
        sum(criteria.weight * fired.feature_value) as weighted_sum,
        count(*) as criteria_matched

    from fired
    inner join criteria
        on fired.criterion_key = criteria.criterion_key
    group by fired.contact_id

),

scored as (

    select
        profiles.contact_id,
        intercept.intercept + coalesce(contributions.weighted_sum, 0) as log_odds,
        coalesce(contributions.criteria_matched, 0) as criteria_matched

    from profiles
    cross join intercept
    left join contributions
        on profiles.contact_id = contributions.contact_id

),

final as (

    select
        contact_id,
        log_odds,
        -- exp() overflows beyond about 709: the probability is 0 or 1 there.
        case
            when log_odds < -700 then 0
            when log_odds > 700 then 1
            else 1 / (1 + exp(-log_odds))
        end as conversion_probability,
        criteria_matched,
        {{ as_of }} as as_of

    from scored

)

select * from final
