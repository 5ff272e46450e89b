-- The regression's data, compressed in the warehouse: contacts with the
-- same set of candidate criteria (not the rules) are one row, with how many
-- they are and how many converted. A logistic regression fitted on these
-- rows, weighted by the counts, is the one fitted on every contact, and
-- Python never holds a row per contact. `pattern` lists the criterion keys
-- in increasing order, separated by spaces ('' for none), each followed by
-- ':<value>' when its value is not 1 (an event count).

with

population as (

    select * from {{ ref('lead_scoring', 'lead_scoring__calibration_population') }}

),

criteria as (

    select * from {{ ref('lead_scoring', 'lead_scoring__calibration_criteria') }}
    where
        kind not in ('rule', 'rare_values')
        -- Only criteria that may be weighed: the patterns stay few.
        and support >= {{ var('lead_scoring__calibration_min_support', 30) | int }}

),

fired as (

    select fired.*
    from {{ ref('lead_scoring', 'lead_scoring__calibration_contact_criteria') }} as fired
    inner join criteria
        on fired.criterion_key = criteria.criterion_key

),

contact_patterns as (

    select
        population.contact_id,
        population.split,
        population.is_converted,
        coalesce(
            {{ lead_scoring.ordered_listagg(
                "case when fired.feature_value = 1 then " ~ dbt.cast('fired.criterion_key', dbt.type_string())
                ~ ' else ' ~ dbt.concat([dbt.cast('fired.criterion_key', dbt.type_string()), "':'",
                dbt.cast('fired.feature_value', dbt.type_string())]) ~ ' end',
                "' '",
                'fired.criterion_key'
            ) }},
            ''
        ) as pattern

    from population
    left join fired
        on population.contact_id = fired.contact_id
    group by population.contact_id, population.split, population.is_converted

),

final as (

    select
        pattern,
        split,
        count(*) as contacts,
        sum(is_converted) as converted

    from contact_patterns
    group by pattern, split

)

select * from final
