"""The deliberately malformed rows that show staging's quarantine at work."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from leadscoring.demo_data.catalogue import (
    _BLOG_SLUGS,
    _FIRST_NAMES,
    _LAST_NAMES,
    COUNTRIES,
    DAY,
    FREE_MAIL_DOMAINS,
    SELLER_SITE,
    UNKNOWN_EVENT_TYPES,
)
from leadscoring.demo_data.helpers import _ascii, _money, _one_of
from leadscoring.demo_data.people import _email, _job

if TYPE_CHECKING:
    from leadscoring.demo_data.generator import _Generator

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
