{#-
    The moment scores are computed for, as 'YYYY-MM-DD HH:MM:SS' (UTC) text.

    Var `lead_scoring__as_of` ('YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS', UTC)
    or, when it is null, the start of the dbt run. Using dbt's run_started_at
    rather than the warehouse's clock makes every model of one run agree on
    the same instant. The var is checked before it reaches SQL.
-#}
{% macro as_of_text() -%}
    {%- set as_of = var('lead_scoring__as_of', none) -%}
    {%- if as_of is none or as_of | string | trim == '' -%}
        {{ return(run_started_at.strftime('%Y-%m-%d %H:%M:%S')) }}
    {%- endif -%}
    {%- set text = as_of | string | trim -%}
    {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?', text) -%}
        {{ exceptions.raise_compiler_error(
            "var lead_scoring__as_of is '" ~ text ~ "', which is not a date. "
            ~ "Fix: give it as 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS' (UTC), or leave it null for now."
        ) }}
    {%- endif -%}
    {%- set normalized = text | replace('T', ' ') -%}
    {%- if normalized | length == 10 -%}{%- set normalized = normalized ~ ' 00:00:00' -%}{%- endif -%}
    {%- if normalized | length == 16 -%}{%- set normalized = normalized ~ ':00' -%}{%- endif -%}
    {%- if not lead_scoring.is_real_timestamp(normalized) -%}
        {{ exceptions.raise_compiler_error(
            "var lead_scoring__as_of is '" ~ text ~ "', which is not a real date and time "
            ~ "(the month, the day in its month, the hour, minute or second is out of range). "
            ~ "Fix: give it as 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS' (UTC), or leave it null for now."
        ) }}
    {%- endif -%}
    {{ return(normalized) }}
{%- endmacro %}


{#-
    Whether 'YYYY-MM-DD HH:MM:SS' text names a moment that exists: month 1 to
    12, a day of that month (29 February in leap years only), hours 0 to 23,
    minutes and seconds 0 to 59. Checked before Python or the warehouse parse
    it, so a typo gets a message rather than a stack trace.
-#}
{% macro is_real_timestamp(text) -%}
    {%- set year = text[0:4] | int -%}
    {%- set month = text[5:7] | int -%}
    {%- set day = text[8:10] | int -%}
    {%- set hour = text[11:13] | int -%}
    {%- set minute = text[14:16] | int -%}
    {%- set second = text[17:19] | int -%}
    {%- if year < 1 or month < 1 or month > 12 or day < 1 -%}{{ return(false) }}{%- endif -%}
    {%- set is_leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 -%}
    {%- set days_in_month = [31, 29 if is_leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] -%}
    {{ return(day <= days_in_month[month - 1] and hour < 24 and minute < 60 and second < 60) }}
{%- endmacro %}


{#- The as-of moment as a SQL timestamp literal. -#}
{% macro as_of_timestamp() -%}
    {{ lead_scoring.timestamp_literal(lead_scoring.as_of_text()) }}
{%- endmacro %}


{#- The start of the dbt run (UTC), as a SQL timestamp literal. -#}
{% macro run_started_timestamp() -%}
    {{ lead_scoring.timestamp_literal(run_started_at.strftime('%Y-%m-%d %H:%M:%S')) }}
{%- endmacro %}


{#-
    The moment after which a row's updated_at cannot be true yet: the as-of
    moment, or the start of the run when that is earlier (an as-of in the
    future). Staging ranks a row updated after it below every other row of
    its id, so a stale copy dated 2099, or a version that did not exist yet
    at a past as-of moment, never wins.
-#}
{% macro version_cutoff_timestamp() -%}
    {%- set started = run_started_at.strftime('%Y-%m-%d %H:%M:%S') -%}
    {%- set as_of = lead_scoring.as_of_text() -%}
    {{ lead_scoring.timestamp_literal(as_of if as_of < started else started) }}
{%- endmacro %}


{% macro timestamp_literal(text) -%}
    cast({{ lead_scoring.quote_literal(text) }} as {{ dbt.type_timestamp() }})
{%- endmacro %}


{#- Timestamp literals of a list of 'YYYY-MM-DD HH:MM:SS' texts, comma-separated (for `in (...)`). -#}
{% macro timestamp_list(texts) -%}
    {%- for text in texts -%}
        {{ lead_scoring.timestamp_literal(text) }}{{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}


{#-
    The earliest moment anything is scored at: the start of a validity
    interval that has no known start (a version without timestamps, or the
    first version when var lead_scoring__attributes_before_first_version is
    'earliest'). Far enough back for any real data, and a valid timestamp on
    every supported warehouse.
-#}
{% macro beginning_of_time() -%}
    {{ lead_scoring.timestamp_literal('1900-01-01 00:00:00') }}
{%- endmacro %}


{#-
    The moments one build scores, as a list of dicts (text, not SQL):
      as_of         'YYYY-MM-DD HH:MM:SS'
      is_current    the as-of moment itself (lead_scoring__scores, lead_scoring__score_details)
      history_date  'YYYY-MM-DD' when the moment is the end of that day
                    (00:00:00 UTC of the next day), else none
      is_recorded   the day is written to lead_scoring__score_history; the day before
                    the first recorded one is scored too, as the baseline its
                    changes are measured against

    The recorded days run from the day before the as-of moment back over
    var lead_scoring__lookback_days more days (late-arriving events are
    counted on the day they happened), further back to the day after the
    last one lead_scoring__score_history holds when builds missed days, or from var
    lead_scoring__history_backfill_from. A day's rows are a function of the
    data and the vars, so rebuilding a day gives the same rows.
-#}
{% macro scoring_moments() -%}
    {%- set datetime = modules.datetime -%}
    {%- set as_of = datetime.datetime.strptime(lead_scoring.as_of_text(), '%Y-%m-%d %H:%M:%S') -%}
    {%- set last_day = as_of.date() - datetime.timedelta(days=1) -%}
    {%- set lookback = var('lead_scoring__lookback_days', 3) -%}
    {%- if lookback is not number or lookback < 0 or lookback != lookback | int -%}
        {{ exceptions.raise_compiler_error(
            "var lead_scoring__lookback_days is '" ~ lookback ~ "'. "
            ~ "Fix: give a whole number of days, 0 or more (default 3)."
        ) }}
    {%- endif -%}
    {%- set backfill_from = var('lead_scoring__history_backfill_from', none) -%}
    {%- if backfill_from is none or backfill_from | string | trim == '' -%}
        {%- set first_day = last_day - datetime.timedelta(days=lookback | int) -%}
        {#- Days no build recorded (builds that did not run for longer than
            the lookback) are recorded now, from the day after the last one
            stored. -#}
        {%- set stored_last = lead_scoring.last_recorded_day() -%}
        {%- if stored_last is not none and stored_last < first_day -%}
            {%- set first_day = stored_last + datetime.timedelta(days=1) -%}
        {%- endif -%}
    {%- else -%}
        {%- set text = backfill_from | string | trim -%}
        {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', text) -%}
            {{ exceptions.raise_compiler_error(
                "var lead_scoring__history_backfill_from is '" ~ text ~ "', which is not a date. "
                ~ "Fix: give the first day to backfill as 'YYYY-MM-DD', or leave it null."
            ) }}
        {%- endif -%}
        {%- if not lead_scoring.is_real_timestamp(text ~ ' 00:00:00') -%}
            {{ exceptions.raise_compiler_error(
                "var lead_scoring__history_backfill_from is '" ~ text ~ "', which is not a real date. "
                ~ "Fix: give the first day to backfill as 'YYYY-MM-DD', or leave it null."
            ) }}
        {%- endif -%}
        {%- set first_day = datetime.datetime.strptime(text, '%Y-%m-%d').date() -%}
        {%- if first_day > last_day -%}
            {{ exceptions.raise_compiler_error(
                "var lead_scoring__history_backfill_from is " ~ text ~ ", after the last complete day "
                ~ last_day.isoformat() ~ " before the as-of moment " ~ as_of ~ ". "
                ~ "Fix: backfill days before the as-of date, or set lead_scoring__as_of later."
            ) }}
        {%- endif -%}
    {%- endif -%}
    {%- set moments = [] -%}
    {%- set day = first_day - datetime.timedelta(days=1) -%}
    {%- for offset in range((last_day - day).days + 1) -%}
        {%- set current_day = day + datetime.timedelta(days=offset) -%}
        {%- set day_end = datetime.datetime.combine(current_day + datetime.timedelta(days=1), datetime.time()) -%}
        {%- do moments.append({
            'as_of': day_end.strftime('%Y-%m-%d %H:%M:%S'),
            'is_current': day_end == as_of,
            'history_date': current_day.isoformat(),
            'is_recorded': offset > 0,
        }) -%}
    {%- endfor -%}
    {%- if moments[-1].as_of != as_of.strftime('%Y-%m-%d %H:%M:%S') -%}
        {%- do moments.append({
            'as_of': as_of.strftime('%Y-%m-%d %H:%M:%S'),
            'is_current': true,
            'history_date': none,
            'is_recorded': false,
        }) -%}
    {%- endif -%}
    {{ return(moments) }}
{%- endmacro %}


{#-
    The first and last day lead_scoring__score_history records in this build, as
    'YYYY-MM-DD' text: {'first': ..., 'last': ...}, read from
    int_lead_scoring__scoring_moments (built earlier in the same run), so every model of
    the run agrees on them.
-#}
{% macro recorded_days() -%}
    {%- set days = run_query(
        'select min(history_date), max(history_date) from ' ~ ref('lead_scoring', 'int_lead_scoring__scoring_moments') ~ ' where is_recorded'
    ) -%}
    {{ return({'first': days.rows[0][0] | string, 'last': days.rows[0][1] | string}) }}
{%- endmacro %}


{#-
    The graph node of one of this package's models, or none (unit tests render
    without the project's graph). Hooks cannot ref(); they locate a model
    this way.
-#}
{% macro package_model(name) -%}
    {%- for node in (graph.get('nodes') or {}).values() -%}
        {%- if node.resource_type == 'model' and node.name == name and node.package_name == 'lead_scoring' -%}
            {{ return(node) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(none) }}
{%- endmacro %}


{#-
    The last day lead_scoring__score_history holds (a date), or none: no history yet,
    or a full refresh that rebuilds it (var lead_scoring__allow_history_refresh).
    Read at compile time from the warehouse, in the incremental table
    (lead_scoring__score_history__shadow: the published table may lag behind it).
-#}
{% macro last_recorded_day() -%}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- if flags.FULL_REFRESH and var('lead_scoring__allow_history_refresh', false) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set node = lead_scoring.package_model('lead_scoring__score_history') -%}
    {%- if node is none -%}{{ return(none) }}{%- endif -%}
    {%- set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) -%}
    {%- if relation is none -%}
        {#- A warehouse of a version that built the history under its own name (adopted on-run-start). -#}
        {%- set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier=lead_scoring.published_identifier(node)) -%}
    {%- endif -%}
    {%- if relation is none -%}{{ return(none) }}{%- endif -%}
    {%- set last = run_query('select max(history_date) from ' ~ relation).columns[0].values()[0] -%}
    {%- if last is none -%}{{ return(none) }}{%- endif -%}
    {%- if last is string -%}
        {%- set last = modules.datetime.datetime.strptime(last[:10], '%Y-%m-%d').date() -%}
    {%- elif last.date is defined -%}
        {%- set last = last.date() if last.hour is defined else last -%}
    {%- endif -%}
    {{ return(last) }}
{%- endmacro %}


{#-
    Pre-hooks of the history models: remember, in `<model>__unpublished`, the
    first day this build writes (every day, '0001-01-01', when it rebuilds
    the table), in the model's own transaction. The publication copies from
    the earliest day remembered and then forgets them, so days restated by a
    build that was not published (killed, a failed test, a partial run) are
    published by the next one that is.
-#}
{% macro unpublished_days_relation() -%}
    {{ return(this.incorporate(path={'identifier': model.name ~ '__unpublished'})) }}
{%- endmacro %}

{% macro create_unpublished_days() -%}
    create table if not exists {{ lead_scoring.unpublished_days_relation() }} (from_day date)
{%- endmacro %}

{% macro note_unpublished_days() -%}
    {%- set first = lead_scoring.recorded_days().first if is_incremental() else '0001-01-01' -%}
    insert into {{ lead_scoring.unpublished_days_relation() }} (from_day)
    values (cast({{ lead_scoring.quote_literal(first) }} as date))
{%- endmacro %}


{#-
    Pre-hook of the history models: on an incremental build, delete the days
    this build records again, so that a restated day holds exactly the rows
    computed now (a change that late data undid disappears too).
-#}
{% macro delete_recorded_days(date_column) -%}
    {%- if is_incremental() -%}
        {%- set days = lead_scoring.recorded_days() -%}
        delete from {{ this }}
        where
            {{ date_column }} >= cast({{ lead_scoring.quote_literal(days.first) }} as date)
            and {{ date_column }} <= cast({{ lead_scoring.quote_literal(days.last) }} as date)
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
