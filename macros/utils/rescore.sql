{#-
    Incremental scoring by contact.

    The models that score events per contact (repeat, combination and
    inactivity occurrences, engagement rules fired, rule points with their
    caps, score adjustments and contact scores) are incremental: a build
    recomputes only the contacts listed as changed by int_contacts_to_rescore
    and keeps the rows of the others. A contact is changed when its inputs
    differ from those the last complete build scored: its staged events, its
    profile versions (contact and account attributes), or, for every
    contact at once, the point tables (seeds). A build at new moments (a
    new as-of moment) also scores every contact at those moments only
    (rescore_plan).

    int_contacts_to_rescore compares each contact's fingerprint with the one
    kept in int_contact_rescore_state, which is written again at the end of
    every build, after the models above (it depends on them): a build that
    stops half-way leaves the old fingerprints, and the next build recomputes
    the same contacts again.
-#}

{#- The relation int_contacts_to_rescore compares with (no ref: it is built after). -#}
{% macro rescore_state_relation() -%}
    {{ return(adapter.get_relation(this.database, this.schema, 'int_contact_rescore_state')) }}
{%- endmacro %}


{#-
    What an incremental build of a model scored by contact recomputes,
    decided at compile time, before its pre-hook deletes anything:
      incremental  false on a full build (everything is computed)
      new_moments  the moments scored now that the model holds no row of (a
                   build at a new as-of moment): every contact is scored at
                   them
    The changed contacts (int_contacts_to_rescore) are scored at every
    moment; the other contacts keep their rows at the moments they were
    scored at, which give the same values (a moment's score depends only on
    the data up to it, and the contact's data did not change).
-#}
{% macro rescore_plan() -%}
    {%- set plan = {'incremental': false, 'new_moments': []} -%}
    {%- if execute and is_incremental() -%}
        {%- set stored = run_query('select distinct as_of from ' ~ this).columns[0].values()
            | map('string') | list -%}
        {%- for moment in lead_scoring.scoring_moments() -%}
            {%- if moment.as_of not in stored -%}
                {%- do plan.new_moments.append(moment.as_of) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do plan.update({'incremental': true}) -%}
    {%- endif -%}
    {{ return(plan) }}
{%- endmacro %}


{#- The changed contacts, as a SQL select of one column, contact_id. -#}
{% macro changed_contacts() -%}
    select contact_id from {{ ref('int_contacts_to_rescore') }}
    where is_changed
{%- endmacro %}


{#-
    A boolean SQL expression on a contact: whether this build reads its
    rows. On a full build, or when there are new moments (every contact is
    scored at them): every contact; otherwise the changed ones.
-#}
{% macro is_contact_to_rescore(contact_id) -%}
    {%- set plan = lead_scoring.rescore_plan() -%}
    {%- if not plan.incremental or plan.new_moments -%}
        1 = 1
    {%- else -%}
        {{ contact_id }} in ({{ lead_scoring.changed_contacts() }})
    {%- endif -%}
{%- endmacro %}


{#-
    A boolean SQL expression on a (contact, moment) row: whether this build
    computes it. On a full build every row; otherwise the rows of the changed
    contacts and every contact's rows at the new moments.
-#}
{% macro is_row_to_rescore(contact_id, as_of) -%}
    {%- set plan = lead_scoring.rescore_plan() -%}
    {%- if not plan.incremental -%}
        1 = 1
    {%- else -%}
        ({{ contact_id }} in ({{ lead_scoring.changed_contacts() }})
        {%- for moment in plan.new_moments %}
        {%- if loop.first %}
            or {{ as_of }} in (
        {%- endif %}
                {{ lead_scoring.timestamp_literal(moment) }}{{ ',' if not loop.last }}
        {%- if loop.last %}
            )
        {%- endif %}
        {%- endfor %})
    {%- endif -%}
{%- endmacro %}


{#-
    Pre-hook of the models scored by contact: delete the rows of the changed
    contacts, and the rows of moments no longer scored.
-#}
{% macro delete_contacts_to_rescore() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where
            contact_id in ({{ lead_scoring.changed_contacts() }})
            or as_of not in (
            {%- for moment in lead_scoring.scoring_moments() %}
                {{ lead_scoring.timestamp_literal(moment.as_of) }}{{ ',' if not loop.last }}
            {%- endfor %}
            )
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}


{#-
    The sum of a hash of each row's values (a list of SQL expressions), as
    text: equal for the same rows in any order, and different, but for a
    hash collision, when a row is added, removed or changed.
-#}
{% macro sum_of_row_hashes(values) -%}
    {{ return(adapter.dispatch('sum_of_row_hashes', 'lead_scoring')(values)) }}
{%- endmacro %}

{% macro duckdb__sum_of_row_hashes(values) -%}
    cast(sum(hash({{ values | join(', ') }})) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro postgres__sum_of_row_hashes(values) -%}
    cast(sum(hashtextextended({{ lead_scoring.config_line(values) }}, 0)) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro default__sum_of_row_hashes(values) -%}
    {{ dbt.hash(dbt.listagg(lead_scoring.config_line(values), "'|'", 'order by ' ~ lead_scoring.config_line(values))) }}
{%- endmacro %}


{#-
    What every contact's score depends on besides its own rows: the point
    tables (`seeds`, names of the seeds the model declares it depends on). A
    change rescores every contact. (The moments scored are not part of it:
    see rescore_plan.)
-#}
{% macro rescore_global_fingerprint(seeds) -%}
    {%- if not execute -%}{{ return('unknown') }}{%- endif -%}
    {%- set sources = [] -%}
    {%- for name in seeds | sort -%}
        {%- set relation = ref(name) -%}
        {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | sort | list -%}
        {%- do sources.append((relation, columns)) -%}
    {%- endfor -%}
    {{ return(lead_scoring.config_fingerprint(sources)) }}
{%- endmacro %}
