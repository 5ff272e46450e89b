-- Reads the raw events once: typing, trimming, the page path of the URL,
-- deduplication by event id, and the reason a row cannot be scored.
-- stg_events and stg_events_rejected split this model.
--
-- Staging joins nothing as a rule; this model checks contact ids and event
-- types against what is known because an event that points nowhere can never
-- be scored and must be quarantined with its reason, not silently dropped.
--
-- occurred_at is read with cast_or_null: a malformed cell ('yesterday-ish')
-- becomes null instead of failing the build, its raw text is kept in
-- occurred_at_raw, and the row is quarantined with the reason. A malformed
-- occurred_at sorts last among the copies of an event id, like a missing one.

with

source as (

    select * from {{ source('raw_events', 'events') }}

),

contacts as (

    select contact_id from {{ ref('stg_contacts') }}

),

event_types as (

    select lower(trim(event_type)) as event_type from {{ ref('event_types') }}

),

typed as (

    select
        nullif(trim(cast(event_id as {{ dbt.type_string() }})), '') as event_id,
        nullif(trim(cast(contact_id as {{ dbt.type_string() }})), '') as contact_id,
        lower(nullif(trim(event_type), '')) as event_type,
        {{ lead_scoring.cast_or_null('occurred_at', dbt.type_timestamp()) }} as occurred_at,
        cast(occurred_at as {{ dbt.type_string() }}) as occurred_at_raw,
        nullif(trim(page_url), '') as page_url,
        nullif(trim(campaign), '') as campaign,
        lower(nullif(trim(channel), '')) as channel,
        nullif(trim(properties), '') as properties

    from source

),

with_page_path as (

    select
        *,
        -- The path alone (no scheme, host, query or fragment), lower-cased,
        -- is what page patterns match: '/pricing' for
        -- 'https://www.example.com/Pricing?plan=team'.
        case
            when page_url is not null
                then coalesce(
                    {{ lead_scoring.regexp_extract_group(
                        'lower(page_url)',
                        '^(?:[a-z][a-z0-9+.-]*://[^/?#]*)?([^?#]*)'
                    ) }},
                    '/'
                )
        end as page_path,
        row_number() over (
            partition by event_id
            order by occurred_at nulls last, contact_id nulls last, event_type, page_url
        ) as event_id_rank

    from typed

),

checked as (

    select
        with_page_path.*,
        contacts.contact_id is not null as is_known_contact,
        event_types.event_type is not null as is_known_event_type

    from with_page_path
    left join contacts
        on with_page_path.contact_id = contacts.contact_id
    left join event_types
        on with_page_path.event_type = event_types.event_type

),

final as (

    select
        event_id,
        contact_id,
        event_type,
        occurred_at,
        page_url,
        case when page_path = '' then '/' else page_path end as page_path,
        campaign,
        channel,
        properties,
        occurred_at_raw,
        case
            when event_id is null then 'missing event_id'
            when event_id_rank > 1 then 'duplicate event_id: the first row of this event is kept'
            when contact_id is null then 'missing contact_id'
            when not is_known_contact then 'unknown contact_id'
            when event_type is null then 'missing event_type'
            when not is_known_event_type then 'unknown event_type'
            when occurred_at is null and nullif(trim(occurred_at_raw), '') is not null
                then 'invalid occurred_at: not a timestamp'
            when occurred_at is null then 'missing occurred_at'
            when occurred_at > {{ lead_scoring.run_started_timestamp() }} then 'occurred_at is in the future'
        end as rejection_reason

    from checked

)

select * from final
