-- One row per contact scored as of the as-of timestamp, with three columns
-- per score model: <model>_total_score, <model>_score_band and
-- <model>_score_matrix (null when the score model does not apply to the
-- contact). The columns come from seed score_models when the model is
-- compiled: add a score model to the seed and its columns appear.
-- depends_on: {{ ref('lead_scoring', 'stg_lead_scoring__score_models') }}

{%- set score_models = lead_scoring.score_model_names(ref('lead_scoring', 'stg_lead_scoring__score_models')) %}

with

scores as (

    select * from {{ ref('lead_scoring', 'lead_scoring__scores') }}

),

contacts as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__contacts_enriched') }}

),

moments as (

    select * from {{ ref('lead_scoring', 'int_lead_scoring__scoring_moments') }}
    where is_current

),

contacts_in_scope as (

    -- The profile valid at the as-of moment, of the contacts created by then.
    select
        contacts.contact_id,
        contacts.email,
        contacts.first_name,
        contacts.last_name,
        contacts.job_title,
        contacts.company_name,
        moments.as_of

    from contacts
    inner join moments
        on {{ lead_scoring.is_valid_at('contacts', 'moments.as_of') }}
    where
        contacts.created_at is null
        or contacts.created_at <= moments.as_of

),

pivoted as (

    select
        contact_id,
        {%- for score_model in score_models %}
        {%- set is_model = "score_model = " ~ lead_scoring.quote_literal(score_model) %}
        max(case when {{ is_model }} then total_score end) as {{ adapter.quote(score_model ~ '_total_score') }},
        max(case when {{ is_model }} then score_band end) as {{ adapter.quote(score_model ~ '_score_band') }},
        max(case when {{ is_model }} then score_matrix end) as {{ adapter.quote(score_model ~ '_score_matrix') }},
        {%- endfor %}
        count(*) as score_models_applied

    from scores
    group by contact_id

),

final as (

    select
        contacts_in_scope.contact_id,
        contacts_in_scope.email,
        contacts_in_scope.first_name,
        contacts_in_scope.last_name,
        contacts_in_scope.job_title,
        contacts_in_scope.company_name,
        coalesce(pivoted.score_models_applied, 0) as score_models_applied,
        {%- for score_model in score_models %}
        {%- for suffix in ['_total_score', '_score_band', '_score_matrix'] %}
        pivoted.{{ adapter.quote(score_model ~ suffix) }},
        {%- endfor %}
        {%- endfor %}
        contacts_in_scope.as_of

    from contacts_in_scope
    left join pivoted
        on contacts_in_scope.contact_id = pivoted.contact_id

)

select * from final
