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
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import csv
import math
import random
import re
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import IO, Any

# --------------------------------------------------------------------------- tables

RAW_TABLES: dict[str, list[tuple[str, str]]] = {
    "accounts": [
        ("account_id", "varchar"),
        ("account_name", "varchar"),
        ("domain", "varchar"),
        ("industry", "varchar"),
        ("employee_count", "integer"),
        ("annual_revenue", "numeric(18,2)"),
        ("country", "varchar"),
        ("created_at", "timestamp"),
        ("updated_at", "timestamp"),
    ],
    "contacts": [
        ("contact_id", "varchar"),
        ("email", "varchar"),
        ("first_name", "varchar"),
        ("last_name", "varchar"),
        ("phone", "varchar"),
        ("job_title", "varchar"),
        ("seniority", "varchar"),
        ("department", "varchar"),
        ("country", "varchar"),
        ("region", "varchar"),
        ("lead_source", "varchar"),
        ("account_id", "varchar"),
        ("created_at", "timestamp"),
        ("updated_at", "timestamp"),
    ],
    "events": [
        ("event_id", "varchar"),
        ("contact_id", "varchar"),
        ("event_type", "varchar"),
        ("occurred_at", "timestamp"),
        ("page_url", "varchar"),
        ("campaign", "varchar"),
        ("channel", "varchar"),
        ("properties", "varchar"),
    ],
    "conversions": [
        ("conversion_id", "varchar"),
        ("contact_id", "varchar"),
        ("converted_at", "timestamp"),
        ("outcome", "varchar"),
        ("amount", "numeric(18,2)"),
    ],
}

# --------------------------------------------------------------------------- the truth

# The one place the conversion relationship lives; the module docstring and
# docs/demo_data.md repeat it and a test keeps all three in sync.
CONVERSION_COEFFICIENTS: dict[str, float] = {
    "intercept": -5.0,
    "seniority_executive": 1.2,  # C-Level, Owner, VP
    "seniority_director": 0.6,
    "industry_icp": 0.8,  # Software, Financial Services, E-commerce, Healthcare
    "company_mid": 0.7,  # 200 <= employee_count < 5000
    "company_enterprise": 0.9,  # employee_count >= 5000
    "department_technical": 0.5,  # Data, Engineering, IT
    "pricing_page_views": 0.35,  # per /pricing* page view, at most PRICING_VIEWS_CAP
    "demo_requested": 1.5,
    "trial_started": 1.0,
    "webinar_attended": 0.6,
    "quote_requested": 0.8,
    "student": -3.0,
    "competitor_domain": -4.0,
    "free_mail": -1.0,
}
PRICING_VIEWS_CAP = 3
BEHAVIOUR_FEATURES = (
    "pricing_page_views",
    "demo_requested",
    "trial_started",
    "webinar_attended",
    "quote_requested",
)


@dataclass(frozen=True)
class BehaviourModel:
    """How the latent intent drives behaviour; a (bias, slope) pair means sigmoid(bias + slope*x).

    The module docstring and docs/demo_data.md spell every field out.
    """

    intent_fit_weight: float = 0.6
    intent_fit_center: float = 0.8
    intent_noise_sd: float = 1.0
    junk_intent_shift: float = -2.0
    engagement_intent_weight: float = 0.5
    engagement_noise_sd: float = 0.8
    active_days_mean: float = 120.0
    active_days_intent_slope: float = 0.5
    sessions_per_active_day: float = 0.025
    pricing_page_weight: float = 2.5
    pricing_intent_slope: float = 0.6
    demo_page_weight: float = 1.5
    demo_page_intent_slope: float = 0.8
    demo: tuple[float, float] = (-3.4, 1.0)
    trial: tuple[float, float] = (-3.2, 0.9)
    quote: tuple[float, float] = (-4.4, 0.9)
    quote_after_demo_boost: float = 1.5
    webinar_register: tuple[float, float] = (-4.6, 0.7)
    webinar_attend: tuple[float, float] = (0.2, 0.4)
    email_open: tuple[float, float] = (-0.9, 0.5)
    email_click: tuple[float, float] = (-1.6, 0.5)
    email_forward: tuple[float, float] = (-4.0, 0.5)
    email_reply: tuple[float, float] = (-4.6, 0.6)
    fast_start: tuple[float, float] = (-4.2, 1.0)
    unsubscribe_per_email: tuple[float, float] = (-6.6, -0.4)
    outbound_call: tuple[float, float] = (-2.6, 0.6)
    content_downloads_per_year: float = 0.5
    social_per_year: tuple[float, float, float] = (3.0, 0.6, 0.5)  # likes, shares, comments


BEHAVIOUR_MODEL = BehaviourModel()

# Shares of deliberately bad rows, of the good rows of the same table. Each kind
# appears max(1, floor(share * good rows)) times (contacts: round), so even a
# tiny run shows every quarantine reason.
BAD_ROW_SHARES: dict[str, float] = {
    "events_null_contact_id": 0.005,
    "events_unknown_contact_id": 0.005,
    "events_unknown_event_type": 0.005,
    "events_duplicate_event_id": 0.005,
    "events_future_occurred_at": 0.005,
    "events_null_event_id": 0.005,
    "contacts_malformed_email": 0.01,
    "contacts_null_contact_id": 0.005,
    "contacts_duplicate_contact_id": 0.005,
    "conversions_unknown_contact_id": 0.01,
    "accounts_duplicate_account_id": 0.005,
}

# --------------------------------------------------------------------------- vocabularies

SELLER_SITE = "https://www.acmecloud.io"
WINDOW_DAYS = 365
DAY = 86_400

EVENT_CHANNELS: dict[str, str] = {
    "page_view": "web",
    "email_sent": "email",
    "email_opened": "email",
    "email_clicked": "email",
    "email_forwarded": "email",
    "email_replied": "email",
    "email_bounced": "email",
    "email_unsubscribed": "email",
    "form_submitted": "web",
    "content_downloaded": "web",
    "newsletter_subscribed": "web",
    "webinar_registered": "web",
    "webinar_attended": "event",
    "trial_started": "product",
    "demo_requested": "web",
    "quote_requested": "sales",
    "phone_call": "sales",
    "social_liked": "social",
    "social_shared": "social",
    "social_commented": "social",
}
EVENT_TYPES: tuple[str, ...] = tuple(EVENT_CHANNELS)
UNKNOWN_EVENT_TYPES = ("page_veiw", "chat_started")

SENIORITIES = (
    "C-Level",
    "Owner",
    "VP",
    "Director",
    "Manager",
    "Individual Contributor",
    "Intern",
    "Student",
)
DEPARTMENTS = (
    "Data",
    "Engineering",
    "IT",
    "Marketing",
    "Sales",
    "Finance",
    "Operations",
    "HR",
    "Product",
)
REGIONS = ("North America", "Europe", "APAC", "LATAM", "MEA")
LEAD_SOURCES = (
    "Organic Search",
    "Paid Search",
    "Referral",
    "Webinar",
    "Event",
    "Social",
    "Direct",
    "Partner",
)
OUTCOMES = ("opportunity_created", "won", "lost")
FREE_MAIL_DOMAINS = ("gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "proton.me")
COMPETITOR_DOMAINS = ("dataloom.io", "metricforge.com", "insightly-analytics.com")
# Throw-away addresses of junk sign-ups (all in seed email_domains, domain_kind disposable).
DISPOSABLE_DOMAINS = (
    "mailinator.com", "yopmail.com", "guerrillamail.com", "10minutemail.com", "trashmail.com",
    "sharklasers.com",
)  # fmt: skip
# What junk sign-ups type as their name (first, last): each has a name of seed
# placeholder_names or one character repeated. Some keep a real first name.
PLACEHOLDER_NAMES: tuple[tuple[str, str], ...] = (
    ("Test", "Test"), ("test", "test"), ("Test", "User"), ("asdf", "asdf"), ("Asdf", "Qwerty"),
    ("Qwerty", "Qwerty"), ("xxx", "xxx"), ("N/A", "N/A"), ("Noname", "Noname"), ("Fake", "Fake"),
    ("Foo", "Foo"), ("aaa", "aaa"),
)  # fmt: skip
PLACEHOLDER_LAST_NAMES = ("Test", "xxx", "N/A", "asdf", "Unknown", "na")
ICP_INDUSTRIES = ("Software", "Financial Services", "E-commerce", "Healthcare")
TECHNICAL_DEPARTMENTS = ("Data", "Engineering", "IT")
EXECUTIVE_SENIORITIES = ("C-Level", "Owner", "VP")

# (name, region, phone prefix, weight for accounts)
COUNTRIES: tuple[tuple[str, str, str, int], ...] = (
    ("United States", "North America", "+1", 34),
    ("Canada", "North America", "+1", 5),
    ("United Kingdom", "Europe", "+44", 8),
    ("Germany", "Europe", "+49", 7),
    ("France", "Europe", "+33", 4),
    ("Netherlands", "Europe", "+31", 3),
    ("Spain", "Europe", "+34", 2),
    ("Sweden", "Europe", "+46", 2),
    ("Ireland", "Europe", "+353", 2),
    ("Poland", "Europe", "+48", 2),
    ("Switzerland", "Europe", "+41", 2),
    ("India", "APAC", "+91", 6),
    ("Australia", "APAC", "+61", 4),
    ("Japan", "APAC", "+81", 3),
    ("Singapore", "APAC", "+65", 2),
    ("South Korea", "APAC", "+82", 1),
    ("Brazil", "LATAM", "+55", 4),
    ("Mexico", "LATAM", "+52", 3),
    ("Argentina", "LATAM", "+54", 1),
    ("Colombia", "LATAM", "+57", 1),
    ("United Arab Emirates", "MEA", "+971", 2),
    ("South Africa", "MEA", "+27", 2),
    ("Israel", "MEA", "+972", 1),
    ("Nigeria", "MEA", "+234", 1),
)

# industry -> (weight, company name suffixes, revenue per employee)
INDUSTRIES: dict[str, tuple[int, tuple[str, ...], int]] = {
    "Software": (18, ("Software", "Labs", "Technologies", "Systems", "Cloud"), 220_000),
    "Financial Services": (12, ("Capital", "Financial", "Bank", "Insurance"), 300_000),
    "E-commerce": (10, ("Commerce", "Shop", "Market", "Direct"), 250_000),
    "Healthcare": (10, ("Health", "Medical", "Clinics", "Care"), 150_000),
    "Manufacturing": (11, ("Manufacturing", "Industries", "Components", "Engineering"), 180_000),
    "Education": (7, ("University", "Academy", "College", "Learning"), 80_000),
    "Retail": (9, ("Retail", "Stores", "Outfitters", "Supply"), 120_000),
    "Media": (8, ("Media", "Studios", "Publishing", "Broadcasting"), 160_000),
    "Logistics": (9, ("Logistics", "Freight", "Shipping", "Transport"), 140_000),
    "Government": (6, ("County", "City Council", "Public Services", "Agency"), 100_000),
}

_NAME_PREFIXES = (
    "North", "Blue", "Summit", "Bright", "Iron", "Silver", "Harbor", "Pine", "Red", "Clear",
    "Stone", "Green", "Swift", "Maple", "Cedar", "Golden", "Atlas", "Nova", "Vertex", "Orbit",
    "Lumen", "Apex", "Crest", "River", "Oak", "Polar", "Sun", "Star", "Bay", "Coral",
    "Falcon", "Granite", "Key", "Lake", "Meridian", "Quartz", "Sierra", "Tidal", "Union", "West",
)  # fmt: skip
_NAME_ROOTS = (
    "wind", "field", "stone", "bridge", "point", "gate", "wave", "line", "path", "light",
    "peak", "view", "ridge", "works", "land", "way", "forge", "spring", "brook", "port",
)  # fmt: skip
_TLDS = (".com", ".io", ".co")

_FIRST_NAMES = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
    "Sarah", "Daniel", "Karen", "Matthew", "Nancy", "Anthony", "Lisa", "Mark", "Emily",
    "Steven", "Ashley", "Andrew", "Michelle", "Paul", "Amanda", "Joshua", "Melissa", "Kevin",
    "Laura", "Brian", "Rebecca", "Priya", "Arjun", "Wei", "Mei", "Hiroshi", "Yuki", "Carlos",
    "Sofía", "Lucas", "Camila", "Mateo", "Valentina", "Ahmed", "Fatima", "Omar", "Aisha",
    "Lukas", "Anna", "Jonas", "Lea", "Pierre", "Chloé", "Luca", "Giulia", "Sven", "Ingrid",
    "Ravi", "Ananya", "Noah", "Olivia", "Ethan", "Zoë", "José", "Björn", "Amara", "Kwame",
)  # fmt: skip
_LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
    "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker",
    "Hall", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Patel",
    "Sharma", "Singh", "Kumar", "Wang", "Li", "Zhang", "Chen", "Liu", "Tanaka", "Suzuki",
    "Kim", "Park", "Nguyen", "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Dubois",
    "Moreau", "Rossi", "Bianchi", "Silva", "Santos", "Oliveira", "Costa", "Andersson",
    "Johansson", "Nielsen", "O'Brien", "Murphy", "Kelly", "Cohen", "Haddad", "Okafor", "Mensah",
)  # fmt: skip

