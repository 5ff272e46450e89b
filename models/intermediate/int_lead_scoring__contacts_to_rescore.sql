{{ config(materialized='table') }}

-- One row per contact the scoring models know of, now or at the last
-- build, and moment scored (int_lead_scoring__scoring_moments), with the fingerprint of
-- what its scores at that moment depend on and whether it changed since the
-- last complete build (int_lead_scoring__contact_rescore_state): the models scored by
-- contact recompute only the changed rows on an incremental build (see
-- macros/utils/rescore.sql). The fingerprint sums a hash of the contact's
-- staged events at or before the moment and of its profile versions
-- (contact and account attributes), and carries the point tables, so that
-- a changed point table changes every row. An event that arrives late
-- changes the moments after it only; a moment new to this build has no
-- fingerprint yet and is changed for every contact. A contact gone from the
-- sources is changed, with a null fingerprint: its rows are deleted.
-- Without a state (a first or full build) every row is changed.
--
-- The events are summed per moment (each event counts at the first moment
-- at or after it: moments are consecutive day ends, then the as-of moment),
-- then added up moment after moment: one pass over the events, whatever
-- the number of moments.

{#- The point tables (macros/point_tables/point_table_contract.sql) every score depends on. #}
{%- set point_tables = [
    'combination_rule_steps', 'combination_rules', 'email_domains', 'engagement_levels',
    'event_types', 'explicit_rules', 'fit_grades', 'implicit_rules', 'negative_rules',
    'number_buckets', 'page_categories', 'placeholder_names', 'point_caps', 'repeat_rules', 'score_bands',
    'score_model_segments', 'score_models',
] %}
{%- for name in point_tables %}
-- depends_on: {{ ref('lead_scoring', 'stg_lead_scoring__' ~ name) }}
{%- endfor %}
{%- set profile_columns = [] %}
{%- if execute %}
{%- for column in adapter.get_columns_in_relation(ref('lead_scoring', 'int_lead_scoring__contacts_enriched')) %}
{%- do profile_columns.append(adapter.quote(column.name)) %}
{%- endfor %}
{%- endif %}
{%- set state = lead_scoring.rescore_state_relation() if execute and not flags.FULL_REFRESH else none %}
{%- set moments = lead_scoring.scoring_moments() %}
{%- set first_moment = lead_scoring.timestamp_literal(moments[0].as_of) %}
{%- set as_of = lead_scoring.timestamp_literal(moments[-1].as_of) %}
{%- set day_start = dbt.date_trunc('day', 'occurred_at') %}
{%- set day_end = 'case when occurred_at = ' ~ day_start ~ ' then occurred_at else '
    ~ dbt.dateadd('day', 1, day_start) ~ ' end' %}

with

moments as (

    select as_of from {{ ref('lead_scoring', 'int_lead_scoring__scoring_moments') }}

),

events as (

    select
        contact_id,
        {{ lead_scoring.row_hash_number(['event_id', 'event_type', 'occurred_at', 'page_path']) }} as event_hash,
        case
            when occurred_at <= {{ first_moment }} then {{ first_moment }}
            when cast({{ day_end }} as {{ dbt.type_timestamp() }}) >= {{ as_of }} then {{ as_of }}
            else cast({{ day_end }} as {{ dbt.type_timestamp() }})
        end as as_of

    from {{ ref('lead_scoring', 'stg_lead_scoring__events') }}
    where occurred_at <= {{ as_of }}

),

events_per_moment as (

    select
        contact_id,
        as_of,
        count(*) as event_count,
        sum(event_hash) as events_hash

    from events
    group by contact_id, as_of

),

profiles as (

    select
        contact_id,
        count(*) as profile_count,
        {{ lead_scoring.sum_of_row_hashes(profile_columns or ['contact_id']) }} as profiles_hash

    from {{ ref('lead_scoring', 'int_lead_scoring__contacts_enriched') }}
    group by contact_id

),

contacts as (

    select contact_id from profiles
    union
    select contact_id from events_per_moment

),

cumulative as (

    select
        contacts.contact_id,
        moments.as_of,
        sum(coalesce(events_per_moment.event_count, 0)) over (
            partition by contacts.contact_id
            order by moments.as_of
            rows between unbounded preceding and current row
        ) as event_count,
        sum(coalesce(events_per_moment.events_hash, 0)) over (
            partition by contacts.contact_id
            order by moments.as_of
            rows between unbounded preceding and current row
        ) as events_hash

    from contacts
    cross join moments
    left join events_per_moment
        on
            contacts.contact_id = events_per_moment.contact_id
            and moments.as_of = events_per_moment.as_of

),

current_rows as (

    select
        cumulative.contact_id,
        cumulative.as_of,
        {{ dbt.concat([
            lead_scoring.quote_literal(lead_scoring.rescore_global_fingerprint(point_tables)),
            "'|'", "cast(cumulative.event_count as " ~ dbt.type_string() ~ ")",
            "'|'", "cast(cumulative.events_hash as " ~ dbt.type_string() ~ ")",
            "'|'", "coalesce(cast(profiles.profile_count as " ~ dbt.type_string() ~ "), '0')",
            "'|'", "coalesce(profiles.profiles_hash, '')",
        ]) }} as fingerprint

    from cumulative
    left join profiles
        on cumulative.contact_id = profiles.contact_id

),

final as (

    {%- if state is none %}

    select
        contact_id,
        as_of,
        fingerprint,
        true as is_changed

    from current_rows
    {%- else %}

    select
        coalesce(current_rows.contact_id, state.contact_id) as contact_id,
        coalesce(current_rows.as_of, state.as_of) as as_of,
        current_rows.fingerprint,
        coalesce(current_rows.fingerprint, '') <> coalesce(state.fingerprint, '') as is_changed

    from current_rows
    full outer join (
        -- The fingerprints at the moments scored now: the rows of other
        -- moments are deleted whatever their fingerprint.
        select * from {{ state }}
        where as_of in (select as_of from moments)
    ) as state
        on
            current_rows.contact_id = state.contact_id
            and current_rows.as_of = state.as_of
    {%- endif %}

)

select * from final
