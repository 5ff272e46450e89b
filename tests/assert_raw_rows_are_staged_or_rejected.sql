-- Nothing is lost: for every source, the raw rows equal the staged rows plus
-- the rejected rows. Returns the sources where they do not, with what to do:
-- events are staged incrementally, so raw events that arrived later than var
-- lead_scoring__lookback_days (dated before the last build's cutoff) are not
-- read until a full refresh.

{%- set sources = [
    ('contacts', source('raw_contacts', 'contacts')),
    ('accounts', source('raw_accounts', 'accounts')),
    ('events', source('raw_events', 'events')),
    ('conversions', source('raw_conversions', 'conversions')),
] %}

with

counts as (

    {%- for name, relation in sources %}

    select
        '{{ name }}' as source_table,
        (select count(*) from {{ relation }}) as raw_rows,
        (select count(*) from {{ ref('stg_' ~ name) }}) as staged_rows,
        (select count(*) from {{ ref('stg_' ~ name ~ '_rejected') }}) as rejected_rows
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
            then 'events arrived later than lead_scoring__lookback_days: run a full refresh or widen it'
        else 'raw rows and staged + rejected rows differ'
    end as fix

from counts
where raw_rows <> staged_rows + rejected_rows
