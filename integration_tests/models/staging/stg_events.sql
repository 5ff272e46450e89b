-- The host's own staging model of its web events (columns the package does
-- not expect: reading it instead of the package's would fail the build).
select
    event_id as web_event_id,
    contact_id as crm_contact_id,
    event_type as web_event_type

from {{ source('crm', 'web_events') }}
