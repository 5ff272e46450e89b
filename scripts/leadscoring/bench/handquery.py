"""The engine's limit: ``lead_scoring__scores`` computed by one hand-written DuckDB query.

One statement (CTEs only) reads the raw tables and the seed CSVs (``read_csv``,
every column as text, as dbt loads them) and returns, for every contact and
score model, what the mart ``lead_scoring__scores`` holds: the point sums, the fit and
engagement scores, the total, its band, the fit grade, the engagement level,
the matrix cell and the number of rules fired. It follows docs/point_tables.md
and, where the docs leave a detail open, what the models do (noted below).

It is written for speed, the way an expert would write it by hand:

* page paths, page categories and every page and event-type condition of rules,
  combination steps and segments are worked out once per distinct
  (event type, page URL) pair, not once per event;
* each staged event is then joined to the matchers of its pair: one hash join;
* repeat windows use ``lag`` with the rule's own offset instead of a self-join;
* ``max_occurrences`` keeps the largest decay factors with a top-n aggregate
  (``max(decay, n)``) instead of numbering every occurrence;
* combinations find, for each window start and step, the step's first event at
  or after the start with a running minimum over one sorted pass, instead of
  joining every window with every event in it.

Numbers follow the models exactly: points are ``DECIMAL(28, 6)`` (dbt's
numeric on DuckDB), the decay factor is ``0.5 ^ (age / half-life)`` in double
precision, a rule's decayed points are summed as doubles, cast to
``DECIMAL(38, 12)`` and rounded to 2 decimals.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from leadscoring.contract import seed_file

RESULT_COLUMNS = (
    "contact_id",
    "score_model",
    "fit_points",
    "engagement_points",
    "negative_points",
    "adjustment_points",
    "fit_score",
    "engagement_score",
    "total_score",
    "score_band",
    "fit_grade",
    "engagement_level",
    "score_matrix",
    "rules_fired",
)

# A timestamp outside these bounds does not print as 'YYYY-MM-DD ...' (infinity,
# BC years, years past 9999), so staging's cast_or_null makes it null and the
# row is quarantined as malformed. Inside them the typed value is kept as is.
VALID_TIMESTAMP = (
    "BETWEEN TIMESTAMP '0001-01-01 00:00:00' AND TIMESTAMP '9999-12-31 23:59:59.999999'"
)

_ATTRIBUTE_TEXT = {
    # attribute -> its text value in the contacts CTE (null when empty after trimming)
    "email": "email",
    "email_domain": "email_domain",
    "email_domain_kind": "email_domain_kind",
    "is_email_valid": "CAST(is_email_valid AS VARCHAR)",
    "has_placeholder_name": "CAST(has_placeholder_name AS VARCHAR)",
    "first_name": "first_name",
    "last_name": "last_name",
    "phone": "phone",
    "job_title": "job_title",
    "seniority": "seniority",
    "department": "department",
    "country": "country",
    "region": "region",
    "lead_source": "lead_source",
    "company_name": "company_name",
    "company_domain": "company_domain",
    "industry": "industry",
    "company_country": "company_country",
}
_ATTRIBUTE_NUMBER = {
    "employee_count": "CAST(employee_count AS DECIMAL(28, 6))",
    "annual_revenue": "CAST(annual_revenue AS DECIMAL(28, 6))",
}


def _attribute_matches(rule: str, attribute: str) -> str:
    """Does attribute row `attribute` satisfy rule (or segment condition) row `rule`?"""
    return f"""coalesce(CASE {rule}.operator
        WHEN 'equals' THEN {attribute}.text_value = {rule}.match_value
        WHEN 'in' THEN position('|' IN {attribute}.text_value) = 0
            AND position('|' || {attribute}.text_value || '|'
                         IN '|' || {rule}.match_value || '|') > 0
        WHEN 'contains' THEN position({rule}.match_value IN {attribute}.text_value) > 0
        WHEN 'starts_with' THEN position({rule}.match_value IN {attribute}.text_value) = 1
        WHEN 'between'
            THEN {attribute}.number_value >= coalesce({rule}.min_value, {attribute}.number_value)
            AND {attribute}.number_value <= coalesce({rule}.max_value, {attribute}.number_value)
        WHEN 'is_present' THEN {attribute}.is_present
        WHEN 'is_missing' THEN NOT {attribute}.is_present
    END, false)"""


def _match_value(value: str, operator: str) -> str:
    return f"""CASE WHEN lower(trim({operator})) = 'in'
        THEN regexp_replace(lower(trim({value})), '[[:space:]]*[|][[:space:]]*', '|', 'g')
        ELSE lower(trim({value})) END"""


def _glob_to_like(expression: str) -> str:
    return (
        f"replace(replace(replace(replace({expression}, '!', '!!'), '%', '!%'), '_', '!_'), "
        "'*', '%')"
    )


def _seconds_between(earlier: str, later: str) -> str:
    return f"date_diff('second', {earlier}, {later})"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def normalise_as_of(as_of: str) -> str:
    """'YYYY-MM-DD[ HH:MM[:SS]]' -> 'YYYY-MM-DD HH:MM:SS', as the project's as_of macro does."""
    text = as_of.strip().replace("T", " ")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?", text):
        raise ValueError(f"as-of {as_of!r} is not 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS'")
    if len(text) == 10:
        text += " 00:00:00"
    elif len(text) == 16:
        text += ":00"
    datetime.fromisoformat(text)
    return text


