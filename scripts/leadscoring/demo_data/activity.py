"""Generating activity: each contact's events (emails, visits, webinars, sales
actions, content, social) and the conversions its behaviour leads to.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from leadscoring.demo_data.catalogue import (
    _BASE_PAGE_WEIGHTS,
    _BLOG_SLUGS,
    _CAREER_SLUGS,
    _ON_DEMAND,
    _PAGE_BLOG,
    _PAGE_DEMO,
    _PAGE_PRICING,
    _PRODUCT_FEATURES,
    _SOCIAL_NETWORKS,
    _UTM_ENTRY,
    _WEBINAR_ON_DEMAND,
    _WEBINARS,
    DAY,
    EVENT_CHANNELS,
    SELLER_SITE,
    SEMANTIC_LAYER,
    WINDOW_DAYS,
)
from leadscoring.demo_data.helpers import _chance, _money, _one_of, _poisson, _sigmoid, _Weighted
from leadscoring.demo_data.people import _Contact
from leadscoring.demo_data.planted import (
    BEHAVIOUR_FEATURES,
    BEHAVIOUR_MODEL,
    CONVERSION_COEFFICIENTS,
    PRICING_VIEWS_CAP,
)

if TYPE_CHECKING:
    from leadscoring.demo_data.generator import _Generator

# --------------------------------------------------------------------------- email sends


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


# --------------------------------------------------------------------------- generator steps


class _ActivityMixin:
    """The steps of _Generator (generator.py) that schedule and write events and conversions.

    The state they use (rng, clock, window, sends, bad, the counters) is set up
    by _Generator.__init__.
    """

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
