{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ lead_scoring.delete_contacts_to_rescore() }}",
) }}

-- Every rule that fired for a contact and a score model that applies to it,
-- at every moment scored (int_lead_scoring__scoring_moments: attribute rules of the
-- contact profile valid then, engagement rules at that moment), with the
-- cap groups of seed point_caps applied: the positive points of a
-- group's rules add up to at most its max_points, the rules keeping their
-- points in order of points (largest first, then rule_id) until the cap is
-- reached. A rule capped to 0 keeps its row: it fired, and the row says why
-- it gives nothing.
--
-- Incremental by contact and moment: a build recomputes the rows
-- int_lead_scoring__contacts_to_rescore lists as changed (the moments after a contact's
-- new or late events), and every contact at the moments the table holds no
-- row of yet (a new as-of moment); the other rows are kept
-- (macros/utils/rescore.sql).
-- depends_on: {{ ref('lead_scoring', 'int_lead_scoring__contacts_to_rescore') }}

with

scored_contacts as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__scored_contacts') }}
    where {{ lead_scoring.is_row_to_rescore('contact_id', 'as_of') }}

),

attribute_rules_fired as {{ lead_scoring.not_materialized() }} (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__attribute_rules_fired') }}
    where {{ lead_scoring.is_contact_to_rescore('contact_id') }}

),

engagement_rules_fired as {{ lead_scoring.not_materialized() }} (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__engagement_rules_fired') }}
    where {{ lead_scoring.is_row_to_rescore('contact_id', 'as_of') }}

),

rules as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__scoring_rules_unioned') }}

),

point_caps as (

    -- One row per group: rules name groups case-insensitively, and a group
    -- written twice keeps its lowest cap rather than doubling the rows.
    select
        score_model,
        cap_group,
        min(max_points) as max_points

    from {{ ref('lead_scoring', 'stg_lead_scoring__point_caps') }}
    group by score_model, cap_group

),

fired as {{ lead_scoring.not_materialized() }} (

    select
        attribute_rules_fired.contact_id,
        scored_contacts.score_model,
        scored_contacts.as_of,
        attribute_rules_fired.rule_id,
        attribute_rules_fired.category,
        attribute_rules_fired.occurrences_matched,
        attribute_rules_fired.occurrences_counted,
        attribute_rules_fired.points_per_occurrence,
        attribute_rules_fired.base_points,
        attribute_rules_fired.decayed_points,
        attribute_rules_fired.rule_capped_points,
        attribute_rules_fired.last_occurred_at

    from attribute_rules_fired
    inner join scored_contacts
        on
            attribute_rules_fired.contact_id = scored_contacts.contact_id
            and attribute_rules_fired.profile_valid_from = scored_contacts.profile_valid_from
            and attribute_rules_fired.score_model = scored_contacts.score_model
            -- An age_between rule fires in its own interval of moments.
            and (attribute_rules_fired.fires_from is null or attribute_rules_fired.fires_from <= scored_contacts.as_of)
            and (attribute_rules_fired.fires_until is null or attribute_rules_fired.fires_until > scored_contacts.as_of)

    union all

    select
        engagement_rules_fired.contact_id,
        scored_contacts.score_model,
        scored_contacts.as_of,
        engagement_rules_fired.rule_id,
        engagement_rules_fired.category,
        engagement_rules_fired.occurrences_matched,
        engagement_rules_fired.occurrences_counted,
        engagement_rules_fired.points_per_occurrence,
        engagement_rules_fired.base_points,
        engagement_rules_fired.decayed_points,
        engagement_rules_fired.rule_capped_points,
        engagement_rules_fired.last_occurred_at

    from engagement_rules_fired
    inner join scored_contacts
        on
            engagement_rules_fired.contact_id = scored_contacts.contact_id
            and engagement_rules_fired.as_of = scored_contacts.as_of
            and engagement_rules_fired.score_model = scored_contacts.score_model

),

applicable as {{ lead_scoring.not_materialized() }} (

    -- Read by both branches below, each with its own filter: inlined rather
    -- than written out once (millions of rows per moment).
    select
        fired.*,
        rules.rule_kind,
        rules.score_dimension,
        case when fired.rule_capped_points > 0 then rules.cap_group end as cap_group,
        point_caps.max_points as group_max_points

    from fired
    inner join rules
        on fired.rule_id = rules.rule_id
    left join point_caps
        on
            rules.score_model = point_caps.score_model
            and rules.cap_group = point_caps.cap_group

),

group_running as (

    -- Only the positive rules of a capped group need the running sum of the
    -- group, in order of points (largest first, then rule_id).
    select
        applicable.*,
        coalesce(
            sum(applicable.rule_capped_points) over (
                partition by
                    applicable.contact_id, applicable.score_model, applicable.as_of, applicable.cap_group
                order by applicable.rule_capped_points desc, applicable.rule_id asc
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as group_points_before

    from applicable
    where applicable.group_max_points is not null and applicable.rule_capped_points > 0

    union all

    select
        applicable.*,
        0 as group_points_before

    from applicable
    where applicable.group_max_points is null or applicable.rule_capped_points <= 0

),

final as (

    select
        contact_id,
        score_model,
        rule_id,
        category,
        rule_kind,
        score_dimension,
        cap_group,
        occurrences_matched,
        occurrences_counted,
        points_per_occurrence,
        base_points,
        decayed_points,
        rule_capped_points,
        case
            when group_max_points is null or rule_capped_points <= 0 then rule_capped_points
            when group_points_before >= group_max_points then 0
            when group_points_before + rule_capped_points > group_max_points
                then group_max_points - group_points_before
            else rule_capped_points
        end as points,
        last_occurred_at,
        as_of

    from group_running

)

select * from final
