"""point_caps: the cap groups of each score model."""

from __future__ import annotations

from leadscoring.validation.problems import _identifier, _q
from leadscoring.validation.reader import Table
from leadscoring.validation.spec import IDENTIFIER_RE


class CapChecks:
    """Checks point_caps and records its cap groups."""

    def check_point_caps(self, table: Table) -> None:
        groups: dict[tuple[str, str], int] = {}
        for row in table.rows:
            score_model, group = row.cells.get("score_model", ""), row.cells.get("cap_group", "")
            if not row.complete:
                if score_model and group:
                    groups.setdefault((score_model, group), row.line)
                continue
            report = self.reporter(table.shown, row.line, row.subject)
            self._check_score_model(report, score_model)
            if not group:
                report("missing cap_group", "name the cap group, e.g. web")
            elif not IDENTIFIER_RE.fullmatch(group):
                report(
                    f"cap group {_q(group)} is not a lower-case identifier",
                    f"write it as {_q(_identifier(group, 'group'))} (lower-case letters, digits "
                    "and _, starting with a letter), here and in the rules that name it",
                )
            elif (score_model, group) in groups:
                report(
                    f"duplicate cap group {_q(group)} in score model {_q(score_model)}: already "
                    f"on line {groups[(score_model, group)]}",
                    "keep one row per cap group and score model",
                )
            else:
                groups[(score_model, group)] = row.line
            max_points = row.cells["max_points"]
            if not max_points:
                report(
                    "missing max_points",
                    "write the most points the group's rules give together, e.g. 40",
                )
            else:
                self._check_max_points(
                    report, max_points, "the most points the group's rules give together, above 0"
                )
        self.cap_groups = groups
