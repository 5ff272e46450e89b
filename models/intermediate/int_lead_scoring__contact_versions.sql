{{ config(materialized='table') }}

-- Every version of every staged contact with the interval it was valid in
-- (valid_from inclusive, valid_to exclusive, null: still valid), from the
-- snapshot lead_scoring__contacts_snapshot, or one version valid at every moment when var
-- lead_scoring__attribute_history is 'none'. Scoring a past moment reads the
-- version valid then.
--
-- The open version always holds the staged row as it is now: a change that
-- did not move updated_at, or a column added since the snapshot began, is
-- known from the build that sees it. A contact no longer in the raw table is
-- valid until the start of this build at the latest (the snapshot closes it
-- by its own clock, which can be later, or local time). A contact that left
-- the raw table and came back unchanged has two snapshot rows that overlap:
-- a version starts no earlier than the end of the one before.
{%- set columns = [
    'email', 'email_domain', 'is_email_valid', 'first_name', 'last_name', 'phone',
    'job_title', 'seniority', 'department', 'country', 'region', 'lead_source',
    'account_id', 'created_at', 'updated_at',
] + lead_scoring.extra_contact_columns() %}


{{ lead_scoring.versions_with_current_row('contacts', 'contact_id', columns) }}
