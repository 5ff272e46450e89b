{{ config(materialized='table') }}

-- The spine of the marts: one row per moment scored (int_lead_scoring__scoring_moments),
-- contact and score model that applies to it then, for the contacts that
-- exist at that moment, with the contact profile valid then
-- (profile_valid_from, see int_lead_scoring__contacts_enriched). A score model applies
-- when every condition of its segment (seed score_model_segments) holds:
-- attribute conditions on the contact and its account as they were,
-- behaviour conditions on the events up to the moment. A score model
-- without conditions applies to every contact.

with

moments as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__scoring_moments') }}

),

contacts as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__contacts_enriched') }}

),

attributes as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__contact_attributes_unpivoted') }}

),

event_matches as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__event_matches') }}

),

score_models as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__score_models') }}

),

segments as (

    select
        score_model,
        condition_id,
        applies_to,
        attribute,
        operator,
        {{ lead_scoring.normalised_match_value('value', 'operator') }} as match_value,
        {{ lead_scoring.rule_bound('min_value', 'attribute', 'operator') }} as min_value,
        {{ lead_scoring.rule_bound('max_value', 'attribute', 'operator') }} as max_value,
        coalesce(min_occurrences, 1) as min_occurrences,
        within_days

    from {{ ref('lead_scoring', 'stg_lead_scoring__score_model_segments') }}

),

contacts_in_scope as (

    -- The profile valid at each moment, of the contacts created by then.
    select
        moments.as_of,
        contacts.contact_id,
        contacts.valid_from as profile_valid_from

    from moments
    inner join contacts
        on {{ lead_scoring.is_valid_at('contacts', 'moments.as_of') }}
    where
        contacts.created_at is null
        or contacts.created_at <= moments.as_of

),

conditions_per_model as (

    select
        score_model,
        count(*) as conditions

    from segments
    group by score_model

),

attribute_conditions_met as (

    select
        contacts_in_scope.as_of,
        attributes.contact_id,
        segments.score_model,
        segments.condition_id

    from attributes
    inner join contacts_in_scope
        on
            attributes.contact_id = contacts_in_scope.contact_id
            and attributes.valid_from = contacts_in_scope.profile_valid_from
    inner join segments
        on attributes.attribute = segments.attribute
    where
        segments.applies_to = 'attribute'
        and {{ lead_scoring.attribute_rule_matches('segments', 'attributes') }}

),

behaviour_conditions_met as (

    select
        moments.as_of,
        event_matches.contact_id,
        segments.score_model,
        segments.condition_id

    from event_matches
    inner join segments
        on
            event_matches.score_model = segments.score_model
            and event_matches.condition_id = segments.condition_id
    inner join moments
        on event_matches.occurred_at <= moments.as_of
    where
        event_matches.matcher_kind = 'segment'
        and (
            segments.within_days is null
            or {{ lead_scoring.at_most_days_apart(
                'event_matches.occurred_at', 'moments.as_of', 'segments.within_days'
            ) }}
        )
    group by
        moments.as_of,
        event_matches.contact_id,
        segments.score_model,
        segments.condition_id,
        segments.min_occurrences
    having count(*) >= segments.min_occurrences

),

conditions_met as (

    select * from attribute_conditions_met
    union all
    select * from behaviour_conditions_met

),

segmented as (

    select
        conditions_met.as_of,
        conditions_met.contact_id,
        conditions_met.score_model

    from conditions_met
    inner join conditions_per_model
        on conditions_met.score_model = conditions_per_model.score_model
    group by
        conditions_met.as_of,
        conditions_met.contact_id,
        conditions_met.score_model,
        conditions_per_model.conditions
    having count(distinct conditions_met.condition_id) = conditions_per_model.conditions

),

unsegmented as (

    select
        contacts_in_scope.as_of,
        contacts_in_scope.contact_id,
        contacts_in_scope.profile_valid_from,
        score_models.score_model

    from contacts_in_scope
    cross join score_models
    left join conditions_per_model
        on score_models.score_model = conditions_per_model.score_model
    where conditions_per_model.score_model is null

),

final as (

    select
        contact_id,
        score_model,
        as_of,
        profile_valid_from

    from unsegmented
    union all
    select
        segmented.contact_id,
        segmented.score_model,
        segmented.as_of,
        contacts_in_scope.profile_valid_from

    from segmented
    inner join contacts_in_scope
        on
            segmented.contact_id = contacts_in_scope.contact_id
            and segmented.as_of = contacts_in_scope.as_of

)

select * from final
