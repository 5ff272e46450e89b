"""Hand-crafted contacts, accounts and events whose scores are computed by hand.

The end-to-end tests append these rows to a small generated data set, build the
project with the point tables of ``tests/python/scoring_config/`` (a small
configuration with round numbers, one of every rule kind) and
``lead_scoring__as_of = 2026-07-01 00:00:00``, and compare ``lead_scoring__scores`` with
``EXPECTED_SCORES``. Every expected figure is worked out in the comments.

Events are placed a whole number of half-lives before the as-of timestamp
(``AGO_30`` is 30 days before it, the default model's half-life), so decay
factors are exact powers of one half.
"""

from __future__ import annotations

from datetime import datetime, timedelta

AS_OF = "2026-07-01 00:00:00"
END_DATE = "2026-06-30"

SITE = "https://www.acmecloud.io"

T = datetime(2026, 7, 1)
AGO_30 = T - timedelta(days=30)  # 2026-06-01 00:00: one half-life (default model)
AGO_60 = T - timedelta(days=60)  # 2026-05-02 00:00
AGO_90 = T - timedelta(days=90)  # 2026-04-02 00:00


def ts(text: str) -> datetime:
    """Parse 'YYYY-MM-DD HH:MM[:SS]' into a datetime."""
    return datetime.fromisoformat(text)


def decayed(points: float, age_days: float, half_life_days: float) -> float:
    """An independent implementation of decay: points x 0.5^(age / half-life), 2 decimals."""
    return round(points * 0.5 ** (age_days / half_life_days) + 1e-9, 2)


LITERAL_TITLE = "O'Brien's \"Lead\"'); drop table x; --"

# accounts: account_id, account_name, domain, industry, employee_count,
#           annual_revenue, country, created_at, updated_at
ACCOUNTS = [
    ("c_acc_mid", "Mid Co", "mid-co.com", "Software", 500, 40_000_000, "Germany",
     ts("2025-06-01 09:00"), ts("2026-01-01 09:00")),
    ("c_acc_small", "Small Co", "small-co.com", "Retail", 50, 2_000_000, "United States",
     ts("2025-06-01 09:00"), ts("2026-01-01 09:00")),
]  # fmt: skip


def _contact(
    contact_id: str,
    *,
    email: str,
    first: str = "Alex",
    last: str = "Moreau",
    phone: str | None = None,
    title: str | None = None,
    seniority: str | None = None,
    country: str | None = None,
    region: str | None = None,
    account: str | None = None,
    created: datetime,
    updated: datetime | None = None,
) -> tuple:
    """A contacts row: contact_id, email, first_name, last_name, phone, job_title,
    seniority, department, country, region, lead_source, account_id, created_at,
    updated_at."""
    return (
        contact_id, email, first, last, phone, title, seniority, None, country, region,
        "Direct", account, created, updated or created,
    )  # fmt: skip


CONTACTS = [
    _contact("c_vp", email="Vera.Page@Mid-Co.com", phone="+49 30 555 0100", title="VP Data",
             seniority="VP", country="Germany", region="Europe", account="c_acc_mid",
             created=ts("2026-01-01 08:00")),
    _contact("c_student", email="sam.lee@gmail.com", title="MSc Student", seniority="Student",
             country="India", region="APAC", created=ts("2026-03-01 08:00")),
    _contact("c_capped", email="max.cap@small-co.com", title="Sales Manager",
             seniority="Manager", country="United States", region="North America",
             account="c_acc_small", created=ts("2026-06-01 08:00")),
    _contact("c_ceiling", email="cy@mid-co.com", phone="+55 11 5555 0100", title=LITERAL_TITLE,
             seniority="VP", country="Brazil", region="LATAM", account="c_acc_mid",
             created=ts("2026-06-01 08:00")),
    _contact("c_similar_title", email="sim@example.org", title="O'Brien's \"Lead\"",
             country="Japan", region="APAC", created=ts("2026-06-20 08:00")),
    _contact("c_percent", email="pc@example.org", title="Head of 100%_sure Ops",
             country="Japan", region="APAC", created=ts("2026-06-20 08:00")),
    _contact("c_nolike", email="nl@example.org", title="Head of 100%Xsure Ops",
             country="Japan", region="APAC", created=ts("2026-06-20 08:00")),
    _contact("c_inactive", email="ina@example.org", country="Japan", region="APAC",
             created=ts("2026-01-01 08:00")),
    _contact("c_edge_active", email="edge@example.org", country="Japan", region="APAC",
             created=ts("2026-01-01 08:00")),
    _contact("c_combo", email="combo@example.org", seniority="Director", country="Japan",
             region="APAC", created=ts("2026-05-29 00:00")),
    _contact("c_combo_late", email="late@example.org", seniority="Director", country="Japan",
             region="APAC", created=ts("2026-05-29 00:00")),
    _contact("c_placeholder", email="test@mailinator.com", first="Test", last="xxx",
             country="Japan", region="APAC", created=ts("2026-06-20 08:00")),
    _contact("c_bad_email", email="t4.smith@", first="Tom", last="Smith", country="Japan",
             region="APAC", created=ts("2026-06-20 08:00")),
    # Two versions of one contact: the more recent (VP) is scored, the older
    # (Student) is quarantined as a duplicate.
    _contact("c_dup", email="dup@example.org", title="Student", seniority="Student",
             country="Chile", region="LATAM", created=ts("2026-01-01 08:00")),
    _contact("c_dup", email="dup@example.org", title="VP Sales", seniority="VP",
             country="Chile", region="LATAM", created=ts("2026-01-01 08:00"),
             updated=ts("2026-03-01 08:00")),
    # Created after the as-of timestamp: not scored.
    _contact("c_future", email="later@example.org", seniority="VP", country="France",
             region="Europe", created=ts("2026-08-01 08:00")),
]  # fmt: skip


