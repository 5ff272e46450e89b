-- The criteria calibration weighs, one row each, numbered by criterion_key:
--   rule       every rule of the current point tables (its evidence is
--              reported; it is not a feature of the regression)
--   value      each value of a text or boolean attribute
--   missing    an attribute left empty
--   range      a number attribute cut at its quantiles (var
--              lead_scoring__calibration_quantiles buckets; the first and
--              last are open, and tied quantiles merge)
--   age_range  the same on a date attribute's age in days at the cutoff
--   events     the number of events of a type (page views per page
--              category) in the var lead_scoring__calibration_event_window_days
--              days before the cutoff, counted up to N, N on a ladder 1, 2, 3,
--              5, 10, 20 (N = 1: did it happen; the weights of a ladder add
--              up to points per event that fall as the count grows)
-- Every candidate but the rules needs var lead_scoring__calibration_min_support
-- training contacts with it and as many without: below that, a rate says
-- nothing (leadscoring calibrate lists what was left out and why).
-- Quantiles and supports are taken on the training contacts only.
{{ config(materialized='table') }}
{%- set attributes = lead_scoring.scoring_attributes() %}
{%- set min_support = var('lead_scoring__calibration_min_support', 30) | int %}
{%- set quantiles = var('lead_scoring__calibration_quantiles', 5) | int %}
{%- set window_days = var('lead_scoring__calibration_event_window_days', 365) %}
{%- set ladder = [1, 2, 3, 5, 10, 20] %}
{%- set as_of = lead_scoring.as_of_timestamp() %}
{%- set names = {'text': [], 'number': [], 'date': []} %}
{%- for name, kind in attributes.items() %}
    {%- do names['number' if kind == 'number' else ('date' if kind == 'date' else 'text')].append(name) %}
{%- endfor %}

with

population as (

    select * from {{ ref('calibration_population') }}
    where split = 'train'

),

attributes as (

    select
        attributes.contact_id,
        attributes.attribute,
        attributes.attribute_text,
        case
            when attributes.attribute in ({{ lead_scoring.quoted_list(names['date']) }})
                then {{ lead_scoring.epoch_days(as_of) }} - attributes.attribute_number
            else attributes.attribute_number
        end as attribute_number,
        attributes.is_present

    from {{ ref('int_contact_attributes_unpivoted') }} as attributes
    inner join population
        on
            attributes.contact_id = population.contact_id
            and attributes.valid_from = population.profile_valid_from

),

totals as (

    select count(*) as contacts from population

),

value_candidates as (

    select
        'value' as kind,
        attributes.attribute,
        attributes.attribute_text as match_value,
        cast(null as {{ dbt.type_numeric() }}) as min_value,
        cast(null as {{ dbt.type_numeric() }}) as max_value,
        cast(null as {{ dbt.type_string() }}) as event_type,
        cast(null as {{ dbt.type_string() }}) as page_category,
        cast(null as {{ dbt.type_int() }}) as min_count,
        cast(null as {{ dbt.type_numeric() }}) as window_days,
        count(*) as support

    from attributes
    cross join totals
    where
        attributes.attribute in ({{ lead_scoring.quoted_list(names['text']) }})
        and attributes.attribute_text is not null
    group by attributes.attribute, attributes.attribute_text, totals.contacts
    having count(*) >= {{ min_support }} and totals.contacts - count(*) >= {{ min_support }}

),

missing_candidates as (

    select
        'missing' as kind,
        attributes.attribute,
        cast(null as {{ dbt.type_string() }}) as match_value,
        cast(null as {{ dbt.type_numeric() }}) as min_value,
        cast(null as {{ dbt.type_numeric() }}) as max_value,
        cast(null as {{ dbt.type_string() }}) as event_type,
        cast(null as {{ dbt.type_string() }}) as page_category,
        cast(null as {{ dbt.type_int() }}) as min_count,
        cast(null as {{ dbt.type_numeric() }}) as window_days,
        sum(case when attributes.is_present then 0 else 1 end) as support

    from attributes
    cross join totals
    group by attributes.attribute, totals.contacts
    having
        sum(case when attributes.is_present then 0 else 1 end) >= {{ min_support }}
        and sum(case when attributes.is_present then 1 else 0 end) >= {{ min_support }}

),

numbers as (

    select
        attribute,
        attribute_number,
        ntile({{ quantiles }}) over (partition by attribute order by attribute_number) as quantile

    from attributes
    where
        attribute in ({{ lead_scoring.quoted_list(names['number'] + names['date']) }})
        and attribute_number is not null

),

lower_bounds as (

    select distinct
        attribute,
        min(attribute_number) over (partition by attribute, quantile) as lower_bound

    from numbers

),

bounds as (

    select
        attribute,
        lower_bound,
        lead(lower_bound) over (partition by attribute order by lower_bound) as next_bound,
        row_number() over (partition by attribute order by lower_bound) as bucket

    from lower_bounds

),