# seniority -> department -> job titles; Owner and Intern titles do not vary
# much by department, so they are built separately.
_TITLES: dict[str, dict[str, tuple[str, ...]]] = {
    "C-Level": {
        "Data": ("Chief Data Officer", "Chief Analytics Officer"),
        "Engineering": ("CTO", "Chief Technology Officer"),
        "IT": ("CIO", "Chief Information Officer"),
        "Marketing": ("CMO", "Chief Marketing Officer"),
        "Sales": ("Chief Revenue Officer",),
        "Finance": ("CFO", "Chief Financial Officer"),
        "Operations": ("CEO", "COO", "Chief Operating Officer"),
        "HR": ("Chief People Officer",),
        "Product": ("Chief Product Officer",),
    },
    "VP": {
        "Data": ("VP of Data", "VP of Analytics", "VP Data & Analytics"),
        "Engineering": ("VP of Engineering", "VP Platform Engineering"),
        "IT": ("VP of IT", "VP of Infrastructure"),
        "Marketing": ("VP of Marketing", "VP of Growth", "VP Demand Generation"),
        "Sales": ("VP of Sales", "VP Sales EMEA"),
        "Finance": ("VP of Finance",),
        "Operations": ("VP of Operations", "VP Revenue Operations"),
        "HR": ("VP of People",),
        "Product": ("VP of Product",),
    },
    "Director": {
        "Data": ("Head of Analytics", "Head of Data", "Director of Data Engineering",
                 "Director of Business Intelligence"),
        "Engineering": ("Director of Engineering", "Head of Platform"),
        "IT": ("IT Director", "Head of IT"),
        "Marketing": ("Director of Marketing", "Head of Demand Generation"),
        "Sales": ("Sales Director", "Head of Sales"),
        "Finance": ("Finance Director", "Head of FP&A"),
        "Operations": ("Director of Operations", "Head of RevOps"),
        "HR": ("HR Director", "Head of People"),
        "Product": ("Director of Product", "Head of Product"),
    },
    "Manager": {
        "Data": ("Analytics Manager", "Data Engineering Manager", "BI Manager"),
        "Engineering": ("Engineering Manager",),
        "IT": ("IT Manager",),
        "Marketing": ("Marketing Manager", "Marketing Operations Manager"),
        "Sales": ("Sales Manager", "Sales Operations Manager"),
        "Finance": ("Finance Manager", "Controller"),
        "Operations": ("Operations Manager",),
        "HR": ("HR Manager",),
        "Product": ("Group Product Manager",),
    },
    "Individual Contributor": {
        "Data": ("Data Analyst", "Analytics Engineer", "Data Engineer", "Data Scientist",
                 "BI Developer", "Senior Data Analyst"),
        "Engineering": ("Software Engineer", "Senior Software Engineer", "Platform Engineer"),
        "IT": ("Systems Administrator", "IT Specialist", "Database Administrator"),
        "Marketing": ("Marketing Specialist", "Growth Marketer", "Marketing Analyst"),
        "Sales": ("Account Executive", "Sales Development Representative"),
        "Finance": ("Financial Analyst", "Accountant"),
        "Operations": ("Operations Analyst", "Business Analyst"),
        "HR": ("Recruiter", "HR Generalist"),
        "Product": ("Product Manager", "Product Analyst", "Product Designer"),
    },
}  # fmt: skip
_OWNER_TITLES = ("Founder", "Co-Founder", "Owner", "Founder & CEO", "Managing Director")
_STUDENT_TITLES = ("Student", "MSc Student", "PhD Candidate", "MBA Student", "Graduate Student")
_STUDENT_DEPARTMENTS = ("Data", "Engineering", "Marketing", "Finance")
_INTERN_WORDS = {
    "Data": "Data",
    "Engineering": "Software Engineering",
    "IT": "IT",
    "Marketing": "Marketing",
    "Sales": "Sales",
    "Finance": "Finance",
    "Operations": "Operations",
    "HR": "HR",
    "Product": "Product",
}

_SENIORITY_WEIGHTS = (
    ("C-Level", 3),
    ("Owner", 2),
    ("VP", 6),
    ("Director", 11),
    ("Manager", 22),
    ("Individual Contributor", 51),
    ("Intern", 5),
)
_DEPARTMENT_WEIGHTS = tuple(zip(DEPARTMENTS, (14, 18, 10, 16, 12, 8, 10, 4, 8), strict=True))
_LEAD_SOURCE_WEIGHTS = tuple(zip(LEAD_SOURCES, (25, 15, 8, 10, 7, 10, 17, 8), strict=True))

# --------------------------------------------------------------------------- the website

_BLOG_SLUGS = (
    "what-is-a-semantic-layer", "dbt-vs-stored-procedures", "how-to-build-a-metrics-layer",
    "self-service-bi-without-chaos", "data-contracts-explained", "kimball-in-2026",
    "the-modern-data-stack-is-dead", "choosing-a-cloud-warehouse", "incremental-models-in-dbt",
    "slowly-changing-dimensions", "how-we-cut-warehouse-costs", "data-quality-checklist",
    "dashboards-nobody-reads", "north-star-metrics", "product-analytics-101",
    "marketing-attribution-models", "sql-style-guide", "testing-data-pipelines",
    "reverse-etl-use-cases", "ai-assistants-for-analysts", "building-a-data-team",
    "hiring-analytics-engineers", "embedded-analytics-for-saas", "row-level-security",
    "cohort-analysis-in-sql", "funnel-analysis-in-sql", "real-time-vs-batch",
    "data-mesh-in-practice", "gdpr-for-data-teams", "lead-scoring-in-the-warehouse",
    "forecasting-revenue", "churn-prediction-basics", "okrs-for-data-teams",
    "semantic-layer-vs-olap-cubes", "duckdb-for-analysts", "postgres-as-a-warehouse",
    "airflow-vs-dagster", "documentation-that-gets-read", "metric-trees", "ab-testing-pitfalls",
)  # fmt: skip
_PRODUCT_FEATURES = (
    "dashboards", "data-modeling", "semantic-layer", "alerts", "embedded-analytics",
    "integrations", "security", "ai-assistant",
)  # fmt: skip
_CASE_STUDIES = (
    "northwind-logistics", "fintrust-bank", "shopwave", "medicore-health", "ironforge-industries",
    "brightpath-academy", "streamline-media", "parcelpoint",
)  # fmt: skip
_EBOOKS = (
    "state-of-analytics-{year}", "dbt-best-practices-guide", "data-team-playbook",
    "roi-of-self-service-bi", "analytics-engineering-handbook", "semantic-layer-whitepaper",
)  # fmt: skip
_CAREER_SLUGS = (
    "senior-data-engineer", "account-executive-emea", "product-designer",
    "customer-success-manager", "solutions-architect", "developer-advocate",
)  # fmt: skip
_WEBINARS = (
    "dbt-best-practices", "semantic-layer-101", "self-service-bi", "data-quality-at-scale",
    "ai-for-analytics", "warehouse-cost-control", "embedded-analytics", "metrics-that-matter",
)  # fmt: skip
_UTM_ENTRY = (
    "?utm_source=google&utm_medium=cpc&utm_campaign=brand-search",
    "?utm_source=google&utm_medium=cpc&utm_campaign=semantic-layer",
    "?utm_source=linkedin&utm_medium=social&utm_campaign=thought-leadership",
    "?utm_source=g2&utm_medium=referral&utm_campaign=reviews",
)
_SOCIAL_NETWORKS = ('{"network":"linkedin"}', '{"network":"x"}', '{"network":"youtube"}')
_WEBINAR_ON_DEMAND = "webinar-product-tour"  # the recorded tour, watched on demand
_ON_DEMAND = '{"format":"on-demand"}'

