{{ config(severity='warn') }}

-- Warns for every rule that scores an attribute listed in var
-- lead_scoring__sensitive_attributes (model lead_scoring__bias_rules). A warning,
-- not an error: scoring such an attribute may be deliberate (a territory rule
-- on country), and an error would stop the build and skip what depends on
-- it, while the decision is the company's. The warning names how many rules
-- to review; `select * from lead_scoring__bias_rules` lists them.

select * from {{ ref('lead_scoring', 'lead_scoring__bias_rules') }}
