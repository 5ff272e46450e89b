-- The criteria calibration weighs, one row each, numbered by criterion_key:
--   rule       every rule of the current point tables (its evidence is
--              reported; it is not a feature of the regression)
--   value      each value of a text or boolean attribute
--   missing    an attribute left empty
--   range      a number attribute cut at its quantiles (var
--              lead_scoring__calibration_quantiles buckets; the first and
--              last are open, and tied quantiles merge)
--   age_range  the same on a date attribute's age in days at the cutoff
--              (dates after the cutoff have no age)
--   rare_values per attribute, how many values had too few contacts to be
--              listed (min_count) and their contacts (support): reported only
--   events     the number of events of a type (page views per page
--              category) in the var lead_scoring__calibration_event_window_days
--              days before the cutoff, counted up to N, N on a ladder 1, 2, 3,
--              5, 10, 20 (N = 1: did it happen; the weights of a ladder add
--              up to points per event that fall as the count grows)
-- A candidate is listed from 5 training contacts with it and 5 without (its
-- evidence is reported); `leadscoring calibrate` weighs only those with
-- var lead_scoring__calibration_min_support contacts and enough expected
-- conversions, and lists the others with the reason. Rarer values of an
-- attribute (an email, a name) are one row of kind `rare_values`: how many
-- values and contacts, reported, never weighed.
-- Values a seed cannot hold are left out: dbt reads the seed cells 'null',
-- 'none', 'na', 'n/a' and '.' as empty, so a rule on such a value could not
-- match as the criterion did (staging reads most of them as missing anyway).
-- Quantiles and supports are taken on the training contacts only.
{{ config(materialized='table') }}
{%- set attributes = lead_scoring.scoring_attributes() %}
{%- set min_support = var('lead_scoring__calibration_min_support', 30) | int %}
{%- set listed = [5, min_support] | min %}
{%- set quantiles = var('lead_scoring__calibration_quantiles', 5) | int %}
{%- set window_days = var('lead_scoring__calibration_event_window_days', 365) %}
{%- set ladder = [1, 2, 3, 5, 10, 20] %}
{%- set seed_nulls = ['null', 'none', 'na', 'n/a', '.'] %}
{%- set as_of = lead_scoring.as_of_timestamp() %}
{%- set names = {'text': [], 'number': [], 'date': []} %}
{%- for name, kind in attributes.items() %}
{%- do names['number' if kind == 'number' else ('date' if kind == 'date' else 'text')].append(name) %}
{%- endfor %}

with

population as (

    select * from {{ ref('lead_scoring', 'lead_scoring__calibration_population') }}
    where split = 'train'

),

attributes as (

    select
        attributes.contact_id,
        attributes.attribute,
        attributes.attribute_text,
        case
            -- a date's age in days at the cutoff
            when attributes.attribute in ({{ lead_scoring.quoted_list(names['date']) }})
                then
                    {{ lead_scoring.epoch_days(as_of) }}
                    - attributes.attribute_number
            else attributes.attribute_number
        end as attribute_number,
        attributes.is_present

    from {{ ref('lead_scoring', 'int_lead_scoring__contact_attributes_unpivoted') }} as attributes
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
        and attributes.attribute_text not in ({{ lead_scoring.quoted_list(seed_nulls) }})
    group by attributes.attribute, attributes.attribute_text, totals.contacts
    having count(*) >= {{ listed }} and totals.contacts - count(*) >= {{ listed }}

),

rare_values as (

    -- Per attribute, the values too rare to be listed one by one.
    select
        'rare_values' as kind,
        value_counts.attribute,
        cast(null as {{ dbt.type_string() }}) as match_value,
        cast(null as {{ dbt.type_numeric() }}) as min_value,
        cast(null as {{ dbt.type_numeric() }}) as max_value,
        cast(null as {{ dbt.type_string() }}) as event_type,
        cast(null as {{ dbt.type_string() }}) as page_category,
        cast(count(*) as {{ dbt.type_int() }}) as min_count,
        cast(null as {{ dbt.type_numeric() }}) as window_days,
        sum(value_counts.contacts) as support

    from (
        select
            attribute,
            attribute_text,
            count(*) as contacts

        from attributes
        where
            attribute in ({{ lead_scoring.quoted_list(names['text']) }})
            and attribute_text is not null
        group by attribute, attribute_text
    ) as value_counts
    where value_counts.contacts < {{ listed }}
    group by value_counts.attribute

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
        sum(case when attributes.is_present then 0 else 1 end) >= {{ listed }}
        and sum(case when attributes.is_present then 1 else 0 end) >= {{ listed }}

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
        -- A date after the cutoff has no age: it is in no age bucket.
        and (attribute not in ({{ lead_scoring.quoted_list(names['date']) }}) or attribute_number >= 0)

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

integral as (

    -- Whole numbers everywhere (counts, sizes, ages in days): a bucket then
    -- ends one below the next one's start, so that no whole number falls
    -- between two buckets. Otherwise it ends at its largest training value.
    select
        attribute,
        min(case when attribute_number = floor(attribute_number) then 1 else 0 end) as is_integral

    from numbers
    group by attribute

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
        case
            when buckets.next_bound is null then null
            when integral.is_integral = 1 then buckets.next_bound - 1
            else buckets.max_value
        end as max_value,
        cast(null as {{ dbt.type_string() }}) as event_type,
        cast(null as {{ dbt.type_string() }}) as page_category,
        cast(null as {{ dbt.type_int() }}) as min_count,
        cast(null as {{ dbt.type_numeric() }}) as window_days,
        buckets.support

    from buckets
    inner join integral
        on buckets.attribute = integral.attribute
    cross join totals
    where buckets.support >= {{ listed }} and totals.contacts - buckets.support >= {{ listed }}

),

event_types as (

    select event_type from {{ ref('lead_scoring', 'stg_lead_scoring__event_types') }}

),

page_categories as (

    select distinct page_category from {{ ref('lead_scoring', 'stg_lead_scoring__page_categories') }}

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
        sum(case when events_fired.feature_value >= event_criteria.min_count then 1 else 0 end) >= {{ listed }}
        and totals.contacts - count(*) >= {{ listed }}

),

candidates as (

    select * from value_candidates
    union all
    select * from rare_values
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

    from {{ ref('lead_scoring', 'int_lead_scoring__scoring_rules_unioned') }}

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