# Semantic-layer product line: only contacts interested in it read its pages,
# and they read them often (each of its URLs counts this many times in its
# page category). The share interested depends on the department.
SEMANTIC_LAYER = "semantic-layer"
SEMANTIC_LAYER_INTEREST = {"technical": 0.3, "other": 0.14}
_SEMANTIC_LAYER_BOOST = 4

# Page categories a session picks from; weights are per contact (intent moves
# weight to pricing and demo).
_PAGE_HOME, _PAGE_BLOG, _PAGE_PRODUCT, _PAGE_PRICING = 0, 1, 2, 3
_PAGE_DEMO, _PAGE_CUSTOMERS, _PAGE_RESOURCES, _PAGE_ABOUT = 4, 5, 6, 7
_BASE_PAGE_WEIGHTS = (10.0, 34.0, 14.0, 0.0, 0.0, 6.0, 6.0, 3.0)


def _product_line(items: tuple[str, ...], interested: bool) -> tuple[str, ...]:
    """The items of a list as one contact sees them: semantic-layer ones boosted or left out."""
    plain = tuple(item for item in items if SEMANTIC_LAYER not in item)
    if not interested:
        return plain
    return plain + tuple(item for item in items if SEMANTIC_LAYER in item) * _SEMANTIC_LAYER_BOOST


def _page_urls(ebooks: tuple[str, ...], interested: bool) -> tuple[tuple[str, ...], ...]:
    """The URLs of each page category; a repeated URL is proportionally more likely.

    ebooks is already the contact's (see _product_line); blog and product pages
    about the semantic layer are boosted for contacts interested in it, absent
    for the others.
    """
    site = SELLER_SITE
    pricing = (f"{site}/pricing",) * 14 + (f"{site}/pricing?plan=team",) * 3
    blog = _product_line(_BLOG_SLUGS, interested)
    features = _product_line(_PRODUCT_FEATURES, interested)
    by_category = {
        _PAGE_HOME: (f"{site}/",),
        _PAGE_BLOG: tuple(f"{site}/blog/{slug}" for slug in blog),
        _PAGE_PRODUCT: (f"{site}/product",) * 3
        + tuple(f"{site}/product/{feature}" for feature in features),
        _PAGE_PRICING: pricing + tuple(f"{site}/pricing{utm}" for utm in _UTM_ENTRY),
        _PAGE_DEMO: (f"{site}/demo",),
        _PAGE_CUSTOMERS: tuple(f"{site}/customers/{case}" for case in _CASE_STUDIES),
        _PAGE_RESOURCES: tuple(f"{site}/resources/{ebook}" for ebook in ebooks),
        _PAGE_ABOUT: (f"{site}/about",),
    }
    return tuple(by_category[category] for category in range(len(_BASE_PAGE_WEIGHTS)))


# --------------------------------------------------------------------------- helpers


def _sigmoid(x: float) -> float:
    """The logistic function, safe for large |x|."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _chance(pair: tuple[float, float], x: float) -> float:
    """sigmoid(bias + slope * x) for one (bias, slope) pair of BEHAVIOUR_MODEL."""
    return _sigmoid(pair[0] + pair[1] * x)


def _poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw from Random.random/gauss, whose output no Python release has changed."""
    if lam <= 0:
        return 0
    if lam > 30:
        # Normal approximation: Knuth's loop would cost ~lam draws.
        return max(0, round(lam + math.sqrt(lam) * rng.gauss(0.0, 1.0)))
    limit = math.exp(-lam)
    k, p = 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


class _Weighted:
    """Weighted choice by bisecting cumulative weights (rng.choices re-sums on every call)."""

    def __init__(self, pairs: tuple[tuple[Any, float], ...] | list[tuple[Any, float]]) -> None:
        self.items = [item for item, _ in pairs]
        self.cumulative: list[float] = []
        total = 0.0
        for _, weight in pairs:
            total += weight
            self.cumulative.append(total)
        self.total = total
        # random() * total can round up to total itself; the last bucket must
        # still catch it.
        self.cumulative[-1] = math.inf

    def pick(self, rng: random.Random) -> Any:
        """Return one item, with probability proportional to its weight."""
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


def _one_of(rng: random.Random, items: tuple[Any, ...] | list[Any]) -> Any:
    """Uniform choice; int(random()*n) is faster than rng.choice and stable across versions."""
    return items[int(rng.random() * len(items))]


