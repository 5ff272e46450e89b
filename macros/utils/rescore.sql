{#-
    Incremental scoring by contact.

    The models that score events per contact (repeat, combination and
    inactivity occurrences, engagement rules fired, rule points with their
    caps, score adjustments and contact scores) are incremental: a build
    recomputes only the contacts listed as changed by int_contacts_to_rescore
    and keeps the rows of the others. A contact is changed when its inputs
    differ from those the last complete build scored: its staged events, its
    profile versions (contact and account attributes), or, for every
    contact at once, the point tables (seeds) or the moments scored.

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
    A boolean SQL expression: the contact is one this build scores. On a
    full build every contact; on an incremental build the changed ones.
-#}
{% macro is_contact_to_rescore(contact_id) -%}
    {%- if is_incremental() -%}
        {{ contact_id }} in (
            select contact_id from {{ ref('int_contacts_to_rescore') }}
            where is_changed
        )
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}


{#- Pre-hook of the models scored by contact: delete the rows of the contacts scored again. -#}
{% macro delete_contacts_to_rescore() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where {{ lead_scoring.is_contact_to_rescore('contact_id') }}
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
    tables (`seeds`, names of the seeds the model declares it depends on)
    and the moments scored. A change rescores every contact.
-#}
{% macro rescore_global_fingerprint(seeds) -%}
    {%- if not execute -%}{{ return('unknown') }}{%- endif -%}
    {%- set sources = [] -%}
    {%- for name in seeds | sort -%}
        {%- set relation = ref(name) -%}
        {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | sort | list -%}
        {%- do sources.append((relation, columns)) -%}
    {%- endfor -%}
    {%- set moments = [] -%}
    {%- for moment in lead_scoring.scoring_moments() -%}
        {%- do moments.append(moment.as_of ~ '/' ~ moment.is_current ~ '/' ~ moment.history_date ~ '/' ~ moment.is_recorded) -%}
    {%- endfor -%}
    {{ return(lead_scoring.config_fingerprint(sources) ~ '#' ~ (moments | sort | join(','))) }}
{%- endmacro %}