def _event(
    event_id: str, contact_id: str | None, event_type: str, at: datetime, path: str | None = None
) -> tuple:
    """An events row: event_id, contact_id, event_type, occurred_at, page_url,
    campaign, channel, properties."""
    url = f"{SITE}{path}" if path else None
    return (event_id, contact_id, event_type, at, url, None, None, None)


EVENTS = [
    # c_vp -------------------------------------------------------------------
    _event("c_e01", "c_vp", "page_view", AGO_30, "/pricing"),
    _event("c_e02", "c_vp", "page_view", AGO_30, "/Pricing?plan=team"),
    _event("c_e03", "c_vp", "page_view", AGO_30, "/pricing#faq"),
    _event("c_e04", "c_vp", "page_view", T, "/blog/scoring-101"),
    _event("c_e05", "c_vp", "page_view", T, "/blog/decay"),
    _event("c_e06", "c_vp", "demo_requested", AGO_60),
    _event("c_e07", "c_vp", "page_view", AGO_30, "/product/x"),
    _event("c_e08", "c_vp", "page_view", AGO_30, "/product/x/features"),
    _event("c_e09", "c_vp", "webinar_attended", AGO_90),
    _event("c_e10", "c_vp", "webinar_attended", AGO_60),
    # the same webinar event delivered twice: counted once, the copy quarantined
    _event("c_e10", "c_vp", "webinar_attended", AGO_60),
    # after the as-of timestamp: not counted
    _event("c_e11", "c_vp", "webinar_attended", ts("2026-07-02 16:00")),
    # in the future: quarantined
    _event("c_e12", "c_vp", "webinar_attended", ts("2999-01-01 00:00")),
    # unknown event type: quarantined
    _event("c_e13", "c_vp", "page_veiw", AGO_30, "/pricing"),
    # c_student --------------------------------------------------------------
    _event("c_e20", "c_student", "page_view", T, "/careers"),
    _event("c_e21", "c_student", "page_view", T, "/careers/data-intern"),
    _event("c_e22", "c_student", "page_view", T, "/careers/analyst"),
    _event("c_e23", "c_student", "email_opened", T),
    # c_capped ---------------------------------------------------------------
    *[_event(f"c_e3{i}", "c_capped", "page_view", T, "/pricing") for i in range(4)],
    *[_event(f"c_e4{i}", "c_capped", "page_view", T, f"/blog/post-{i}") for i in range(3)],
    _event("c_e50", "c_capped", "email_clicked", T),
    _event("c_e51", "c_capped", "email_clicked", T),
    *[_event(f"c_e5{i}", "c_capped", "email_opened", T) for i in range(2, 5)],
    # c_ceiling --------------------------------------------------------------
    _event("c_e60", "c_ceiling", "demo_requested", T),
    *[_event(f"c_e6{i}", "c_ceiling", "page_view", T, "/pricing") for i in range(1, 4)],
    _event("c_e64", "c_ceiling", "email_clicked", T),
    # c_inactive, c_edge_active -----------------------------------------------
    _event("c_e70", "c_inactive", "email_opened", AGO_90),
    _event("c_e71", "c_inactive", "email_sent", T - timedelta(days=1)),
    _event("c_e72", "c_edge_active", "email_opened", AGO_60),
    # c_combo: product X page, webinar and reply, the reply exactly 3 days
    # after creation; c_combo_late: the reply one second later ----------------
    _event("c_e80", "c_combo", "page_view", ts("2026-05-29 10:00"), "/product/x"),
    _event("c_e81", "c_combo", "webinar_attended", ts("2026-05-30 12:00")),
    _event("c_e82", "c_combo", "email_replied", ts("2026-06-01 00:00:00")),
    _event("c_e83", "c_combo_late", "page_view", ts("2026-05-29 10:00"), "/product/x"),
    _event("c_e84", "c_combo_late", "webinar_attended", ts("2026-05-30 12:00")),
    _event("c_e85", "c_combo_late", "email_replied", ts("2026-06-01 00:00:01")),
    # events pointing nowhere: quarantined
    _event("c_e90", "c_nobody", "email_opened", AGO_30),
    _event("c_e91", None, "email_opened", AGO_30),
]

