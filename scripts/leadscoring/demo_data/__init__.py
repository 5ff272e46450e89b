"""``leadscoring generate``: a deterministic B2B demo data set, and loaders for it.

The fictional seller is Acme Cloud, an analytics SaaS (https://www.acmecloud.io).
The generator writes four raw tables as CSV (accounts, contacts, events,
conversions) and loads them into DuckDB or PostgreSQL. The same (contacts,
seed, end_date) always gives byte-identical files: the only source of
randomness is one ``random.Random(seed)``. Every good row happens in the 365
days before 00:00 UTC on end_date, so scoring as of end_date sees all of them.
docs/demo_data.md describes the tables, the deliberately bad rows and the CLI.

The truth that calibration must recover
---------------------------------------
Each contact converts (gets an ``opportunity_created`` row) with probability
sigmoid(logit), one draw per contact. CONVERSION_COEFFICIENTS holds the terms,
named in brackets at the end of each line::

    logit = -5.0                                                     (intercept)
      +1.2 * [seniority is C-Level, Owner or VP]                     (seniority_executive)
      +0.6 * [seniority is Director]                                 (seniority_director)
      +0.8 * [industry is Software, Financial Services, E-commerce
              or Healthcare]                                         (industry_icp)
      +0.7 * [200 <= employee_count < 5000]                          (company_mid)
      +0.9 * [employee_count >= 5000]                                (company_enterprise)
      +0.5 * [department is Data, Engineering or IT]                 (department_technical)
      +0.35 * min(page views of /pricing*, 3)                        (pricing_page_views)
      +1.5 * [demo_requested at least once]                          (demo_requested)
      +1.0 * [trial_started at least once]                           (trial_started)
      +0.6 * [webinar_attended at least once]                        (webinar_attended)
      +0.8 * [quote_requested at least once]                         (quote_requested)
      -3.0 * [seniority is Student]                                  (student)
      -4.0 * [email domain is a competitor's]                        (competitor_domain)
      -1.0 * [email domain is a free-mail provider]                  (free_mail)

Industry and employee_count are those of the contact's account (the most
recent row; 0 without an account), the email flags come from the contact's
email (0 when it is malformed). Behaviour counts the contact's good events;
the ones that count all happen before converted_at.

Behaviour depends on fit through a latent intent (BEHAVIOUR_MODEL; each
(bias, slope) pair below is sigmoid(bias + slope * intent))::

    fit        = the sum of the non-behaviour terms above, without the intercept
    intent     = 0.6 * (fit - 0.8) + Normal(0, 1.0)    (intent_fit_weight, intent_fit_center,
                                                        intent_noise_sd)
                 -2.0 for junk sign-ups                (junk_intent_shift)
    engagement = exp(0.5 * intent + Normal(0, 0.8))    (engagement_intent_weight,
                                                        engagement_noise_sd)
    active period = 1 day + Exponential(mean 120.0 * exp(0.5 * intent)) days from
                 created_at: the contact's own actions happen in it
                                                       (active_days_mean, active_days_intent_slope)
    web visits ~ Poisson(0.025 * engagement * days from created_at to end_date),
                 spread over the active period         (sessions_per_active_day)
    page mix of a visit: /pricing weight 2.5 * exp(0.6 * intent), x3 for competitors
                                                       (pricing_page_weight, pricing_intent_slope)
                         /demo weight 1.5 * exp(0.8 * intent) (demo_page_weight,
                                                        demo_page_intent_slope)
                         home 10, blog 34, product 14, customers 6, resources 6, about 3
    P(demo_requested)  = sigmoid(-3.4 + 1.0 * intent)  (demo)
    P(trial_started)   = sigmoid(-3.2 + 0.9 * intent)  (trial)
    P(quote_requested) = sigmoid(-4.4 + 0.9 * intent + 1.5 * [demo_requested])
                                                       (quote, quote_after_demo_boost)
    P(register for a webinar) = sigmoid(-4.6 + 0.7 * intent)  (webinar_register)
    P(attend | registered)    = sigmoid(0.2 + 0.4 * intent)   (webinar_attend)
    P(open an email)          = sigmoid(-0.9 + 0.5 * intent)  (email_open)
    P(click | open)           = sigmoid(-1.6 + 0.5 * intent)  (email_click)
    P(forward | open)         = sigmoid(-4.0 + 0.5 * intent)  (email_forward)
    P(reply | open)           = sigmoid(-4.6 + 0.6 * intent)  (email_reply)
    P(fast start: in the first 3 days the welcome email opened, clicked through
      to /product and replied to, the on-demand product tour watched)
                              = sigmoid(-4.2 + 1.0 * intent)  (fast_start)
    P(unsubscribe | an email) = sigmoid(-6.6 - 0.4 * intent)  (unsubscribe_per_email)
    P(outbound sales calls, if a phone is given) = sigmoid(-2.6 + 0.6 * intent)
                                                              (outbound_call)
    gated downloads per year ~ Poisson(0.5 * engagement), x3 for students
                                                       (content_downloads_per_year)
    social likes, shares, comments per year ~ Poisson((3.0, 0.6, 0.5) * engagement)
                                                       (social_per_year)

Conversion depends on intent only through the behaviour it causes. Junk
sign-ups (placeholder names, throw-away addresses) have no term of their own:
their low intent makes them engage, and so convert, little.

The package
-----------
catalogue.py holds the fixed vocabularies (the raw tables' layouts, event
types, titles, industries, countries, the website's pages), planted.py the
truth above, people.py draws accounts and contacts, activity.py their events
and conversions, bad_rows.py the deliberately bad rows, generator.py ties one
run together, loaders.py writes the CSV files and loads them into DuckDB or
PostgreSQL, command.py is the ``leadscoring generate`` subcommand. Everything
other modules use is re-exported here.
"""

