-- The host's own staging model of its CRM contacts: the same name as the
-- one a lead-scoring package might have chosen, in the same `staging`
-- schema. The package's models must not read it.
select
    contact_id as crm_contact_id,
    lower(email) as email_address,
    seniority as crm_seniority

from {{ source('crm', 'crm_contacts') }}
