-- Does a score favour or disfavour a group of contacts? One row per score
-- model, attribute checked and value of it: the group's contacts (those of
-- lead_scoring__scores, with the attributes of the profile they were scored with),
-- their average and median total score, and the share of them in the MQL
-- band or above (MQL rate) beside the share of all the score model's
-- contacts. A group is flagged when its rate is above var
-- lead_scoring__bias_max_ratio (default 1.25) times the overall rate, or
-- below the overall rate divided by it (below four fifths of it by default:
-- the four-fifths rule of adverse impact, applied to every group against
-- the overall rate rather than against the best group).
--
-- The attributes are those of vars lead_scoring__bias_attributes and
-- lead_scoring__sensitive_attributes (macro bias_attributes checks that
-- they are attributes rules can name). Values are read as rules compare them
-- (int_lead_scoring__contact_attributes_unpivoted: text trimmed and lower-cased, booleans
-- 'true' or 'false', numbers written plainly, dates as YYYY-MM-DD); a
-- contact without a value is in the group '(missing)'. The MQL band is the
-- band named 'MQL' (case-insensitively) of seed score_bands.
{%- set checked = lead_scoring.bias_attributes() %}
{%- set max_ratio_number = 'cast(' ~ lead_scoring.bias_max_ratio() ~ ' as ' ~ dbt.type_numeric() ~ ')' %}
{%- set epoch_date = dbt.dateadd(
    'day', 'cast(attribute_number as ' ~ dbt.type_int() ~ ')', "cast('1970-01-01' as date)"
) %}

with

scores as (

    select * from {{ ref('lead_scoring', 'lead_scoring__scores') }}

),

contact_scores as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__contact_scores') }}

),

attributes as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__contact_attributes_unpivoted') }}

),

thresholds as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__score_thresholds_ranked') }}

),

checked_attributes as (

    -- The attributes checked: names from the vars, known attributes only.
    {%- if checked %}
    {%- for attribute in checked %}

    select
        {{ lead_scoring.quote_literal(attribute.name) }} as attribute,
        {{ lead_scoring.quote_literal(attribute.kind) }} as attribute_kind,
        {{ 'true' if attribute.is_sensitive else 'false' }} as is_sensitive
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}
    {%- else %}

    select
        cast(null as {{ dbt.type_string() }}) as attribute,
        cast(null as {{ dbt.type_string() }}) as attribute_kind,
        false as is_sensitive
    where 1 = 0
    {%- endif %}

),

mql_bands as (

    select
        score_model,
        threshold_rank as mql_rank

    from thresholds
    where
        threshold_kind = 'band'
        and lower(threshold_name) = 'mql'

),

scored as (

    -- Each score with the profile it was computed from.
    select
        scores.contact_id,
        scores.score_model,
        scores.total_score,
        contact_scores.profile_valid_from,
        coalesce(scores.score_band_rank >= mql_bands.mql_rank, false) as is_mql

    from scores
    inner join contact_scores
        on
            scores.contact_id = contact_scores.contact_id
            and scores.score_model = contact_scores.score_model
            and scores.as_of = contact_scores.as_of
    left join mql_bands
        on scores.score_model = mql_bands.score_model

),

values_of_contacts as (

    select
        scored.contact_id,
        scored.score_model,
        scored.total_score,
        scored.is_mql,
        checked_attributes.attribute,
        checked_attributes.attribute_kind,
        checked_attributes.is_sensitive,
        attributes.attribute_text,
        attributes.attribute_number

    from scored
    cross join checked_attributes
    left join attributes
        on
            scored.contact_id = attributes.contact_id
            and scored.profile_valid_from = attributes.valid_from
            and checked_attributes.attribute = attributes.attribute

),

contact_values as (

    select
        contact_id,
        score_model,
        total_score,
        is_mql,
        attribute,
        is_sensitive,
        -- Whole numbers without decimals; dates (days since 1970-01-01) as dates.
        coalesce(
            case
                when attribute_kind = 'number' and attribute_number = floor(attribute_number)
                    then cast(cast(attribute_number as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }})
                when attribute_kind = 'number'
                    then cast(cast(attribute_number as {{ lead_scoring.type_double() }}) as {{ dbt.type_string() }})
                when attribute_kind = 'date'
                    then cast(cast({{ epoch_date }} as date) as {{ dbt.type_string() }})
                else attribute_text
            end,
            '(missing)'
        ) as attribute_value

    from values_of_contacts

),

overall as (

    select
        score_model,
        count(*) as overall_contacts,
        sum(case when is_mql then 1 else 0 end) as overall_mqls

    from scored
    group by score_model

),

value_groups as (

    select
        score_model,
        attribute,
        attribute_value,
        is_sensitive,
        count(*) as contacts,
        sum(case when is_mql then 1 else 0 end) as mql_contacts,
        avg(cast(total_score as {{ lead_scoring.type_double() }})) as avg_total_score,
        {{ lead_scoring.median('total_score') }} as median_total_score

    from contact_values
    group by
        score_model,
        attribute,
        attribute_value,
        is_sensitive

),

compared as (

    select
        value_groups.*,
        overall.overall_contacts,
        overall.overall_mqls,
        -- mql_rate / overall_mql_rate = group_side / overall_side, in whole numbers.
        value_groups.mql_contacts * overall.overall_contacts as group_side,
        overall.overall_mqls * value_groups.contacts as overall_side

    from value_groups
    inner join overall
        on value_groups.score_model = overall.score_model

),

final as (

    select
        score_model,
        attribute,
        attribute_value,
        is_sensitive,
        contacts,
        avg_total_score,
        median_total_score,
        cast(mql_contacts as {{ dbt.type_bigint() }}) as mql_contacts,
        cast(mql_contacts as {{ lead_scoring.type_double() }}) / contacts as mql_rate,
        cast(overall_mqls as {{ lead_scoring.type_double() }}) / overall_contacts as overall_mql_rate,
        -- null without any MQL overall.
        cast(group_side as {{ lead_scoring.type_double() }}) / nullif(overall_side, 0) as mql_rate_ratio,
        {{ max_ratio_number }} as max_ratio,
        -- Compared exactly (whole numbers times the ratio, a decimal), so
        -- that a group exactly at the limit is not flagged by a rounding error.
        coalesce(
            overall_mqls > 0
            and (
                group_side > {{ max_ratio_number }} * overall_side
                or group_side * {{ max_ratio_number }} < overall_side
            ),
            false
        ) as is_flagged

    from compared

)

select * from final
