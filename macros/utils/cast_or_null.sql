{#-
    lead_scoring.cast_or_null(expression, type): `expression` as `type`, or null
    when its value cannot be read as that type, where a plain cast would stop
    the whole build with a conversion error. Base models keep the raw text
    next to the result, so a non-empty value that comes back null is
    quarantined with its reason instead of crashing the run.

    Why not named safe_cast: a root-project macro named safe_cast (or
    default__safe_cast, duckdb__safe_cast) replaces dbt's own global one of
    that name, and with it dbt.safe_cast everywhere: dbt's unit tests build
    their fixture rows with safe_cast and failed to compile (type 'boolean')
    when this macro had that name. Hence cast_or_null and its helpers.

    Types, by family (the names dbt.type_int(), dbt.type_numeric() and
    dbt.type_timestamp() give on DuckDB and PostgreSQL):
      - whole numbers (integer, int, int4, smallint, int2, bigint, int8):
        '42', '-7', '+3', '50.0'. Not '42.5', '1e3', '1,000', 'about 50'.
      - numbers (numeric, decimal, optionally with precision and scale):
        '12', '-0.5', '.5', '1.2E6'. Not '12k', '1,200.00', 'NaN', 'Infinity'.
      - timestamps (timestamp, timestamp without time zone, datetime):
        'YYYY-MM-DD', 'YYYY-MM-DD HH:MM', 'YYYY-MM-DD HH:MM:SS[.fffffffff]',
        with 'T' or a space between date and time, and an optional offset
        after the time ('Z', '+hh', '+hhmm', '+hh:mm', offsets up to 14 h).
        A value with an offset is converted to UTC (timestamps are UTC here);
        one without is taken as UTC. Not 'n/a', '2026-02-30', '25:00'.
      - dates (date): 'YYYY-MM-DD' only.
      - text (text, varchar, string, char ...): a plain cast, which cannot fail.
    Any other type is a compilation error rather than an unsafe cast.

    The value is read as trimmed text first, so a column that already has the
    target type passes through unchanged (a timestamp's text is ISO
    'YYYY-MM-DD HH:MM:SS[.ffffff]', a number's its digits). On PostgreSQL that
    assumes the output part of DateStyle is ISO, PostgreSQL's default (a
    server set to DateStyle 'SQL' or 'German' would make typed timestamps fail
    the check: rejected with a reason, never lost).

    Both engines accept exactly the spellings above: the patterns are shared,
    only the last step (which values that match can still not be converted)
    differs by engine.
-#}
{% macro cast_or_null(expression, type) -%}
    {{ return(adapter.dispatch('cast_or_null', 'lead_scoring')(expression, type)) }}
{%- endmacro %}


{#-
    PostgreSQL (and the default): there is no non-failing cast. dbt's own
    dbt.safe_cast is a plain cast on PostgreSQL (and on DuckDB), and
    pg_input_is_valid() only exists from PostgreSQL 16; this project runs on
    15 too. So every value that reaches the cast has
    been proven convertible first: it matches the pattern of its family, and
    then whatever a pattern cannot see is checked with arithmetic that cannot
    fail either (the digits and text are known to be well-formed there):
      - whole numbers: within the range of the integer type;
      - numbers of a given precision and scale: fewer integer digits than
        the type holds, after rounding to its scale;
      - dates and timestamps: the day exists in its month (no 2026-02-30,
        29 February only in leap years), and the year is 0001 to 9999.
    The nested `case` makes PostgreSQL evaluate a check only for values that
    matched, and the cast only for values that passed the check (values come
    from columns, so the planner has no constant to fold early).
    What remains: a timestamp with more than 6 decimals of a second is
    rounded to the microsecond here and truncated on DuckDB.
-#}
{% macro default__cast_or_null(expression, type) -%}
    {%- set spec = lead_scoring.cast_or_null_spec(type) -%}
    {%- if spec.family == 'text' -%}
        cast({{ expression }} as {{ type }})
    {%- else -%}
        {%- set text = lead_scoring.cast_or_null_text(expression) -%}
        {%- if spec.family == 'integer' -%}
            {%- set check = 'cast(' ~ text ~ ' as numeric) between ' ~ spec.min ~ ' and ' ~ spec.max -%}
            {#- '50.0' is a whole number, but cast('50.0' as integer) fails: go through numeric. -#}
            {%- set value = 'cast(cast(' ~ text ~ ' as numeric) as ' ~ type ~ ')' -%}
        {%- elif spec.family == 'numeric' -%}
            {%- if spec.precision is none -%}
                {%- set check = none -%}
            {%- else -%}
                {%- set check = 'abs(round(cast(' ~ text ~ ' as numeric), ' ~ spec.scale ~ ')) < 1'
                    ~ '0' * (spec.precision - spec.scale) -%}
            {%- endif -%}
            {%- set value = 'cast(' ~ text ~ ' as ' ~ type ~ ')' -%}
        {%- else -%}
            {%- set check = lead_scoring.cast_or_null_day_exists(text) -%}
            {%- if spec.family == 'timestamp' -%}
                {%- set value -%}
                    case
                        when {{ lead_scoring.regexp_full_match(text, spec.offset_pattern) }}
                            then cast(cast({{ text }} as timestamp with time zone) at time zone 'UTC' as {{ type }})
                        else cast({{ text }} as {{ type }})
                    end
                {%- endset -%}
            {%- else -%}
                {%- set value = 'cast(' ~ text ~ ' as ' ~ type ~ ')' -%}
            {%- endif -%}
        {%- endif -%}
        case
            when {{ lead_scoring.regexp_full_match(text, spec.pattern) }}
                then {% if check is none %}{{ value }}{% else %}case when {{ check }} then {{ value }} end{% endif %}
        end
    {%- endif -%}
{%- endmacro %}


{#-
    DuckDB has try_cast, which returns null for what the patterns cannot see
    (2026-02-30, a number too large for the type). But on its own it is more
    lenient than PostgreSQL: it rounds '42.5' to 43, reads '0x10' and '1_000'
    as numbers, 'infinity' as a timestamp, and drops a time zone offset
    without converting to UTC. Checking the same patterns first makes both
    engines stage and reject the same rows.
    Converting an offset needs `at time zone`, from DuckDB's ICU extension,
    which the duckdb Python package (what dbt-duckdb runs on) includes.
-#}
{% macro duckdb__cast_or_null(expression, type) -%}
    {%- set spec = lead_scoring.cast_or_null_spec(type) -%}
    {%- if spec.family == 'text' -%}
        cast({{ expression }} as {{ type }})
    {%- else -%}
        {%- set text = lead_scoring.cast_or_null_text(expression) -%}
        case
            when {{ lead_scoring.regexp_full_match(text, spec.pattern) }}
                then
                {%- if spec.family == 'timestamp' %}
                    case
                        when {{ lead_scoring.regexp_full_match(text, spec.offset_pattern) }}
                            then cast(try_cast({{ text }} as timestamptz) at time zone 'UTC' as {{ type }})
                        else try_cast({{ text }} as {{ type }})
                    end
                {%- else %} try_cast({{ text }} as {{ type }})
                {%- endif %}
        end
    {%- endif -%}
{%- endmacro %}


{#-
    Spark: the same patterns, then dbt.safe_cast, which is a plain cast on
    Spark: with spark.sql.ansi.enabled=false (Spark 3.5's default, set in
    the profile), a cast that cannot convert (2026-02-30, a number too large for its
    type) returns null instead of failing. A timestamp with an offset is
    converted to the session time zone by the cast itself: the profile sets
    spark.sql.session.timeZone to UTC (timestamps are UTC here).
-#}
{% macro spark__cast_or_null(expression, type) -%}
    {%- set spec = lead_scoring.cast_or_null_spec(type) -%}
    {%- if spec.family == 'text' -%}
        cast({{ expression }} as {{ type }})
    {%- else -%}
        {%- set text = lead_scoring.cast_or_null_text(expression) -%}
        case
            when {{ lead_scoring.regexp_full_match(text, spec.pattern) }}
                then {{ dbt.safe_cast(text, type) }}
        end
    {%- endif -%}
{%- endmacro %}


{#- The value as trimmed text, what the patterns are matched against. -#}
{% macro cast_or_null_text(expression) -%}
    {{ lead_scoring.trim_whitespace(expression) }}
{%- endmacro %}


{#-
    True when the day of a 'YYYY-MM-DD...' text exists in its month, with
    arithmetic only (no date function, which would fail on 2026-02-30).
    Only called on text that matched a date pattern.
-#}
{% macro cast_or_null_day_exists(text) -%}
    {%- set year = 'cast(substring(' ~ text ~ ', 1, 4) as integer)' -%}
    cast(substring({{ text }}, 9, 2) as integer) <= case cast(substring({{ text }}, 6, 2) as integer)
        when 2 then case when {{ year }} % 4 = 0 and ({{ year }} % 100 <> 0 or {{ year }} % 400 = 0) then 29 else 28 end
        when 4 then 30
        when 6 then 30
        when 9 then 30
        when 11 then 30
        else 31
    end
{%- endmacro %}


{#-
    What cast_or_null needs to know about a type: its family, the pattern a
    value must match, and for whole numbers their range, for numbers their
    precision and scale. An unknown type is an error, not an unsafe cast.
-#}
{% macro cast_or_null_spec(type) -%}
    {%- set normalized = type | string | lower | trim -%}
    {%- set parsed = modules.re.fullmatch(
        '([a-z][a-z0-9_ ]*?)[ ]*([(][ ]*([0-9]+)[ ]*(,[ ]*([0-9]+)[ ]*)?[)])?', normalized
    ) -%}
    {%- set name = parsed.group(1) if parsed else normalized -%}

    {%- set integer_max = {
        'smallint': 32767, 'int2': 32767,
        'integer': 2147483647, 'int': 2147483647, 'int4': 2147483647,
        'bigint': 9223372036854775807, 'int8': 9223372036854775807,
    } -%}
    {%- set year = '([1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])' -%}
    {%- set date = year ~ '-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])' -%}
    {%- set time = '([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,9})?)?' -%}
    {%- set offset = '(Z|[+-](0[0-9]|1[0-4])(:?[0-5][0-9])?)' -%}

    {%- if name in integer_max -%}
        {{ return({
            'family': 'integer',
            'pattern': '[+-]?[0-9]+([.]0*)?',
            'min': -integer_max[name] - 1,
            'max': integer_max[name],
        }) }}
    {%- elif name in ['numeric', 'decimal'] -%}
        {%- set precision = parsed.group(3) | int if parsed and parsed.group(3) else none -%}
        {%- set scale = parsed.group(5) | int if parsed and parsed.group(5) else 0 -%}
        {{ return({
            'family': 'numeric',
            'pattern': '[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]{1,3})?',
            'precision': precision,
            'scale': scale,
        }) }}
    {%- elif name in ['timestamp', 'timestamp without time zone', 'datetime'] -%}
        {{ return({
            'family': 'timestamp',
            'pattern': date ~ '([T ]' ~ time ~ offset ~ '?)?',
            'offset_pattern': date ~ '[T ]' ~ time ~ offset,
        }) }}
    {%- elif name == 'date' -%}
        {{ return({'family': 'date', 'pattern': date}) }}
    {%- elif name in ['text', 'varchar', 'string', 'char', 'character', 'character varying'] -%}
        {{ return({'family': 'text'}) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "lead_scoring.cast_or_null cannot check values for type '" ~ type ~ "'. "
            ~ "Fix: cast to a whole-number, numeric, timestamp, date or text type, "
            ~ "or teach cast_or_null_spec in macros/utils/safe_cast.sql the new type."
        ) }}
    {%- endif -%}
{%- endmacro %}


{#-
    A timestamp column of a relation as dbt.type_timestamp(), or null when it
    cannot be one: cast_or_null, except that a column the warehouse already
    types as a timestamp (without time zone) needs no parsing, only the
    range cast_or_null accepts (years 0001 to 9999: no 'infinity', no year
    10000 or BC date, which its text would not match either). Reading the
    text of millions of typed values only to match it against a pattern is
    most of what staging a large typed events table costs.
-#}
{% macro read_timestamp(relation, column) -%}
    {%- set type = dbt.type_timestamp() -%}
    {%- set typed = namespace(value=false) -%}
    {%- if execute -%}
        {%- for existing in adapter.get_columns_in_relation(relation) -%}
            {%- if existing.name | lower == column | lower
                and existing.data_type | lower in ['timestamp', 'timestamp without time zone'] -%}
                {%- set typed.value = true -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if typed.value -%}
        case
            when {{ column }} >= cast('0001-01-01 00:00:00' as {{ type }})
                and {{ column }} <= cast('9999-12-31 23:59:59.999999' as {{ type }})
                then cast({{ column }} as {{ type }})
        end
    {%- else -%}
        {{ lead_scoring.cast_or_null(column, type) }}
    {%- endif -%}
{%- endmacro %}
