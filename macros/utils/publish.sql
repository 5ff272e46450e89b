{#-
    Publication: the marts a reader sees change together, once per build.

    The models tagged `published` (lead_scores, lead_score_details,
    lead_scores_wide) are built under their alias, `<mart>__shadow`: refs and
    every data test read the shadows, so the tests of a build check what it
    is about to publish. At the end of the run (on-run-end, dbt_project.yml)
    publish_marts replaces, in ONE transaction, each published table
    `<mart>` with its shadow, and leaves `<mart>__shadow` as a view of the
    table just published (a later `dbt test` or a partial build reads the
    published rows through it). It does so only when every published model
    was built successfully in this run and no test (data test or unit test)
    on any of them failed, errored or was skipped; otherwise the previous
    publication stays in place and the log says why. A build that is killed
    never reaches the end of the run: nothing is published. Runs with
    --empty or --sample never publish. lead_score_history and
    lead_score_transitions are not published this way (README).

    Drop and rename only: no row is copied, whatever the size of the marts.
    DuckDB and PostgreSQL run DDL in transactions, so a reader sees the
    previous set or the new one, never a mix. On a warehouse whose DDL
    commits on its own, renames would not be atomic: the default stops the
    build and names the macro to add.
-#}

{#- The models published together: tagged `published`, built under their alias, published under their name. -#}
{% macro published_marts() -%}
    {%- set marts = [] -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and 'published' in node.tags -%}
            {%- if node.alias == node.name -%}
                {{ exceptions.raise_compiler_error(
                    "Model " ~ node.name ~ " is tagged `published` but is built under its own name. "
                    ~ "Fix: give it the alias " ~ node.name ~ "__shadow (models/marts/_marts.yml): "
                    ~ "dbt builds and tests the shadow, and the end of the run publishes it as " ~ node.name ~ "."
                ) }}
            {%- endif -%}
            {%- do marts.append(node) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(marts | sort(attribute='name')) }}
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
        {%- do pairs.append({
            'shadow': api.Relation.create(database=mart.database, schema=mart.schema, identifier=mart.alias, type='table'),
            'published': api.Relation.create(database=mart.database, schema=mart.schema, identifier=mart.name, type='table'),
        }) -%}
    {%- endfor -%}
    {{ log("Publishing " ~ names ~ " (one transaction).", info=true) }}
    {{ return(lead_scoring.publish_relations(pairs)) }}
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

{% macro default__publish_relations(pairs) -%}
    {{ exceptions.raise_compiler_error(
        "lead_scoring.publish_relations has no implementation for the '" ~ adapter.type() ~ "' adapter yet. "
        ~ "Fix: add a macro " ~ adapter.type() ~ "__publish_relations beside the duckdb and postgres versions "
        ~ "in macros/utils/publish.sql that swaps the shadows in atomically (one transaction, or the "
        ~ "warehouse's own swap of several tables at once)."
    ) }}
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
    drop table if exists {{ pair.published }} cascade;
    alter table {{ pair.shadow }} rename to {{ adapter.quote(pair.published.identifier) }};
    {% endfor -%}
    {% for pair in pairs -%}
    create view {{ pair.shadow }} as select * from {{ pair.published }};
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
    drop table if exists {{ pair.published }};
    alter table {{ pair.shadow }} rename to {{ adapter.quote(pair.published.identifier) }};
    {% endfor -%}
    {% for pair in pairs -%}
    create view {{ pair.shadow }} as select * from {{ pair.published }};
    {% endfor -%}
    commit;
{%- endmacro %}
