-- The raw contacts with their columns renamed to the roles staging reads (var
-- lead_scoring__contacts_columns maps them; see macros/utils/sources.sql).
{{ lead_scoring.mapped_source('contacts') }}
