{{ config(
    materialized='incremental',
    incremental_strategy=lead_scoring.replace_by_key_strategy(),
    unique_key=['event_id', 'event_id_rank'],
    on_schema_change='fail',
    pre_hook=[
        "{{ lead_scoring.drop_event_resync() }}",
        "{{ lead_scoring.create_event_resync() }}",
        "{{ lead_scoring.delete_event_window() }}",
    ],
    post_hook="{{ lead_scoring.drop_event_resync() }}",
) }}

-- Reads the raw events (through base_lead_scoring__events_mapped, which maps the source's columns
-- onto the roles read here): typing, trimming, the page path of the URL,
-- deduplication by event id, and the reason a row cannot be scored.
-- stg_lead_scoring__events and stg_lead_scoring__events_rejected split this model, so raw rows = staged
-- + rejected by construction, and an event id is staged at most once (only
-- its first copy, event_id_rank 1, can be). The copies of an id are ranked
-- usable first: a copy that cannot be scored (unknown contact, malformed
-- time ...) never hides a good copy of the same event.
--
-- Incremental: a build reads again only the raw rows from the cutoff on
-- (the newest staged event minus var lead_scoring__lookback_days days; see
-- macro event_window), replacing those rows, and every row of the event ids
-- listed by create_event_resync: ids whose raw rows before the cutoff
-- changed since (rows that arrived later than the lookback), ids with copies
-- on both sides of the cutoff (ranked again together, as a full build
-- would), and ids rejected earlier because their contact or event type was
-- unknown (checked again, so an event that arrived before its contact is
-- staged once the contact is). batch_at is the start of the build that
-- wrote the row: the models downstream process what changed since they last
-- ran.
--
-- Staging joins nothing as a rule; this model checks contact ids and event
-- types against what is known because an event that points nowhere can never
-- be scored and must be quarantined with its reason, not silently dropped.
--
-- occurred_at is read with read_timestamp (cast_or_null, or only a range
-- check when the raw column is already a timestamp): a malformed cell ('yesterday-ish')
-- becomes null instead of failing the build, its raw text is kept in
-- occurred_at_raw, and the row is quarantined with the reason.
{%- set window = lead_scoring.event_window() %}
{%- set mapped = ref('lead_scoring', 'base_lead_scoring__events_mapped') %}
{%- set read_occurred_at = lead_scoring.read_timestamp(mapped, 'occurred_at') %}

with

source as (

    select * from {{ ref('lead_scoring', 'base_lead_scoring__events_mapped') }}

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

    select contact_id from {{ ref('lead_scoring', 'stg_lead_scoring__contacts') }}

),

event_types as (

    select event_type from {{ ref('lead_scoring', 'stg_lead_scoring__event_types') }}

),

in_window as (

    select
        {{ lead_scoring.staged_event_id('event_id') }} as event_id,
        {{ lead_scoring.clean_text('contact_id', tokens=false) }} as contact_id,
        lower({{ lead_scoring.clean_text('event_type', tokens=false) }}) as event_type,
        {{ read_occurred_at }} as occurred_at,
        cast(occurred_at as {{ dbt.type_string() }}) as occurred_at_raw,
        {{ lead_scoring.clean_text('page_url') }} as page_url,
        {{ lead_scoring.clean_text('campaign') }} as campaign,
        lower({{ lead_scoring.clean_text('channel') }}) as channel,
        {{ lead_scoring.clean_text('properties', tokens=false) }} as properties

    from source_in_window

),

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

checked as (

    select
        in_window.*,
        contacts.contact_id is not null as is_known_contact,
        event_types.event_type is not null as is_known_event_type

    from in_window
    left join contacts
        on in_window.contact_id = contacts.contact_id
    left join event_types
        on in_window.event_type = event_types.event_type

),

ranked as (

    select
        checked.*,
        row_number() over (
            partition by checked.event_id
            order by
                -- A copy that can be scored comes first.
                checked.contact_id is null
                or not checked.is_known_contact
                or checked.event_type is null
                or not checked.is_known_event_type
                or checked.occurred_at is null
                or checked.occurred_at > {{ lead_scoring.run_started_timestamp() }},
                checked.occurred_at nulls last,
                checked.contact_id nulls last,
                checked.event_type,
                checked.page_url,
                checked.campaign,
                checked.channel,
                checked.properties
        ) as event_id_rank

    from checked

),

with_page_path as (

    select
        ranked.*,
        urls.page_path

    from ranked
    left join urls
        on ranked.page_url = urls.page_url

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
            when occurred_at is null and {{ lead_scoring.clean_text('occurred_at_raw', tokens=false) }} is not null
                then 'invalid occurred_at: not a timestamp'
            when occurred_at is null then 'missing occurred_at'
            when occurred_at > {{ lead_scoring.run_started_timestamp() }} then 'occurred_at is in the future'
        end as rejection_reason,
        {{ lead_scoring.batch_timestamp() }} as batch_at

    from with_page_path

)

select * from final