EXTRA_ROWS = {"accounts": ACCOUNTS, "contacts": CONTACTS, "events": EVENTS}

# (contact_id, score_model) -> (fit_points, engagement_points, negative_points,
#   adjustment_points, fit_score, engagement_score, total_score, score_band,
#   fit_grade, engagement_level, score_matrix, rules_fired)
# Thresholds (every model): bands cold 0, warm 20, hot 40, MQL 60, SQL 80;
# grades D 0, C 10, B 20, A 30; levels 4 0, 3 10, 2 20, 1 40.
EXPECTED_SCORES = {
    # fit: VP 20 + 500 employees (100-999) 10 + phone 5 = 35 -> A.
    # engagement (half-life 30): 3 pricing views 30 days ago, 3 x 10 x 0.5 = 15;
    #   3 pricing views within 7 days (repeat, once per window): 5 x 0.5 = 2.5;
    #   2 blog views at the as-of: 2 x 2 = 4; web group 21.5 <= 25, no cap;
    #   demo 60 days ago with its own half-life 60: 30 x 0.5 = 15 -> 36.5 -> 2.
    # total 71.5 -> MQL; 7 rules.
    ("c_vp", "default"): (35, 36.5, 0, 0, 35, 36.5, 71.5, "MQL", "A", "2", "A2", 7),
    # region Europe -> emea applies. fit: Germany 10 -> C. engagement: the
    # webinar 60 days ago is inside the 60-day timeframe (the one 90 days ago,
    # the duplicate, the one after the as-of and the future one do not count),
    # 10, no decay -> 3. total 20: exactly warm.
    ("c_vp", "emea"): (10, 10, 0, 0, 10, 10, 20, "warm", "C", "3", "C3", 2),
    # two product X views -> product_x applies. fit: 500 employees (>= 500) 15
    # -> C. engagement: 2 product X views x 5 = 10, product X page and pricing
    # within 7 days 10 = 20 -> 2. total 35 -> warm.
    ("c_vp", "product_x"): (15, 20, 0, 0, 15, 20, 35, "warm", "C", "2", "C2", 3),
    # fit: student -25, gmail.com (free) -5 = -30 -> D. engagement: 3 careers
    # views x -15 = -45, bounded by max_points 20 -> -20; one open at the
    # as-of +1 -> -19 -> 4. rules total -49, raised to the floor 0 by +49.
    ("c_student", "default"): (0, 1, -50, 49, -30, -19, 0, "cold", "D", "4", "D4", 4),
    # engagement (all at the as-of, no decay): pricing 4 views, 3 count, 30;
    #   blog 3 x 2 = 6; repeat pricing 1 window 5: web group 41 capped at 25,
    #   largest first: pricing keeps 25, blog 0, repeat 0; 2 clicks x 4 = 8
    #   bounded by max_points 6; 3 opens 3; 3 opens within 2 days 4 -> 38 -> 2.
    # total 38 -> warm.
    ("c_capped", "default"): (0, 38, 0, 0, 0, 38, 38, "warm", "D", "2", "D2", 6),
    # fit: VP 20 + 500 employees 10 + phone 5 + the title with quotes and SQL
    #   7 = 42 -> A. engagement: demo at the as-of 30, pricing 3 x 10 = 30 and
    #   repeat 5 capped to 25 and 0 by the web group, 1 click 4 -> 59 -> 1.
    # rules 101, lowered to the ceiling 100 by -1 -> SQL.
    ("c_ceiling", "default"): (42, 59, 0, -1, 42, 59, 100, "SQL", "A", "1", "A1", 8),
    # the title without the SQL does not match the literal rule
    ("c_similar_title", "default"): (0, 0, 0, 0, 0, 0, 0, "cold", "D", "4", "D4", 0),
    # contains '100%_sure' matches the characters % and _ literally: +3
    ("c_percent", "default"): (3, 0, 0, 0, 3, 0, 3, "cold", "D", "4", "D4", 1),
    # '100%Xsure' would match if _ were a wildcard: 0
    ("c_nolike", "default"): (0, 0, 0, 0, 0, 0, 0, "cold", "D", "4", "D4", 0),
    # open 90 days ago: 1 x 0.5^3 = 0.125 -> 0.13; no engagement for more than
    # 60 days (an email sent is not engagement): -10 -> -9.87, floor +9.87.
    ("c_inactive", "default"): (0, 0.13, -10, 9.87, 0, -9.87, 0, "cold", "D", "4", "D4", 2),
    # open exactly 60 days ago: 0.25, and not inactive (not more than 60 days)
    ("c_edge_active", "default"): (0, 0.25, 0, 0, 0, 0.25, 0.25, "cold", "D", "4", "D4", 1),
    # product X page, webinar and reply within 3 days of creation, complete 30
    # days before the as-of: 15 x 0.5 = 7.5
    ("c_combo", "default"): (0, 7.5, 0, 0, 0, 7.5, 7.5, "cold", "D", "4", "D4", 1),
    # the reply one second after the 3 days: no combination
    ("c_combo_late", "default"): (0, 0, 0, 0, 0, 0, 0, "cold", "D", "4", "D4", 0),
    # placeholder names (Test, xxx) -20, disposable address (mailinator.com) -30:
    # fit -50, floor +50
    ("c_placeholder", "default"): (0, 0, -50, 50, -50, 0, 0, "cold", "D", "4", "D4", 2),
    # malformed email 't4.smith@' (kept, flagged): -10 -> fit -10, floor +10
    ("c_bad_email", "default"): (0, 0, -10, 10, -10, 0, 0, "cold", "D", "4", "D4", 1),
    # the more recent version (VP) is scored: 20 -> B; no engagement ever and
    # created more than 60 days ago: inactive -10 -> total 10
    ("c_dup", "default"): (20, 0, -10, 0, 20, -10, 10, "cold", "B", "4", "B4", 2),
}