buckets as (

    select
        numbers.attribute,
        bounds.bucket,
        bounds.next_bound,
        min(numbers.attribute_number) as min_value,
        max(numbers.attribute_number) as max_value,
        count(*) as support

    from numbers
    inner join bounds
        on
            numbers.attribute = bounds.attribute
            and numbers.attribute_number >= bounds.lower_bound
            and (bounds.next_bound is null or numbers.attribute_number < bounds.next_bound)
    group by numbers.attribute, bounds.bucket, bounds.next_bound

),

range_candidates as (

    -- The first bucket is open below and the last open above, so that a
    -- value outside the training range still falls in a bucket.
    select
        case
            when buckets.attribute in ({{ lead_scoring.quoted_list(names['date']) }}) then 'age_range'
            else 'range'
        end as kind,
        buckets.attribute,
        cast(null as {{ dbt.type_string() }}) as match_value,
        case when buckets.bucket = 1 then null else buckets.min_value end as min_value,
        case when buckets.next_bound is null then null else buckets.max_value end as max_value,
        cast(null as {{ dbt.type_string() }}) as event_type,
        cast(null as {{ dbt.type_string() }}) as page_category,
        cast(null as {{ dbt.type_int() }}) as min_count,
        cast(null as {{ dbt.type_numeric() }}) as window_days,
        buckets.support

    from buckets
    cross join totals
    where buckets.support >= {{ min_support }} and totals.contacts - buckets.support >= {{ min_support }}

),

event_types as (

    select lower(trim(event_type)) as event_type from {{ ref('event_types') }}

),

page_categories as (

    select distinct lower(trim(page_category)) as page_category from {{ ref('page_categories') }}

),

streams as (

    select
        event_type,
        cast(null as {{ dbt.type_string() }}) as page_category

    from event_types
    union all
    select
        'page_view' as event_type,
        page_category

    from page_categories

),

ladder as (

    {%- for step in ladder %}
    select {{ step }} as min_count
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

event_criteria as (

    select
        row_number() over (order by streams.event_type, streams.page_category, ladder.min_count) as criterion_key,
        'events' as kind,
        cast(null as {{ dbt.type_string() }}) as attribute,
        cast(null as {{ dbt.type_string() }}) as match_value,
        cast(null as {{ dbt.type_numeric() }}) as min_value,
        cast(null as {{ dbt.type_numeric() }}) as max_value,
        streams.event_type,
        streams.page_category,
        ladder.min_count,
        {%- if window_days is none %}
        cast(null as {{ dbt.type_numeric() }}) as window_days
        {%- else %}
        cast({{ window_days | float }} as {{ dbt.type_numeric() }}) as window_days
        {%- endif %}

    from streams
    cross join ladder

),

events_fired as (

    {{ lead_scoring.criteria_fired('event_criteria', 'population') }}

),

event_candidates as (

    select
        event_criteria.kind,
        event_criteria.attribute,
        event_criteria.match_value,
        event_criteria.min_value,
        event_criteria.max_value,
        event_criteria.event_type,
        event_criteria.page_category,
        event_criteria.min_count,
        event_criteria.window_days,
        sum(case when events_fired.feature_value >= event_criteria.min_count then 1 else 0 end) as support

    from events_fired
    inner join event_criteria
        on events_fired.criterion_key = event_criteria.criterion_key
    cross join totals
    group by
        event_criteria.kind,
        event_criteria.attribute,
        event_criteria.match_value,
        event_criteria.min_value,
        event_criteria.max_value,
        event_criteria.event_type,
        event_criteria.page_category,
        event_criteria.min_count,
        event_criteria.window_days,
        totals.contacts
    having
        sum(case when events_fired.feature_value >= event_criteria.min_count then 1 else 0 end) >= {{ min_support }}
        and totals.contacts - count(*) >= {{ min_support }}

),

candidates as (

    select * from value_candidates
    union all
    select * from missing_candidates
    union all
    select * from range_candidates
    union all
    select * from event_candidates

),

rules as (

    select
        'rule' as kind,
        rule_id,
        score_model

    from {{ ref('int_scoring_rules_unioned') }}

),

unioned as (

    select
        kind,
        cast(null as {{ dbt.type_string() }}) as rule_id,
        cast(null as {{ dbt.type_string() }}) as score_model,
        attribute,
        match_value,
        min_value,
        max_value,
        event_type,
        page_category,
        min_count,
        window_days,
        support

    from candidates
    union all
    select
        kind,
        rule_id,
        score_model,
        cast(null as {{ dbt.type_string() }}) as attribute,
        cast(null as {{ dbt.type_string() }}) as match_value,
        cast(null as {{ dbt.type_numeric() }}) as min_value,
        cast(null as {{ dbt.type_numeric() }}) as max_value,
        cast(null as {{ dbt.type_string() }}) as event_type,
        cast(null as {{ dbt.type_string() }}) as page_category,
        cast(null as {{ dbt.type_int() }}) as min_count,
        cast(null as {{ dbt.type_numeric() }}) as window_days,
        cast(null as {{ dbt.type_bigint() }}) as support

    from rules

),

final as (

    select
        row_number() over (
            order by kind, rule_id, attribute, match_value, min_value, event_type, page_category, min_count
        ) as criterion_key,
        *

    from unioned

)

select * from final
