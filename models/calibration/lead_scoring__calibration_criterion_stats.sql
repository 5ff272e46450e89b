-- The evidence of every criterion, counted in the warehouse: per criterion
-- and split, the contacts with it and how many of them converted (for an
-- `events` criterion: the contacts with at least min_count events).
-- `leadscoring calibrate` derives rates, lift and log-odds from these and
-- the totals of lead_scoring__calibration_population.

with

population as (

    select * from {{ ref('lead_scoring', 'lead_scoring__calibration_population') }}

),

criteria as (

    select * from {{ ref('lead_scoring', 'lead_scoring__calibration_criteria') }}

),

fired as (

    select fired.*
    from {{ ref('lead_scoring', 'lead_scoring__calibration_contact_criteria') }} as fired
    inner join criteria
        on fired.criterion_key = criteria.criterion_key
    where fired.feature_value >= coalesce(criteria.min_count, 1)

),

final as (

    select
        fired.criterion_key,
        population.split,
        count(*) as contacts,
        sum(population.is_converted) as converted

    from fired
    inner join population
        on fired.contact_id = population.contact_id
    group by fired.criterion_key, population.split

)

select * from final