def _ascii(name: str) -> str:
    """'Chloé' -> 'chloe', "O'Brien" -> 'obrien': the form a name takes in an email address."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z]", "", folded.lower())


def _money(value: float) -> str:
    """A numeric(18,2) literal."""
    return f"{value:.2f}"


class _Clock:
    """Time as integer seconds since the start of the window, formatted fast.

    strftime costs about a microsecond per call, a third of the per-event budget,
    so inside the window the text comes from two tables: days and seconds of a day.
    """

    def __init__(self, end_date: date) -> None:
        self.end = datetime(end_date.year, end_date.month, end_date.day)
        self.start = self.end - timedelta(days=WINDOW_DAYS)
        self.window = WINDOW_DAYS * DAY  # every good timestamp is < window
        days = [self.start + timedelta(days=d) for d in range(WINDOW_DAYS)]
        self.day_text = [d.strftime("%Y-%m-%d ") for d in days]
        self.day_dates = [d.date() for d in days]
        self.time_text = [
            f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)
        ]

    def text(self, seconds: int) -> str:
        """'YYYY-MM-DD HH:MM:SS' for a moment given in seconds since the window start."""
        if 0 <= seconds < self.window:
            return self.day_text[seconds // DAY] + self.time_text[seconds % DAY]
        return (self.start + timedelta(seconds=seconds)).strftime("%Y-%m-%d %H:%M:%S")


def _timestamp_text(value: datetime) -> str:
    """Format a datetime of a hand-crafted row as the CSV expects (UTC, whole seconds)."""
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.strftime("%Y-%m-%d %H:%M:%S")


# --------------------------------------------------------------------------- accounts


@dataclass(frozen=True)
class _Send:
    """One marketing email send: who may get it is decided per contact."""

    at: int
    campaign: str
    reach: float  # share of the contacts who exist then that receive it
    landing: str | None  # where a click lands, None = no page view

    @property
    def semantic_layer(self) -> bool:
        """Whether a click lands on semantic-layer content."""
        return self.landing is not None and SEMANTIC_LAYER in self.landing


# Sent to every new contact with a valid address minutes after created_at.
_WELCOME = _Send(0, "welcome", 1.0, "/product")


class _Accounts:
    """What contacts need to know about accounts, kept as parallel lists.

    Benchmarks generate 100M events (about 500,000 accounts); parallel lists of
    shared strings and ints are several times smaller than one object per account.
    """

    def __init__(self) -> None:
        self.domains: list[str] = []
        self.industries: list[str] = []
        self.employees: list[int] = []
        self.countries: list[int] = []
        self.education: list[int] = []
        self._cumulative: list[float] = []
        self._total = 0.0

    def add(self, domain: str, industry: str, employees: int, country: int) -> None:
        """Remember one account; bigger companies get more contacts (weight employees^0.25)."""
        if industry == "Education":
            self.education.append(len(self.domains))
        self.domains.append(domain)
        self.industries.append(industry)
        self.employees.append(employees)
        self.countries.append(country)
        self._total += employees**0.25
        self._cumulative.append(self._total)

    def pick(self, rng: random.Random) -> int:
        """The index of an account, weighted by size."""
        index = bisect.bisect_right(self._cumulative, rng.random() * self._total)
        return min(index, len(self._cumulative) - 1)  # random() * total may round up to total


def _employee_count(rng: random.Random) -> int:
    """Skewed company size: log10(employees) = 1 + Exponential(mean 1), capped at 50,000.

    About a quarter of companies have 200 or more employees, about 7% 5,000 or more.
    """
    exponent = 1.0 - math.log(1.0 - rng.random())
    return min(50_000, round(10**exponent))


def _company(rng: random.Random, industry: str, used_domains: set[str]) -> tuple[str, str]:
    """A plausible company name and a domain derived from it, unique within the run."""
    suffix = _one_of(rng, INDUSTRIES[industry][1])
    base = _one_of(rng, _NAME_PREFIXES) + _one_of(rng, _NAME_ROOTS)
    name = f"University of {base}" if suffix == "University" and rng.random() < 0.5 else ""
    name = name or f"{base} {suffix}"
    stem = base.lower()
    long_stem = stem + re.sub(r"[^a-z]", "", suffix.lower())
    candidates = [stem + tld for tld in _TLDS] + [long_stem + tld for tld in _TLDS]
    start = int(rng.random() * len(_TLDS))
    for domain in candidates[start:] + candidates[:start]:
        if domain not in used_domains:
            used_domains.add(domain)
            return name, domain
    # Every plain form is taken (large runs): number the domain as real companies do.
    number = 2
    while f"{long_stem}{number}.com" in used_domains:
        number += 1
    used_domains.add(f"{long_stem}{number}.com")
    return name, f"{long_stem}{number}.com"


# --------------------------------------------------------------------------- contacts


@dataclass
class _Contact:
    """One generated contact and everything its activity depends on."""

    contact_id: str
    row: list[Any]
    created: int
    fit: float  # the non-behaviour part of the conversion logit
    intent: float
    engagement: float
    student: bool
    competitor: bool
    junk: bool  # a junk sign-up: placeholder name and/or disposable address
    job_seeker: bool
    email_ok: bool
    bounces: bool
    has_phone: bool
    lead_source: str
    employees: int | None
    semantic_layer: bool  # interested in the semantic-layer product line
    fast_start: bool  # welcome email opened, clicked and replied to, product tour watched
    active_until: int  # no engagement after this moment (may lie after end_date)


def _fit_indicators(
    seniority: str, department: str, industry: str | None, employees: int | None, email: str
) -> dict[str, float]:
    """The non-behaviour indicators of the conversion logit, from what the raw rows show."""
    domain = email.rpartition("@")[2] if _is_valid_email(email) else ""
    return {
        "seniority_executive": float(seniority in EXECUTIVE_SENIORITIES),
        "seniority_director": float(seniority == "Director"),
        "industry_icp": float(industry in ICP_INDUSTRIES),
        "company_mid": float(employees is not None and 200 <= employees < 5000),
        "company_enterprise": float(employees is not None and employees >= 5000),
        "department_technical": float(department in TECHNICAL_DEPARTMENTS),
        "student": float(seniority == "Student"),
        "competitor_domain": float(domain in COMPETITOR_DOMAINS),
        "free_mail": float(domain in FREE_MAIL_DOMAINS),
    }


_EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _is_valid_email(email: str) -> bool:
    """The same test staging applies (local@domain.tld, no spaces, one '@')."""
    return _EMAIL_PATTERN.fullmatch(email) is not None


def _email(rng: random.Random, first: str, last: str, domain: str) -> str:
    """A corporate or free-mail address in one of the usual patterns."""
    f, la = _ascii(first), _ascii(last)
    if domain in FREE_MAIL_DOMAINS:
        number = "" if rng.random() < 0.5 else str(int(rng.random() * 99) + 1)
        return f"{f}.{la}{number}@{domain}" if rng.random() < 0.7 else f"{f}{la}{number}@{domain}"
    u = rng.random()
    if u < 0.7:
        local = f"{f}.{la}"
    elif u < 0.85:
        local = f"{f[0]}{la}"
    elif u < 0.95:
        local = f
    else:
        local = f"{f}_{la}"
    return f"{local}@{domain}"


def _phone(rng: random.Random, prefix: str) -> str:
    """A phone number in international format."""
    digits = "".join(str(int(rng.random() * 10)) for _ in range(7))
    area = 200 + int(rng.random() * 700)
    return f"{prefix} {area} {digits[:3]} {digits[3:]}"


def _job(rng: random.Random, seniority: str, department: str) -> str:
    """A job title consistent with seniority and department."""
    if seniority == "Owner":
        return _one_of(rng, _OWNER_TITLES)
    if seniority == "Intern":
        return f"{_INTERN_WORDS[department]} Intern"
    if seniority == "Student":
        return _one_of(rng, _STUDENT_TITLES)
    return _one_of(rng, _TITLES[seniority][department])


# --------------------------------------------------------------------------- generator


class _Generator:
    """Streams the four tables to CSV; holds the state one run needs."""

    def __init__(
        self, rng: random.Random, contacts: int, end_date: date, writers: dict[str, Any]
    ) -> None:
        self.rng = rng
        self.n_contacts = contacts
        self.clock = _Clock(end_date)
        self.window = self.clock.window
        self.writers = writers
        self.counts = dict.fromkeys(RAW_TABLES, 0)
        self.accounts = _Accounts()
        self.contact_width = max(6, len(str(contacts)))
        self.account_width = 5
        self.conversion_width = max(6, len(str(3 * contacts)))
        self.event_seq = 0
        self.conversion_seq = 0
        self.unknown_seq = 0
        self.good_events = 0
        self.good_conversions = 0
        self.recent_good_events: list[tuple[Any, ...]] = []
        self.last_contact_id: str | None = None
        self.sends = self._email_schedule()
        self.send_times = [send.at for send in self.sends]
        self.webinars = self._webinar_schedule()
        self.seniority = _Weighted(_SENIORITY_WEIGHTS)
        self.department = _Weighted(_DEPARTMENT_WEIGHTS)
        self.lead_source = _Weighted(_LEAD_SOURCE_WEIGHTS)
        self.country = _Weighted(tuple((i, c[3]) for i, c in enumerate(COUNTRIES)))
        ebooks = tuple(e.format(year=end_date.year) for e in _EBOOKS)
        # What a contact sees, by whether it is interested in the semantic layer.
        self.ebooks = {flag: _product_line(ebooks, flag) for flag in (False, True)}
        self.page_urls = {flag: _page_urls(self.ebooks[flag], flag) for flag in (False, True)}
        self.bad = _BadRows(self)

    # ---- writing

    def write(self, table: str, rows: list[tuple[Any, ...]] | list[list[Any]]) -> None:
        """Write rows to a table's CSV and count them."""
        self.writers[table].writerows(rows)
        self.counts[table] += len(rows)

    def next_event_id(self) -> str:
        """The next event id; bad rows draw from the same sequence as good ones."""
        self.event_seq += 1
        return f"evt_{self.event_seq:010d}"

    def next_conversion_id(self) -> str:
        """The next conversion id."""
        self.conversion_seq += 1
        return f"cnv_{self.conversion_seq:0{self.conversion_width}d}"

    def unknown_contact_id(self) -> str:
        """A contact id that exists nowhere."""
        self.unknown_seq += 1
        return f"con_unknown_{self.unknown_seq:06d}"

    # ---- schedules shared by all contacts

    def _email_schedule(self) -> list[_Send]:
        """Weekly nurture, a monthly newsletter, launch announcements and webinar invites."""
        sends: list[_Send] = []
        for day, when in enumerate(self.clock.day_dates):
            quarter = f"{when.year}-q{(when.month - 1) // 3 + 1}"
            if when.weekday() == 1:  # Tuesday
                landing = f"/blog/{_BLOG_SLUGS[day % len(_BLOG_SLUGS)]}"
                sends.append(_Send(day * DAY + 9 * 3600, f"{quarter}-nurture", 0.35, landing))
            if when.weekday() == 3 and when.day <= 7:  # first Thursday
                campaign = f"newsletter-{when.year}-{when.month:02d}"
                landing = f"/blog/{_BLOG_SLUGS[(day * 7) % len(_BLOG_SLUGS)]}"
                sends.append(_Send(day * DAY + 14 * 3600, campaign, 0.6, landing))
            if day % 90 == 60:
                feature = _PRODUCT_FEATURES[(day // 90) % len(_PRODUCT_FEATURES)]
                sends.append(_Send(day * DAY + 15 * 3600, f"launch-{feature}", 0.7, None))
        for start, slug in self._webinar_schedule():
            for days_before in (14, 3):
                at = start - days_before * DAY - 6 * 3600
                if at >= 0:
                    sends.append(_Send(at, f"webinar-{slug}", 0.5, None))
        sends.sort(key=lambda send: send.at)
        return sends

    def _webinar_schedule(self) -> list[tuple[int, str]]:
        """A webinar every three weeks at 16:00 UTC."""
        return [
            (day * DAY + 16 * 3600, _WEBINARS[i % len(_WEBINARS)])
            for i, day in enumerate(range(12, WINDOW_DAYS, 21))
        ]

    # ---- accounts

    def generate_accounts(self) -> None:
        """Write about one account per four contacts, plus older versions of a few."""
        rng = self.rng
        n = max(1, round(self.n_contacts / 4))
        width = self.account_width = max(5, len(str(n)))
        industry = _Weighted(tuple((name, spec[0]) for name, spec in INDUSTRIES.items()))
        duplicates = set(rng.sample(range(n), _BadRows.total("accounts_duplicate_account_id", n)))
        used_domains: set[str] = set()
        rows: list[tuple[Any, ...]] = []
        for i in range(n):
            row, created = self._account(i, width, industry.pick(rng), used_domains)
            if i in duplicates:
                rows.append(self.bad.older_account_version(row, created))
            rows.append(row)
            if len(rows) >= 10_000:
                self.write("accounts", rows)
                rows = []
        self.write("accounts", rows)

    def _account(
        self, i: int, width: int, industry: str, used_domains: set[str]
    ) -> tuple[tuple[Any, ...], int]:
        """One account row; remembers what contacts need."""
        rng = self.rng
        name, domain = _company(rng, industry, used_domains)
        employees = _employee_count(rng)
        country = self.country.pick(rng)
        revenue = None
        if rng.random() >= 0.08:  # CRMs often lack revenue
            noise = math.exp(rng.gauss(0.0, 0.35))
            revenue = _money(round(employees * INDUSTRIES[industry][2] * noise, -3))
        # Accounts predate the window: up to two years before it.
        created = -int(rng.random() * 730 * DAY) - 1
        updated = created + 1 + int(rng.random() * (self.window - created - 1))
        self.accounts.add(domain, industry, employees, country)
        row = (
            f"acc_{i + 1:0{width}d}",
            name,
            domain,
            industry,
            employees,
            revenue,
            COUNTRIES[country][0],
            self.clock.text(created),
            self.clock.text(updated),
        )
        return row, created

    # ---- contacts

    def generate_contacts(self, progress: Callable[[int, int], None] | None) -> None:
        """Write every contact, each followed at once by its events and conversions."""
        rng = self.rng
        n = self.n_contacts
        n_malformed = _BadRows.total("contacts_malformed_email", n)
        n_duplicate = _BadRows.total("contacts_duplicate_contact_id", n)
        n_null = _BadRows.total("contacts_null_contact_id", n)
        # Distinct contacts for the two kinds (MIN_CONTACTS leaves room), so
        # each bad row has one defect and the counts stay exact.
        picked = rng.sample(range(n), n_malformed + n_duplicate)
        malformed, duplicated = set(picked[:n_malformed]), set(picked[n_malformed:])
        null_after = set(rng.sample(range(n), n_null))
        step = max(1, n // 100)
        for i in range(n):
            contact = self._contact(i, malformed=i in malformed)
            if i in duplicated:
                self.write("contacts", [self.bad.older_contact_version(contact.row)])
            self.write("contacts", [contact.row])
            self._write_activity(contact)
            if i in null_after:
                self.write("contacts", [self.bad.contact_without_id()])
            if progress is not None and ((i + 1) % step == 0 or i + 1 == n):
                progress(i + 1, self.counts["events"])
        # A small run can end before a streamed kind was due: make every kind show.
        self.write("events", self.bad.missing_events(self.last_contact_id or ""))
        self.write("conversions", self.bad.missing_conversions())

    def _contact(self, i: int, malformed: bool) -> _Contact:
        """Draw one contact: who they are, where they work, how keen they are."""
        rng = self.rng
        accounts = self.accounts
        u = rng.random()
        student, competitor, junk = u < 0.03, 0.03 <= u < 0.04, 0.04 <= u < 0.06
        account = self._contact_account(student, competitor)
        employees = accounts.employees[account] if account is not None else None
        seniority, department = self._role(student, employees)
        first, last = _one_of(rng, _FIRST_NAMES), _one_of(rng, _LAST_NAMES)
        placeholder = junk and rng.random() < 0.7
        if placeholder:
            if rng.random() < 0.6:
                first, last = _one_of(rng, PLACEHOLDER_NAMES)
            else:
                last = _one_of(rng, PLACEHOLDER_LAST_NAMES)
        if junk:
            domain, linked = self._junk_email_domain(placeholder, account)
        else:
            domain, linked = self._email_domain(student, competitor, account)
        if malformed:
            email = self.bad.malformed_email(first, last, domain)
        else:
            email = _email(rng, first, last, domain)
        if not linked:
            account = None
            employees = None
        industry = accounts.industries[account] if account is not None else None
        country_index = (
            accounts.countries[account]
            if account is not None and rng.random() < 0.85
            else self.country.pick(rng)
        )
        country, region, prefix, _ = COUNTRIES[country_index]
        has_phone = rng.random() < 0.4 and not junk
        lead_source = self.lead_source.pick(rng)
        # A contact that also appears as an older row needs room for updated_at
        # to be strictly later than that older row.
        created = int(rng.random() * (self.window - DAY))
        updated = created + int(rng.random() * (self.window - created))
        contact_id = f"con_{i + 1:0{self.contact_width}d}"
        row = [
            contact_id,
            email,
            first,
            last,
            _phone(rng, prefix) if has_phone else None,
            _job(rng, seniority, department),
            seniority,
            department,
            country,
            region,
            lead_source,
            f"acc_{account + 1:0{self.account_width}d}" if account is not None else None,
            self.clock.text(created),
            self.clock.text(max(updated, created + 1)),
        ]
        indicators = _fit_indicators(seniority, department, industry, employees, email)
        fit = sum(CONVERSION_COEFFICIENTS[name] * value for name, value in indicators.items())
        model = BEHAVIOUR_MODEL
        intent = model.intent_fit_weight * (fit - model.intent_fit_center) + rng.gauss(
            0.0, model.intent_noise_sd
        )
        if junk:
            intent += model.junk_intent_shift
        engagement = math.exp(
            model.engagement_intent_weight * intent + rng.gauss(0.0, model.engagement_noise_sd)
        )
        email_ok = not malformed
        job_seeker = rng.random() < 0.04
        bounces = email_ok and rng.random() < 0.02
        interest = SEMANTIC_LAYER_INTEREST[
            "technical" if department in TECHNICAL_DEPARTMENTS else "other"
        ]
        semantic_layer = rng.random() < interest
        # How long the contact stays engaged: a day plus an Exponential, longer with intent.
        active_days = (
            -math.log(1.0 - rng.random())
            * model.active_days_mean
            * math.exp(model.active_days_intent_slope * intent)
        )
        active_until = created + DAY + int(min(active_days, 2 * WINDOW_DAYS) * DAY)
        fast_start = email_ok and not bounces and rng.random() < _chance(model.fast_start, intent)
        if fast_start:
            active_until = max(active_until, created + 3 * DAY)
        return _Contact(
            contact_id=contact_id,
            row=row,
            created=created,
            fit=fit,
            intent=intent,
            engagement=engagement,
            student=student,
            competitor=competitor,
            junk=junk,
            job_seeker=job_seeker,
            email_ok=email_ok,
            bounces=bounces,
            has_phone=has_phone,
            lead_source=lead_source,
            employees=employees,
            semantic_layer=semantic_layer,
            fast_start=fast_start,
            active_until=active_until,
        )

    def _contact_account(self, student: bool, competitor: bool) -> int | None:
        """The account a contact works at, if any (competitors are never accounts)."""
        rng = self.rng
        if competitor:
            return None
        if student:
            if rng.random() < 0.7:
                return None
            education = self.accounts.education
            return _one_of(rng, education) if education else self.accounts.pick(rng)
        return self.accounts.pick(rng)

    def _role(self, student: bool, employees: int | None) -> tuple[str, str]:
        """Seniority and department; owners run small companies."""
        rng = self.rng
        if student:
            return "Student", _one_of(rng, _STUDENT_DEPARTMENTS)
        seniority = self.seniority.pick(rng)
        if seniority == "Owner" and employees is not None and employees >= 200:
            seniority = "C-Level"
        department = self.department.pick(rng)
        if seniority == "Owner":
            department = "Operations"
        return seniority, department

    def _email_domain(
        self, student: bool, competitor: bool, account: int | None
    ) -> tuple[str, bool]:
        """The email domain and whether the CRM linked the contact to its account."""
        rng = self.rng
        if competitor:
            return _one_of(rng, COMPETITOR_DOMAINS), False
        if student:
            if account is None or rng.random() < 0.6:
                return _one_of(rng, FREE_MAIL_DOMAINS), account is not None
            return self.accounts.domains[account], True
        assert account is not None
        if rng.random() < 0.10:
            # Free-mail sign-ups are matched to their company less often.
            return _one_of(rng, FREE_MAIL_DOMAINS), rng.random() < 0.65
        return self.accounts.domains[account], rng.random() >= 0.01

    def _junk_email_domain(self, placeholder: bool, account: int | None) -> tuple[str, bool]:
        """A junk sign-up's domain: a throw-away address, free mail, or work (a form test)."""
        rng = self.rng
        v = rng.random()
        if placeholder and v < 0.2 and account is not None:
            return self.accounts.domains[account], True  # someone trying out the form at work
        if placeholder and v < 0.65:
            return _one_of(rng, FREE_MAIL_DOMAINS), False
        return _one_of(rng, DISPOSABLE_DOMAINS), False

    # ---- activity

    def _write_activity(self, contact: _Contact) -> None:
        """Generate, write and forget one contact's events, then its conversions."""
        activity = _Activity(self, contact).build()
        contact_id = contact.contact_id
        channels = EVENT_CHANNELS
        # The hot loop of the generator: Clock.text inlined, as every good
        # event is inside the window and so inside its day table.
        day_text, time_text = self.clock.day_text, self.clock.time_text
        first = self.event_seq + 1
        rows = [
            (
                f"evt_{seq:010d}",
                contact_id,
                event_type,
                day_text[at // DAY] + time_text[at % DAY],
                url,
                campaign,
                channels[event_type],
                props,
            )
            for seq, (at, event_type, url, campaign, props) in enumerate(activity, first)
        ]
        self.event_seq += len(rows)
        self.write("events", rows)
        self.good_events += len(rows)
        if rows:
            self.recent_good_events = rows
        self.last_contact_id = contact_id
        self.write("events", self.bad.events_due(contact_id))
        self._write_conversions(contact, activity)

    def _write_conversions(
        self, contact: _Contact, activity: list[tuple[int, str, Any, Any, Any]]
    ) -> None:
        """Draw conversion from the documented logit; write the opportunity and its outcome."""
        behaviour, driver_at = _behaviour_indicators(activity, contact.created)
        logit = CONVERSION_COEFFICIENTS["intercept"] + contact.fit
        for name in BEHAVIOUR_FEATURES:
            logit += CONVERSION_COEFFICIENTS[name] * behaviour[name]
        if self.rng.random() >= _sigmoid(logit):
            return
        rng = self.rng
        converted = self._after(driver_at, gap=3600 + int(rng.random() * 30 * DAY))
        amount = self._opportunity_amount(contact.employees)
        rows: list[tuple[Any, ...]] = [
            (
                self.next_conversion_id(),
                contact.contact_id,
                self.clock.text(converted),
                "opportunity_created",
                _money(amount),
            )
        ]
        closed = converted + 14 * DAY + int(rng.random() * 136 * DAY)
        if closed < self.window:  # otherwise the deal is still open on end_date
            if rng.random() < _sigmoid(-0.4 + 0.3 * contact.fit):
                outcome, final = "won", _money(round(amount * (0.85 + 0.25 * rng.random()), -2))
            else:
                outcome, final = "lost", _money(amount) if rng.random() < 0.5 else None
            rows.append(
                (
                    self.next_conversion_id(),
                    contact.contact_id,
                    self.clock.text(closed),
                    outcome,
                    final,
                )
            )
        self.write("conversions", rows)
        self.good_conversions += len(rows)
        self.write("conversions", self.bad.conversions_due())

    def _after(self, at: int, gap: int) -> int:
        """at + gap, squeezed into the window when that would pass end_date."""
        if at + gap < self.window:
            return at + gap
        room = self.window - 1 - at
        return at + (1 + int(self.rng.random() * room) if room >= 1 else 0)

    def _opportunity_amount(self, employees: int | None) -> float:
        """Deal size grows with company size (about employees^0.7); unknown company: small."""
        rng = self.rng
        if employees is None:
            return round(4000 + rng.random() * 8000, -2)
        noise = math.exp(rng.gauss(0.0, 0.3))
        return round(5000 * (max(employees, 10) / 50) ** 0.6 * noise, -2)


class _BadRows:
    """The deliberately bad rows, each with exactly one defect, so quarantine is seen working.

    A kind appears max(1, floor(share * good rows)) times (contacts and accounts:
    round instead of floor, as their totals are known up front). Kinds whose
    table streams are emitted as the good rows accumulate, so they are spread
    through the file rather than bunched at its end.
    """

    def __init__(self, generator: _Generator) -> None:
        self.g = generator
        self.rng = generator.rng
        self.emitted: dict[str, int] = dict.fromkeys(BAD_ROW_SHARES, 0)
        # None of these is a pricing view, demo, trial, webinar or quote, so bad
        # rows cannot change the behaviour the conversion logit counts.
        self.event_makers: list[tuple[str, Callable[[str], tuple[Any, ...] | None]]] = [
            ("events_null_event_id", self._event_without_id),
            ("events_duplicate_event_id", self._redelivered_event),
            ("events_null_contact_id", self._event_without_contact),
            ("events_unknown_contact_id", self._event_of_unknown_contact),
            ("events_unknown_event_type", self._event_of_unknown_type),
            ("events_future_occurred_at", self._event_in_future),
        ]

    @staticmethod
    def total(kind: str, good_rows: int) -> int:
        """How many rows of a kind a table with good_rows good rows gets in all."""
        share = BAD_ROW_SHARES[kind]
        if kind.startswith(("contacts_", "accounts_")):
            return max(1, round(share * good_rows))
        return max(1, math.floor(share * good_rows))

    def _due(self, kind: str, good_rows: int) -> int:
        return math.floor(BAD_ROW_SHARES[kind] * good_rows) - self.emitted[kind]

    # ---- accounts and contacts

    def older_account_version(self, row: tuple[Any, ...], created: int) -> tuple[Any, ...]:
        """The same account as it was at creation: smaller, no revenue yet."""
        self.emitted["accounts_duplicate_account_id"] += 1
        older = list(row)
        older[4] = max(1, round(row[4] * 0.8))
        older[5] = None
        older[8] = self.g.clock.text(created)
        return tuple(older)

    def older_contact_version(self, row: list[Any]) -> list[Any]:
        """A stale export of a contact: updated when created, no phone yet."""
        self.emitted["contacts_duplicate_contact_id"] += 1
        older = list(row)
        older[4] = None
        older[13] = older[12]
        return older

    def malformed_email(self, first: str, last: str, domain: str) -> str:
        """One of four malformed shapes, in turn, so that every shape appears."""
        shape = self.emitted["contacts_malformed_email"] % 4
        self.emitted["contacts_malformed_email"] += 1
        f, la = _ascii(first), _ascii(last)
        return (
            f"{f}.{la}@",
            f"{f}.{la} at {domain}",
            "no-email",
            f"{f}.{la}@{domain.rpartition('.')[0]}",
        )[shape]

    def contact_without_id(self) -> list[Any]:
        """A contact row whose id the source system lost."""
        self.emitted["contacts_null_contact_id"] += 1
        rng, g = self.rng, self.g
        first, last = _one_of(rng, _FIRST_NAMES), _one_of(rng, _LAST_NAMES)
        country, region, _, _ = COUNTRIES[g.country.pick(rng)]
        created = g.clock.text(int(rng.random() * g.window))
        email = _email(rng, first, last, _one_of(rng, FREE_MAIL_DOMAINS))
        title = _job(rng, "Individual Contributor", "Marketing")
        return [None, email, first, last, None, title, "Individual Contributor", "Marketing",
                country, region, g.lead_source.pick(rng), None, created, created]  # fmt: skip

    # ---- events

    def events_due(self, contact_id: str) -> list[tuple[Any, ...]]:
        """The bad events owed after this contact's good ones."""
        rows: list[tuple[Any, ...]] = []
        for kind, make in self.event_makers:
            for _ in range(self._due(kind, self.g.good_events)):
                row = make(contact_id)
                if row is None:
                    break
                rows.append(row)
                self.emitted[kind] += 1
        return rows

    def missing_events(self, contact_id: str) -> list[tuple[Any, ...]]:
        """One row of each event kind that has not appeared yet (small runs)."""
        rows = []
        for kind, make in self.event_makers:
            row = make(contact_id) if self.emitted[kind] == 0 else None
            if row is not None:
                rows.append(row)
                self.emitted[kind] += 1
        return rows

    def _blog_view(self, event_id: str | None, contact_id: str | None, at: int) -> tuple[Any, ...]:
        url = f"{SELLER_SITE}/blog/{_one_of(self.rng, _BLOG_SLUGS)}"
        return (event_id, contact_id, "page_view", self.g.clock.text(at), url, None, "web", None)

    def _moment(self) -> int:
        return int(self.rng.random() * self.g.window)

    def _event_without_id(self, contact_id: str) -> tuple[Any, ...]:
        return self._blog_view(None, contact_id, self._moment())

    def _redelivered_event(self, contact_id: str) -> tuple[Any, ...] | None:
        # The very row again, as a tracker retrying a delivery sends it.
        recent = self.g.recent_good_events
        return _one_of(self.rng, recent) if recent else None

    def _event_without_contact(self, contact_id: str) -> tuple[Any, ...]:
        return self._blog_view(self.g.next_event_id(), None, self._moment())

    def _event_of_unknown_contact(self, contact_id: str) -> tuple[Any, ...]:
        return self._blog_view(self.g.next_event_id(), self.g.unknown_contact_id(), self._moment())

    def _event_of_unknown_type(self, contact_id: str) -> tuple[Any, ...]:
        event_type = UNKNOWN_EVENT_TYPES[self.emitted["events_unknown_event_type"] % 2]
        url = f"{SELLER_SITE}/pricing" if event_type == "page_veiw" else None
        at = self.g.clock.text(self._moment())
        return (self.g.next_event_id(), contact_id, event_type, at, url, None, "web", None)

    def _event_in_future(self, contact_id: str) -> tuple[Any, ...]:
        at = self.g.window + 30 * DAY + int(self.rng.random() * 335 * DAY)
        return self._blog_view(self.g.next_event_id(), contact_id, at)

    # ---- conversions

    def conversions_due(self) -> list[tuple[Any, ...]]:
        """The conversions of unknown contacts owed so far."""
        kind = "conversions_unknown_contact_id"
        rows = [self._unknown_conversion() for _ in range(self._due(kind, self.g.good_conversions))]
        self.emitted[kind] += len(rows)
        return rows

    def missing_conversions(self) -> list[tuple[Any, ...]]:
        """One conversion of an unknown contact if none has appeared yet."""
        kind = "conversions_unknown_contact_id"
        if self.emitted[kind]:
            return []
        self.emitted[kind] += 1
        return [self._unknown_conversion()]

    def _unknown_conversion(self) -> tuple[Any, ...]:
        g = self.g
        amount = _money(round(5000 + self.rng.random() * 45_000, -2))
        at = g.clock.text(self._moment())
        return (g.next_conversion_id(), g.unknown_contact_id(), at, "opportunity_created", amount)


def _behaviour_indicators(
    activity: list[tuple[int, str, Any, Any, Any]], created: int
) -> tuple[dict[str, float], int]:
    """The behaviour terms of the conversion logit, and when the last of them happened.

    Events come sorted by time, so the first demo, trial, quote or attended
    webinar and the PRICING_VIEWS_CAP-th pricing view are the ones that count;
    the conversion is dated after the latest of them.
    """
    pricing_views = 0
    driver_at = created
    seen: dict[str, float] = dict.fromkeys(BEHAVIOUR_FEATURES[1:], 0.0)
    pricing_prefix = f"{SELLER_SITE}/pricing"
    for at, event_type, url, _, _ in activity:
        if event_type == "page_view":
            if url.startswith(pricing_prefix) and pricing_views < PRICING_VIEWS_CAP:
                pricing_views += 1
                driver_at = max(driver_at, at)
        elif event_type in seen and not seen[event_type]:
            seen[event_type] = 1.0
            driver_at = max(driver_at, at)
    return {"pricing_page_views": float(pricing_views), **seen}, driver_at


class _Activity:
    """Builds one contact's events as (at, event_type, page_url, campaign, properties).

    Interactions are broken into steps that only follow their cause: an open
    needs a sent email, a click an open, an attendance a registration. The
    contact's own actions happen before active_end (emails keep being sent).
    """

    def __init__(self, generator: _Generator, contact: _Contact) -> None:
        self.g = generator
        self.c = contact
        self.rng = generator.rng
        self.window = generator.window
        self.active_end = min(generator.window, contact.active_until)
        self.urls = generator.page_urls[contact.semantic_layer]
        self.ebooks = generator.ebooks[contact.semantic_layer]
        self.events: list[tuple[int, str, Any, Any, Any]] = []
        self.page_mix = self._page_mix()
        self.first_touch_webinar: str | None = None

    def build(self) -> list[tuple[int, str, Any, Any, Any]]:
        """All of the contact's good events, sorted by time."""
        self._first_touch()
        self._emails()
        self._sessions()
        self._webinars()
        self._sales_actions()
        self._content()
        self._social()
        if self.c.job_seeker:
            self._job_hunting()
        self.events.sort(key=lambda event: event[0])
        return self.events

    # ---- small builders

    def add(
        self,
        at: int,
        event_type: str,
        url: str | None = None,
        campaign: str | None = None,
        props: str | None = None,
    ) -> bool:
        """Record an event if it happens before end_date (later ones never happened)."""
        if at < self.window:
            self.events.append((at, event_type, url, campaign, props))
            return True
        return False

    def moment(self, earliest: int) -> int:
        """A moment uniformly between earliest and the end of the contact's active period."""
        return earliest + int(self.rng.random() * max(0, self.active_end - earliest))

    def _page_mix(self) -> _Weighted:
        """Per-contact page mix: intent moves weight to pricing and demo pages."""
        model = BEHAVIOUR_MODEL
        intent = self.c.intent
        weights = list(_BASE_PAGE_WEIGHTS)
        weights[_PAGE_PRICING] = model.pricing_page_weight * math.exp(
            model.pricing_intent_slope * intent
        )
        weights[_PAGE_DEMO] = model.demo_page_weight * math.exp(
            model.demo_page_intent_slope * intent
        )
        if self.c.competitor:
            weights[_PAGE_PRICING] *= 3  # competitors study the pricing page
        if self.c.student:
            weights[_PAGE_BLOG] *= 2
        return _Weighted(tuple(enumerate(weights)))

    def page_url(self, category: int) -> str:
        """A realistic URL of one page category."""
        return _one_of(self.rng, self.urls[category])

    # ---- streams of activity

    def _first_touch(self) -> None:
        """The event that made the contact, at created_at, matching the lead source."""
        rng, at, source = self.rng, self.c.created, self.c.lead_source
        if source == "Organic Search":
            self.add(at, "page_view", self.page_url(_PAGE_BLOG), None, '{"referrer":"google"}')
        elif source == "Paid Search":
            # The semantic-layer ad lands on its product page, the brand ad on /product.
            if self.c.semantic_layer and rng.random() < 0.5:
                self.add(at, "page_view", f"{SELLER_SITE}/product/{SEMANTIC_LAYER}{_UTM_ENTRY[1]}")
            else:
                self.add(at, "page_view", f"{SELLER_SITE}/product{_UTM_ENTRY[0]}")
        elif source == "Social":
            self.add(at, "page_view", self.page_url(_PAGE_BLOG) + _UTM_ENTRY[2])
        elif source == "Webinar":
            upcoming = [slug for start, slug in self.g.webinars if start > at]
            if upcoming:
                self.first_touch_webinar = f"webinar-{upcoming[0]}"
                self.add(at, "webinar_registered", None, self.first_touch_webinar)
        elif source in ("Direct", "Referral", "Partner"):
            self.add(at, "page_view", f"{SELLER_SITE}/")

    def _emails(self) -> None:
        """Marketing emails from the shared schedule: sent, then maybe opened, clicked ..."""
        c, rng = self.c, self.rng
        if not c.email_ok:
            return  # a malformed address cannot be mailed
        model = BEHAVIOUR_MODEL
        p_open = _chance(model.email_open, c.intent)
        p_click = _chance(model.email_click, c.intent)
        p_forward = _chance(model.email_forward, c.intent)
        p_reply = _chance(model.email_reply, c.intent)
        p_unsubscribe = _chance(model.unsubscribe_per_email, c.intent)
        if not self._welcome(p_open, p_click, p_forward, p_reply, p_unsubscribe):
            return
        sends = self.g.sends
        rand, add, append = rng.random, self.add, self.events.append
        active_end = self.active_end
        for j in range(bisect.bisect_left(self.g.send_times, c.created), len(sends)):
            send = sends[j]
            if rand() >= send.reach:
                continue
            # Sends are scheduled by 09:00-16:00 and go out within the hour, so
            # even the last day's are before end_date.
            sent = send.at + int(rand() * 3600)
            campaign = send.campaign
            append((sent, "email_sent", None, campaign, None))
            if c.bounces:
                bounce = '{"bounce_type":"hard"}'
                add(sent + 5 + int(rand() * 600), "email_bounced", None, campaign, bounce)
                return  # the address does not exist: nothing is sent again
            if rand() < p_open:
                opened = sent + int(rand() * rand() * 3 * DAY)
                if opened < active_end:
                    append((opened, "email_opened", None, campaign, None))
                    self._after_open(opened, send, p_click, p_forward, p_reply)
            if rand() < p_unsubscribe:
                reason = '{"reason":"too_many_emails"}'
                add(sent + int(rand() * 2 * DAY), "email_unsubscribed", None, campaign, reason)
                return

    def _welcome(
        self, p_open: float, p_click: float, p_forward: float, p_reply: float, p_unsubscribe: float
    ) -> bool:
        """The welcome email, minutes after created_at; False if nothing more is sent."""
        c, rand = self.c, self.rng.random
        campaign = _WELCOME.campaign
        # created_at is at least a day before end_date, so the send is inside the window.
        sent = c.created + 60 + int(rand() * 1740)
        self.events.append((sent, "email_sent", None, campaign, None))
        if c.bounces:
            bounce = '{"bounce_type":"hard"}'
            self.add(sent + 5 + int(rand() * 600), "email_bounced", None, campaign, bounce)
            return False
        if c.fast_start:
            self._fast_start(sent)
        elif rand() < p_open:
            opened = sent + int(rand() * rand() * 3 * DAY)
            if opened < self.active_end:
                self.events.append((opened, "email_opened", None, campaign, None))
                self._after_open(opened, _WELCOME, p_click, p_forward, p_reply)
        if rand() < p_unsubscribe:
            reason = '{"reason":"too_many_emails"}'
            self.add(sent + int(rand() * 2 * DAY), "email_unsubscribed", None, campaign, reason)
            return False
        return True

    def _fast_start(self, sent: int) -> None:
        """Within 3 days of created_at: the welcome email opened and clicked through to
        /product, the on-demand product tour registered for and watched, a reply."""
        rand, add, campaign = self.rng.random, self.add, _WELCOME.campaign
        # Each step follows the one before, so one cut off by end_date takes the rest.
        opened = sent + int(rand() * 12 * 3600)
        add(opened, "email_opened", None, campaign)
        clicked = opened + 5 + int(rand() * 600)
        add(clicked, "email_clicked", None, campaign)
        utm = f"?utm_source=acmecloud&utm_medium=email&utm_campaign={campaign}"
        add(clicked + 2, "page_view", f"{SELLER_SITE}{_WELCOME.landing}{utm}")
        registered = clicked + 30 + int(rand() * 600)
        add(registered, "webinar_registered", None, _WEBINAR_ON_DEMAND, _ON_DEMAND)
        watched = registered + 60 + int(rand() * DAY)
        add(watched, "webinar_attended", None, _WEBINAR_ON_DEMAND, _ON_DEMAND)
        add(opened + 600 + int(rand() * DAY), "email_replied", None, campaign)

    def _after_open(
        self, opened: int, send: _Send, p_click: float, p_forward: float, p_reply: float
    ) -> None:
        """What may follow an open: a click (and the page it lands on), a forward, a reply."""
        rand = self.rng.random
        campaign = send.campaign
        # Only contacts interested in the semantic layer click through to its content.
        if rand() < p_click and (self.c.semantic_layer or not send.semantic_layer):
            clicked = opened + 5 + int(rand() * 600)
            if self.add(clicked, "email_clicked", None, campaign) and send.landing:
                utm = f"?utm_source=acmecloud&utm_medium=email&utm_campaign={campaign}"
                self.add(clicked + 2, "page_view", f"{SELLER_SITE}{send.landing}{utm}")
        if rand() < p_forward:
            self.add(opened + 60 + int(rand() * DAY), "email_forwarded", None, campaign)
        if rand() < p_reply:
            self.add(opened + 60 + int(rand() * DAY), "email_replied", None, campaign)

    def _sessions(self) -> None:
        """Website visits: how many grows with engagement and time; pages by the page mix."""
        c, rng = self.c, self.rng
        window, created = self.window, c.created
        lam = BEHAVIOUR_MODEL.sessions_per_active_day * c.engagement * (window - created) / DAY
        # The visits happen in the contact's active period.
        span = self.active_end - created
        # Page views are most of the rows: this loop avoids per-page method calls.
        cumulative, total = self.page_mix.cumulative, self.page_mix.total
        urls = self.urls
        rand, append = rng.random, self.events.append
        for _ in range(_poisson(rng, lam)):
            at = created + int(rand() * span)
            while at < window:
                options = urls[bisect.bisect_right(cumulative, rand() * total)]
                append((at, "page_view", options[int(rand() * len(options))], None, None))
                if rand() >= 0.55:  # pages per visit: 1 + Geometric, 2.2 on average
                    break
                at += 15 + int(rand() * 240)

    def _webinars(self) -> None:
        """Registration for upcoming webinars, and attendance of some of them."""
        c, rng = self.c, self.rng
        model = BEHAVIOUR_MODEL
        p_register = _chance(model.webinar_register, c.intent)
        p_attend = _chance(model.webinar_attend, c.intent)
        registered = self.first_touch_webinar
        for start, slug in self.g.webinars:
            if start <= c.created or start >= self.active_end:
                continue
            campaign = f"webinar-{slug}"
            if campaign != registered:
                if rng.random() >= p_register:
                    continue
                earliest = max(c.created, start - 21 * DAY)
                at = earliest + int(rng.random() * (start - earliest))
                self.add(at, "webinar_registered", None, campaign)
            if rng.random() < p_attend:
                self.add(start + int(rng.random() * 600), "webinar_attended", None, campaign)

    def _sales_actions(self) -> None:
        """Demo, trial and quote requests, and the sales calls that follow them."""
        c, rng = self.c, self.rng
        model = BEHAVIOUR_MODEL
        earliest = c.created + 600  # room for the page view that precedes each request
        demo_at = None
        if rng.random() < _chance(model.demo, c.intent):
            demo_at = self.moment(earliest)
            self.add(demo_at - 90, "page_view", f"{SELLER_SITE}/demo")
            self.add(demo_at, "demo_requested", None, None, '{"form":"book-a-demo"}')
            self._calls(demo_at, 1 + int(rng.random() * 2))
        if rng.random() < _chance(model.trial, c.intent):
            at = self.moment(earliest)
            self.add(at - 120, "page_view", f"{SELLER_SITE}/pricing?plan=team")
            self.add(at, "trial_started", None, None, '{"plan":"team","trial_days":14}')
        boost = model.quote_after_demo_boost if demo_at is not None else 0.0
        if rng.random() < _sigmoid(model.quote[0] + model.quote[1] * c.intent + boost):
            at = self.moment(demo_at if demo_at is not None else earliest)
            self.add(at - 100, "page_view", f"{SELLER_SITE}/pricing")
            self.add(at, "quote_requested", None, None, '{"plan":"enterprise"}')
            self._calls(at, 1)
        if c.has_phone and rng.random() < _chance(model.outbound_call, c.intent):
            for _ in range(1 + int(rng.random() * 3)):
                self._call(self.moment(c.created), "outbound")

    def _calls(self, after: int, count: int) -> None:
        """Sales follow-up calls in the days after a request."""
        for _ in range(count):
            self._call(after + DAY + int(self.rng.random() * 5 * DAY), "outbound")

    def _call(self, at: int, direction: str) -> None:
        duration = 30 + int(self.rng.random() * 1500)
        props = f'{{"direction":"{direction}","duration_s":{duration}}}'
        self.add(at, "phone_call", None, None, props)

    def _content(self) -> None:
        """Gated downloads (page, form, download) and a newsletter sign-up."""
        c, rng = self.c, self.rng
        active_years = (self.window - c.created) / (WINDOW_DAYS * DAY)
        rate = BEHAVIOUR_MODEL.content_downloads_per_year * (3 if c.student else 1)
        lam = rate * c.engagement * active_years
        for _ in range(_poisson(rng, lam)):
            slug = _one_of(rng, self.ebooks)
            url = f"{SELLER_SITE}/resources/{slug}"
            at = self.moment(c.created)
            self.add(at, "page_view", url)
            submitted = at + 40 + int(rng.random() * 200)
            self.add(submitted, "form_submitted", url, None, '{"form":"gated-content"}')
            self.add(at + 300, "content_downloaded", url, None, f'{{"asset":"{slug}"}}')
        if rng.random() < (0.25 if c.student else 0.08):
            self.add(self.moment(c.created), "newsletter_subscribed", None, "newsletter")

    def _social(self) -> None:
        """Likes, shares and comments on the company's posts."""
        c, rng = self.c, self.rng
        active_years = (self.window - c.created) / (WINDOW_DAYS * DAY)
        kinds = ("social_liked", "social_shared", "social_commented")
        for event_type, rate in zip(kinds, BEHAVIOUR_MODEL.social_per_year, strict=True):
            for _ in range(_poisson(rng, rate * c.engagement * active_years)):
                network = _one_of(rng, _SOCIAL_NETWORKS)
                self.add(self.moment(c.created), event_type, None, None, network)

    def _job_hunting(self) -> None:
        """Job seekers read the careers pages, and sometimes about the company."""
        rng = self.rng
        for _ in range(1 + _poisson(rng, 1.5)):
            at = self.moment(self.c.created)
            self.add(at, "page_view", f"{SELLER_SITE}/careers")
            job = f"{SELLER_SITE}/careers/{_one_of(rng, _CAREER_SLUGS)}"
            self.add(at + 30 + int(rng.random() * 120), "page_view", job)
            if rng.random() < 0.4:
                self.add(at + 200, "page_view", f"{SELLER_SITE}/about")


# --------------------------------------------------------------------------- public API

MIN_CONTACTS = 10


def write_demo_csvs(
    out_dir: Path,
    contacts: int = 2000,
    seed: int = 42,
    end_date: date | None = None,
    extra_rows: dict[str, list[tuple]] | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Write accounts.csv, contacts.csv, events.csv and conversions.csv to out_dir.

    Rows are streamed: each contact's events are written as soon as they are
    drawn, so memory does not grow with the number of events. extra_rows holds
    hand-crafted rows appended to a table, as tuples in RAW_TABLES column order
    (None = NULL, datetimes as datetime). progress, if given, is called about a
    hundred times with (contacts done, event rows written). Returns the row
    count of each table, bad and extra rows included.
    """
    if contacts < MIN_CONTACTS:
        raise ValueError(f"contacts must be at least {MIN_CONTACTS}, got {contacts}")
    end = end_date or datetime.now(timezone.utc).date()
    extra = _checked_extra_rows(extra_rows or {})
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        writers = {
            table: _csv_writer(stack.enter_context(_open_csv(out_dir / f"{table}.csv")), table)
            for table in RAW_TABLES
        }
        generator = _Generator(random.Random(seed), contacts, end, writers)
        generator.generate_accounts()
        generator.generate_contacts(progress)
        for table, rows in extra.items():
            generator.write(table, rows)
    return dict(generator.counts)


def _open_csv(path: Path) -> IO[str]:
    # newline="" lets the csv module control line endings; a large buffer
    # matters at millions of rows.
    return open(path, "w", encoding="utf-8", newline="", buffering=1 << 20)


def _csv_writer(handle: IO[str], table: str) -> Any:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow([column for column, _ in RAW_TABLES[table]])
    return writer


def _checked_extra_rows(extra_rows: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """Validate hand-crafted rows and turn datetimes into the CSV timestamp format."""
    checked: dict[str, list[tuple]] = {}
    for table, rows in extra_rows.items():
        if table not in RAW_TABLES:
            raise ValueError(
                f"extra_rows: unknown table {table!r}, expected one of {list(RAW_TABLES)}"
            )
        width = len(RAW_TABLES[table])
        converted = []
        for row in rows:
            if len(row) != width:
                raise ValueError(
                    f"extra_rows[{table!r}]: {row!r} has {len(row)} values, expected {width}"
                )
            converted.append(
                tuple(_timestamp_text(v) if isinstance(v, datetime) else v for v in row)
            )
        checked[table] = converted
    return checked


def _quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _csv_paths(csv_dir: Path) -> dict[str, Path]:
    """The four CSV files, checked to exist before anything is dropped."""
    paths = {table: Path(csv_dir) / f"{table}.csv" for table in RAW_TABLES}
    missing = [str(path) for path in paths.values() if not path.is_file()]
    if missing:
        raise FileNotFoundError(f"missing demo CSV files: {', '.join(missing)}")
    return paths


def load_duckdb(csv_dir: Path, database_path: Path, schema: str = "raw") -> None:
    """Load the four CSVs into a DuckDB file, replacing the tables, in one transaction.

    Tables are created with the RAW_TABLES types and filled by read_csv with
    explicit columns, so nothing is type-sniffed and an empty field is NULL.
    """
    import duckdb

    paths = _csv_paths(csv_dir)
    database_path = Path(database_path)
    database_path.parent.mkdir(parents=True, exist_ok=True)
    quoted_schema = _quote_identifier(schema)
    with duckdb.connect(str(database_path)) as con:
        con.execute("begin transaction")
        con.execute(f"create schema if not exists {quoted_schema}")
        for table, columns in RAW_TABLES.items():
            target = f"{quoted_schema}.{_quote_identifier(table)}"
            ddl = ", ".join(f"{_quote_identifier(c)} {t}" for c, t in columns)
            types = ", ".join(f"{_quote_literal(c)}: {_quote_literal(t)}" for c, t in columns)
            con.execute(f"create or replace table {target} ({ddl})")
            con.execute(
                f"insert into {target} select * from read_csv("
                f"{_quote_literal(str(paths[table]))}, header = true, auto_detect = false, "
                f"columns = {{{types}}}, delim = ',', quote = '\"', escape = '\"', "
                "nullstr = '', timestampformat = '%Y-%m-%d %H:%M:%S')"
            )
        con.execute("commit")


def load_postgres(csv_dir: Path, conninfo: str, schema: str = "raw") -> None:
    """Load the four CSVs into PostgreSQL with COPY, replacing the rows, in one transaction.

    A table that already has the expected columns is emptied and refilled, so
    views built on it (dbt's staging models) survive a reload; any other is
    dropped and created again.
    """
    import psycopg2
    from psycopg2 import sql

    paths = _csv_paths(csv_dir)
    connection = psycopg2.connect(conninfo)
    try:
        connection.set_client_encoding("UTF8")
        # The connection context manager commits on success and rolls back on
        # error, so a failed load leaves the previous tables in place.
        with connection, connection.cursor() as cursor:
            cursor.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(schema)))
            for table, columns in RAW_TABLES.items():
                target = sql.Identifier(schema, table)
                ddl = sql.SQL(", ").join(
                    sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(t)) for c, t in columns
                )
                names = sql.SQL(", ").join(sql.Identifier(c) for c, _ in columns)
                cursor.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = %s and table_name = %s order by ordinal_position",
                    (schema, table),
                )
                existing = [row[0] for row in cursor.fetchall()]
                if existing == [c for c, _ in columns]:
                    # Emptied, not dropped: the staging views a dbt build
                    # created on the table keep working.
                    cursor.execute(sql.SQL("truncate table {}").format(target))
                else:
                    cursor.execute(sql.SQL("drop table if exists {}").format(target))
                    cursor.execute(sql.SQL("create table {} ({})").format(target, ddl))
                copy = sql.SQL("copy {} ({}) from stdin with (format csv, header true)")
                with open(paths[table], encoding="utf-8") as handle:
                    cursor.copy_expert(copy.format(target, names).as_string(cursor), handle)
    finally:
        connection.close()


# --------------------------------------------------------------------------- CLI

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _positive_contacts(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < MIN_CONTACTS:
        raise argparse.ArgumentTypeError(f"must be at least {MIN_CONTACTS}, got {value}")
    return value


def _seed(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def _iso_date(text: str) -> date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date as YYYY-MM-DD") from None


def _schema_name(text: str) -> str:
    if not _IDENTIFIER.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a plain schema name (letters, digits, underscores)"
        )
    return text


@contextlib.contextmanager
def _csv_directory(given: str | None) -> Iterator[Path]:
    """The directory asked for, or a temporary one removed afterwards."""
    if given is not None:
        yield Path(given)
        return
    with tempfile.TemporaryDirectory(prefix="leadscoring-demo-") as tmp:
        yield Path(tmp)


def _progress_printer(contacts: int) -> Callable[[int, int], None] | None:
    """Progress lines on stderr every 10% for runs big enough to wait for."""
    if contacts < 50_000:
        return None
    started = time.monotonic()
    step = max(1, contacts // 10)
    next_report = [step]

    def report(done: int, events: int) -> None:
        if done >= next_report[0] or done == contacts:
            next_report[0] = done + step
            seconds = time.monotonic() - started
            print(
                f"generate: {done:,} of {contacts:,} contacts, {events:,} events, {seconds:.1f} s",
                file=sys.stderr,
                flush=True,
            )

    return report


def _run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if not (args.csv_dir or args.duckdb or args.postgres):
        parser.error("say where the data goes: --csv-dir, --duckdb and/or --postgres")
    if args.csv_dir and Path(args.csv_dir).exists() and not Path(args.csv_dir).is_dir():
        parser.error(f"--csv-dir {args.csv_dir} exists and is not a directory")
    end = args.end_date or datetime.now(timezone.utc).date()
    step = "write the CSV files"
    try:
        with _csv_directory(args.csv_dir) as csv_dir:
            progress = _progress_printer(args.contacts)
            counts = write_demo_csvs(csv_dir, args.contacts, args.seed, end, progress=progress)
            for table, count in counts.items():
                print(f"{table}: {count:,} rows")
            if args.csv_dir:
                print(f"CSV files in {csv_dir}")
            if args.duckdb:
                step = "load into DuckDB"
                load_duckdb(csv_dir, Path(args.duckdb), args.schema)
                print(f"loaded into DuckDB {args.duckdb}, schema {args.schema}")
            if args.postgres:
                step = "load into PostgreSQL"
                load_postgres(csv_dir, args.postgres, args.schema)
                print(f"loaded into PostgreSQL, schema {args.schema}")
    except _expected_errors() as error:
        print(f"error: could not {step}: {' '.join(str(error).split())}", file=sys.stderr)
        return 1
    return 0


def _expected_errors() -> tuple[type[BaseException], ...]:
    """Errors that mean the environment is wrong (a path, a server), not a bug: no traceback."""
    errors: tuple[type[BaseException], ...] = (OSError,)
    with contextlib.suppress(ImportError):
        import duckdb

        errors += (duckdb.Error,)
    with contextlib.suppress(ImportError):
        import psycopg2

        errors += (psycopg2.Error,)
    return errors


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``generate`` subcommand."""
    parser = subparsers.add_parser(
        "generate",
        help="generate the demo data set and load it into DuckDB or PostgreSQL",
        description=(
            "Generate a deterministic B2B demo data set (accounts, contacts, events, "
            "conversions of Acme Cloud's leads, with some deliberately bad rows) as CSV, "
            "and load it into DuckDB and/or PostgreSQL. See docs/demo_data.md."
        ),
    )
    parser.add_argument(
        "--contacts",
        type=_positive_contacts,
        default=2000,
        metavar="N",
        help="how many contacts (default: %(default)s; about 52 events each)",
    )
    parser.add_argument(
        "--seed", type=_seed, default=42, metavar="S", help="random seed (default: %(default)s)"
    )
    parser.add_argument(
        "--end-date",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="the data covers the year before 00:00 UTC of this day (default: today, UTC)",
    )
    parser.add_argument(
        "--csv-dir",
        metavar="DIR",
        help="keep the CSV files in DIR (default: a temporary directory, removed afterwards)",
    )
    parser.add_argument("--duckdb", metavar="PATH", help="load into this DuckDB file")
    parser.add_argument(
        "--postgres",
        metavar="CONNINFO",
        help="load into PostgreSQL, e.g. 'host=127.0.0.1 dbname=lead_scoring user=lead_scoring'",
    )
    parser.add_argument(
        "--schema",
        type=_schema_name,
        default="raw",
        help="schema of the raw tables (default: %(default)s)",
    )
    parser.set_defaults(handler=lambda args: _run(args, parser))
