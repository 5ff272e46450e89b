{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['event_id', 'event_id_rank'],
    on_schema_change='fail',
    pre_hook=[
        "{{ lead_scoring.drop_event_resync() }}",
        "{{ lead_scoring.create_event_resync() }}",
        "{{ lead_scoring.delete_event_window() }}",
    ],
    post_hook="{{ lead_scoring.drop_event_resync() }}",
) }}

-- Reads the raw events: typing, trimming, the page path of the URL,
-- deduplication by event id, and the reason a row cannot be scored.
-- stg_events and stg_events_rejected split this model, so raw rows = staged
-- + rejected by construction, and an event id is staged at most once (only
-- its first copy, event_id_rank 1, can be).
--
-- Incremental: a build reads again only the raw rows from the cutoff on
-- (the newest staged event minus var lead_scoring__lookback_days days; see
-- macro event_window), replacing those rows, and every row of the event ids
-- whose raw rows before the cutoff changed since (found by counting, see
-- event_window: rows that arrived later than the lookback); a copy of an event id staged
-- before the cutoff ranks before the copies read now, as it would in a full
-- build. Rows rejected earlier because their contact or event type was
-- unknown are checked again, so an event that arrived before its contact is
-- staged once the contact is. batch_at is the start of the build that wrote
-- the row: the models downstream process what changed since they last ran.
--
-- Staging joins nothing as a rule; this model checks contact ids and event
-- types against what is known because an event that points nowhere can never
-- be scored and must be quarantined with its reason, not silently dropped.
--
-- occurred_at is read with read_timestamp (cast_or_null, or only a range
-- check when the raw column is already a timestamp): a malformed cell ('yesterday-ish')
-- becomes null instead of failing the build, its raw text is kept in
-- occurred_at_raw, and the row is quarantined with the reason. A malformed
-- occurred_at sorts last among the copies of an event id, like a missing one.
{%- set window = lead_scoring.event_window() %}
{%- set read_occurred_at = lead_scoring.read_timestamp(source('raw_events', 'events'), 'occurred_at') %}

with

source as (

    select * from {{ source('raw_events', 'events') }}

),

source_in_window as (

    -- An incremental build reads again only the rows of its window (see
    -- macro event_window); the window is decided on the id and time as
    -- staging reads them, before the other columns are typed and trimmed.
    select * from source
    where {{ lead_scoring.in_event_window(
        window, read_occurred_at, lead_scoring.staged_event_id('event_id')
    ) }}

),

contacts as (

    select contact_id from {{ ref('stg_contacts') }}

),

event_types as (

    select lower(trim(event_type)) as event_type from {{ ref('event_types') }}

),

in_window as (

    select
        {{ lead_scoring.staged_event_id('event_id') }} as event_id,
        nullif(trim(cast(contact_id as {{ dbt.type_string() }})), '') as contact_id,
        lower(nullif(trim(event_type), '')) as event_type,
        {{ read_occurred_at }} as occurred_at,
        cast(occurred_at as {{ dbt.type_string() }}) as occurred_at_raw,
        nullif(trim(page_url), '') as page_url,
        nullif(trim(campaign), '') as campaign,
        lower(nullif(trim(channel), '')) as channel,
        nullif(trim(properties), '') as properties

    from source_in_window

),

{%- if is_incremental() %}

earlier_copies as (

    -- Copies of the window's event ids staged before the cutoff: they come
    -- first in the order of copies (they happened earlier).
    select
        event_id,
        count(*) as copies

    from {{ this }}
    where
        event_id in (select in_window.event_id from in_window)
        and not {{ lead_scoring.in_event_window(window) }}
    group by event_id

),

rejected_as_unknown as (

    -- One equality per reason: a filter the scan applies itself, where a
    -- list of reasons made it read every staged row (0.3 s against 0.04 s
    -- at 10 million rows).
    select * from {{ this }}
    where rejection_reason = 'unknown contact_id'

    union all

    select * from {{ this }}
    where rejection_reason = 'unknown event_type'

),
{%- endif %}

urls as (

    -- The path alone (no scheme, host, query or fragment), lower-cased, is
    -- what page patterns match: '/pricing' for
    -- 'https://www.example.com/Pricing?plan=team'. Worked out once per
    -- distinct URL: a site has far fewer URLs than page views.
    select
        page_url,
        coalesce(
            {{ lead_scoring.regexp_extract_group(
                'lower(page_url)',
                '^(?:[a-z][a-z0-9+.-]*://[^/?#]*)?([^?#]*)'
            ) }},
            '/'
        ) as page_path

    from (
        select distinct page_url
        from in_window
        where page_url is not null
    ) as distinct_urls

),

ranked as (

    select
        in_window.*,
        row_number() over (
            partition by in_window.event_id
            order by
                in_window.occurred_at nulls last,
                in_window.contact_id nulls last,
                in_window.event_type,
                in_window.page_url,
                in_window.campaign,
                in_window.channel,
                in_window.properties
        ) as copy_rank

    from in_window

),

with_page_path as (

    select
        ranked.event_id,
        ranked.contact_id,
        ranked.event_type,
        ranked.occurred_at,
        ranked.page_url,
        urls.page_path,
        ranked.campaign,
        ranked.channel,
        ranked.properties,
        ranked.occurred_at_raw,
        {%- if is_incremental() %}
        coalesce(earlier_copies.copies, 0) + ranked.copy_rank as event_id_rank
        {%- else %}
        ranked.copy_rank as event_id_rank
        {%- endif %}

    from ranked
    left join urls
        on ranked.page_url = urls.page_url
    {%- if is_incremental() %}
    left join earlier_copies
        on ranked.event_id = earlier_copies.event_id
    {%- endif %}

),

to_check as (

    select * from with_page_path
    {%- if is_incremental() %}

    union all

    -- Rows before the cutoff that were rejected for a contact or an event
    -- type not known then: checked again.
    select
        event_id,
        contact_id,
        event_type,
        occurred_at,
        page_url,
        page_path,
        campaign,
        channel,
        properties,
        occurred_at_raw,
        event_id_rank

    from rejected_as_unknown
    where not {{ lead_scoring.in_event_window(window) }}
    {%- endif %}

),

checked as (

    select
        to_check.*,
        contacts.contact_id is not null as is_known_contact,
        event_types.event_type is not null as is_known_event_type

    from to_check
    left join contacts
        on to_check.contact_id = contacts.contact_id
    left join event_types
        on to_check.event_type = event_types.event_type

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
        event_id_rank,
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
        end as rejection_reason,
        {{ lead_scoring.batch_timestamp() }} as batch_at

    from checked

)

select * from final