def build_query(seeds_dir: Path, as_of: str, raw_schema: str = "raw") -> str:
    """The query, for the seeds in `seeds_dir`, the raw tables of `raw_schema`, at `as_of`."""
    as_of_ts = f"TIMESTAMP {_literal(normalise_as_of(as_of))}"
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", raw_schema):
        raise ValueError(f"raw schema {raw_schema!r} is not a plain identifier")

    def seed(name: str) -> str:
        path = str(Path(seeds_dir).resolve() / seed_file(name))
        return f"read_csv({_literal(path)}, header = true, all_varchar = true)"

    text_cases = " ".join(
        f"WHEN {_literal(name)} THEN {expr}" for name, expr in _ATTRIBUTE_TEXT.items()
    )
    number_cases = " ".join(
        f"WHEN {_literal(name)} THEN {expr}" for name, expr in _ATTRIBUTE_NUMBER.items()
    )
    age = _seconds_between("o.occurred_at", as_of_ts)
    return f"""
WITH
-- ------------------------------------------------------------------ point tables
score_models AS MATERIALIZED (
    SELECT row_number() OVER (ORDER BY score_model) AS mk, *
    FROM (
        SELECT trim(score_model) AS score_model,
               coalesce(CAST(nullif(trim(min_total), '') AS DECIMAL(28, 6)), 0) AS min_total,
               CAST(nullif(trim(max_total), '') AS DECIMAL(28, 6)) AS max_total,
               CAST(nullif(trim(half_life_days), '') AS DECIMAL(28, 6)) AS half_life_days,
               CAST(nullif(trim(timeframe_days), '') AS DECIMAL(28, 6)) AS timeframe_days
        FROM {seed("score_models")}
    )
),
rules_text AS (
    SELECT *, 'explicit' AS point_table, 'attribute' AS rule_kind FROM {seed("explicit_rules")}
    UNION ALL BY NAME
    SELECT *, 'implicit' AS point_table, 'event' AS rule_kind FROM {seed("implicit_rules")}
    UNION ALL BY NAME
    SELECT *, 'negative' AS point_table, lower(trim(applies_to)) AS rule_kind
    FROM {seed("negative_rules")}
    UNION ALL BY NAME
    SELECT *, 'repeat' AS point_table, 'repeat' AS rule_kind FROM {seed("repeat_rules")}
    UNION ALL BY NAME
    SELECT *, 'combination' AS point_table, 'combination' AS rule_kind
    FROM {seed("combination_rules")}
),
rules_typed AS (
    SELECT
        trim(rule_id) AS rule_id,
        trim(score_model) AS score_model,
        CASE WHEN point_table = 'explicit' THEN 'explicit'
             WHEN point_table = 'negative' OR CAST(trim(points) AS DECIMAL(28, 6)) < 0
                 THEN 'negative'
             ELSE 'implicit' END AS category,
        rule_kind,
        lower(trim(attribute)) AS attribute,
        lower(trim(operator)) AS operator,
        {_match_value("value", "operator")} AS match_value,
        CAST(nullif(trim(min_value), '') AS DECIMAL(28, 6)) AS min_value,
        CAST(nullif(trim(max_value), '') AS DECIMAL(28, 6)) AS max_value,
        lower(nullif(trim(event_type), '')) AS event_type,
        {_glob_to_like("lower(nullif(trim(page_pattern), ''))")} AS like_pattern,
        lower(nullif(trim(page_category), '')) AS page_category,
        CAST(trim(points) AS DECIMAL(28, 6)) AS points,
        CAST(nullif(trim(max_occurrences), '') AS INTEGER) AS max_occurrences,
        CAST(nullif(trim(max_points), '') AS DECIMAL(28, 6)) AS max_points,
        lower(nullif(trim(cap_group), '')) AS cap_group,
        CAST(nullif(trim(half_life_days), '') AS DECIMAL(28, 6)) AS own_half_life,
        CAST(nullif(trim(timeframe_days), '') AS DECIMAL(28, 6)) AS own_timeframe,
        CAST(nullif(trim(min_occurrences), '') AS INTEGER) AS min_occurrences,
        CAST(nullif(trim(within_days), '') AS DECIMAL(28, 6)) AS within_days,
        lower(nullif(trim(count_mode), '')) AS count_mode,
        lower(nullif(trim(anchor), '')) AS anchor,
        CAST(nullif(trim(inactive_days), '') AS DECIMAL(28, 6)) AS inactive_days
    FROM rules_text
),
rules AS MATERIALIZED (
    -- rk numbers the rules in rule_id order (the cap groups' tie-break); positive
    -- engagement rules inherit the score model's decay and timeframe
    SELECT row_number() OVER (ORDER BY r.rule_id) AS rk, m.mk,
           r.* EXCLUDE (own_half_life, own_timeframe),
           CASE WHEN r.category = 'implicit' THEN coalesce(r.own_half_life, m.half_life_days)
                ELSE r.own_half_life END AS half_life_days,
           CASE WHEN r.category = 'implicit' THEN coalesce(r.own_timeframe, m.timeframe_days)
                ELSE r.own_timeframe END AS timeframe_days,
           CASE WHEN r.rule_kind = 'attribute' THEN 'fit' ELSE 'engagement' END AS dimension
    FROM rules_typed AS r
    LEFT JOIN score_models AS m ON r.score_model = m.score_model
),
steps AS MATERIALIZED (
    SELECT r.rk, dense_rank() OVER (ORDER BY r.rk, s.step) AS sk, s.event_type, s.like_pattern,
           s.page_category
    FROM (
        SELECT trim(rule_id) AS rule_id, lower(trim(step)) AS step,
               lower(nullif(trim(event_type), '')) AS event_type,
               {_glob_to_like("lower(nullif(trim(page_pattern), ''))")} AS like_pattern,
               lower(nullif(trim(page_category), '')) AS page_category
        FROM {seed("combination_rule_steps")}
    ) AS s
    JOIN rules AS r ON s.rule_id = r.rule_id
),
step_counts AS (
    SELECT rk, count(DISTINCT sk) AS steps FROM steps GROUP BY rk
),
segments AS MATERIALIZED (
    SELECT row_number() OVER (ORDER BY s.score_model, s.condition_id) AS qk, m.mk, s.*
    FROM (
        SELECT trim(score_model) AS score_model, trim(condition_id) AS condition_id,
               lower(trim(applies_to)) AS applies_to, lower(trim(attribute)) AS attribute,
               lower(trim(operator)) AS operator,
               {_match_value("value", "operator")} AS match_value,
               CAST(nullif(trim(min_value), '') AS DECIMAL(28, 6)) AS min_value,
               CAST(nullif(trim(max_value), '') AS DECIMAL(28, 6)) AS max_value,
               lower(nullif(trim(event_type), '')) AS event_type,
               lower(nullif(trim(page_category), '')) AS page_category,
               coalesce(CAST(nullif(trim(min_occurrences), '') AS INTEGER), 1) AS min_occurrences,
               CAST(nullif(trim(within_days), '') AS DECIMAL(28, 6)) AS within_days
        FROM {seed("score_model_segments")}
    ) AS s
    LEFT JOIN score_models AS m ON s.score_model = m.score_model
),
conditions_per_model AS (
    SELECT mk, count(*) AS conditions FROM segments WHERE mk IS NOT NULL GROUP BY mk
),
event_types AS (
    SELECT lower(trim(event_type)) AS event_type,
           lower(trim(is_engagement)) = 'true' AS is_engagement
    FROM {seed("event_types")}
),
page_categories AS (
    SELECT lower(trim(page_category)) AS page_category,
           {_glob_to_like("lower(trim(page_pattern))")} AS like_pattern
    FROM {seed("page_categories")}
),
thresholds AS (
    SELECT t.kind, m.mk, t.name, t.min_value,
           row_number() OVER (PARTITION BY t.kind, t.score_model ORDER BY t.min_value) AS rank,
           lead(t.min_value) OVER (PARTITION BY t.kind, t.score_model ORDER BY t.min_value)
               AS next_min
    FROM (
        SELECT 'band' AS kind, trim(score_model) AS score_model, trim(band) AS name,
               CAST(trim(min_score) AS DECIMAL(28, 6)) AS min_value
        FROM {seed("score_bands")}
        UNION ALL
        SELECT 'grade', trim(score_model), trim(grade), CAST(trim(min_points) AS DECIMAL(28, 6))
        FROM {seed("fit_grades")}
        UNION ALL
        SELECT 'level', trim(score_model), trim(level), CAST(trim(min_points) AS DECIMAL(28, 6))
        FROM {seed("engagement_levels")}
    ) AS t
    JOIN score_models AS m ON t.score_model = m.score_model
),
-- ------------------------------------------------------------------ staging
accounts AS (
    SELECT * FROM (
        SELECT *, row_number() OVER (
            PARTITION BY account_id
            ORDER BY invalid, updated_at DESC NULLS LAST, created_at DESC NULLS LAST,
                     account_name) AS version
        FROM (
            SELECT nullif(trim(account_id), '') AS account_id,
                   nullif(trim(account_name), '') AS account_name,
                   lower(nullif(trim(domain), '')) AS domain,
                   nullif(trim(industry), '') AS industry,
                   employee_count, CAST(annual_revenue AS DECIMAL(28, 6)) AS annual_revenue,
                   nullif(trim(country), '') AS country,
                   CASE WHEN created_at {VALID_TIMESTAMP} THEN created_at END AS created_at,
                   CASE WHEN updated_at {VALID_TIMESTAMP} THEN updated_at END AS updated_at,
                   (created_at IS NOT NULL AND NOT created_at {VALID_TIMESTAMP})
                   OR (updated_at IS NOT NULL AND NOT updated_at {VALID_TIMESTAMP}) AS invalid
            FROM {raw_schema}.accounts
        )
    )
    WHERE account_id IS NOT NULL AND NOT invalid AND version = 1
),
staged_contacts AS (
    SELECT * FROM (
        SELECT *, row_number() OVER (
            PARTITION BY contact_id
            ORDER BY invalid, updated_at DESC NULLS LAST, created_at DESC NULLS LAST, email)
            AS version
        FROM (
            SELECT nullif(trim(contact_id), '') AS contact_id,
                   lower(nullif(trim(email), '')) AS email,
                   nullif(trim(first_name), '') AS first_name,
                   nullif(trim(last_name), '') AS last_name,
                   nullif(trim(phone), '') AS phone,
                   nullif(trim(job_title), '') AS job_title,
                   nullif(trim(seniority), '') AS seniority,
                   nullif(trim(department), '') AS department,
                   nullif(trim(country), '') AS country,
                   nullif(trim(region), '') AS region,
                   nullif(trim(lead_source), '') AS lead_source,
                   nullif(trim(account_id), '') AS account_id,
                   CASE WHEN created_at {VALID_TIMESTAMP} THEN created_at END AS created_at,
                   CASE WHEN updated_at {VALID_TIMESTAMP} THEN updated_at END AS updated_at,
                   (created_at IS NOT NULL AND NOT created_at {VALID_TIMESTAMP})
                   OR (updated_at IS NOT NULL AND NOT updated_at {VALID_TIMESTAMP}) AS invalid
            FROM {raw_schema}.contacts
        )
    )
    WHERE contact_id IS NOT NULL AND NOT invalid AND version = 1
),
placeholder_names AS (
    SELECT DISTINCT lower(trim(name)) AS name FROM {seed("placeholder_names")}
),
email_domains AS (
    SELECT lower(trim(domain)) AS domain, lower(trim(domain_kind)) AS domain_kind
    FROM {seed("email_domains")}
),
contacts AS MATERIALIZED (
    -- ck: the contact's number, the key of every step below
    SELECT row_number() OVER (ORDER BY c.contact_id) AS ck,
           c.contact_id, c.email, c.first_name, c.last_name, c.phone, c.job_title, c.seniority,
           c.department, c.country, c.region, c.lead_source, c.created_at,
           c.email_domain, c.is_email_valid, d.domain_kind AS email_domain_kind,
           coalesce(
               lower(c.first_name) IN (SELECT name FROM placeholder_names)
               OR (length(lower(c.first_name)) >= 2
                   AND replace(lower(c.first_name), substr(lower(c.first_name), 1, 1), '') = '')
               OR lower(c.last_name) IN (SELECT name FROM placeholder_names)
               OR (length(lower(c.last_name)) >= 2
                   AND replace(lower(c.last_name), substr(lower(c.last_name), 1, 1), '') = ''),
               false) AS has_placeholder_name,
           a.account_name AS company_name, a.domain AS company_domain, a.industry,
           a.employee_count, a.annual_revenue, a.country AS company_country
    FROM (
        SELECT *, CASE WHEN is_email_valid THEN split_part(email, '@', 2) END AS email_domain
        FROM (
            SELECT *,
                   regexp_full_match(email, '[^@[:space:]]+@[^@[:space:]]+[.][^@[:space:]]+')
                       AS is_email_valid
            FROM staged_contacts
        )
    ) AS c
    LEFT JOIN accounts AS a ON c.account_id = a.account_id
    LEFT JOIN email_domains AS d ON c.email_domain = d.domain
),
events AS MATERIALIZED (
    -- staged events at or before the as-of: the first copy of each event id
    -- (by occurred_at, contact_id, event_type, page_url), of a known contact and
    -- event type, with a well-formed occurred_at; ek (the raw row) identifies it
    SELECT e.ek, c.ck, e.event_type, e.occurred_at, coalesce(e.page_url, '') AS url_key,
           t.is_engagement
    FROM (
        SELECT * FROM (
            SELECT rowid AS ek,
                   nullif(trim(event_id), '') AS event_id,
                   nullif(trim(contact_id), '') AS contact_id,
                   lower(nullif(trim(event_type), '')) AS event_type,
                   CASE WHEN occurred_at {VALID_TIMESTAMP} THEN occurred_at END AS occurred_at,
                   nullif(trim(page_url), '') AS page_url
            FROM {raw_schema}.events
        )
        QUALIFY row_number() OVER (
            PARTITION BY event_id
            ORDER BY occurred_at NULLS LAST, contact_id NULLS LAST, event_type, page_url) = 1
    ) AS e
    JOIN event_types AS t ON e.event_type = t.event_type
    JOIN contacts AS c ON e.contact_id = c.contact_id
    WHERE e.event_id IS NOT NULL AND e.occurred_at <= {as_of_ts}
),
-- ----------------------------------------------- matching, once per (event type, URL)
pairs AS (
    SELECT DISTINCT event_type, url_key FROM events
),
paths AS (
    SELECT url_key,
           coalesce(nullif(regexp_extract(lower(url_key),
                    '^(?:[a-z][a-z0-9+.-]*://[^/?#]*)?([^?#]*)', 1), ''), '/') AS page_path
    FROM (SELECT DISTINCT url_key FROM pairs WHERE url_key <> '')
),
path_categories AS (
    SELECT DISTINCT p.url_key, c.page_category
    FROM paths AS p JOIN page_categories AS c ON p.page_path LIKE c.like_pattern ESCAPE '!'
),
matchers AS MATERIALIZED (
    -- every event condition: of event and repeat rules (rk), of combination
    -- steps (rk, sk), of behaviour segments (mk, qk)
    SELECT row_number() OVER (ORDER BY kind, rk, sk, qk) AS matcher_id, *
    FROM (
        SELECT 'rule' AS kind, rk, NULL::BIGINT AS sk, NULL::BIGINT AS qk, mk, event_type,
               like_pattern, page_category
        FROM rules WHERE rule_kind IN ('event', 'repeat')
        UNION ALL
        SELECT 'step', s.rk, s.sk, NULL, r.mk, s.event_type, s.like_pattern, s.page_category
        FROM steps AS s JOIN rules AS r ON s.rk = r.rk
        UNION ALL
        SELECT 'segment', NULL, NULL, qk, mk, event_type, NULL, page_category
        FROM segments WHERE applies_to = 'behaviour'
    )
),
pair_matchers AS MATERIALIZED (
    SELECT pr.event_type, pr.url_key, m.matcher_id, m.kind, m.rk, m.sk, m.qk
    FROM pairs AS pr
    JOIN matchers AS m
      ON m.event_type = pr.event_type OR (m.event_type IS NULL AND m.page_category IS NOT NULL)
    LEFT JOIN paths AS p ON p.url_key = pr.url_key
    LEFT JOIN path_categories AS pc
      ON pc.url_key = pr.url_key AND pc.page_category = m.page_category
    WHERE (m.like_pattern IS NULL OR p.page_path LIKE m.like_pattern ESCAPE '!')
      AND (m.page_category IS NULL OR pc.url_key IS NOT NULL)
),
-- ------------------------------------------------------------------ occurrences
event_occurrences AS (
    SELECT e.ck, pm.rk, e.occurred_at
    FROM events AS e
    JOIN pair_matchers AS pm ON e.event_type = pm.event_type AND e.url_key = pm.url_key
    JOIN rules AS r ON pm.rk = r.rk
    WHERE pm.kind = 'rule' AND r.rule_kind = 'event'
),
repeat_matches AS (
    SELECT e.ck, r.rk, e.ek, e.occurred_at, r.within_days, r.min_occurrences, r.count_mode
    FROM events AS e
    JOIN pair_matchers AS pm ON e.event_type = pm.event_type AND e.url_key = pm.url_key
    JOIN rules AS r ON pm.rk = r.rk
    WHERE pm.kind = 'rule' AND r.rule_kind = 'repeat'
      AND (r.timeframe_days IS NULL
           OR {_seconds_between("e.occurred_at", as_of_ts)} <= r.timeframe_days * 86400)
),
repeat_windows AS (
    -- per_window: the window of each match, counted from the contact's first match
    SELECT m.*,
           CASE WHEN m.count_mode = 'per_window'
                THEN floor({_seconds_between("f.first_at", "m.occurred_at")}
                           / (m.within_days * 86400)) END AS window_number
    FROM repeat_matches AS m
    JOIN (SELECT ck, rk, min(occurred_at) AS first_at FROM repeat_matches GROUP BY ck, rk) AS f
      ON m.ck = f.ck AND m.rk = f.rk
),
repeat_completions AS (
    -- an event and the N-1 matching events before it (in its window, per_window)
    SELECT ck, rk, count_mode, window_number, occurred_at, within_days,
           lag(occurred_at, min_occurrences - 1) OVER (
               PARTITION BY ck, rk, window_number ORDER BY occurred_at, ek) AS run_start
    FROM repeat_windows
),
repeat_occurrences AS (
    SELECT ck, rk,
           CASE WHEN count_mode = 'per_window' THEN min(occurred_at) ELSE max(occurred_at) END
               AS occurred_at
    FROM repeat_completions
    WHERE run_start IS NOT NULL
      AND {_seconds_between("run_start", "occurred_at")} <= within_days * 86400
    GROUP BY ck, rk, count_mode, window_number
),
step_matches AS MATERIALIZED (
    SELECT e.ck, pm.rk, pm.sk, e.ek, e.occurred_at
    FROM events AS e
    JOIN pair_matchers AS pm ON e.event_type = pm.event_type AND e.url_key = pm.url_key
    JOIN rules AS r ON pm.rk = r.rk
    WHERE pm.kind = 'step'
      AND (r.timeframe_days IS NULL
           OR {_seconds_between("e.occurred_at", as_of_ts)} <= r.timeframe_days * 86400)
),
combination_events AS MATERIALIZED (
    -- the distinct events of a contact and rule, numbered in time order
    SELECT ck, rk, occurred_at,
           row_number() OVER (PARTITION BY ck, rk ORDER BY occurred_at, ek) AS event_number
    FROM (SELECT DISTINCT ck, rk, ek, occurred_at FROM step_matches)
),
window_starts AS (
    -- anchor any: every matched moment; anchor contact_created: the creation.
    -- first_number: the number of the window's first event
    SELECT e.ck, e.rk, e.occurred_at AS window_start, min(e.event_number) AS first_number
    FROM combination_events AS e JOIN rules AS r ON e.rk = r.rk
    WHERE r.anchor = 'any'
    GROUP BY e.ck, e.rk, e.occurred_at
    UNION ALL
    SELECT e.ck, e.rk, c.created_at,
           min(e.event_number) FILTER (WHERE e.occurred_at >= c.created_at)
    FROM combination_events AS e
    JOIN rules AS r ON e.rk = r.rk
    JOIN contacts AS c ON e.ck = c.ck
    WHERE r.anchor = 'contact_created' AND c.created_at IS NOT NULL
    GROUP BY e.ck, e.rk, c.created_at
),
window_step_firsts AS (
    -- each step's first event at or after the window start: a running minimum
    -- over the step's events and the window starts, latest first
    SELECT ck, rk, sk, window_start, first_number, first_at
    FROM (
        SELECT *, min(CASE WHEN NOT is_start THEN moment END) OVER (
                      PARTITION BY ck, rk, sk ORDER BY moment DESC, is_start
                      ROWS UNBOUNDED PRECEDING) AS first_at
        FROM (
            SELECT ws.ck, ws.rk, s.sk, ws.window_start AS moment, true AS is_start,
                   ws.window_start, ws.first_number
            FROM window_starts AS ws JOIN steps AS s ON ws.rk = s.rk
            UNION ALL
            SELECT ck, rk, sk, occurred_at, false, NULL, NULL FROM step_matches
        )
    )
    WHERE is_start
),
complete_windows AS (
    -- every step inside [start, start + D], and as many distinct events as steps:
    -- the window's n-th distinct event is inside too
    SELECT w.ck, w.rk, greatest(w.last_first, n.occurred_at) AS completed_at
    FROM (
        SELECT w.ck, w.rk, w.window_start, sc.steps,
               any_value(w.first_number) + sc.steps - 1 AS nth_number,
               max(w.first_at) AS last_first,
               count(DISTINCT w.sk) FILTER (WHERE w.first_at IS NOT NULL) AS found
        FROM window_step_firsts AS w JOIN step_counts AS sc ON w.rk = sc.rk
        GROUP BY w.ck, w.rk, w.window_start, sc.steps
    ) AS w
    JOIN combination_events AS n
      ON n.ck = w.ck AND n.rk = w.rk AND n.event_number = w.nth_number
    JOIN rules AS r ON w.rk = r.rk
    WHERE w.found = w.steps
      AND {_seconds_between("w.window_start", "w.last_first")} <= r.within_days * 86400
      AND {_seconds_between("w.window_start", "n.occurred_at")} <= r.within_days * 86400
),
combination_occurrences AS (
    SELECT ck, rk, max(completed_at) AS occurred_at FROM complete_windows GROUP BY ck, rk
),
last_engagement AS (
    SELECT ck, max(occurred_at) AS last_at FROM events WHERE is_engagement GROUP BY ck
),
inactivity_occurrences AS (
    SELECT c.ck, r.rk,
           coalesce(l.last_at, c.created_at)
               + to_seconds(CAST(CAST(r.inactive_days * 86400 AS INTEGER) AS BIGINT))
               AS occurred_at
    FROM contacts AS c
    CROSS JOIN (SELECT * FROM rules WHERE rule_kind = 'inactivity') AS r
    LEFT JOIN last_engagement AS l ON c.ck = l.ck
    WHERE (c.created_at IS NULL
           OR {_seconds_between("c.created_at", as_of_ts)} >= r.inactive_days * 86400)
      AND (l.last_at IS NULL
           OR {_seconds_between("l.last_at", as_of_ts)} > CAST(r.inactive_days * 86400 AS INTEGER))
),
-- ------------------------------------------------------------------ points per rule
occurrences AS (
    SELECT * FROM event_occurrences
    UNION ALL SELECT * FROM repeat_occurrences
    UNION ALL SELECT * FROM combination_occurrences
    UNION ALL SELECT * FROM inactivity_occurrences
),
weighted AS (
    SELECT o.ck, o.rk, r.max_occurrences, r.points >= 0 AS positive,
           r.points * CASE WHEN r.half_life_days IS NULL THEN 1.0
                           ELSE power(0.5, CAST({age} / 86400.0 / r.half_life_days AS DOUBLE))
                      END AS value
    FROM occurrences AS o JOIN rules AS r ON o.rk = r.rk
    WHERE r.timeframe_days IS NULL OR {age} / 86400.0 <= r.timeframe_days
),
engagement_fired AS (
    -- max_occurrences keeps the most recent occurrences: those of the largest
    -- decay factors (decay only falls with age), so the largest values of a
    -- positive rule and the smallest of a negative one: a top-n aggregate
    SELECT ck, rk,
           round(CAST(CASE WHEN max_occurrences IS NULL THEN sum(value)
                           WHEN positive THEN list_sum(max(value, coalesce(max_occurrences, 1)))
                           ELSE list_sum(min(value, coalesce(max_occurrences, 1)))
                      END AS DECIMAL(38, 12)), 2) AS decayed_points
    FROM weighted
    GROUP BY ck, rk, max_occurrences, positive
),
attribute_names AS (
    SELECT attribute FROM rules WHERE rule_kind = 'attribute'
    UNION SELECT attribute FROM segments WHERE applies_to = 'attribute'
),
attributes AS MATERIALIZED (
    SELECT ck, attribute, text_value, number_value,
           text_value IS NOT NULL OR number_value IS NOT NULL AS is_present
    FROM (
        SELECT c.ck, n.attribute,
               nullif(lower(trim(CASE n.attribute {text_cases} END)), '') AS text_value,
               CASE n.attribute {number_cases} END AS number_value
        FROM contacts AS c CROSS JOIN attribute_names AS n
    )
),
fired AS (
    SELECT a.ck, r.rk, r.points AS rule_points
    FROM attributes AS a
    JOIN rules AS r ON a.attribute = r.attribute
    WHERE r.rule_kind = 'attribute' AND {_attribute_matches("r", "a")}
    UNION ALL
    SELECT f.ck, f.rk,
           CASE WHEN r.max_points IS NULL THEN f.decayed_points
                WHEN f.decayed_points > r.max_points THEN r.max_points
                WHEN f.decayed_points < -r.max_points THEN -r.max_points
                ELSE f.decayed_points END
    FROM engagement_fired AS f JOIN rules AS r ON f.rk = r.rk
),
-- ----------------------------------------------- who each score model applies to
in_scope AS (
    SELECT ck FROM contacts WHERE created_at IS NULL OR created_at <= {as_of_ts}
),
scored AS MATERIALIZED (
    SELECT c.ck, m.mk
    FROM in_scope AS c CROSS JOIN score_models AS m
    WHERE m.mk NOT IN (SELECT mk FROM conditions_per_model)
    UNION ALL
    SELECT met.ck, met.mk
    FROM (
        SELECT a.ck, s.mk, s.qk
        FROM attributes AS a JOIN segments AS s ON a.attribute = s.attribute
        WHERE s.applies_to = 'attribute' AND {_attribute_matches("s", "a")}
        UNION ALL
        SELECT e.ck, s.mk, s.qk
        FROM events AS e
        JOIN pair_matchers AS pm ON e.event_type = pm.event_type AND e.url_key = pm.url_key
        JOIN segments AS s ON pm.qk = s.qk
        WHERE pm.kind = 'segment'
          AND (s.within_days IS NULL
               OR {_seconds_between("e.occurred_at", as_of_ts)} <= s.within_days * 86400)
        GROUP BY e.ck, s.mk, s.qk, s.min_occurrences
        HAVING count(*) >= s.min_occurrences
    ) AS met
    JOIN conditions_per_model AS cm ON met.mk = cm.mk
    WHERE met.ck IN (SELECT ck FROM in_scope)
    GROUP BY met.ck, met.mk, cm.conditions
    HAVING count(DISTINCT met.qk) = cm.conditions
),
-- ----------------------------------------------- caps, floor, ceiling, thresholds
applicable AS (
    SELECT f.ck, r.mk, f.rk, f.rule_points, r.category, r.dimension,
           CASE WHEN f.rule_points > 0 THEN cap.max_points END AS cap_points,
           CASE WHEN f.rule_points > 0 AND cap.max_points IS NOT NULL THEN r.cap_group END
               AS cap_group
    FROM fired AS f
    JOIN rules AS r ON f.rk = r.rk
    JOIN scored AS s ON f.ck = s.ck AND r.mk = s.mk
    LEFT JOIN (
        SELECT trim(score_model) AS score_model, lower(trim(cap_group)) AS cap_group,
               min(CAST(trim(max_points) AS DECIMAL(28, 6))) AS max_points
        FROM {seed("point_caps")} GROUP BY ALL
    ) AS cap ON r.score_model = cap.score_model AND r.cap_group = cap.cap_group
),
capped AS (
    -- only rules of a capped group need the running sum
    SELECT ck, mk, category, dimension, rule_points AS points
    FROM applicable WHERE cap_group IS NULL
    UNION ALL
    SELECT ck, mk, category, dimension,
           CASE WHEN points_before >= cap_points THEN 0
                WHEN points_before + rule_points > cap_points THEN cap_points - points_before
                ELSE rule_points END
    FROM (
        SELECT *, coalesce(sum(rule_points) OVER (
                      PARTITION BY ck, mk, cap_group ORDER BY rule_points DESC, rk
                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS points_before
        FROM applicable WHERE cap_group IS NOT NULL
    )
),
sums AS (
    SELECT s.ck, s.mk,
           coalesce(sum(c.points) FILTER (WHERE c.category = 'explicit'), 0) AS fit_points,
           coalesce(sum(c.points) FILTER (WHERE c.category = 'implicit'), 0) AS engagement_points,
           coalesce(sum(c.points) FILTER (WHERE c.category = 'negative'), 0) AS negative_points,
           coalesce(sum(c.points) FILTER (WHERE c.dimension = 'fit'), 0) AS fit_score,
           coalesce(sum(c.points) FILTER (WHERE c.dimension = 'engagement'), 0)
               AS engagement_score,
           coalesce(sum(c.points), 0) AS rules_total,
           count(c.points) AS rules_fired
    FROM scored AS s
    LEFT JOIN capped AS c ON s.ck = c.ck AND s.mk = c.mk
    GROUP BY s.ck, s.mk
),
totals AS (
    SELECT s.*, m.score_model,
           CASE WHEN s.rules_total < m.min_total THEN m.min_total - s.rules_total
                WHEN s.rules_total > m.max_total THEN m.max_total - s.rules_total
                ELSE 0 END AS adjustment_points
    FROM sums AS s JOIN score_models AS m ON s.mk = m.mk
)
SELECT
    c.contact_id, t.score_model,
    CAST(t.fit_points AS DECIMAL(28, 6)) AS fit_points,
    CAST(t.engagement_points AS DECIMAL(28, 6)) AS engagement_points,
    CAST(t.negative_points AS DECIMAL(28, 6)) AS negative_points,
    CAST(t.adjustment_points AS DECIMAL(28, 6)) AS adjustment_points,
    CAST(t.fit_score AS DECIMAL(28, 6)) AS fit_score,
    CAST(t.engagement_score AS DECIMAL(28, 6)) AS engagement_score,
    CAST(t.rules_total + t.adjustment_points AS DECIMAL(28, 6)) AS total_score,
    band.name AS score_band, grade.name AS fit_grade, level.name AS engagement_level,
    grade.name || level.name AS score_matrix,
    t.rules_fired
FROM totals AS t
JOIN contacts AS c ON t.ck = c.ck
LEFT JOIN thresholds AS band
  ON band.kind = 'band' AND band.mk = t.mk
 AND (t.rules_total + t.adjustment_points >= band.min_value OR band.rank = 1)
 AND (band.next_min IS NULL OR t.rules_total + t.adjustment_points < band.next_min)
LEFT JOIN thresholds AS grade
  ON grade.kind = 'grade' AND grade.mk = t.mk
 AND (t.fit_score >= grade.min_value OR grade.rank = 1)
 AND (grade.next_min IS NULL OR t.fit_score < grade.next_min)
LEFT JOIN thresholds AS level
  ON level.kind = 'level' AND level.mk = t.mk
 AND (t.engagement_score >= level.min_value OR level.rank = 1)
 AND (level.next_min IS NULL OR t.engagement_score < level.next_min)
"""


def run(
    database: Path,
    seeds_dir: Path,
    as_of: str,
    output: Path,
    raw_schema: str = "raw",
    memory_limit: str | None = None,
) -> int:
    """Run the query on `database` (read-only) and write its rows to the Parquet file `output`.

    memory_limit (e.g. '4GB'): DuckDB's limit, spilling beside `output` above
    it; None keeps DuckDB's default (80% of the machine's memory). Returns the
    number of rows.
    """
    import duckdb

    query = build_query(seeds_dir, as_of, raw_schema)
    with duckdb.connect(str(database), read_only=True) as con:
        con.execute("SET enable_progress_bar = false")
        if memory_limit:
            con.execute(f"SET memory_limit = {_literal(memory_limit)}")
            spill = Path(output).parent / "hand-query.tmp"
            con.execute(f"SET temp_directory = {_literal(str(spill))}")
        con.execute(f"COPY ({query}) TO {_literal(str(output))} (FORMAT parquet)")
        return con.execute(
            f"SELECT count(*) FROM read_parquet({_literal(str(output))})"
        ).fetchone()[0]
