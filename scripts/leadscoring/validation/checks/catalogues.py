"""The lists other tables name or the models read: page_categories, event_types,
and the data-quality lists email_domains and placeholder_names.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from leadscoring.validation.problems import _identifier, _q
from leadscoring.validation.reader import Table
from leadscoring.validation.spec import BOOLEANS, DOMAIN_KINDS, DOMAIN_RE, IDENTIFIER_RE


class CatalogueChecks:
    """Checks the page categories, event types, email domains and placeholder names."""

    def check_page_categories(self, table: Table) -> None:
        seen: dict[str, int] = {}
        pairs: dict[tuple[str, str], int] = {}
        for row in table.rows:
            name = row.cells.get("page_category", "")
            if not row.complete:
                if name:
                    seen.setdefault(name, row.line)
                continue
            pattern = row.cells["page_pattern"]
            report = self.reporter(table.shown, row.line, row.subject)
            if not name:
                report("missing page_category", "name the page category, e.g. pricing")
            elif not IDENTIFIER_RE.fullmatch(name):
                report(
                    f"page category {_q(name)} is not a lower-case identifier",
                    "use lower-case letters, digits and _, starting with a letter, e.g. "
                    f"{_q(_identifier(name, 'pages'))}",
                )
            if name:
                seen.setdefault(name, row.line)
            if not pattern:
                report(
                    "missing page_pattern",
                    "write the path glob of the category's pages, e.g. /pricing*; one row per "
                    "pattern",
                )
                continue
            self._check_page_pattern(
                report, pattern, "narrow it to the pages of the category, e.g. '/pricing*'"
            )
            if name and (name, pattern.lower()) in pairs:
                report(
                    f"duplicate page pattern {_q(pattern)} for page category {_q(name)}: already "
                    f"on line {pairs[(name, pattern.lower())]}",
                    "remove this row",
                )
            elif name:
                pairs[(name, pattern.lower())] = row.line
        self.page_categories = seen

    def check_event_types(self, table: Table) -> None:
        seen: dict[str, int] = {}
        categories = sorted({r.cells.get("event_category", "") for r in table.rows} - {""})
        for row in table.rows:
            name = row.cells.get("event_type", "")
            if not row.complete:
                if name:
                    seen.setdefault(name, row.line)
                continue
            report = self.reporter(table.shown, row.line, row.subject)
            if not name:
                report(
                    "missing event_type",
                    "name the event type as it appears in the raw events, e.g. page_view",
                )
            elif not IDENTIFIER_RE.fullmatch(name):
                report(
                    f"event type {_q(name)} is not a lower-case identifier",
                    "use lower-case letters, digits and _, starting with a letter, as in the raw "
                    f"events, e.g. {_q(_identifier(name, 'event'))}",
                )
            if name and name in seen:
                report(
                    f"duplicate event type {_q(name)}: already on line {seen[name]}",
                    "remove this row; each event type is listed once",
                )
            elif name:
                seen[name] = row.line
            if not row.cells["event_category"]:
                examples = ", ".join(categories) or "web, email, form, content, sales"
                report(
                    "missing event_category",
                    f"name the family of the event type, e.g. one of {examples}",
                )
            self._check_choice(
                report,
                "is_engagement",
                row.cells["is_engagement"],
                BOOLEANS,
                "write true when the event shows the contact's own interest (a page view, a "
                "click), false when it does not (email_sent, email_bounced)",
            )
        if not table.rows and self.has_events:
            self.add(
                table.shown,
                1,
                None,
                "no event types",
                "add the event types of the raw events, one per row, e.g. "
                "page_view,web,true,A page of the website was viewed",
            )
        self.event_types = seen or None

    def check_email_domains(self, table: Table) -> None:
        seen: dict[str, int] = {}
        for row in table.rows:
            if not row.complete:
                continue
            domain = row.cells["domain"]
            report = self.reporter(table.shown, row.line, row.subject)
            if not domain:
                report("missing domain", "write the domain as in email addresses, e.g. gmail.com")
            elif "@" in domain:
                example = domain.rsplit("@", 1)[1].lower() or "gmail.com"
                report(
                    f"domain {_q(domain)} is an email address, not a domain",
                    f"keep the part after the @, e.g. {_q(example)}",
                )
            elif not DOMAIN_RE.fullmatch(domain):
                host = urlsplit(domain).hostname if "://" in domain else None
                example = host if host and DOMAIN_RE.fullmatch(host) else "gmail.com"
                report(
                    f"domain {_q(domain)} is not a domain name",
                    f"write the domain as in email addresses (no scheme, path or blanks), e.g. "
                    f"{_q(example)}",
                )
            elif domain != domain.lower():
                report(
                    f"domain {_q(domain)} is not lower-case",
                    f"write it in lower case: {_q(domain.lower())}",
                )
            if domain and domain.lower() in seen:
                report(
                    f"duplicate domain {_q(domain)}: already on line {seen[domain.lower()]}",
                    "remove this row; each domain is listed once",
                )
            elif domain:
                seen[domain.lower()] = row.line
            self._check_choice(
                report,
                "domain_kind",
                row.cells["domain_kind"],
                DOMAIN_KINDS,
                "write free (a free email provider), disposable (a throw-away address) or "
                "competitor",
            )

    def check_placeholder_names(self, table: Table) -> None:
        seen: dict[str, int] = {}
        for row in table.rows:
            if not row.complete:
                continue
            name = row.cells["name"]
            report = self.reporter(table.shown, row.line, row.subject)
            if not name:
                report("missing name", "write the placeholder name in lower case, e.g. test")
                continue
            if name != name.lower():
                report(
                    f"name {_q(name)} is not lower-case",
                    f"write it in lower case: {_q(name.lower())}",
                )
            if name.lower() in seen:
                report(
                    f"duplicate name {_q(name)}: already on line {seen[name.lower()]}",
                    "remove this row; each name is listed once",
                )
            else:
                seen[name.lower()] = row.line
