{{ config(materialized='table') }}

-- One row per contact the scoring models know of, now or at the last build,
-- with the fingerprint of what its scores depend on and whether it changed
-- since the last complete build (int_contact_rescore_state): the models
-- scored by contact recompute only the changed contacts on an incremental
-- build (see macros/utils/rescore.sql). The fingerprint sums a hash of the
-- contact's staged events and of its profile versions (contact and account
-- attributes), and carries the point tables and the moments scored, so that
-- a changed point table or a new as-of moment changes every contact. A
-- contact gone from the sources is changed, with a null fingerprint: its
-- rows are deleted. Without a state (a first or full build) every contact
-- is changed.

{%- set seeds = [
    'combination_rule_steps', 'combination_rules', 'email_domains', 'engagement_levels',
    'event_types', 'explicit_rules', 'fit_grades', 'implicit_rules', 'negative_rules',
    'page_categories', 'placeholder_names', 'point_caps', 'repeat_rules', 'score_bands',
    'score_model_segments', 'score_models',
] %}
{%- for seed in seeds %}
-- depends_on: {{ ref(seed) }}
{%- endfor %}
{%- set profile_columns = [] %}
{%- if execute %}
{%- for column in adapter.get_columns_in_relation(ref('int_contacts_enriched')) %}
{%- do profile_columns.append(adapter.quote(column.name)) %}
{%- endfor %}
{%- endif %}
{%- set state = lead_scoring.rescore_state_relation() if execute and not flags.FULL_REFRESH else none %}

with

events as (

    select
        contact_id,
        count(*) as event_count,
        {{ lead_scoring.sum_of_row_hashes(['event_id', 'event_type', 'occurred_at', 'page_path']) }}
            as events_hash

    from {{ ref('stg_events') }}
    group by contact_id

),

profiles as (

    select
        contact_id,
        count(*) as profile_count,
        {{ lead_scoring.sum_of_row_hashes(profile_columns or ['contact_id']) }} as profiles_hash

    from {{ ref('int_contacts_enriched') }}
    group by contact_id

),

current_contacts as (

    select
        coalesce(profiles.contact_id, events.contact_id) as contact_id,
        {{ dbt.concat([
            lead_scoring.quote_literal(lead_scoring.rescore_global_fingerprint(seeds)),
            "'|'", "coalesce(cast(events.event_count as " ~ dbt.type_string() ~ "), '0')",
            "'|'", "coalesce(events.events_hash, '')",
            "'|'", "coalesce(cast(profiles.profile_count as " ~ dbt.type_string() ~ "), '0')",
            "'|'", "coalesce(profiles.profiles_hash, '')",
        ]) }} as fingerprint

    from profiles
    full outer join events
        on profiles.contact_id = events.contact_id

),

final as (

    {%- if state is none %}

    select
        contact_id,
        fingerprint,
        true as is_changed

    from current_contacts
    {%- else %}

    select
        coalesce(current_contacts.contact_id, state.contact_id) as contact_id,
        current_contacts.fingerprint,
        coalesce(current_contacts.fingerprint, '') <> coalesce(state.fingerprint, '') as is_changed

    from current_contacts
    full outer join {{ state }} as state
        on current_contacts.contact_id = state.contact_id
    {%- endif %}

)

select * from final
