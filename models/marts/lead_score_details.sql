-- One row per contact, score model and rule that fired: the explanation of
-- every point of lead_scores. Its points add up to lead_scores.total_score.

with

scored_contacts as (

    select * from {{ ref('int_scored_contacts') }}

),

attribute_rules_fired as (

    select * from {{ ref('int_attribute_rules_fired') }}

),

event_rules_fired as (

    select * from {{ ref('int_event_rules_fired') }}

),

rules as (

    select * from {{ ref('int_scoring_rules_unioned') }}

),

fired as (

    select * from attribute_rules_fired
    union all
    select * from event_rules_fired

),

final as (

    select
        scored_contacts.contact_id,
        scored_contacts.score_model,
        fired.rule_id,
        fired.category,
        rules.description as rule_description,
        fired.occurrences_matched,
        fired.occurrences_counted,
        fired.points_per_occurrence,
        fired.points,
        scored_contacts.as_of

    from fired
    inner join scored_contacts
        on
            fired.contact_id = scored_contacts.contact_id
            and fired.score_model = scored_contacts.score_model
    inner join rules
        on fired.rule_id = rules.rule_id

)

select * from final
