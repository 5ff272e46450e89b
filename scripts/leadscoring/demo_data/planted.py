"""The planted truth: the conversion relationship calibration must recover, and how
intent drives behaviour. The package docstring (``leadscoring.demo_data``) and
docs/demo_data.md spell both out.
"""

from __future__ import annotations

from dataclasses import dataclass

# --------------------------------------------------------------------------- the truth

# The one place the conversion relationship lives; the package docstring and
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

    The package docstring and docs/demo_data.md spell every field out.
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
