{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ lead_scoring.delete_contacts_to_rescore() }}",
) }}

-- Occurrences of inactivity rules (negative_rules, applies_to = inactivity)
-- at every moment scored (int_lead_scoring__scoring_moments): one per contact, rule and
-- moment when the contact has had no engagement event in the last
-- `inactive_days` days before the moment (its last one is more than that
-- old) and was created at least that long before it. The occurrence is the
-- moment the contact became inactive: its last engagement (or its creation)
-- plus `inactive_days`.
--
-- Incremental by contact and moment: a build recomputes the rows
-- int_lead_scoring__contacts_to_rescore lists as changed (the moments after a contact's
-- new or late events), and every contact at the moments the table holds no
-- row of yet (a new as-of moment); the other rows are kept
-- (macros/utils/rescore.sql).
-- depends_on: {{ ref('lead_scoring', 'int_lead_scoring__contacts_to_rescore') }}

with

moments as (

    -- On an incremental build, the moments with a row to compute.
    select * from {{ ref('lead_scoring', 'int_lead_scoring__scoring_moments') }}
    where {{ lead_scoring.is_moment_to_rescore('as_of') }}

),

contacts as (

    -- The profile valid at each moment.
    select
        contacts.contact_id,
        contacts.created_at,
        moments.as_of

    from {{ ref('lead_scoring', 'int_lead_scoring__contacts_enriched') }} as contacts
    inner join moments
        on {{ lead_scoring.is_valid_at('contacts', 'moments.as_of') }}
    where {{ lead_scoring.is_row_to_rescore('contacts.contact_id', 'moments.as_of') }}

),

events as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__events_in_scope') }}
    where {{ lead_scoring.is_contact_to_rescore('contact_id') }}

),

rules as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__scoring_rules_unioned') }}
    where rule_kind = 'inactivity'

),

span as (

    select min(as_of) as first_as_of
    from moments

),

engagement_before_span as (

    -- The last engagement up to the first moment, once per contact: every
    -- moment sees at least it.
    select
        events.contact_id,
        max(events.occurred_at) as last_engaged_at

    from events
    cross join span
    where
        events.is_engagement
        and events.occurred_at <= span.first_as_of
    group by events.contact_id

),

engagement_in_span as (

    -- Engagements after the first moment, at each moment they precede.
    select
        moments.as_of,
        events.contact_id,
        max(events.occurred_at) as last_engaged_at

    from events
    cross join span
    inner join moments
        on events.occurred_at <= moments.as_of
    where
        events.is_engagement
        and events.occurred_at > span.first_as_of
    group by moments.as_of, events.contact_id

),

last_engagement as (

    select
        as_of,
        contact_id,
        max(last_engaged_at) as last_engaged_at

    from (
        select
            moments.as_of,
            engagement_before_span.contact_id,
            engagement_before_span.last_engaged_at
        from engagement_before_span
        cross join moments

        union all

        select
            as_of,
            contact_id,
            last_engaged_at
        from engagement_in_span
    ) as engagements
    group by as_of, contact_id

),

candidates as (

    select
        contacts.contact_id,
        rules.rule_id,
        rules.inactive_days,
        contacts.as_of,
        cast(rules.inactive_days * 86400 as {{ dbt.type_int() }}) as inactive_seconds,
        last_engagement.last_engaged_at,
        coalesce(last_engagement.last_engaged_at, contacts.created_at) as inactive_since

    from contacts
    cross join rules
    left join last_engagement
        on
            contacts.contact_id = last_engagement.contact_id
            and contacts.as_of = last_engagement.as_of
    where
        contacts.created_at is null
        or {{ dbt.datediff('contacts.created_at', 'contacts.as_of', 'second') }}
        >= rules.inactive_days * 86400

),

final as (

    select
        contact_id,
        rule_id,
        as_of,
        {{ dbt.dateadd('second', 'inactive_seconds', 'inactive_since') }} as occurred_at

    from candidates
    where
        -- never engaged (and old enough, see candidates), or engaged last
        -- more than inactive_days ago
        last_engaged_at is null
        or {{ dbt.datediff('last_engaged_at', 'as_of', 'second') }} > inactive_seconds  -- noqa: LT05

)

select * from final
