-- The spine of the marts: one row per contact and score model that applies
-- to it, for the contacts that exist at the as-of timestamp. Every score
-- model applies to every contact for now; segment conditions come later.

with

contacts as (

    select * from {{ ref('int_contacts_enriched') }}

),

score_models as (

    select trim(score_model) as score_model from {{ ref('score_models') }}

),

final as (

    select
        contacts.contact_id,
        score_models.score_model,
        {{ lead_scoring.as_of_timestamp() }} as as_of

    from contacts
    cross join score_models
    where
        contacts.created_at is null
        or contacts.created_at <= {{ lead_scoring.as_of_timestamp() }}

)

select * from final
