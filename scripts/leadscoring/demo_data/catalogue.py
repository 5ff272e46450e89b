"""The fixed vocabularies of the demo data: the raw tables' layouts, event types,
titles, industries, countries, names and the seller's website.
"""

from __future__ import annotations

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
