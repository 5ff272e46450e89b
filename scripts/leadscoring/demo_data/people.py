"""Generating accounts and contacts: who the leads are and where they work."""

from __future__ import annotations

import bisect
import math
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from leadscoring.demo_data.catalogue import (
    _FIRST_NAMES,
    _INTERN_WORDS,
    _LAST_NAMES,
    _NAME_PREFIXES,
    _NAME_ROOTS,
    _OWNER_TITLES,
    _STUDENT_DEPARTMENTS,
    _STUDENT_TITLES,
    _TITLES,
    _TLDS,
    COMPETITOR_DOMAINS,
    COUNTRIES,
    DAY,
    DISPOSABLE_DOMAINS,
    EXECUTIVE_SENIORITIES,
    FREE_MAIL_DOMAINS,
    ICP_INDUSTRIES,
    INDUSTRIES,
    PLACEHOLDER_LAST_NAMES,
    PLACEHOLDER_NAMES,
    SEMANTIC_LAYER_INTEREST,
    TECHNICAL_DEPARTMENTS,
    WINDOW_DAYS,
)
from leadscoring.demo_data.helpers import _ascii, _chance, _money, _one_of, _Weighted
from leadscoring.demo_data.planted import BEHAVIOUR_MODEL, CONVERSION_COEFFICIENTS

# --------------------------------------------------------------------------- accounts


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


# --------------------------------------------------------------------------- generator steps


class _PeopleMixin:
    """The steps of _Generator (generator.py) that draw accounts and contacts.

    The state they use (rng, clock, accounts, the weighted choices, bad) is set
    up by _Generator.__init__.
    """

    # ---- accounts

    def generate_accounts(self) -> None:
        """Write about one account per four contacts, plus older versions of a few."""
        rng = self.rng
        n = max(1, round(self.n_contacts / 4))
        width = self.account_width = max(5, len(str(n)))
        industry = _Weighted(tuple((name, spec[0]) for name, spec in INDUSTRIES.items()))
        duplicates = set(rng.sample(range(n), self.bad.total("accounts_duplicate_account_id", n)))
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
        n_malformed = self.bad.total("contacts_malformed_email", n)
        n_duplicate = self.bad.total("contacts_duplicate_contact_id", n)
        n_null = self.bad.total("contacts_null_contact_id", n)
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
