"""score_model_segments: the attribute and behaviour conditions of a score model."""

from __future__ import annotations

from leadscoring.validation.problems import _identifier, _q
from leadscoring.validation.reader import Table
from leadscoring.validation.spec import IDENTIFIER_RE, SEGMENT_KINDS


class SegmentChecks:
    """Checks score_model_segments."""

    def check_segments(self, table: Table) -> None:
        conditions: dict[tuple[str, str], int] = {}
        for row in table.rows:
            if not row.complete:
                continue
            cells = row.cells
            report = self.reporter(table.shown, row.line, row.subject)
            score_model, condition = cells["score_model"], cells["condition_id"]
            self._check_score_model(report, score_model)
            if not condition:
                report("missing condition_id", "name the condition, e.g. emea_region")
            else:
                if not IDENTIFIER_RE.fullmatch(condition):
                    report(
                        f"condition id {_q(condition)} is not a lower-case identifier",
                        "use lower-case letters, digits and _, starting with a letter, e.g. "
                        f"{_q(_identifier(condition, 'condition'))}",
                    )
                key = (score_model, condition)
                if key in conditions:
                    report(
                        f"duplicate condition {_q(condition)} in score model {_q(score_model)}: "
                        f"already on line {conditions[key]}",
                        "give each condition of a score model its own id",
                    )
                else:
                    conditions[key] = row.line
            applies_to = self._check_applies_to(
                report,
                cells,
                SEGMENT_KINDS,
                "condition",
                "write attribute (the contact's attribute must match) or behaviour (the contact "
                "must have done something)",
            )
            if applies_to == "attribute":
                self._check_attribute_condition(report, cells, gives_points=False)
            elif applies_to == "behaviour":
                if not cells["event_type"] and not cells["page_category"]:
                    report(
                        "a behaviour condition needs event_type, page_category or both",
                        "name the event type and/or the page category of the events that count, "
                        "e.g. page_category pricing",
                    )
                self._check_event_type(report, cells["event_type"], required=False)
                self._check_page_category(report, cells["page_category"])
                self._check_count(
                    report, "min_occurrences", cells["min_occurrences"], empty="1", example="2"
                )
                self._check_days(report, "within_days", cells["within_days"], empty="all time")
