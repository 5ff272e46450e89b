-- Nothing is lost: for every source, the raw rows equal the staged rows plus
-- the rejected rows. Returns the sources where they do not, with what to do.
-- Events are staged incrementally: raw events that arrive later than var
-- lead_scoring__lookback_days (dated before the build's cutoff) are noticed
-- and staged by the same build (macros event_window, create_event_resync),
-- so this fails when the raw table changed while the build ran, or in the
-- rare case those checks cannot see (see event_window).

-- The raw rows are counted through the base_lead_scoring__<source>_mapped views, which read the
-- raw tables one to one (an absent source is an empty view).
{%- set sources = ['contacts', 'accounts', 'events', 'conversions'] %}

with

counts as (

    {%- for name in sources %}

    select
        '{{ name }}' as source_table,
        (select count(*) from {{ ref('lead_scoring', 'base_lead_scoring__' ~ name ~ '_mapped') }}) as raw_rows,
        (select count(*) from {{ ref('lead_scoring', 'stg_lead_scoring__' ~ name) }}) as staged_rows,
        (select count(*) from {{ ref('lead_scoring', 'stg_lead_scoring__' ~ name ~ '_rejected') }}) as rejected_rows
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

)

select
    source_table,
    raw_rows,
    staged_rows,
    rejected_rows,
    case
        when source_table = 'events' and raw_rows > staged_rows + rejected_rows
            then 'raw events changed during the build: run dbt build again (or --full-refresh)'
        else 'raw rows and staged + rejected rows differ'
    end as fix

from counts
where raw_rows <> staged_rows + rejected_rows
