"""Tests of the demo data generator and its loaders (scripts/leadscoring/demo_data/)."""

from __future__ import annotations

import argparse
import csv
import dataclasses
import re
import uuid
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from fnmatch import fnmatchcase
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pytest
from leadscoring import demo_data
from leadscoring.contract import seed_file

END = date(2026, 6, 30)
END_TEXT = "2026-06-30 00:00:00"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "demo_data.md"
SEEDS = Path(__file__).resolve().parents[2] / "seeds"
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

# What contacts=50, seed=7, end_date=2026-06-30 gives; a change here means the
# generator's output changed, which must be deliberate (and documented).
SMALL_COUNTS = {"accounts": 13, "contacts": 52, "events": 2842, "conversions": 5}
SMALL_BAD = {
    "events_null_event_id": 13,
    "events_duplicate_event_id": 13,
    "events_null_contact_id": 13,
    "events_unknown_contact_id": 13,
    "events_unknown_event_type": 13,
    "events_future_occurred_at": 13,
    "contacts_malformed_email": 1,
    "contacts_null_contact_id": 1,
    "contacts_duplicate_contact_id": 1,
    "conversions_unknown_contact_id": 1,
    "accounts_duplicate_account_id": 1,
}
# The 2,000-contact run docs/demo_data.md quotes.
DEMO_COUNTS = {"accounts": 502, "contacts": 2020, "events": 106014, "conversions": 166}
DEMO_BAD = {
    "events_null_event_id": 514,
    "events_duplicate_event_id": 514,
    "events_null_contact_id": 514,
    "events_unknown_contact_id": 514,
    "events_unknown_event_type": 514,
    "events_future_occurred_at": 514,
    "contacts_malformed_email": 20,
    "contacts_null_contact_id": 10,
    "contacts_duplicate_contact_id": 10,
    "conversions_unknown_contact_id": 1,
    "accounts_duplicate_account_id": 2,
}


# --------------------------------------------------------------------------- helpers


