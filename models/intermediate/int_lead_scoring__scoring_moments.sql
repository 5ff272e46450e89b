{{ config(materialized='table') }}

-- The moments this build scores: the as-of moment (is_current), the end of
-- every day lead_scoring__score_history records (is_recorded: the last complete day
-- before the as-of moment and var lead_scoring__lookback_days days before
-- it, or every day from var lead_scoring__history_backfill_from), and the end
-- of the day before those, the baseline their changes are measured against.
-- The end of a day is 00:00:00 UTC of the next one. Every model that depends
-- on time scores each of these moments; the list is a function of the vars
-- alone (macro scoring_moments), so rebuilding a day gives the same rows.

with

moments as (

    {%- for moment in lead_scoring.scoring_moments() %}

    select
        {{ lead_scoring.timestamp_literal(moment.as_of) }} as as_of,
        {{ 'true' if moment.is_current else 'false' }} as is_current,
        {%- if moment.history_date %}
        cast({{ lead_scoring.quote_literal(moment.history_date) }} as date) as history_date,
        {%- else %}
        cast(null as date) as history_date,
        {%- endif %}
        {{ 'true' if moment.is_recorded else 'false' }} as is_recorded
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

),

final as (

    select * from moments

)

select * from final
