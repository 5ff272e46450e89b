-- The raw conversions with their columns renamed to the roles staging reads (var
-- lead_scoring__conversions_columns maps them; see macros/utils/sources.sql).
{{ lead_scoring.mapped_source('conversions') }}
