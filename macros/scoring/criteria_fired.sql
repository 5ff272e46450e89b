{#-
    A select of (contact_id, criterion_key, feature_value): which criteria
    hold for each contact at the as-of moment, and their value (1, or a
    count for `events`). Shared by the calibration models (candidate
    criteria, learned from past conversions) and lead_scoring__score_predictions (the
    criteria of seed predictive_weights), so that a weight is applied in SQL
    to exactly the feature it was learned on.

    `criteria`: a relation or CTE with criterion_key, kind, attribute,
    match_value (lower-case text), min_value, max_value, event_type,
    page_category, min_count, window_days. Kinds:
      value      the attribute's text equals match_value
      missing    the attribute is empty
      range      min_value <= the attribute's number <= max_value (either open)
      age_range  the date attribute's age in whole days at the as-of moment
                 is between min_value (0 when open: a date after the moment
                 has no age) and max_value (inclusive; open when null), as
                 an age_between rule fires
      events     events of event_type (on a page of page_category, when
                 given) in the window_days days up to the as-of moment (every
                 event up to it when window_days is null): fires from one
                 event on, and its value is the count, at most min_count.
                 So a weight w is w points per event for up to min_count
                 events: an implicit (or negative) rule with max_occurrences
    `profiles`: contact_id and profile_valid_from, the profile of each
    contact valid at the as-of moment (int_lead_scoring__contacts_enriched).
    Values are compared as data; nothing from a row is written into SQL.
-#}
{% macro criteria_fired(criteria, profiles) -%}
    {%- set as_of = lead_scoring.as_of_timestamp() %}

    with

    fired_attributes as (

        select
            profiles.contact_id,
            criteria.criterion_key,
            1 as feature_value

        from {{ profiles }} as profiles
        inner join {{ ref('lead_scoring', 'int_lead_scoring__contact_attributes_unpivoted') }} as attributes
            on
                profiles.contact_id = attributes.contact_id
                and profiles.profile_valid_from = attributes.valid_from
        inner join {{ criteria }} as criteria
            on attributes.attribute = criteria.attribute
        where
            (criteria.kind = 'value' and attributes.attribute_text = criteria.match_value)
            or (criteria.kind = 'missing' and not attributes.is_present)
            or (
                criteria.kind = 'range'
                and attributes.attribute_number >= coalesce(criteria.min_value, attributes.attribute_number)
                and attributes.attribute_number <= coalesce(criteria.max_value, attributes.attribute_number)
            )
            or (
                criteria.kind = 'age_range'
                and {{ lead_scoring.epoch_days(as_of) }} - attributes.attribute_number
                >= coalesce(criteria.min_value, 0)
                and {{ lead_scoring.epoch_days(as_of) }} - attributes.attribute_number
                <= coalesce(criteria.max_value, {{ lead_scoring.epoch_days(as_of) }} - attributes.attribute_number)
            )

    ),

    streams as (

        -- One stream per event type, page category and window: events are
        -- counted once per stream, then compared with every threshold.
        select distinct
            event_type,
            page_category,
            window_days

        from {{ criteria }}
        where kind = 'events'

    ),

    events as (

        select
            stg_lead_scoring__events.event_id,
            stg_lead_scoring__events.contact_id,
            stg_lead_scoring__events.event_type,
            stg_lead_scoring__events.occurred_at,
            page_categories.page_category

        from {{ ref('lead_scoring', 'stg_lead_scoring__events') }} as stg_lead_scoring__events
        left join {{ ref('lead_scoring', 'int_lead_scoring__event_page_categories') }} as page_categories
            on stg_lead_scoring__events.page_path = page_categories.page_path
        where stg_lead_scoring__events.occurred_at <= {{ as_of }}

    ),

    stream_counts as (

        -- A page in two categories joins twice: events are counted distinct.
        select
            events.contact_id,
            streams.event_type,
            streams.page_category,
            streams.window_days,
            count(distinct events.event_id) as occurrences

        from events
        inner join streams
            on
                events.event_type = streams.event_type
                and (streams.page_category is null or events.page_category = streams.page_category)
        where
            streams.window_days is null
            or {{ lead_scoring.at_most_days_apart('events.occurred_at', as_of, 'streams.window_days') }}
        group by
            events.contact_id,
            streams.event_type,
            streams.page_category,
            streams.window_days

    ),

    fired_events as (

        select
            stream_counts.contact_id,
            criteria.criterion_key,
            case
                when stream_counts.occurrences < criteria.min_count then stream_counts.occurrences
                else criteria.min_count
            end as feature_value

        from stream_counts
        inner join {{ criteria }} as criteria
            on
                stream_counts.event_type = criteria.event_type
                and coalesce(stream_counts.page_category, '') = coalesce(criteria.page_category, '')
                and coalesce(stream_counts.window_days, -1) = coalesce(criteria.window_days, -1)
        where criteria.kind = 'events'

    ),

    fired as (

        select * from fired_attributes
        union all
        select fired_events.* from fired_events
        inner join {{ profiles }} as profiles
            on fired_events.contact_id = profiles.contact_id

    )

    select * from fired
{%- endmacro %}
