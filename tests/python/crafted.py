"""Hand-crafted contacts, accounts and events whose scores are computed by hand.

The end-to-end tests append these rows to a small generated data set, build the
project with ``lead_scoring__as_of = 2026-07-01 00:00:00`` and compare
``lead_scores`` with ``EXPECTED_SCORES``. Every expected figure is worked out in
the comments from the demo point tables in ``seeds/``; change a seed and the
figures here must be worked out again.
"""

from __future__ import annotations

from datetime import datetime

AS_OF = "2026-07-01 00:00:00"
END_DATE = "2026-06-30"

SITE = "https://www.acmecloud.io"


def ts(text: str) -> datetime:
    """Parse 'YYYY-MM-DD HH:MM' into a datetime."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M")


# accounts: account_id, account_name, domain, industry, employee_count,
#           annual_revenue, country, created_at, updated_at
ACCOUNTS = [
    (
        "t_acc_big",
        "Big Data Co",
        "bigdata-co.com",
        "Software",
        1200,
        80_000_000.00,
        "United States",
        ts("2025-06-01 09:00"),
        ts("2026-01-01 09:00"),
    ),
    (
        "t_acc_ent",
        "Heavy Metal Industries",
        "heavymetal.example",
        "Manufacturing",
        5000,
        49_999_999.99,
        "United Arab Emirates",
        ts("2025-06-01 09:00"),
        ts("2026-01-01 09:00"),
    ),
]

# contacts: contact_id, email, first_name, last_name, phone, job_title, seniority,
#           department, country, region, lead_source, account_id, created_at, updated_at
CONTACTS = [
    (
        "t_vp_hot",
        "Ann.Lee@BigData-Co.com",
        "Ann",
        "Lee",
        "+1 415 555 0100",
        "VP of Data Analytics",
        "VP",
        "Data",
        "United States",
        "North America",
        "Referral",
        "t_acc_big",
        ts("2026-01-10 08:00"),
        ts("2026-02-01 08:00"),
    ),
    (
        "t_student",
        "sam.student@gmail.com",
        "Sam",
        "Student",
        None,
        "MSc Student",
        "Student",
        None,
        "France",
        "Europe",
        "Organic Search",
        None,
        ts("2026-02-10 08:00"),
        ts("2026-02-10 08:00"),
    ),
    (
        "t_warm_edge",
        "t3@smallco.io",
        "Tess",
        "Three",
        "+33 1 23 45 67 89",
        "Director of Operations",
        "Director",
        "Operations",
        "France",
        "Europe",
        "Direct",
        None,
        ts("2026-03-01 08:00"),
        ts("2026-03-01 08:00"),
    ),
    (
        "t_hot_edge",
        "cfo@heavymetal.example",
        "Hal",
        "Edge",
        None,
        "Chief Financial Officer",
        "C-Level",
        "Finance",
        "United Arab Emirates",
        "MEA",
        "Event",
        "t_acc_ent",
        ts("2026-03-01 08:00"),
        ts("2026-03-01 08:00"),
    ),
    (
        "t_cold_edge",
        "t5@tinyco.co",
        "Cole",
        "Five",
        "+61 2 5550 0100",
        "Sales Manager",
        "Manager",
        "Sales",
        "Australia",
        "APAC",
        "Social",
        None,
        ts("2026-03-01 08:00"),
        ts("2026-03-01 08:00"),
    ),
    (
        "t_bad_email",
        "t4.smith@",
        "Tom",
        "Smith",
        None,
        "Account Manager",
        "Manager",
        None,
        None,
        None,
        None,
        None,
        ts("2026-03-01 08:00"),
        ts("2026-03-01 08:00"),
    ),
    # Two versions of one contact: the more recent (VP) is scored, the older
    # (Student) is quarantined as a duplicate.
    (
        "t_dup",
        "t_dup@corp-example.com",
        "Dana",
        "Dup",
        None,
        "Analyst",
        "Student",
        None,
        "Brazil",
        "LATAM",
        "Paid Search",
        None,
        ts("2026-01-01 08:00"),
        ts("2026-01-01 08:00"),
    ),
    (
        "t_dup",
        "t_dup@corp-example.com",
        "Dana",
        "Dup",
        None,
        "VP Sales",
        "VP",
        None,
        "Brazil",
        "LATAM",
        "Paid Search",
        None,
        ts("2026-01-01 08:00"),
        ts("2026-03-01 08:00"),
    ),
    # Created after the as-of timestamp: not scored.
    (
        "t_future",
        "later@corp-example.com",
        "Fay",
        "Later",
        None,
        "CTO",
        "C-Level",
        "Engineering",
        "Germany",
        "Europe",
        "Referral",
        None,
        ts("2026-08-01 08:00"),
        ts("2026-08-01 08:00"),
    ),
]


def _event(
    event_id: str, contact_id: str | None, event_type: str, at: str, page_url: str | None = None
) -> tuple:
    """An events row: event_id, contact_id, event_type, occurred_at, page_url,
    campaign, channel, properties."""
    return (event_id, contact_id, event_type, ts(at), page_url, None, None, None)


EVENTS = [
    # t_vp_hot -------------------------------------------------------------
    _event("t_e01", "t_vp_hot", "page_view", "2026-05-01 10:00", f"{SITE}/pricing"),
    _event("t_e02", "t_vp_hot", "page_view", "2026-05-02 10:00", f"{SITE}/Pricing?plan=team"),
    _event("t_e03", "t_vp_hot", "page_view", "2026-05-03 10:00", f"{SITE}/pricing/enterprise"),
    _event("t_e04", "t_vp_hot", "page_view", "2026-05-04 10:00", f"{SITE}/pricing#faq"),
    *[
        _event(f"t_e1{i:02d}", "t_vp_hot", "email_opened", f"2026-04-{i + 1:02d} 09:00")
        for i in range(12)
    ],
    _event("t_e05", "t_vp_hot", "demo_requested", "2026-05-10 10:00", f"{SITE}/demo"),
    _event("t_e06", "t_vp_hot", "webinar_attended", "2026-05-20 16:00"),
    # the same webinar event delivered twice: counted once
    _event("t_e06", "t_vp_hot", "webinar_attended", "2026-05-20 16:00"),
    # after the as-of timestamp: not counted
    _event("t_e07", "t_vp_hot", "webinar_attended", "2026-07-02 16:00"),
    # in the future: quarantined
    _event("t_e08", "t_vp_hot", "webinar_attended", "2999-01-01 00:00"),
    # unknown event type: quarantined
    _event("t_e09", "t_vp_hot", "page_veiw", "2026-05-05 10:00", f"{SITE}/pricing"),
    _event("t_e10", "t_vp_hot", "page_view", "2026-05-06 10:00", f"{SITE}/blog/scoring-101"),
    # home page: no rule
    _event("t_e11", "t_vp_hot", "page_view", "2026-05-06 10:05", f"{SITE}/"),
    # t_student ------------------------------------------------------------
    _event(
        "t_e20",
        "t_student",
        "content_downloaded",
        "2026-03-01 10:00",
        f"{SITE}/resources/state-of-analytics-2026",
    ),
    _event("t_e21", "t_student", "page_view", "2026-03-02 10:00", f"{SITE}/careers"),
    _event("t_e22", "t_student", "page_view", "2026-03-03 10:00", f"{SITE}/careers/data-intern"),
    # t_hot_edge -----------------------------------------------------------
    _event("t_e30", "t_hot_edge", "email_clicked", "2026-04-01 10:00"),
    # t_cold_edge ----------------------------------------------------------
    *[
        _event(f"t_e4{i}", "t_cold_edge", "email_opened", f"2026-04-0{i + 1} 10:00")
        for i in range(9)
    ],
    # t_bad_email ----------------------------------------------------------
    *[
        _event(f"t_e5{i}", "t_bad_email", "email_clicked", f"2026-04-0{i + 1} 10:00")
        for i in range(3)
    ],
    _event("t_e55", "t_bad_email", "email_unsubscribed", "2026-04-10 10:00"),
    _event("t_e56", "t_bad_email", "email_bounced", "2026-04-11 10:00"),
    # events pointing nowhere: quarantined
    _event("t_e60", "t_nobody", "email_opened", "2026-04-11 10:00"),
    _event("t_e61", None, "email_opened", "2026-04-11 10:00"),
]

EXTRA_ROWS = {"accounts": ACCOUNTS, "contacts": CONTACTS, "events": EVENTS}

# contact_id -> (fit, engagement, negative, total, band, rules_fired)
EXPECTED_SCORES = {
    # fit: VP 15 + data department 8 + title contains "analytics" 5 + Software 10
    #      + 1200 employees (200-4999) 10 + revenue >= 50M 5 + North America 5
    #      + phone 5 + Referral 5 + company domain 2 = 70 (10 rules)
    # engagement: pricing 4 views (case, query and fragment ignored) capped at 3 x 10
    #      = 30; 12 opens capped at 10 x 1 = 10; demo request 30; webinar attended
    #      once (duplicate id, after as-of and future copies do not count) 12;
    #      blog view 1 = 83 (5 rules)
    ("t_vp_hot"): (70, 83, 0, 153, "SQL", 15),
    # fit: Europe 5; engagement: one download 8; negative: student -25,
    # gmail.com -5, careers visits (2, capped at 1) -15 = -45; total -32,
    # below every threshold: the lowest band.
    "t_student": (5, 8, -45, -32, "cold", 5),
    # Director 10 + phone 5 + Europe 5 = 20: exactly the warm threshold.
    "t_warm_edge": (20, 0, 0, 20, "warm", 3),
    # C-Level 20 + 5000 employees (5000 or more; not 200-4999) 15 + company
    # domain 2 (revenue 49,999,999.99 is under 50M) = 37; one click 3: 40 = hot.
    "t_hot_edge": (37, 3, 0, 40, "hot", 4),
    # Manager 5 + phone 5 = 10 (APAC is not a core region); 9 opens 9: 19, one
    # point under warm.
    "t_cold_edge": (10, 9, 0, 19, "cold", 3),
    # Manager 5; 3 clicks x 3 = 9; malformed email -10, unsubscribe -20, hard
    # bounce -25 = -55; total -41.
    "t_bad_email": (5, 9, -55, -41, "cold", 5),
    # The more recent version (VP) is scored: 15.
    "t_dup": (15, 0, 0, 15, "cold", 1),
}

# contact_id -> [(rule_id, occurrences_matched, occurrences_counted, points)]
EXPECTED_DETAILS = {
    "t_student": [
        ("eng_content_downloaded", 1, 1, 8),
        ("fit_region_core", 1, 1, 5),
        ("neg_free_email", 1, 1, -5),
        ("neg_job_seeker", 2, 1, -15),
        ("neg_student", 1, 1, -25),
    ],
    "t_vp_hot": [
        ("eng_demo_requested", 1, 1, 30),
        ("eng_email_opened", 12, 10, 10),
        ("eng_page_blog", 1, 1, 1),
        ("eng_page_pricing", 4, 3, 30),
        ("eng_webinar_attended", 1, 1, 12),
        ("fit_company_mid", 1, 1, 10),
        ("fit_department_data", 1, 1, 8),
        ("fit_domain_corporate", 1, 1, 2),
        ("fit_industry_icp", 1, 1, 10),
        ("fit_phone_given", 1, 1, 5),
        ("fit_region_core", 1, 1, 5),
        ("fit_revenue_large", 1, 1, 5),
        ("fit_seniority_vp", 1, 1, 15),
        ("fit_source_referral", 1, 1, 5),
        ("fit_title_analytics", 1, 1, 5),
    ],
}

# (table, id, rejection_reason) rows the crafted data must put in quarantine
EXPECTED_REJECTIONS = [
    ("events", "t_e06", "duplicate event_id: the first row of this event is kept"),
    ("events", "t_e08", "occurred_at is in the future"),
    ("events", "t_e09", "unknown event_type"),
    ("events", "t_e60", "unknown contact_id"),
    ("events", "t_e61", "missing contact_id"),
    ("contacts", "t_dup", "duplicate contact_id: a more recent row of this contact is kept"),
]