from leadscoring.demo_data.bad_rows import BAD_ROW_SHARES
from leadscoring.demo_data.catalogue import _FIRST_NAMES as _FIRST_NAMES
from leadscoring.demo_data.catalogue import _LAST_NAMES as _LAST_NAMES
from leadscoring.demo_data.catalogue import (
    COMPETITOR_DOMAINS,
    COUNTRIES,
    DAY,
    DEPARTMENTS,
    DISPOSABLE_DOMAINS,
    EVENT_CHANNELS,
    EVENT_TYPES,
    EXECUTIVE_SENIORITIES,
    FREE_MAIL_DOMAINS,
    ICP_INDUSTRIES,
    INDUSTRIES,
    LEAD_SOURCES,
    OUTCOMES,
    PLACEHOLDER_LAST_NAMES,
    PLACEHOLDER_NAMES,
    RAW_TABLES,
    REGIONS,
    SELLER_SITE,
    SEMANTIC_LAYER,
    SEMANTIC_LAYER_INTEREST,
    SENIORITIES,
    TECHNICAL_DEPARTMENTS,
    UNKNOWN_EVENT_TYPES,
    WINDOW_DAYS,
)
from leadscoring.demo_data.command import _expected_errors as _expected_errors
from leadscoring.demo_data.command import register
from leadscoring.demo_data.loaders import MIN_CONTACTS, load_duckdb, load_postgres, write_demo_csvs
from leadscoring.demo_data.planted import (
    BEHAVIOUR_FEATURES,
    BEHAVIOUR_MODEL,
    CONVERSION_COEFFICIENTS,
    PRICING_VIEWS_CAP,
    BehaviourModel,
)

__all__ = [
    "BAD_ROW_SHARES",
    "BEHAVIOUR_FEATURES",
    "BEHAVIOUR_MODEL",
    "COMPETITOR_DOMAINS",
    "CONVERSION_COEFFICIENTS",
    "COUNTRIES",
    "DAY",
    "DEPARTMENTS",
    "DISPOSABLE_DOMAINS",
    "EVENT_CHANNELS",
    "EVENT_TYPES",
    "EXECUTIVE_SENIORITIES",
    "FREE_MAIL_DOMAINS",
    "ICP_INDUSTRIES",
    "INDUSTRIES",
    "LEAD_SOURCES",
    "MIN_CONTACTS",
    "OUTCOMES",
    "PLACEHOLDER_LAST_NAMES",
    "PLACEHOLDER_NAMES",
    "PRICING_VIEWS_CAP",
    "RAW_TABLES",
    "REGIONS",
    "SELLER_SITE",
    "SEMANTIC_LAYER",
    "SEMANTIC_LAYER_INTEREST",
    "SENIORITIES",
    "TECHNICAL_DEPARTMENTS",
    "UNKNOWN_EVENT_TYPES",
    "WINDOW_DAYS",
    "BehaviourModel",
    "load_duckdb",
    "load_postgres",
    "register",
    "write_demo_csvs",
]
