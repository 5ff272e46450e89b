"""_Generator: one run's state, streaming the four tables to CSV.

Its steps live with their concern: accounts and contacts in people.py
(_PeopleMixin), events and conversions in activity.py (_ActivityMixin), the
bad rows in bad_rows.py (_BadRows).
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from leadscoring.demo_data.activity import _ActivityMixin
from leadscoring.demo_data.bad_rows import _BadRows
from leadscoring.demo_data.catalogue import (
    _DEPARTMENT_WEIGHTS,
    _EBOOKS,
    _LEAD_SOURCE_WEIGHTS,
    _SENIORITY_WEIGHTS,
    COUNTRIES,
    RAW_TABLES,
    _page_urls,
    _product_line,
)
from leadscoring.demo_data.helpers import _Clock, _Weighted
from leadscoring.demo_data.people import _Accounts, _PeopleMixin

# --------------------------------------------------------------------------- generator


class _Generator(_PeopleMixin, _ActivityMixin):
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
