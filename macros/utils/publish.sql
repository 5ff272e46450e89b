{#-
    Publication: the marts a reader sees change together, once per build.

    The models tagged `published` are built under their alias,
    `<mart>__shadow`: refs and every data test read the shadows, so the
    tests of a build check what it is about to publish. At the end of the
    run (on-run-end, dbt_project.yml) publish_marts publishes every one of
    them in ONE transaction, and only when every published model was built
    successfully in this run and no test (data test or unit test) on any of
    them failed, errored or was skipped; otherwise the previous publication
    stays in place and the log says why. A build that is killed never
    reaches the end of the run: nothing is published. Runs with --empty or
    --sample never publish.

    Two ways, by materialization:
    - tables (lead_scoring__scores, lead_scoring__score_details, lead_scoring__scores_wide): the
      published table `<mart>` is dropped and its shadow renamed to its
      name; `<mart>__shadow` is then created again as a view of it (a later
      `dbt test` or a partial build reads the published rows through it).
      No row is copied, whatever the size of the marts.
    - incremental tables (lead_scoring__score_history, lead_scoring__score_transitions): the
      shadow is the incremental table itself and stays; the published table
      receives the days the run may have changed (its `published_by_day`
      column, config meta): from the first day the run recorded, or the last
      day already published when that is earlier, every day is deleted and
      copied again from the shadow. Only those days are copied, not the
      whole history. The first publication, a full refresh of the history
      (var lead_scoring__allow_history_refresh) and a change of columns copy
      the whole table.

    DuckDB and PostgreSQL run DDL in transactions, so a reader sees the
    previous set or the new one, never a mix. On a warehouse whose DDL
    commits on its own, renames would not be atomic: the default stops the
    build and names the macro to add.
-#}

{#-
    The models published together: tagged `published`, built under their
    alias `<name>__shadow`, published as <name>. A host project renames a
    mart's relations by its alias alone: `+alias: lead_scores__shadow`
    publishes lead_scoring__scores as lead_scores (README, "Names").
-#}
{% macro published_marts() -%}
    {%- set marts = [] -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and 'published' in node.tags -%}
            {%- if not node.alias.endswith('__shadow') or node.alias == '__shadow' -%}
                {{ exceptions.raise_compiler_error(
                    "Model " ~ node.name ~ " is tagged `published` but its alias " ~ node.alias ~ " does not end in __shadow. "
                    ~ "Fix: give it the alias " ~ node.name ~ "__shadow (models/marts/_marts.yml), or <the name you want>__shadow: "
                    ~ "dbt builds and tests the shadow, and the end of the run publishes it under the alias without __shadow."
                ) }}
            {%- endif -%}
            {%- do marts.append(node) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(marts | sort(attribute='name')) }}
{%- endmacro %}


{#- The name a published mart is published under: its alias without __shadow. -#}
{% macro published_identifier(mart) -%}
    {{ return(mart.alias[:-8]) }}
{%- endmacro %}


{#-
    Why this run must not publish, from its results: a list of reasons,
    empty when it may. `none` when no published model was in the run (a
    `dbt test`, a `dbt seed`, a build of staging only): nothing to say.
-#}
{% macro publication_blockers(results, marts) -%}
    {%- set mart_ids = marts | map(attribute='unique_id') | list -%}
    {%- set statuses = {} -%}
    {%- set test_reasons = [] -%}
    {%- for result in results -%}
        {%- set node = result.node -%}
        {%- if node.unique_id in mart_ids -%}
            {%- do statuses.update({node.unique_id: result.status | string}) -%}
        {%- elif node.resource_type in ('test', 'unit_test')
            and (result.status | string) in ('fail', 'error', 'skipped')
            and (node.depends_on.nodes | select('in', mart_ids) | list) -%}
            {%- do test_reasons.append(node.resource_type | replace('_', ' ') ~ ' ' ~ node.name ~ ': ' ~ result.status) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not statuses -%}{{ return(none) }}{%- endif -%}
    {%- set reasons = [] -%}
    {%- for mart in marts -%}
        {%- set status = statuses.get(mart.unique_id) -%}
        {%- if status is none -%}
            {%- do reasons.append(mart.name ~ ' was not built in this run') -%}
        {%- elif status != 'success' -%}
            {%- do reasons.append(mart.name ~ ': ' ~ status) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do reasons.extend(test_reasons | sort) -%}
    {%- if invocation_args_dict.get('empty') -%}
        {%- do reasons.append('--empty builds the marts without rows') -%}
    {%- endif -%}
    {%- if invocation_args_dict.get('sample') -%}
        {%- do reasons.append('--sample builds the marts from a sample') -%}
    {%- endif -%}
    {{ return(reasons) }}
{%- endmacro %}


{#-
    The on-run-end hook: the SQL that publishes the shadows of this run (one
    transaction), or nothing, with a line in the log either way when a
    published model was in the run.
-#}
{% macro publish_marts(results) -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set marts = lead_scoring.published_marts() -%}
    {%- set names = marts | map(attribute='name') | join(', ') -%}
    {%- set blockers = lead_scoring.publication_blockers(results, marts) -%}
    {%- if blockers is none -%}{{ return('') }}{%- endif -%}
    {%- if blockers -%}
        {{ log(
            "Not published: " ~ blockers | join('; ') ~ ". " ~ names ~ " still hold the last publication "
            ~ "(they are published together, by a run that builds all of them and passes their tests).",
            info=true
        ) }}
        {{ return('') }}
    {%- endif -%}
    {%- set pairs = [] -%}
    {%- for mart in marts -%}
        {%- set pair = {
            'shadow': api.Relation.create(database=mart.database, schema=mart.schema, identifier=mart.alias, type='table'),
            'published': api.Relation.create(database=mart.database, schema=mart.schema, identifier=lead_scoring.published_identifier(mart), type='table'),
        } -%}
        {%- if mart.config.materialized == 'incremental' -%}
            {%- do pair.update(lead_scoring.days_to_publish(mart, pair.shadow, pair.published)) -%}
        {%- endif -%}
        {%- do pairs.append(pair) -%}
    {%- endfor -%}
    {{ log("Publishing " ~ names ~ " (one transaction).", info=true) }}
    {{ return(lead_scoring.publish_relations(pairs)) }}
{%- endmacro %}


{#-
    How an incremental mart is published: {'day_column', 'columns', 'from_day'},
    from_day none to copy the whole shadow (see the top of this file).
-#}
{% macro days_to_publish(mart, shadow, published) -%}
    {%- set day_column = (mart.config.meta or {}).get('published_by_day') -%}
    {%- if not day_column -%}
        {{ exceptions.raise_compiler_error(
            "Model " ~ mart.name ~ " is tagged `published` and incremental, but says by which day it is published. "
            ~ "Fix: give it config meta `published_by_day: <its date column>` (models/marts/_marts.yml)."
        ) }}
    {%- endif -%}
    {#- Looked up with run_query alone, which opens no transaction: the publication is one of its own. -#}
    {%- set shadow_columns = run_query('select * from ' ~ shadow ~ ' where 1 = 0').column_names | list -%}
    {%- set unpublished = published.incorporate(path={'identifier': lead_scoring.published_identifier(mart) ~ '__unpublished'}) -%}
    {%- set from_day = none -%}
    {%- if lead_scoring.table_type(published.schema, published.identifier) == 'BASE TABLE'
        and not (flags.FULL_REFRESH and var('lead_scoring__allow_history_refresh', false)) -%}
        {%- set published_columns = run_query('select * from ' ~ published ~ ' where 1 = 0').column_names | list -%}
        {%- set last_published = run_query(
            'select max(' ~ lead_scoring.quote_column_name(day_column) ~ ') from ' ~ published
        ).columns[0].values()[0] -%}
        {%- if published_columns == shadow_columns and last_published is not none -%}
            {%- set days = [(last_published | string)[:10]] -%}
            {%- set first_recorded = lead_scoring.first_recorded_day() -%}
            {%- if first_recorded is not none -%}{%- do days.append(first_recorded) -%}{%- endif -%}
            {%- if lead_scoring.table_type(unpublished.schema, unpublished.identifier) is not none -%}
                {%- set unpublished_from = run_query('select min(from_day) from ' ~ unpublished).columns[0].values()[0] -%}
                {%- if unpublished_from is not none -%}{%- do days.append((unpublished_from | string)[:10]) -%}{%- endif -%}
            {%- endif -%}
            {%- set from_day = days | min -%}
        {%- endif -%}
    {%- endif -%}
    {{ return({'day_column': day_column, 'columns': shadow_columns, 'from_day': from_day, 'unpublished': unpublished}) }}
{%- endmacro %}


{#- The first day this run recorded in the history ('YYYY-MM-DD'), or none, read from int_lead_scoring__scoring_moments. -#}
{% macro first_recorded_day() -%}
    {%- set node = lead_scoring.package_model('int_lead_scoring__scoring_moments') -%}
    {%- if node is none -%}{{ return(none) }}{%- endif -%}
    {%- set moments = api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias) -%}
    {%- set first = run_query('select min(history_date) from ' ~ moments ~ ' where is_recorded').columns[0].values()[0] -%}
    {{ return((first | string)[:10] if first is not none else none) }}
{%- endmacro %}


{#-
    The statements that publish one pair: a table swapped in (its shadow
    renamed), or the days of an incremental mart copied (see the top).
-#}
{% macro publish_pair(pair, cascade='') -%}
    {%- if pair.day_column is not defined -%}
    drop table if exists {{ pair.published }}{{ cascade }};
    alter table {{ pair.shadow }} rename to {{ adapter.quote(pair.published.identifier) }};
    {%- elif pair.from_day is none -%}
    drop table if exists {{ pair.published }}{{ cascade }};
    create table {{ pair.published }} as select * from {{ pair.shadow }};
    delete from {{ pair.unpublished }};
    {%- else -%}
    {%- set columns = [] -%}
    {%- for column in pair.columns -%}{%- do columns.append(lead_scoring.quote_column_name(column)) -%}{%- endfor -%}
    {%- set day = lead_scoring.quote_column_name(pair.day_column) -%}
    {%- set from_day = 'cast(' ~ lead_scoring.quote_literal(pair.from_day) ~ ' as date)' -%}
    delete from {{ pair.published }} where {{ day }} >= {{ from_day }};
    insert into {{ pair.published }} ({{ columns | join(', ') }})
    select {{ columns | join(', ') }} from {{ pair.shadow }} where {{ day }} >= {{ from_day }};
    delete from {{ pair.unpublished }};
    {%- endif %}
{%- endmacro %}


{#- After the publication: the shadow of a swapped table is a view of it again (none for incremental marts). -#}
{% macro recreate_shadow(pair) -%}
    {%- if pair.day_column is not defined -%}
    create view {{ pair.shadow }} as select * from {{ pair.published }};
    {%- endif %}
{%- endmacro %}


{#-
    One transaction that, for each {'shadow', 'published'} pair, drops the
    published table, renames the shadow to its name and creates the shadow
    again as a view of it. Returned as text: dbt runs it as the hook's SQL,
    and a failure fails the run with nothing published.
-#}
{% macro publish_relations(pairs) -%}
    {{ return(adapter.dispatch('publish_relations', 'lead_scoring')(pairs)) }}
{%- endmacro %}

{#- No default: stops, naming every macro the adapter lacks (macros/utils/adapter_support.sql). -#}
{% macro default__publish_relations(pairs) -%}
    {{ lead_scoring.check_adapter_macros() }}
{%- endmacro %}

{#-
    PostgreSQL: DDL is transactional. Dropping and renaming a table need its
    ACCESS EXCLUSIVE lock, held until the commit. Taken one statement after
    the other, a publication holding one mart's lock while it waits for the
    next could deadlock with a query that joins two marts (it locks them in
    its own order), and PostgreSQL would then abort one of them. So the
    locks of every published mart and shadow are taken first, all or none:
    each try waits at most 200 ms, below the default deadlock_timeout (1 s),
    then gives back what it got, so the query gets its lock instead of being
    aborted (a deadlock detected all the same, with a lower deadlock_timeout,
    ends the try too). Meanwhile queries read the previous set; a query
    blocked on a mart by the publication reads the new table once it gets
    the lock; the build waits as long as a query holds a mart. (Names are
    looked up in the latest catalog, not in a transaction's snapshot: a
    repeatable-read transaction whose snapshot is older than a shadow's
    build, reading that mart for the first time after the publication, finds
    it empty, as after any dbt rebuild of a table.) Views bind to a table,
    not to its name, so the drop cascades to views built on a published
    mart, as dbt's own rebuild of a table does; grants set by dbt's `grants`
    config are given to the shadow when dbt builds it and move with the
    rename.
-#}
{% macro postgres__publish_relations(pairs) -%}
    {%- set names = [] -%}
    {%- for pair in pairs -%}
        {%- do names.extend([lead_scoring.quote_literal(pair.published), lead_scoring.quote_literal(pair.shadow)]) -%}
    {%- endfor -%}
    begin;
    do $publish$
    declare
        relations text;
        saved_lock_timeout text := current_setting('lock_timeout');
    begin
        select string_agg(name, ', ') into relations
        from unnest(array[{{ names | join(', ') }}]) as name
        where to_regclass(name) is not null;
        perform set_config('lock_timeout', '200ms', true);
        loop
            begin
                execute 'lock table ' || relations || ' in access exclusive mode';
                exit;
            exception when lock_not_available or deadlock_detected then
                perform pg_sleep(0.1);
            end;
        end loop;
        perform set_config('lock_timeout', saved_lock_timeout, true);
    end
    $publish$;
    {% for pair in pairs -%}
    {{ lead_scoring.publish_pair(pair, ' cascade') }}
    {% endfor -%}
    {% for pair in pairs -%}
    {{ lead_scoring.recreate_shadow(pair) }}
    {% endfor -%}
    commit;
{%- endmacro %}

{#-
    DuckDB: DDL is transactional too (MVCC: a connection reading the marts
    keeps the set it started with). One process writes a database file at a
    time: another process cannot open it while dbt runs, and opens the set
    published last once it can. Views bind by name when queried, so views
    built on a published mart read the new table after the publication.
-#}
{% macro duckdb__publish_relations(pairs) -%}
    begin transaction;
    {% for pair in pairs -%}
    {{ lead_scoring.publish_pair(pair) }}
    {% endfor -%}
    {% for pair in pairs -%}
    {{ lead_scoring.recreate_shadow(pair) }}
    {% endfor -%}
    commit;
{%- endmacro %}


{#-
    Spark: no transactions, and one statement per call. The statements run
    one after the other, here, and the hook itself is empty: a reader may
    see the new marts appear one by one (the swap of a table is a drop and a
    rename), and a failure part-way leaves the marts published before it in
    place (the next successful build publishes them all again). The
    statements are those of the other engines, but the new name of a renamed
    table is qualified with its schema (Spark would look for it in the
    current schema).
-#}
{% macro spark__publish_relations(pairs) -%}
    {%- set statements = [] -%}
    {%- for pair in pairs -%}
        {%- if pair.day_column is not defined -%}
            {%- do statements.append('drop table if exists ' ~ pair.published) -%}
            {%- do statements.append('alter table ' ~ pair.shadow ~ ' rename to ' ~ pair.published) -%}
        {%- else -%}
            {%- for statement in lead_scoring.publish_pair(pair).split(';') if statement | trim -%}
                {%- do statements.append(statement | trim) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for pair in pairs -%}
        {%- for statement in lead_scoring.recreate_shadow(pair).split(';') if statement | trim -%}
            {%- do statements.append(statement | trim) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ log("Spark has no transactions: the marts are published one statement at a time.", info=true) }}
    {%- for statement in statements -%}
        {%- do run_query(statement) -%}
    {%- endfor -%}
    {{ return('') }}
{%- endmacro %}


{#-
    'BASE TABLE', 'VIEW' or none: what the target's database holds under that
    name. Asked with run_query alone, which opens no transaction (the hooks
    here run transactions of their own).
-#}
{% macro table_type(schema, identifier) -%}
    {{ return(adapter.dispatch('table_type', 'lead_scoring')(schema, identifier)) }}
{%- endmacro %}

{% macro default__table_type(schema, identifier) -%}
    {%- set found = run_query(
        'select table_type from information_schema.tables where table_catalog = '
        ~ lead_scoring.quote_literal(target.database) ~ ' and table_schema = '
        ~ lead_scoring.quote_literal(schema) ~ ' and table_name = ' ~ lead_scoring.quote_literal(identifier)
    ).columns[0].values() | list -%}
    {{ return(found[0] if found else none) }}
{%- endmacro %}

{#- Spark has no information_schema: SHOW TABLES lists tables and views, SHOW VIEWS the views. -#}
{% macro spark__table_type(schema, identifier) -%}
    {%- set schemas = run_query('show databases like ' ~ lead_scoring.quote_literal(schema)).columns[0].values() | list -%}
    {%- if not schemas -%}{{ return(none) }}{%- endif -%}
    {%- set like = ' in ' ~ adapter.quote(schema) ~ ' like ' ~ lead_scoring.quote_literal(identifier) -%}
    {%- set tables = run_query('show tables' ~ like).columns[1].values() | list -%}
    {%- if not tables -%}{{ return(none) }}{%- endif -%}
    {%- set views = run_query('show views' ~ like).columns[1].values() | list -%}
    {{ return('VIEW' if views else 'BASE TABLE') }}
{%- endmacro %}


{#-
    on-run-start: a warehouse built by a version of this project that wrote
    lead_scoring__score_history and lead_scoring__score_transitions under their own names has
    no shadow yet; the shadow starts as a copy of that table, so the history
    recorded so far is kept (once: later runs find the shadow).
-#}
{% macro adopt_published_history() -%}
    {%- if execute and flags.WHICH in ['build', 'run'] -%}
        {%- for mart in lead_scoring.published_marts() if mart.config.materialized == 'incremental' -%}
            {%- if lead_scoring.table_type(mart.schema, mart.alias) is none
                and lead_scoring.table_type(mart.schema, lead_scoring.published_identifier(mart)) == 'BASE TABLE' -%}
                {%- set published = api.Relation.create(database=mart.database, schema=mart.schema, identifier=lead_scoring.published_identifier(mart)) -%}
                {%- set shadow = published.incorporate(path={'identifier': mart.alias}, type='table') -%}
                {{ log("Keeping the history recorded so far: " ~ published ~ " is copied to " ~ mart.alias ~ ".", info=true) }}
                {%- call statement('adopt_published_history', auto_begin=true) -%}
                    create table {{ shadow }} as select * from {{ published }}
                {%- endcall -%}
                {%- do adapter.commit() -%}
                {#- dbt's relation cache was filled before this hook: tell it, so the model builds incrementally. -#}
                {%- do adapter.cache_added(shadow) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    select 1
{%- endmacro %}
