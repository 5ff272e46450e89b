{#-
    Incremental scoring by contact and moment.

    The models that score events per contact (repeat, combination and
    inactivity occurrences, engagement rules fired, rule points with their
    caps, score adjustments and contact scores) are incremental: a build
    recomputes only the (contact, moment) rows listed as changed by
    int_lead_scoring__contacts_to_rescore and keeps the others. A contact's row at a moment
    is changed when what the moment's scores depend on differs from what the
    last complete build scored: its staged events at or before the moment,
    its profile versions (contact and account attributes), or, for every
    contact at once, the point tables (seeds). An event that arrives late,
    or today, changes the moments after it only, not the days history
    already recorded before it. A build at new moments (a new as-of moment)
    also scores every contact at those moments only (rescore_plan).

    int_lead_scoring__contacts_to_rescore compares each (contact, moment) fingerprint with
    the one kept in int_lead_scoring__contact_rescore_state, which is written again at the
    end of every build, after the models above (it depends on them): a build
    that stops half-way leaves the old fingerprints, and the next build
    recomputes the same rows again.
-#}

{#-
    The relation int_lead_scoring__contacts_to_rescore compares with (no ref: it is built
    after), or none when there is none with a fingerprint per contact and
    moment (a first build, or one left by a version that kept one per
    contact: everything is scored again).
-#}
{% macro rescore_state_relation() -%}
    {%- set relation = adapter.get_relation(this.database, this.schema, 'int_lead_scoring__contact_rescore_state') -%}
    {%- if relation is none -%}{{ return(none) }}{%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
    {{ return(relation if 'as_of' in columns else none) }}
{%- endmacro %}


{#-
    What an incremental build of a model scored by contact recomputes,
    decided at compile time, before its pre-hook deletes anything:
      incremental  false on a full build (everything is computed)
      new_moments  the moments scored now that the model holds no row of (a
                   build at a new as-of moment): every contact is scored at
                   them
      stored_moments  the moments scored now that the model holds rows of
    The changed (contact, moment) rows (int_lead_scoring__contacts_to_rescore) are scored
    again; the other rows are kept, which give the same values (a moment's
    score depends only on the data up to it, and that did not change).
-#}
{% macro rescore_plan() -%}
    {%- set plan = {'incremental': false, 'new_moments': [], 'stored_moments': []} -%}
    {%- if execute and is_incremental() -%}
        {%- set stored = run_query('select distinct as_of from ' ~ this).columns[0].values()
            | map('string') | list -%}
        {%- for moment in lead_scoring.scoring_moments() -%}
            {%- if moment.as_of not in stored -%}
                {%- do plan.new_moments.append(moment.as_of) -%}
            {%- else -%}
                {%- do plan.stored_moments.append(moment.as_of) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do plan.update({'incremental': true}) -%}
    {%- endif -%}
    {{ return(plan) }}
{%- endmacro %}


{#-
    The contacts with at least one changed moment, as a SQL select of one
    column, contact_id: the contacts whose inputs a build reads again.
-#}
{% macro changed_contacts() -%}
    select contact_id from {{ ref('lead_scoring', 'int_lead_scoring__contacts_to_rescore') }}
    where is_changed
{%- endmacro %}


{#-
    A boolean SQL expression: whether the row of a contact at a moment (SQL
    expressions of the outer query) is among the changed rows, or at one of
    new_moments (a list of 'YYYY-MM-DD HH:MM:SS'). Written as
    a correlated exists on renamed columns, so that the outer expressions
    may be unqualified, and engines run it as one semi-join on both keys.
-#}
{% macro is_changed_row(contact_id, as_of, new_moments=[]) -%}
    exists (
        select 1
        from (
            select
                contact_id as rescore_contact_id,
                as_of as rescore_as_of
            from {{ ref('lead_scoring', 'int_lead_scoring__contacts_to_rescore') }}
            where
                is_changed
                {%- if new_moments %}
                or as_of in ({{ lead_scoring.timestamp_list(new_moments) }})
                {%- endif %}
        ) as rescore_rows
        where
            rescore_rows.rescore_contact_id = {{ contact_id }}
            and rescore_rows.rescore_as_of = {{ as_of }}
    )
{%- endmacro %}


{#-
    The moments an incremental build of a model scored by contact computes:
    those with a changed row (int_lead_scoring__contacts_to_rescore), those the model
    holds no row of yet (rescore_plan), and then the as-of moment too (rules
    evaluated once are evaluated there and serve the earlier moments), as a
    list of 'YYYY-MM-DD HH:MM:SS'; none on a full build (every moment). A
    scheduled build at a new as-of moment computes the new moment, not the
    four days before it again; an incremental build with no new data, none.
-#}
{% macro moments_to_rescore() -%}
    {%- set plan = lead_scoring.rescore_plan() -%}
    {%- if not plan.incremental -%}{{ return(none) }}{%- endif -%}
    {%- set moments = [] -%}
    {%- for value in run_query(
        'select distinct as_of from ' ~ ref('lead_scoring', 'int_lead_scoring__contacts_to_rescore') ~ ' where is_changed'
    ).columns[0].values() -%}
        {%- do moments.append(value.strftime('%Y-%m-%d %H:%M:%S')) -%}
    {%- endfor -%}
    {%- for moment in plan.new_moments if moment not in moments -%}
        {%- do moments.append(moment) -%}
    {%- endfor -%}
    {%- set as_of = lead_scoring.scoring_moments()[-1].as_of -%}
    {%- if moments and as_of not in moments -%}
        {%- do moments.append(as_of) -%}
    {%- endif -%}
    {{ return(moments | sort) }}
{%- endmacro %}


{#- A boolean SQL expression on a moment: whether this build computes it (moments_to_rescore). -#}
{% macro is_moment_to_rescore(as_of) -%}
    {%- set moments = lead_scoring.moments_to_rescore() -%}
    {%- set every_moment = lead_scoring.scoring_moments() | map(attribute='as_of') | sort | list -%}
    {#- No filter when every moment is computed: an always-true filter on the
        moments changed DuckDB's plan of the engagement rules for the worse
        (8.5 s to 11.6 s at 10M events). -#}
    {%- if moments is none or moments == every_moment -%}
        1 = 1
    {%- elif not moments -%}
        1 = 0
    {%- else -%}
        {{ as_of }} in ({{ lead_scoring.timestamp_list(moments) }})
    {%- endif -%}
{%- endmacro %}


{#-
    Whether an incremental build may carry a model's rows forward to the new
    moments instead of computing them again, and from which moment:
    {'from': the last moment the model holds rows of, 'to': the new
    moments}, or none. Only when every new moment comes after the stored
    ones (a scheduled build at a later as-of moment, not a backfill), and
    the model's rows at that moment all hold `column`, the value carried
    (rows written by a version without it have none: they are computed);
    `column` none: the rows are copied as they are.
    Which rows may be carried is the model's to say; the contacts whose
    fingerprint did not change between the two moments are a start
    (unchanged_since_carry_from).
-#}
{% macro carry_plan(column) -%}
    {%- set plan = lead_scoring.rescore_plan() -%}
    {%- if not plan.incremental or not plan.new_moments or not plan.stored_moments -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set carry_from = plan.stored_moments | max -%}
    {%- if plan.new_moments | min <= carry_from -%}{{ return(none) }}{%- endif -%}
    {%- if column is none -%}{{ return({'from': carry_from, 'to': plan.new_moments}) }}{%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- if column | lower not in columns -%}{{ return(none) }}{%- endif -%}
    {%- set missing = run_query(
        'select count(*) from ' ~ this ~ ' where ' ~ column ~ ' is null and as_of = '
        ~ lead_scoring.timestamp_literal(carry_from)
    ).columns[0].values()[0] -%}
    {%- if missing > 0 -%}{{ return(none) }}{%- endif -%}
    {{ return({'from': carry_from, 'to': plan.new_moments}) }}
{%- endmacro %}


{#-
    The contacts whose rows a model may carry from carry.from to the new
    moments (carry_plan), as a SQL select of one column, contact_id: their
    row at carry.from is kept by this build (not changed), and their
    fingerprint at every new moment equals the one at carry.from (no event
    and no profile change in between).
-#}
{% macro unchanged_since_carry_from(carry) -%}
    select from_rows.contact_id
    from {{ ref('lead_scoring', 'int_lead_scoring__contacts_to_rescore') }} as from_rows
    inner join {{ ref('lead_scoring', 'int_lead_scoring__contacts_to_rescore') }} as to_rows
        on
            from_rows.contact_id = to_rows.contact_id
            and from_rows.fingerprint = to_rows.fingerprint
    where
        from_rows.as_of = {{ lead_scoring.timestamp_literal(carry['from']) }}
        and not from_rows.is_changed
        and to_rows.as_of in ({{ lead_scoring.timestamp_list(carry['to']) }})
    group by from_rows.contact_id
    having count(*) = {{ carry['to'] | length }}
{%- endmacro %}


{#-
    The rows an occurrence model (contact_id, rule_id, as_of, occurred_at)
    copies to the new moments (carry_plan): its rows at carry.from of the
    rules without a timeframe, of the contacts carried. Reads the model's
    CTEs `rules`, `carried_contacts` and `moments`.
-#}
{% macro copied_occurrences(carry) -%}
select
    stored.contact_id,
    stored.rule_id,
    moments.as_of,
    stored.occurred_at

from {{ this }} as stored
inner join rules
    on stored.rule_id = rules.rule_id
inner join carried_contacts
    on stored.contact_id = carried_contacts.contact_id
inner join moments
    on moments.as_of in ({{ lead_scoring.timestamp_list(carry['to']) }})
where
    stored.as_of = {{ lead_scoring.timestamp_literal(carry['from']) }}
    and rules.timeframe_days is null
{%- endmacro %}


{#-
    A boolean SQL expression for the models that copy the rows of carried
    contacts (carry_plan): whether a contact's row is computed, that is
    not carried (in the relation `carried`), unless `computed_anyway` (a
    SQL condition, e.g. the rule has a timeframe) holds. True on a build
    that carries nothing.
-#}
{% macro is_not_carried(contact_id, carry, carried='carried_contacts', computed_anyway=none) -%}
    {#- A correlated not exists: an anti-join on every engine, where
        PostgreSQL runs `not in (subquery)` as a hashed subplan only while
        the list fits in work_mem, and as a scan of it per row beyond. -#}
    {%- set not_carried -%}
        not exists (
            select 1 from {{ carried }} as carried
            where carried.contact_id = {{ contact_id }}
        )
    {%- endset -%}
    {%- if not carry -%}
        1 = 1
    {%- elif computed_anyway -%}
        ({{ computed_anyway }} or {{ not_carried }})
    {%- else -%}
        {{ not_carried }}
    {%- endif -%}
{%- endmacro %}


{#-
    A boolean SQL expression on a contact: whether this build reads its
    rows. On a full build, or when there are new moments (every contact is
    scored at them): every contact; otherwise the contacts with a changed
    moment. The models read a contact's inputs whole and keep only the
    changed rows at the end (is_row_to_rescore).
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
    computes it. On a full build every row; otherwise the changed rows and
    every contact's rows at the new moments.
-#}
{% macro is_row_to_rescore(contact_id, as_of) -%}
    {%- set plan = lead_scoring.rescore_plan() -%}
    {%- if not plan.incremental -%}
        1 = 1
    {%- else -%}
        {#- The new moments inside the subquery: one semi-join, where an `or`
            outside it made DuckDB test every row against both. Every contact
            a model scores has its rows in int_lead_scoring__contacts_to_rescore. -#}
        {{ lead_scoring.is_changed_row(contact_id, as_of, plan.new_moments) }}
    {%- endif -%}
{%- endmacro %}


{#-
    Pre-hook of the models scored by contact: delete the changed rows, and
    the rows of moments no longer scored.
-#}
{% macro delete_contacts_to_rescore() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} as scored
        where
            {{ lead_scoring.is_changed_row('scored.contact_id', 'scored.as_of') }}
            or scored.as_of not in (
                {{ lead_scoring.timestamp_list(lead_scoring.scoring_moments() | map(attribute='as_of') | list) }}
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

{#- Spark: 64-bit xxhash64 of the row's text (nulls spelled out: Spark's hashes skip nulls), summed exactly as decimals. -#}
{% macro spark__sum_of_row_hashes(values) -%}
    cast(sum({{ lead_scoring.spark__row_hash_number(values) }}) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro default__sum_of_row_hashes(values) -%}
    {{ dbt.hash(lead_scoring.ordered_listagg(lead_scoring.config_line(values), "'|'", lead_scoring.config_line(values))) }}
{%- endmacro %}


{#-
    A hash of a row's values (a list of SQL expressions) as a 64-bit
    integer, so that sums of them add up exactly: a contact's events up to a
    moment are the sum over the moments before it (int_lead_scoring__contacts_to_rescore).
-#}
{% macro row_hash_number(values) -%}
    {{ return(adapter.dispatch('row_hash_number', 'lead_scoring')(values)) }}
{%- endmacro %}

{% macro duckdb__row_hash_number(values) -%}
    hash({{ values | join(', ') }})
{%- endmacro %}

{% macro postgres__row_hash_number(values) -%}
    hashtextextended({{ lead_scoring.config_line(values) }}, 0)
{%- endmacro %}

{#-
    Spark: xxhash64 of the row's text, as decimal(38, 0): a sum of bigints
    would wrap around silently (ANSI mode is off under dbt-spark).
-#}
{% macro spark__row_hash_number(values) -%}
    cast(xxhash64({{ lead_scoring.config_line(values) }}) as decimal(38, 0))
{%- endmacro %}

{#- No default (a 64-bit hash has no portable spelling): stops, naming every macro the adapter lacks. -#}
{% macro default__row_hash_number(values) -%}
    {{ lead_scoring.check_adapter_macros() }}
{%- endmacro %}


{#-
    What every contact's score depends on besides its own rows: the point
    tables (`point_tables`, the names the model declares it depends on), as
    staged. A change rescores every contact. (The moments scored are not part of it:
    see rescore_plan.)
-#}
{% macro rescore_global_fingerprint(point_tables) -%}
    {%- if not execute -%}{{ return('unknown') }}{%- endif -%}
    {%- set sources = [] -%}
    {%- for name in point_tables | sort -%}
        {%- set relation = ref('lead_scoring', 'stg_lead_scoring__' ~ name) -%}
        {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | sort | list -%}
        {%- do sources.append((relation, columns)) -%}
    {%- endfor -%}
    {{ return(lead_scoring.config_fingerprint(sources)) }}
{%- endmacro %}
