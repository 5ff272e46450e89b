{#-
    Incremental event staging: which raw rows a build reads again.

    The raw events table has no load timestamp, so late rows are found by
    event time: an incremental build re-reads every raw row whose occurred_at
    is at or after the cutoff (the newest staged event, or the as-of moment if
    that is earlier, minus var lead_scoring__lookback_days days), every row
    whose occurred_at is missing or unreadable, and every row dated in the
    future. Rows before the cutoff stay as they were.

    A row that arrives later than the lookback (a re-delivered copy of an old
    event, a backfill of last month) would then never be read. So the first
    pre-hook (create_event_resync) compares the raw rows before the cutoff
    with the staged rows before it: every raw row is staged exactly once,
    with the same event id and occurred_at, so their number, the sum of their
    occurred_at (seconds) and the sum of the lengths of their ids agree
    unless rows before the cutoff were added to or deleted from the raw table
    since. When they differ, it compares the same figures hour by hour and,
    in the hours that differ lists the event ids whose raw and staged rows
    differ in number (table <base_lead_scoring__events>__resync, empty otherwise, dropped
    by the post-hook), and the build reads every raw row
    of those ids again, with the window: nothing is lost, and only the ids
    concerned are staged again. A raw row changed in place before the cutoff
    (same id, same occurred_at) is not noticed: a full refresh reads it.

    event_window() returns {'cutoff': 'YYYY-MM-DD HH:MM:SS' or none}: none on
    a full build (every row is read). Every build with a cutoff also reads
    the ids listed in the resync table (the list decides, made once per
    build).
-#}
{% macro event_window() -%}
    {%- set window = {'cutoff': none} -%}
    {%- if execute and is_incremental() -%}
        {%- set lookback = var('lead_scoring__lookback_days', 3) | int -%}
        {%- set newest = run_query(
            'select max(occurred_at) from ' ~ this ~ ' where rejection_reason is null'
        ).columns[0].values()[0] -%}
        {%- if newest is not none -%}
            {#- Never after the as-of moment: events staged after a past as-of
                moment (a back-test) must not push late rows out of reach. -#}
            {%- set as_of = modules.datetime.datetime.strptime(lead_scoring.as_of_text(), '%Y-%m-%d %H:%M:%S') -%}
            {%- set newest = [newest.replace(tzinfo=none), as_of] | min -%}
            {%- set cutoff = newest - modules.datetime.timedelta(days=lookback) -%}
            {%- do window.update({'cutoff': cutoff.strftime('%Y-%m-%d %H:%M:%S')}) -%}
        {%- endif -%}
    {%- endif -%}
    {{ return(window) }}
{%- endmacro %}


{#-
    The rows an incremental build of base_lead_scoring__events reads again, as a boolean
    SQL expression on the typed columns (occurred_at, and event_id for the
    ids listed by create_event_resync, unless with_resync is false), for a
    window from event_window(). On a full build, or before anything was
    staged: every row.
-#}
{% macro in_event_window(window, occurred_at='occurred_at', event_id='event_id', with_resync=true) -%}
    {%- if window.cutoff is none -%}
        1 = 1
    {%- else -%}
        ({{ occurred_at }} is null or {{ occurred_at }} >= {{ lead_scoring.timestamp_literal(window.cutoff) }}
        {%- if with_resync %}
            or {{ lead_scoring.event_resync_key(event_id) }} in (
                select event_key from {{ lead_scoring.event_resync_relation() }}
            )
        {%- endif -%}
        )
    {%- endif -%}
{%- endmacro %}


{#- A raw event id as staging reads it: trimmed text, an empty one null. -#}
{% macro staged_event_id(column) -%}
    {{ lead_scoring.clean_text(column, tokens=false) }}
{%- endmacro %}


{#-
    Rows before the cutoff of an event id: the id, or '' for rows without
    one (staging turns an empty id into null, so '' is no event's id).
-#}
{% macro event_resync_key(event_id) -%}
    coalesce({{ event_id }}, '')
{%- endmacro %}


{% macro event_resync_relation() -%}
    {{ return(api.Relation.create(
        database=this.database, schema=this.schema, identifier=this.identifier ~ '__resync'
    )) }}
{%- endmacro %}


{#-
    Pre-hook of base_lead_scoring__events on an incremental build: the list of event ids
    to read again (see event_window), made before anything is deleted. The
    rows before the cutoff are compared in one query (number, occurred_at,
    id lengths); only when they differ are the ids listed, by comparing the
    number of rows of each id.
-#}
{% macro create_event_resync() -%}
    {%- set window = lead_scoring.event_window() if is_incremental() else {'cutoff': none} -%}
    {%- if window.cutoff is not none -%}
        {%- set raw_events = ref('lead_scoring', 'base_lead_scoring__events_mapped') -%}
        {%- set raw_occurred_at = lead_scoring.read_timestamp(raw_events, 'occurred_at') -%}
        {%- set raw_event_id = lead_scoring.staged_event_id('event_id') -%}
        {%- set raw_in_window = lead_scoring.in_event_window(window, raw_occurred_at, raw_event_id, with_resync=false) %}
        {%- set staged_in_window = lead_scoring.in_event_window(window, with_resync=false) %}
        {%- set summaries = [] -%}
        {%- for relation, occurred_at, event_id in [
            (raw_events, raw_occurred_at, raw_event_id), (this, 'occurred_at', 'event_id')
        ] -%}
            {%- set summary = run_query(
                'select count(*), sum(cast(' ~ dbt.datediff("cast('1970-01-01' as " ~ dbt.type_timestamp() ~ ")",
                occurred_at, 'second') ~ ' as ' ~ dbt.type_numeric() ~ ')), sum(length('
                ~ lead_scoring.event_resync_key(event_id) ~ ')) from ' ~ relation
                ~ ' where not ' ~ lead_scoring.in_event_window(window, occurred_at, event_id, with_resync=false)
            ).rows[0] -%}
            {%- do summaries.append(summary | map('string') | join('|')) -%}
        {%- endfor -%}
        create table {{ lead_scoring.event_resync_relation() }} as
        -- Ids with copies on both sides of the cutoff: all their copies are
        -- ranked again together, as a full build ranks them (the usable
        -- copies first).
        -- The window's ids (a few days of events) are the list looked up;
        -- the staged rows (all of history) are scanned, never held.
        select distinct {{ lead_scoring.event_resync_key('staged.event_id') }} as event_key
        from {{ this }} as staged
        where
            not {{ lead_scoring.in_event_window(window, 'staged.occurred_at', 'staged.event_id', with_resync=false) }}
            and staged.event_id in (
                select {{ raw_event_id }} from {{ raw_events }}
                where {{ raw_in_window }}
            )

        union

        -- Ids whose first copy was rejected for a contact or an event type
        -- not known then: checked and ranked again (the contact may have
        -- arrived since). One equality per reason: a filter the scan applies
        -- itself, where a list of reasons made it read every staged row.
        select {{ lead_scoring.event_resync_key('event_id') }} as event_key
        from {{ this }}
        where rejection_reason = 'unknown contact_id'

        union

        select {{ lead_scoring.event_resync_key('event_id') }} as event_key
        from {{ this }}
        where rejection_reason = 'unknown event_type'

        union

        -- Ids with several copies none of which could be used: a copy
        -- rejected as a duplicate may be usable now (its contact arrived),
        -- and only ranking all the copies again says which one wins.
        select {{ lead_scoring.event_resync_key('copies.event_id') }} as event_key
        from {{ this }} as copies
        where
            copies.event_id_rank = 2
            and copies.event_id in (
                select first_copies.event_id from {{ this }} as first_copies
                where first_copies.event_id_rank = 1 and first_copies.rejection_reason is not null
            )
        {%- if summaries[0] != summaries[1] %}

        union

        -- Rows before the cutoff added to or deleted from the raw table.
        {%- set epoch = "cast('1970-01-01' as " ~ dbt.type_timestamp() ~ ")" %}
        select event_key from (
            with raw_hours as (
                select
                    {{ dbt.date_trunc('hour', raw_occurred_at) }} as hour_at,
                    count(*) as row_count,
                    sum(cast({{ dbt.datediff(epoch, raw_occurred_at, 'second') }} as {{ dbt.type_numeric() }})) as seconds,
                    sum(length({{ lead_scoring.event_resync_key(raw_event_id) }})) as id_length
                from {{ raw_events }}
                where not {{ raw_in_window }}
                group by 1
            ),
            staged_hours as (
                select
                    {{ dbt.date_trunc('hour', 'occurred_at') }} as hour_at,
                    count(*) as row_count,
                    sum(cast({{ dbt.datediff(epoch, 'occurred_at', 'second') }} as {{ dbt.type_numeric() }})) as seconds,
                    sum(length({{ lead_scoring.event_resync_key('event_id') }})) as id_length
                from {{ this }}
                where not {{ staged_in_window }}
                group by 1
            ),
            changed_hours as (
                -- Only the hours whose rows differ are compared id by id.
                select coalesce(raw_hours.hour_at, staged_hours.hour_at) as hour_at
                from raw_hours
                full outer join staged_hours
                    on raw_hours.hour_at = staged_hours.hour_at
                where
                    coalesce(raw_hours.row_count, 0) <> coalesce(staged_hours.row_count, 0)
                    or coalesce(raw_hours.seconds, 0) <> coalesce(staged_hours.seconds, 0)
                    or coalesce(raw_hours.id_length, 0) <> coalesce(staged_hours.id_length, 0)
            ),
            raw_rows as (
                select
                    {{ lead_scoring.event_resync_key(raw_event_id) }} as event_key,
                    count(*) as row_count
                from {{ raw_events }}
                where
                    not {{ raw_in_window }}
                    and {{ dbt.date_trunc('hour', raw_occurred_at) }} in (select hour_at from changed_hours)
                group by 1
            ),
            staged_rows as (
                select
                    {{ lead_scoring.event_resync_key('event_id') }} as event_key,
                    count(*) as row_count
                from {{ this }}
                where
                    not {{ staged_in_window }}
                    and {{ dbt.date_trunc('hour', 'occurred_at') }} in (select hour_at from changed_hours)
                group by 1
            )
            select coalesce(raw_rows.event_key, staged_rows.event_key) as event_key
            from raw_rows
            full outer join staged_rows
                on raw_rows.event_key = staged_rows.event_key
            where coalesce(raw_rows.row_count, 0) <> coalesce(staged_rows.row_count, 0)
        ) as changed_ids
        {%- endif %}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}


{#-
    Post-hook of base_lead_scoring__events: the list of create_event_resync is not kept.
    Also its first pre-hook, in case a build stopped between the two.
-#}
{% macro drop_event_resync() -%}
    drop table if exists {{ lead_scoring.event_resync_relation() }}
{%- endmacro %}


{#- Pre-hook of base_lead_scoring__events: delete the rows an incremental build reads again. -#}
{% macro delete_event_window() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where {{ lead_scoring.in_event_window(lead_scoring.event_window()) }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}


{#-
    How an incremental model downstream of base_lead_scoring__events (page categories,
    event matches) catches up, decided once per build:
      full   true: process every event (a full build, a first build, or the
             configuration the model depends on changed since it was built)
      since  the newest batch_at of base_lead_scoring__events the model has processed: it
             processes the events of the rows base_lead_scoring__events wrote after it
    The configuration is summed up by config_fingerprint(queries): a
    model's rows carry the fingerprint they were built with, so a changed
    point table, page category or event type rebuilds the model instead of
    leaving old matches in place.
-#}
{% macro event_sync(fingerprint) -%}
    {%- set sync = {'full': true, 'since': none} -%}
    {%- if execute and is_incremental() -%}
        {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
        {%- if 'events_batch_at' not in columns or 'config_fingerprint' not in columns -%}
            {{ exceptions.raise_compiler_error(
                this ~ " was built by an earlier version of this project (it has no events_batch_at "
                ~ "or config_fingerprint column). Fix: rebuild it and what depends on it once: "
                ~ "dbt build --full-refresh --select " ~ this.identifier ~ "+"
            ) }}
        {%- endif -%}
        {%- set stored = run_query(
            'select events_batch_at, config_fingerprint from ' ~ this
            ~ ' order by events_batch_at desc limit 1'
        ) -%}
        {%- if stored.rows | length == 1 and stored.rows[0][1] == fingerprint -%}
            {%- do sync.update({'full': false, 'since': stored.rows[0][0].strftime('%Y-%m-%d %H:%M:%S.%f')}) -%}
        {%- endif -%}
    {%- endif -%}
    {{ return(sync) }}
{%- endmacro %}


{#-
    The event ids a build of a model downstream of base_lead_scoring__events must process
    again (sync from event_sync): every id whose rows base_lead_scoring__events wrote after
    the model last ran. A SQL select of one column, event_id.
-#}
{% macro events_to_sync(sync) -%}
    select distinct event_id
    from {{ ref('lead_scoring', 'base_lead_scoring__events') }}
    where batch_at > {{ lead_scoring.timestamp_literal(sync.since) }}
{%- endmacro %}


{#- Pre-hook of the models downstream of base_lead_scoring__events: delete what is processed again. -#}
{% macro delete_events_to_sync(fingerprint) -%}
    {%- if is_incremental() -%}
        {%- set sync = lead_scoring.event_sync(fingerprint) -%}
        delete from {{ this }}
        {%- if not sync.full %}
        where event_id in ({{ lead_scoring.events_to_sync(sync) }})
        {%- endif %}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}


{#-
    Pre-hook of an incremental model kept whole across builds (rows are
    only added): empty it when the configuration it was built with changed,
    so that the build writes it again in full.
-#}
{% macro delete_when_config_changed(fingerprint) -%}
    {%- if is_incremental() and lead_scoring.event_sync(fingerprint).full -%}
        delete from {{ this }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}


{#-
    A fingerprint (md5 text) of configuration rows: `sources` is a list of
    (relation, columns) pairs, read at compile time. Equal fingerprints mean
    the same rows, in any order. 'unknown' while a relation does not exist yet
    (compiling before the first build, or a linter): a model built with it is
    rebuilt in full by the next build.
-#}
{% macro config_fingerprint(sources) -%}
    {%- if not execute -%}{{ return('unknown') }}{%- endif -%}
    {%- set parts = [] -%}
    {%- for relation, columns in sources -%}
        {%- if adapter.get_relation(relation.database, relation.schema, relation.identifier) is none -%}
            {{ return('unknown') }}
        {%- endif -%}
        {%- set result = run_query(
            'select ' ~ dbt.hash(lead_scoring.ordered_listagg('line', "'|'", 'line'))
            ~ ' from (select ' ~ lead_scoring.config_line(columns) ~ ' as line from ' ~ relation
            ~ ') as config_lines'
        ) -%}
        {%- do parts.append(result.columns[0].values()[0] or '') -%}
    {%- endfor -%}
    {{ return(parts | join('.')) }}
{%- endmacro %}


{#- A text line of the given columns of one row, nulls spelled out. -#}
{% macro config_line(columns) -%}
    {%- set cells = [] -%}
    {%- for column in columns -%}
        {%- if not loop.first -%}{%- do cells.append("'~'") -%}{%- endif -%}
        {%- do cells.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '<null>')") -%}
    {%- endfor -%}
    {{ dbt.concat(cells) }}
{%- endmacro %}


{#- The start of the dbt run (UTC) to the microsecond: the batch_at of the rows a build writes. -#}
{% macro batch_timestamp() -%}
    {{ lead_scoring.timestamp_literal(run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f')) }}
{%- endmacro %}


{#- The configuration int_lead_scoring__event_page_categories depends on: seed page_categories. -#}
{% macro page_categories_fingerprint() -%}
    {{ return(lead_scoring.config_fingerprint([
        (ref('lead_scoring', 'stg_lead_scoring__page_categories'), ['page_category', 'page_pattern']),
    ])) }}
{%- endmacro %}


{#-
    The configuration int_lead_scoring__event_matches depends on: every matcher (the event,
    repeat and combination rules and the behaviour segments, as
    int_lead_scoring__event_matchers shapes them) and the page categories.
-#}
{% macro event_matchers_fingerprint() -%}
    {{ return(lead_scoring.config_fingerprint([
        (ref('lead_scoring', 'int_lead_scoring__event_matchers'), [
            'matcher_kind', 'score_model', 'rule_id', 'step', 'condition_id', 'event_type',
            'page_like_pattern', 'page_category',
        ]),
        (ref('lead_scoring', 'stg_lead_scoring__page_categories'), ['page_category', 'page_pattern']),
    ])) }}
{%- endmacro %}


{#-
    Pre-hook of an incremental model: add a column a newer version of the
    model writes to the table an older version built (null on the rows
    kept), so that an upgrade needs no full refresh, while
    on_schema_change='fail' still stops any other change of columns.
-#}
{% macro add_missing_column(name, data_type) -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list
        if is_incremental() else [] -%}
    {%- if is_incremental() and name | lower not in columns -%}
        alter table {{ this }} add column {{ adapter.quote(name) }} {{ data_type }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}


{#-
    The incremental strategy of a model whose new rows replace the rows of
    the same unique_key: delete+insert, or merge where the adapter has no
    delete+insert (dbt-spark: merge, on a delta, iceberg or hudi table). The
    same rows either way: the keys are unique on both sides.
-#}
{% macro replace_by_key_strategy() -%}
    {{ return(adapter.dispatch('replace_by_key_strategy', 'lead_scoring')()) }}
{%- endmacro %}

{% macro default__replace_by_key_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro spark__replace_by_key_strategy() -%}
    {{ return('merge') }}
{%- endmacro %}
