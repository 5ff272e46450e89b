-- The host's own mart on top of the package's: its scores beside the host's
-- staged contacts (a ref from the host to the package's mart).
select
    contacts.crm_contact_id,
    contacts.crm_seniority,
    scores.total_score,
    scores.score_band

from {{ ref('stg_contacts') }} as contacts
inner join {{ ref('lead_scoring', 'lead_scoring__scores') }} as scores
    on contacts.crm_contact_id = scores.contact_id