def read_table(csv_dir: Path, table: str) -> list[dict[str, str | None]]:
    """A CSV table as dicts, with the empty field read back as None (NULL)."""
    with open(csv_dir / f"{table}.csv", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        assert header == [column for column, _ in demo_data.RAW_TABLES[table]]
        return [
            {c: (v if v != "" else None) for c, v in zip(header, row, strict=True)}
            for row in reader
        ]


class Data:
    """One generated data set, read back, with the bad rows told apart from the good."""

    def __init__(self, csv_dir: Path, counts: dict[str, int]) -> None:
        self.dir = csv_dir
        self.counts = counts
        self.tables = {table: read_table(csv_dir, table) for table in demo_data.RAW_TABLES}
        contacts = self.tables["contacts"]
        # Staging keeps the most recent row of a contact.
        latest: dict[str, dict] = {}
        for row in contacts:
            cid = row["contact_id"]
            if cid is not None and (
                cid not in latest or row["updated_at"] > latest[cid]["updated_at"]
            ):
                latest[cid] = row
        self.contacts = latest
        accounts: dict[str, dict] = {}
        for row in self.tables["accounts"]:
            aid = row["account_id"]
            if aid not in accounts or row["updated_at"] > accounts[aid]["updated_at"]:
                accounts[aid] = row
        self.accounts = accounts

    def bad_counts(self) -> dict[str, int]:
        """Each bad row kind, detected the way staging detects it."""
        events, contacts = self.tables["events"], self.tables["contacts"]
        event_ids = Counter(e["event_id"] for e in events if e["event_id"] is not None)
        contact_ids = Counter(c["contact_id"] for c in contacts if c["contact_id"] is not None)
        account_ids = Counter(a["account_id"] for a in self.tables["accounts"])
        known = set(self.contacts)
        return {
            "events_null_event_id": sum(e["event_id"] is None for e in events),
            "events_duplicate_event_id": sum(n - 1 for n in event_ids.values()),
            "events_null_contact_id": sum(e["contact_id"] is None for e in events),
            "events_unknown_contact_id": sum(
                e["contact_id"] is not None and e["contact_id"] not in known for e in events
            ),
            "events_unknown_event_type": sum(
                e["event_type"] not in demo_data.EVENT_TYPES for e in events
            ),
            "events_future_occurred_at": sum(e["occurred_at"] >= END_TEXT for e in events),
            "contacts_malformed_email": sum(
                c["contact_id"] is not None and not EMAIL.fullmatch(c["email"] or "")
                for c in self.contacts.values()
            ),
            "contacts_null_contact_id": sum(c["contact_id"] is None for c in contacts),
            "contacts_duplicate_contact_id": sum(n - 1 for n in contact_ids.values()),
            "conversions_unknown_contact_id": sum(
                c["contact_id"] not in known for c in self.tables["conversions"]
            ),
            "accounts_duplicate_account_id": sum(n - 1 for n in account_ids.values()),
        }

    def good_events(self) -> list[dict]:
        """Events with none of the deliberate defects (first copy of a re-delivery)."""
        seen: set[str] = set()
        good = []
        for e in self.tables["events"]:
            if (
                e["event_id"] is None
                or e["event_id"] in seen
                or e["contact_id"] not in self.contacts
                or e["event_type"] not in demo_data.EVENT_TYPES
                or e["occurred_at"] >= END_TEXT
            ):
                continue
            seen.add(e["event_id"])
            good.append(e)
        return good


def generate(csv_dir: Path, contacts: int, seed: int, **kwargs) -> Data:
    counts = demo_data.write_demo_csvs(
        csv_dir, contacts=contacts, seed=seed, end_date=END, **kwargs
    )
    return Data(csv_dir, counts)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Data:
    return generate(tmp_path_factory.mktemp("small"), 50, 7)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Data:
    return generate(tmp_path_factory.mktemp("demo"), 2000, 42)


# --------------------------------------------------------------------------- determinism


def test_same_seed_gives_byte_identical_csvs(small: Data, tmp_path: Path) -> None:
    again = generate(tmp_path, 50, 7)
    assert again.counts == small.counts
    for table in demo_data.RAW_TABLES:
        name = f"{table}.csv"
        assert (tmp_path / name).read_bytes() == (small.dir / name).read_bytes(), name


def test_different_seed_gives_different_data(small: Data, tmp_path: Path) -> None:
    generate(tmp_path, 50, 8)
    for table in demo_data.RAW_TABLES:
        name = f"{table}.csv"
        assert (tmp_path / name).read_bytes() != (small.dir / name).read_bytes(), name


def test_different_end_date_shifts_the_data(small: Data, tmp_path: Path) -> None:
    demo_data.write_demo_csvs(tmp_path, contacts=50, seed=7, end_date=date(2025, 1, 1))
    events = read_table(tmp_path, "events")
    assert max(e["occurred_at"] for e in events if e["event_id"] is not None) >= "2025-01-31"
    assert (tmp_path / "events.csv").read_bytes() != (small.dir / "events.csv").read_bytes()


def test_row_counts_are_stable(small: Data, demo: Data) -> None:
    assert small.counts == SMALL_COUNTS
    assert demo.counts == DEMO_COUNTS
    for data in (small, demo):
        for table, rows in data.tables.items():
            assert len(rows) == data.counts[table], table


def test_too_few_contacts_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 10"):
        demo_data.write_demo_csvs(tmp_path, contacts=9)


# --------------------------------------------------------------------------- bad rows


def test_every_bad_row_kind_appears_with_its_count(small: Data, demo: Data) -> None:
    assert small.bad_counts() == SMALL_BAD
    assert demo.bad_counts() == DEMO_BAD
    assert set(SMALL_BAD) == set(demo_data.BAD_ROW_SHARES)


def test_bad_row_counts_follow_the_documented_rule(demo: Data) -> None:
    good_events = len(demo.good_events())
    good_conversions = sum(c["contact_id"] in demo.contacts for c in demo.tables["conversions"])
    base = {"events": good_events, "conversions": good_conversions, "contacts": 2000}
    base["accounts"] = len(demo.accounts)
    for kind, count in demo.bad_counts().items():
        share = demo_data.BAD_ROW_SHARES[kind]
        good = base[kind.split("_")[0]]
        expected = (
            round(share * good) if kind.startswith(("contacts", "accounts")) else int(share * good)
        )
        assert count == max(1, expected), kind


def test_bad_rows_have_the_documented_shapes(small: Data) -> None:
    events = small.tables["events"]
    assert {e["event_type"] for e in events} - set(demo_data.EVENT_TYPES) == {
        "page_veiw",
        "chat_started",
    }
    unknown = [e["contact_id"] for e in events if (e["contact_id"] or "").startswith("con_unk")]
    assert all(re.fullmatch(r"con_unknown_\d{6}", cid) for cid in unknown)
    future = [e["occurred_at"] for e in events if e["occurred_at"] >= END_TEXT]
    assert min(future) >= "2026-07-30" and max(future) < "2027-07-01"
    # A re-delivered event is the very same row.
    rows_by_id = defaultdict(set)
    for e in events:
        if e["event_id"] is not None:
            rows_by_id[e["event_id"]].add(tuple(e.values()))
    assert all(len(rows) == 1 for rows in rows_by_id.values())
    # The older contact and account versions lose to the current one on updated_at.
    for table, key in (("contacts", "contact_id"), ("accounts", "account_id")):
        versions = defaultdict(list)
        for row in small.tables[table]:
            versions[row[key]].append(row)
        for rows in versions.values():
            if len(rows) > 1 and rows[0][key] is not None:
                assert len({r["updated_at"] for r in rows}) == len(rows)
                assert min(r["updated_at"] for r in rows) == rows[0]["created_at"]


def test_malformed_emails_take_every_shape(tmp_path: Path) -> None:
    data = generate(tmp_path, 400, 3)
    malformed = [
        c["email"] for c in data.contacts.values() if not EMAIL.fullmatch(c["email"] or "")
    ]
    assert len(malformed) == 4
    assert malformed[0].endswith("@")
    assert " at " in malformed[1]
    assert malformed[2] == "no-email"
    assert "@" in malformed[3] and "." not in malformed[3].split("@")[1]


# --------------------------------------------------------------------------- good rows


def test_good_events_are_between_created_at_and_end_date(demo: Data) -> None:
    good = demo.good_events()
    assert len(good) == DEMO_COUNTS["events"] - sum(
        n for kind, n in DEMO_BAD.items() if kind.startswith("events")
    )
    for e in good:
        created = demo.contacts[e["contact_id"]]["created_at"]
        assert created <= e["occurred_at"] < END_TEXT, e
    # Each contact's first event is the one that created it (lead source permitting).
    first = {}
    for e in good:
        first.setdefault(e["contact_id"], e["occurred_at"])
    at_creation = sum(first[c] == demo.contacts[c]["created_at"] for c in first)
    assert at_creation > 0.8 * len(demo.contacts)


def test_rows_are_consistent_and_use_the_documented_vocabularies(demo: Data) -> None:
    regions = {name: region for name, region, _, _ in demo_data.COUNTRIES}
    for c in demo.contacts.values():
        assert c["seniority"] in demo_data.SENIORITIES
        assert c["department"] in demo_data.DEPARTMENTS
        assert c["lead_source"] in demo_data.LEAD_SOURCES
        assert regions[c["country"]] == c["region"]
        assert c["created_at"] < c["updated_at"] < END_TEXT
        assert c["account_id"] is None or c["account_id"] in demo.accounts
        assert re.fullmatch(r"con_\d{6}", c["contact_id"])
    for a in demo.accounts.values():
        assert a["industry"] in demo_data.INDUSTRIES
        assert 10 <= int(a["employee_count"]) <= 50_000
        assert a["created_at"] <= a["updated_at"] < END_TEXT
        assert re.fullmatch(r"[a-z0-9]+\.(com|io|co)", a["domain"])
    assert len({a["domain"] for a in demo.accounts.values()}) == len(demo.accounts)
    for e in demo.good_events():
        assert e["channel"] == demo_data.EVENT_CHANNELS[e["event_type"]]
        assert re.fullmatch(r"evt_\d{10}", e["event_id"])
        if e["event_type"] in ("page_view", "form_submitted", "content_downloaded"):
            assert e["page_url"].startswith("https://www.acmecloud.io/")
        else:
            assert e["page_url"] is None
    assert {e["event_type"] for e in demo.good_events()} == set(demo_data.EVENT_TYPES)
    assert {c["outcome"] for c in demo.tables["conversions"]} == set(demo_data.OUTCOMES)


def test_shares_of_kinds_of_contacts(demo: Data) -> None:
    contacts = list(demo.contacts.values())
    n = len(contacts)

    def share(predicate) -> float:
        return sum(1 for c in contacts if predicate(c)) / n

    def domain(c: dict) -> str:
        return (c["email"] or "").rpartition("@")[2]

    assert 0.10 <= share(lambda c: domain(c) in demo_data.FREE_MAIL_DOMAINS) <= 0.15
    assert 0.005 <= share(lambda c: domain(c) in demo_data.COMPETITOR_DOMAINS) <= 0.02
    assert 0.02 <= share(lambda c: c["seniority"] == "Student") <= 0.045
    assert 0.06 <= share(lambda c: c["account_id"] is None) <= 0.10
    assert 0.35 <= share(lambda c: c["phone"] is not None) <= 0.45
    assert 1.0 / 4.6 <= len(demo.accounts) / n <= 1.0 / 3.5


def test_interactions_only_follow_their_cause(demo: Data) -> None:
    by_contact = defaultdict(list)
    for e in demo.good_events():
        by_contact[e["contact_id"]].append(e)
    for events in by_contact.values():
        events.sort(key=lambda e: (e["occurred_at"], e["event_id"]))
        sent: Counter = Counter()
        opened: Counter = Counter()
        registered: set = set()
        for e in events:
            kind, campaign = e["event_type"], e["campaign"]
            if kind == "email_sent":
                sent[campaign] += 1
            elif kind == "email_opened":
                assert opened[campaign] < sent[campaign], e
                opened[campaign] += 1
            elif kind in ("email_clicked", "email_forwarded", "email_replied"):
                assert opened[campaign] > 0, e
            elif kind in ("email_bounced", "email_unsubscribed"):
                assert sent[campaign] > 0, e
            elif kind == "webinar_registered":
                registered.add(campaign)
            elif kind == "webinar_attended":
                assert campaign in registered, e


def test_engagement_has_a_long_tail(demo: Data) -> None:
    per_contact = Counter(e["contact_id"] for e in demo.good_events())
    counts = sorted(per_contact.get(c, 0) for c in demo.contacts)
    average = sum(counts) / len(counts)
    assert 40 <= average <= 65
    assert counts[len(counts) // 2] < average  # the median is below the mean
    assert counts[len(counts) // 10] < 15
    assert counts[-1] > 300


def test_job_seekers_unsubscribes_and_bounces(demo: Data) -> None:
    def contacts_with(predicate) -> float:
        hits = {e["contact_id"] for e in demo.good_events() if predicate(e)}
        return len(hits) / len(demo.contacts)

    assert 0.02 <= contacts_with(lambda e: "/careers" in (e["page_url"] or "")) <= 0.06
    assert 0.015 <= contacts_with(lambda e: e["event_type"] == "email_unsubscribed") <= 0.05
    assert 0.01 <= contacts_with(lambda e: e["event_type"] == "email_bounced") <= 0.03


# --------------------------------------------------------------------------- conversions


def test_conversions_follow_the_behaviour_that_drove_them(demo: Data) -> None:
    good = demo.good_events()
    first: dict[tuple[str, str], str] = {}
    for e in sorted(good, key=lambda e: e["occurred_at"]):
        first.setdefault((e["contact_id"], e["event_type"]), e["occurred_at"])
    opportunities = [
        c
        for c in demo.tables["conversions"]
        if c["contact_id"] in demo.contacts and c["outcome"] == "opportunity_created"
    ]
    assert 0.05 <= len(opportunities) / len(demo.contacts) <= 0.10
    assert len({c["contact_id"] for c in opportunities}) == len(opportunities)
    for c in opportunities:
        contact = demo.contacts[c["contact_id"]]
        assert contact["created_at"] <= c["converted_at"] < END_TEXT
        assert float(c["amount"]) > 0
        for driver in ("demo_requested", "trial_started", "webinar_attended", "quote_requested"):
            at = first.get((c["contact_id"], driver))
            assert at is None or at <= c["converted_at"], (c, driver)
    opened = {c["contact_id"]: c["converted_at"] for c in opportunities}
    for c in demo.tables["conversions"]:
        if c["outcome"] in ("won", "lost") and c["contact_id"] in demo.contacts:
            assert opened[c["contact_id"]] < c["converted_at"] < END_TEXT


def test_conversion_depends_on_fit_and_behaviour(demo: Data) -> None:
    converted = {
        c["contact_id"] for c in demo.tables["conversions"] if c["outcome"] == "opportunity_created"
    }
    demo_requesters = {
        e["contact_id"] for e in demo.good_events() if e["event_type"] == "demo_requested"
    }

    def rate(ids: set[str]) -> float:
        return len(ids & converted) / len(ids)

    everyone = set(demo.contacts)
    executives = {c for c, row in demo.contacts.items() if row["seniority"] in ("C-Level", "VP")}
    students = {c for c, row in demo.contacts.items() if row["seniority"] == "Student"}
    assert rate(demo_requesters) > 3 * rate(everyone - demo_requesters)
    assert rate(executives) > 1.5 * rate(everyone - executives)
    assert rate(students) < rate(everyone) / 3


def test_the_documented_relationship_is_in_sync() -> None:
    """CONVERSION_COEFFICIENTS and BEHAVIOUR_MODEL, the module docstring and the docs agree."""
    docstring = (demo_data.__doc__ or "").splitlines()
    docs = DOCS.read_text(encoding="utf-8")

    def docstring_near(name: str) -> str:
        # Terms are named in brackets, "(name)" or "(a, name)"; their numbers are
        # on that line or on one of the two before it.
        marker = re.compile(rf"[(\s]{re.escape(name)}[,)]")
        hits = [i for i, line in enumerate(docstring) if marker.search(line)]
        assert hits, name
        return "\n".join(docstring[max(0, hits[0] - 2) : hits[0] + 1])

    for name, value in demo_data.CONVERSION_COEFFICIENTS.items():
        assert f"{value:+}".lstrip("+") in docstring_near(name), name
        assert f"| `{name}` | {value:+} |".replace("| +-", "| -") in docs, name
    for field in dataclasses.fields(demo_data.BehaviourModel):
        value = getattr(demo_data.BEHAVIOUR_MODEL, field.name)
        assert f"| `{field.name}` | {value} |" in docs, field.name
        near = docstring_near(field.name)
        for number in value if isinstance(value, tuple) else (value,):
            assert str(abs(number)) in near, field.name


# --------------------------------------------------------------------------- scoring features

# The conditions of the demo seeds' rules (point tables page_categories,
# repeat_rules, combination_rules, negative_rules and score_model_segments of
# seeds/), written out so that these counts depend on the generator only.
# docs/demo_data.md quotes the counts for the demo run.
PAGE_CATEGORIES = {
    "pricing": ("/pricing*",),
    "demo": ("/demo*",),
    "product": ("/product*",),
    "customers": ("/customers*",),
    "blog": ("/blog/*",),
    "careers": ("/careers*",),
    "semantic_layer": (
        "/product/semantic-layer*",
        "/resources/semantic-layer-whitepaper*",
        "/blog/*semantic-layer*",
    ),
}
# Event types of seed event_types with is_engagement = false.
NOT_ENGAGEMENT = {"email_sent", "email_bounced", "email_unsubscribed"}
END_AT = datetime(2026, 6, 30)
DAY = timedelta(days=1)

# How many of the 2,000 demo contacts meet each condition (seed 42, end date 2026-06-30).
DEMO_FEATURES = {
    "placeholder_name": 29,
    "disposable_email": 25,
    "no_company": 167,
    "combo_first_three_days": 64,
    "combo_evaluation": 205,
    "emea_combo_webinar_pricing": 16,
    "rep_pricing_3_in_30d": 162,
    "rep_blog_5_in_7d": 492,
    "rep_emails_opened_4_in_30d": 337,
    "neg_rep_careers_3_in_30d": 62,
    "sl_rep_pages_3_in_14d": 101,
    "semantic_layer_segment": 283,
    "semantic_layer_product_page": 179,
    "semantic_layer_blog": 215,
    "semantic_layer_whitepaper_download": 61,
    "inactive_90_days": 946,
    "engaged_in_last_90_days": 1044,
    "engaged_in_last_30_days": 694,
    "sl_inactive_60_days": 171,
    "region_emea": 755,
}


def seed_rows(name: str) -> list[dict[str, str]]:
    with open(SEEDS / seed_file(name), encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def page_path(url: str | None) -> str | None:
    """What page conditions look at: the lower-cased path, no scheme, host or query."""
    return urlsplit(url).path.lower() if url else None


def in_category(url: str | None, category: str) -> bool:
    path = page_path(url)
    return path is not None and any(fnmatchcase(path, p) for p in PAGE_CATEGORIES[category])


def is_placeholder(name: str | None, placeholders: set[str]) -> bool:
    text = (name or "").strip().lower()
    return text in placeholders or (len(text) >= 2 and len(set(text)) == 1)


def repeated(times: list[datetime], count: int, days: int) -> bool:
    """At least count of the times with the first and last at most days apart."""
    times = sorted(times)
    return any(times[i] - times[i - count + 1] <= days * DAY for i in range(count - 1, len(times)))


def together(steps: list[list[datetime]], days: int) -> bool:
    """Some window [t, t + days] holds a time of every step."""
    starts = sorted(t for step in steps for t in step)
    return any(all(any(t <= x <= t + days * DAY for x in step) for step in steps) for t in starts)


class Features:
    """The contacts that meet each scoring feature's condition, as of the end date."""

    def __init__(self, data: Data) -> None:
        self.data = data
        placeholders = {row["name"] for row in seed_rows("placeholder_names")}
        kinds = {row["domain"]: row["domain_kind"] for row in seed_rows("email_domains")}
        self.events: dict[str, list[dict]] = defaultdict(list)
        for e in data.good_events():
            e = {**e, "at": datetime.fromisoformat(e["occurred_at"])}
            self.events[e["contact_id"]].append(e)
        for events in self.events.values():
            events.sort(key=lambda e: (e["at"], e["event_id"]))
        self.hits: dict[str, set[str]] = defaultdict(set)
        for cid, contact in data.contacts.items():
            email = contact["email"] or ""
            domain = email.rpartition("@")[2] if EMAIL.fullmatch(email) else ""
            created = datetime.fromisoformat(contact["created_at"])
            conditions = self._conditions(cid, contact, created, kinds.get(domain), placeholders)
            for name, met in conditions.items():
                if met:
                    self.hits[name].add(cid)

    def _conditions(
        self, cid: str, contact: dict, created: datetime, kind: str | None, placeholders: set[str]
    ) -> dict[str, bool]:
        events = self.events.get(cid, [])

        def times(event_type: str, category: str | None = None) -> list[datetime]:
            return [
                e["at"]
                for e in events
                if e["event_type"] == event_type
                and (category is None or in_category(e["page_url"], category))
            ]

        def early(found: list[datetime]) -> bool:
            return any(created <= t <= created + 3 * DAY for t in found)

        emea = contact["region"] in ("Europe", "MEA")
        engaged = [e["at"] for e in events if e["event_type"] not in NOT_ENGAGEMENT]
        semantic = [e for e in events if in_category(e["page_url"], "semantic_layer")]
        semantic_paths = [page_path(e["page_url"]) for e in semantic]

        def inactive(days: int) -> bool:
            cutoff = END_AT - days * DAY
            return created <= cutoff and not any(t > cutoff for t in engaged)

        return {
            "placeholder_name": is_placeholder(contact["first_name"], placeholders)
            or is_placeholder(contact["last_name"], placeholders),
            "disposable_email": kind == "disposable",
            "no_company": contact["account_id"] is None,
            "combo_first_three_days": early(times("page_view", "product"))
            and early(times("webinar_attended"))
            and early(times("email_replied")),
            "combo_evaluation": together(
                [times("page_view", c) for c in ("pricing", "demo", "customers")], 14
            ),
            "emea_combo_webinar_pricing": emea
            and together([times("webinar_attended"), times("page_view", "pricing")], 7),
            "rep_pricing_3_in_30d": repeated(times("page_view", "pricing"), 3, 30),
            "rep_blog_5_in_7d": repeated(times("page_view", "blog"), 5, 7),
            "rep_emails_opened_4_in_30d": repeated(times("email_opened"), 4, 30),
            "neg_rep_careers_3_in_30d": repeated(times("page_view", "careers"), 3, 30),
            "sl_rep_pages_3_in_14d": repeated(times("page_view", "semantic_layer"), 3, 14),
            "semantic_layer_segment": bool(semantic),
            "semantic_layer_product_page": "/product/semantic-layer" in semantic_paths,
            "semantic_layer_blog": any(p.startswith("/blog/") for p in semantic_paths),
            "semantic_layer_whitepaper_download": any(
                e["event_type"] == "content_downloaded" for e in semantic
            ),
            "inactive_90_days": inactive(90),
            "engaged_in_last_90_days": any(t > END_AT - 90 * DAY for t in engaged),
            "engaged_in_last_30_days": any(t > END_AT - 30 * DAY for t in engaged),
            "sl_inactive_60_days": bool(semantic) and inactive(60),
            "region_emea": emea,
        }

    def count(self, name: str) -> int:
        return len(self.hits[name])


@pytest.fixture(scope="module")
def features(demo: Data) -> Features:
    return Features(demo)


def test_every_scoring_feature_fires_on_its_documented_count(features: Features) -> None:
    assert {name: features.count(name) for name in DEMO_FEATURES} == DEMO_FEATURES
    docs = DOCS.read_text(encoding="utf-8")
    section = docs.split("## What the scoring features see in the demo")[1].split("\n## ")[0]
    for rule, name in (
        ("neg_placeholder_name", "placeholder_name"),
        ("neg_disposable_email", "disposable_email"),
        ("neg_missing_company", "no_company"),
        ("combo_first_three_days", "combo_first_three_days"),
        ("combo_evaluation", "combo_evaluation"),
        ("rep_pricing_3_in_30d", "rep_pricing_3_in_30d"),
        ("rep_blog_5_in_7d", "rep_blog_5_in_7d"),
        ("rep_emails_opened_4_in_30d", "rep_emails_opened_4_in_30d"),
        ("neg_rep_careers_3_in_30d", "neg_rep_careers_3_in_30d"),
        ("sl_rep_pages_3_in_14d", "sl_rep_pages_3_in_14d"),
        ("segment of `emea`", "region_emea"),
        ("segment of `semantic_layer`", "semantic_layer_segment"),
        ("neg_inactive", "inactive_90_days"),
        ("sl_neg_inactive", "sl_inactive_60_days"),
    ):
        row = next(
            line
            for line in section.splitlines()
            if line.startswith(f"| `{rule}`") or line.startswith(f"| {rule} |")
        )
        assert f"| {DEMO_FEATURES[name]:,} |" in row, rule


def test_data_quality_vocabularies_are_in_the_seeds() -> None:
    kinds = {row["domain"]: row["domain_kind"] for row in seed_rows("email_domains")}
    placeholders = {row["name"] for row in seed_rows("placeholder_names")}
    assert all(kinds.get(d) == "disposable" for d in demo_data.DISPOSABLE_DOMAINS)
    assert all(kinds.get(d) == "free" for d in demo_data.FREE_MAIL_DOMAINS)
    assert all(kinds.get(d) == "competitor" for d in demo_data.COMPETITOR_DOMAINS)
    for first, last in demo_data.PLACEHOLDER_NAMES:
        assert is_placeholder(first, placeholders) or is_placeholder(last, placeholders)
    assert all(is_placeholder(n, placeholders) for n in demo_data.PLACEHOLDER_LAST_NAMES)
    # Only junk sign-ups have placeholder names.
    assert not any(is_placeholder(n, placeholders) for n in demo_data._FIRST_NAMES)
    assert not any(is_placeholder(n, placeholders) for n in demo_data._LAST_NAMES)


def test_junk_sign_ups_engage_and_convert_little(demo: Data, features: Features) -> None:
    junk = features.hits["placeholder_name"] | features.hits["disposable_email"]
    assert len(junk) == 45
    assert 0.01 <= len(features.hits["placeholder_name"]) / len(demo.contacts) <= 0.02
    assert 0.005 <= len(features.hits["disposable_email"]) / len(demo.contacts) <= 0.015
    assert all(demo.contacts[cid]["phone"] is None for cid in junk)
    for cid in features.hits["disposable_email"]:
        assert demo.contacts[cid]["account_id"] is None
    converted = {c["contact_id"] for c in demo.tables["conversions"]}
    assert not junk & converted
    # Low intent: a third of the engagement of the others (emails still arrive).
    engaged = Counter(
        e["contact_id"] for e in demo.good_events() if e["event_type"] not in NOT_ENGAGEMENT
    )

    def average(ids: set[str]) -> float:
        return sum(engaged[c] for c in ids) / len(ids)

    assert average(junk) < average(set(demo.contacts) - junk) / 2


def test_fast_starts_do_the_guides_combination_in_order(features: Features) -> None:
    fast = features.hits["combo_first_three_days"]
    assert 0.02 <= len(fast) / len(features.data.contacts) <= 0.05
    for cid in fast:
        created = datetime.fromisoformat(features.data.contacts[cid]["created_at"])
        tour = "webinar-product-tour"
        steps = [
            (e["event_type"], e["campaign"])
            for e in features.events[cid]
            if e["at"] <= created + 3 * DAY and e["campaign"] in ("welcome", tour)
        ]
        # The welcome email is sent, opened, then replied to; the tour is
        # registered for, then watched.
        for before, after in (
            (("email_sent", "welcome"), ("email_opened", "welcome")),
            (("email_opened", "welcome"), ("email_replied", "welcome")),
            (("webinar_registered", tour), ("webinar_attended", tour)),
        ):
            if after in steps:
                assert before in steps and steps.index(before) < steps.index(after), (cid, steps)
    on_demand = [
        e
        for events in features.events.values()
        for e in events
        if e["campaign"] == "webinar-product-tour"
    ]
    assert on_demand and all(e["properties"] == '{"format":"on-demand"}' for e in on_demand)


def test_every_mailable_contact_gets_a_welcome_email(demo: Data, features: Features) -> None:
    for cid, contact in demo.contacts.items():
        sends = [e for e in features.events.get(cid, []) if e["event_type"] == "email_sent"]
        if not EMAIL.fullmatch(contact["email"] or ""):
            assert not sends
            continue
        assert sends[0]["campaign"] == "welcome", cid
        delay = sends[0]["at"] - datetime.fromisoformat(contact["created_at"])
        assert timedelta(minutes=1) <= delay <= timedelta(minutes=30)


def test_semantic_layer_interest_is_a_minority(features: Features) -> None:
    share = features.count("semantic_layer_segment") / len(features.data.contacts)
    assert 0.10 <= share <= 0.20
    for cid in features.hits["semantic_layer_whitepaper_download"]:
        events = features.events[cid]
        for download in events:
            if download["event_type"] != "content_downloaded" or not in_category(
                download["page_url"], "semantic_layer"
            ):
                continue
            assert download["properties"] == '{"asset":"semantic-layer-whitepaper"}'
            assert any(
                e["event_type"] == "form_submitted"
                and e["page_url"] == download["page_url"]
                and e["at"] <= download["at"]
                for e in events
            )


def test_many_contacts_are_inactive_and_many_recently_active(features: Features) -> None:
    n = len(features.data.contacts)
    assert 0.35 <= features.count("inactive_90_days") / n <= 0.60
    assert 0.40 <= features.count("engaged_in_last_90_days") / n <= 0.65
    assert not features.hits["inactive_90_days"] & features.hits["engaged_in_last_90_days"]
    # Inactive contacts still receive emails; they just do not act on them.
    inactive = features.hits["inactive_90_days"]
    late_sends = {
        cid
        for cid in inactive
        for e in features.events.get(cid, [])
        if e["event_type"] == "email_sent" and e["at"] > END_AT - 90 * DAY
    }
    assert len(late_sends) > len(inactive) / 2


def test_repeat_behaviour_and_regions(features: Features) -> None:
    n = len(features.data.contacts)
    for name, low, high in (
        ("rep_pricing_3_in_30d", 0.03, 0.15),
        ("rep_blog_5_in_7d", 0.10, 0.35),
        ("rep_emails_opened_4_in_30d", 0.08, 0.30),
        ("neg_rep_careers_3_in_30d", 0.01, 0.05),
        ("sl_rep_pages_3_in_14d", 0.02, 0.10),
        ("combo_evaluation", 0.05, 0.15),
        ("region_emea", 0.30, 0.45),
    ):
        assert low <= features.count(name) / n <= high, name


# --------------------------------------------------------------------------- extra rows


def test_extra_rows_are_appended(tmp_path: Path) -> None:
    extra = {
        "events": [
            (
                "evt_x1",
                "con_000001",
                "demo_requested",
                datetime(2026, 6, 1, 12, 30),
                None,
                None,
                "web",
                '{"form":"book-a-demo"}',
            ),
        ],
        "contacts": [
            (
                "con_x1",
                "a.b@example.com",
                "A",
                "B",
                None,
                "CTO",
                "C-Level",
                "Engineering",
                "Germany",
                "Europe",
                "Direct",
                None,
                datetime(2026, 1, 1),
                datetime(2026, 1, 2),
            ),
        ],
    }
    counts = demo_data.write_demo_csvs(
        tmp_path, contacts=50, seed=7, end_date=END, extra_rows=extra
    )
    added = {"events": SMALL_COUNTS["events"] + 1, "contacts": SMALL_COUNTS["contacts"] + 1}
    assert counts == {**SMALL_COUNTS, **added}
    lines = (tmp_path / "events.csv").read_text(encoding="utf-8").splitlines()
    assert lines[-1] == (
        'evt_x1,con_000001,demo_requested,2026-06-01 12:30:00,,,web,"{""form"":""book-a-demo""}"'
    )
    contacts = read_table(tmp_path, "contacts")
    assert contacts[-1]["contact_id"] == "con_x1"
    assert contacts[-1]["phone"] is None
    assert contacts[-1]["updated_at"] == "2026-01-02 00:00:00"


def test_extra_rows_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown table"):
        demo_data.write_demo_csvs(tmp_path, contacts=10, extra_rows={"leads": [()]})
    with pytest.raises(ValueError, match="expected 5"):
        demo_data.write_demo_csvs(tmp_path, contacts=10, extra_rows={"conversions": [("x",)]})


# --------------------------------------------------------------------------- loaders

EXPECTED_DUCKDB_TYPES = {
    "varchar": "VARCHAR",
    "integer": "INTEGER",
    "numeric(18,2)": "DECIMAL(18,2)",
    "timestamp": "TIMESTAMP",
}


def test_load_duckdb(small: Data, tmp_path: Path) -> None:
    database = tmp_path / "demo.duckdb"
    demo_data.load_duckdb(small.dir, database, schema="raw")
    demo_data.load_duckdb(small.dir, database, schema="raw")  # replaces, does not append
    with duckdb.connect(str(database), read_only=True) as con:
        for table, columns in demo_data.RAW_TABLES.items():
            count = con.execute(f"select count(*) from raw.{table}").fetchone()[0]
            assert count == SMALL_COUNTS[table], table
            described = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'raw' and table_name = ? order by ordinal_position",
                [table],
            ).fetchall()
            assert described == [(c, EXPECTED_DUCKDB_TYPES[t]) for c, t in columns], table
        nulls = con.execute("select count(*) from raw.events where contact_id is null").fetchone()
        assert nulls[0] == SMALL_BAD["events_null_contact_id"]
        future = con.execute(
            "select count(*) from raw.events where occurred_at >= timestamp '2026-06-30'"
        ).fetchone()
        assert future[0] == SMALL_BAD["events_future_occurred_at"]
        properties = con.execute(
            "select properties from raw.events where event_type = 'demo_requested' limit 1"
        ).fetchone()
        assert properties is None or properties[0] == '{"form":"book-a-demo"}'
        revenue = con.execute("select sum(annual_revenue) from raw.accounts").fetchone()[0]
        assert revenue is not None and revenue > 0


def test_load_duckdb_needs_the_csvs(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"accounts\.csv"):
        demo_data.load_duckdb(tmp_path, tmp_path / "x.duckdb")


@pytest.mark.postgres
def test_load_postgres(small: Data, pg_conninfo: str) -> None:
    psycopg2 = pytest.importorskip("psycopg2")
    schema = f"test_demo_{uuid.uuid4().hex[:8]}"
    try:
        demo_data.load_postgres(small.dir, pg_conninfo, schema=schema)
        with psycopg2.connect(pg_conninfo) as con, con.cursor() as cur:
            # a view on a raw table, as dbt's staging creates: a reload keeps it
            cur.execute(f'create view "{schema}".v_events as select * from "{schema}".events')
        demo_data.load_postgres(small.dir, pg_conninfo, schema=schema)  # replaces
        with psycopg2.connect(pg_conninfo) as con, con.cursor() as cur:
            cur.execute(f'select count(*) from "{schema}".v_events')
            assert cur.fetchone()[0] == SMALL_COUNTS["events"]
            for table, columns in demo_data.RAW_TABLES.items():
                cur.execute(f'select count(*) from "{schema}"."{table}"')
                assert cur.fetchone()[0] == SMALL_COUNTS[table], table
                cur.execute(
                    "select column_name, data_type, numeric_precision, numeric_scale "
                    "from information_schema.columns where table_schema = %s and table_name = %s "
                    "order by ordinal_position",
                    (schema, table),
                )
                expected = {
                    "varchar": ("character varying", None, None),
                    "integer": ("integer", 32, 0),
                    "numeric(18,2)": ("numeric", 18, 2),
                    "timestamp": ("timestamp without time zone", None, None),
                }
                assert cur.fetchall() == [(c, *expected[t]) for c, t in columns], table
            cur.execute(f'select count(*) from "{schema}".events where contact_id is null')
            assert cur.fetchone()[0] == SMALL_BAD["events_null_contact_id"]
    finally:
        with psycopg2.connect(pg_conninfo) as con, con.cursor() as cur:
            cur.execute(f'drop schema if exists "{schema}" cascade')


# --------------------------------------------------------------------------- CLI


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="leadscoring")
    demo_data.register(top.add_subparsers(dest="command", required=True))
    return top


def run(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    return args.handler(args)


def test_cli_writes_csvs_and_loads_duckdb(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    database = tmp_path / "cli.duckdb"
    argv = ["generate", "--contacts", "50", "--seed", "7", "--end-date", "2026-06-30"]
    code = run([*argv, "--csv-dir", str(tmp_path / "csv"), "--duckdb", str(database)])
    assert code == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:4] == [
        "accounts: 13 rows",
        "contacts: 52 rows",
        "events: 2,842 rows",
        "conversions: 5 rows",
    ]
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == [
        "accounts.csv",
        "contacts.csv",
        "conversions.csv",
        "events.csv",
    ]
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("select count(*) from raw.events").fetchone()[0] == 2842


def test_cli_without_csv_dir_leaves_no_files(tmp_path: Path, capsys) -> None:
    database = tmp_path / "only.duckdb"
    argv = ["generate", "--contacts", "20", "--end-date", "2026-06-30", "--duckdb", str(database)]
    assert run([*argv, "--schema", "demo"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["only.duckdb"]
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("select count(*) from demo.contacts").fetchone()[0] > 20


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--contacts", "abc", "--csv-dir", "x"], "not a whole number"),
        (["--contacts", "5", "--csv-dir", "x"], "at least 10"),
        (["--seed", "1.5", "--csv-dir", "x"], "not a whole number"),
        (["--end-date", "2026-13-01", "--csv-dir", "x"], "not a date"),
        (["--end-date", "30/06/2026", "--csv-dir", "x"], "not a date"),
        (["--schema", "raw-data", "--csv-dir", "x"], "not a plain schema name"),
        ([], "--csv-dir, --duckdb and/or --postgres"),
    ],
)
def test_cli_bad_arguments_are_argparse_errors(arguments, message, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(["generate", *arguments])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "usage:" in err
    assert message in err
    assert "Traceback" not in err


def test_cli_unwritable_csv_dir_is_a_message(tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    code = run(["generate", "--contacts", "10", "--csv-dir", str(blocker / "sub")])
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("error: could not write the CSV files:")
    assert "Traceback" not in err


def test_cli_failed_load_is_a_message(tmp_path: Path, capsys) -> None:
    argv = ["generate", "--contacts", "10", "--end-date", "2026-06-30"]
    code = run([*argv, "--postgres", "host=127.0.0.1 port=1 dbname=nowhere connect_timeout=2"])
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("error: could not load into PostgreSQL:")
    assert "Traceback" not in err
