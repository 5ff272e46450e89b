{{ config(materialized='table') }}

-- Every version of every staged account with the interval it was valid in
-- (valid_from inclusive, valid_to exclusive, null: still valid), from the
-- snapshot lead_scoring__accounts_snapshot, or one version valid at every moment when var
-- lead_scoring__attribute_history is 'none'. Scoring a past moment reads the
-- version valid then.
--
-- The open version always holds the staged row as it is now: a change that
-- did not move updated_at, or a column added since the snapshot began, is
-- known from the build that sees it. A account no longer in the raw table is
-- valid until the start of this build at the latest (the snapshot closes it
-- by its own clock, which can be later, or local time). A account that left
-- the raw table and came back unchanged has two snapshot rows that overlap:
-- a version starts no earlier than the end of the one before.
{%- set columns = [
    'account_name', 'domain', 'industry', 'employee_count', 'annual_revenue', 'country',
    'created_at', 'updated_at',
] %}

{{ lead_scoring.versions_with_current_row('accounts', 'account_id', columns) }}