# (contact_id, score_model) -> [(rule_id, occurrences_matched, occurrences_counted,
#   base_points, decayed_points, capped_by, points)], in rule_id order
EXPECTED_DETAILS = {
    ("c_vp", "default"): [
        ("eng_blog", 2, 2, 4, 4, None, 4),
        ("eng_demo", 1, 1, 30, 15, None, 15),
        ("eng_pricing", 3, 3, 30, 15, None, 15),
        ("fit_phone", 1, 1, 5, 5, None, 5),
        ("fit_size", 1, 1, 10, 10, None, 10),
        ("fit_vp", 1, 1, 20, 20, None, 20),
        ("rep_pricing", 1, 1, 5, 2.5, None, 2.5),
    ],
    ("c_student", "default"): [
        ("eng_open", 1, 1, 1, 1, None, 1),
        ("neg_careers", 3, 3, -45, -45, "max_points", -20),
        ("neg_free_email", 1, 1, -5, -5, None, -5),
        ("neg_student", 1, 1, -25, -25, None, -25),
        ("score_floor", 1, 1, 49, 49, None, 49),
    ],
    ("c_capped", "default"): [
        ("eng_blog", 3, 3, 6, 6, "cap_group", 0),
        ("eng_click", 2, 2, 8, 8, "max_points", 6),
        ("eng_open", 3, 3, 3, 3, None, 3),
        ("eng_pricing", 4, 3, 30, 30, "cap_group", 25),
        ("rep_opens_once", 1, 1, 4, 4, None, 4),
        ("rep_pricing", 1, 1, 5, 5, "cap_group", 0),
    ],
    ("c_ceiling", "default"): [
        ("eng_click", 1, 1, 4, 4, None, 4),
        ("eng_demo", 1, 1, 30, 30, None, 30),
        ("eng_pricing", 3, 3, 30, 30, "cap_group", 25),
        ("fit_literal_title", 1, 1, 7, 7, None, 7),
        ("fit_phone", 1, 1, 5, 5, None, 5),
        ("fit_size", 1, 1, 10, 10, None, 10),
        ("fit_vp", 1, 1, 20, 20, None, 20),
        ("rep_pricing", 1, 1, 5, 5, "cap_group", 0),
        ("score_ceiling", 1, 1, -1, -1, None, -1),
    ],
    ("c_inactive", "default"): [
        ("eng_open", 1, 1, 1, 0.13, None, 0.13),
        ("neg_inactive", 1, 1, -10, -10, None, -10),
        ("score_floor", 1, 1, 9.87, 9.87, None, 9.87),
    ],
}

# The independent decay computation agrees with the hand figures above.
assert decayed(10, 30, 30) == 5
assert decayed(30, 60, 60) == 15
assert decayed(1, 90, 30) == 0.13
assert decayed(15, 30, 30) == 7.5

# (table, id, rejection_reason) rows the crafted data must put in quarantine
EXPECTED_REJECTIONS = [
    ("events", "c_e10", "duplicate event_id: the first row of this event is kept"),
    ("events", "c_e12", "occurred_at is in the future"),
    ("events", "c_e13", "unknown event_type"),
    ("events", "c_e90", "unknown contact_id"),
    ("events", "c_e91", "missing contact_id"),
    ("contacts", "c_dup", "duplicate contact_id: a more recent row of this contact is kept"),
]
