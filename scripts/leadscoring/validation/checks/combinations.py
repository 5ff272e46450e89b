"""combination_rule_steps: the steps of the combination rules, at least 2 per rule."""

from __future__ import annotations

from leadscoring.validation.problems import _choice_fix, _identifier, _q
from leadscoring.validation.reader import Table
from leadscoring.validation.spec import COMBINATION_RULES, IDENTIFIER_RE


class CombinationStepChecks:
    """Checks combination_rule_steps against combination_rules."""

    def check_steps(self, table: Table) -> None:
        steps: dict[tuple[str, str], int] = {}
        counts: dict[str, int] = {}
        combinations = self.combination_rules
        for row in table.rows:
            rule_id, step = row.cells.get("rule_id", ""), row.cells.get("step", "")
            if rule_id:
                counts[rule_id] = counts.get(rule_id, 0) + 1
            if not row.complete:
                continue
            report = self.reporter(table.shown, row.line, row.subject)
            rules_file = self.shown[COMBINATION_RULES]
            if not rule_id:
                report(
                    "missing rule_id",
                    f"name the rule of {rules_file} this step belongs to",
                )
            elif combinations is not None and rule_id not in combinations:
                if rule_id in self.rule_ids:
                    where, line = self.rule_ids[rule_id]
                    report(
                        f"rule {_q(rule_id)} is not a combination rule: it is in {where}, "
                        f"line {line}",
                        f"steps belong to the rules of {rules_file}: add the combination rule "
                        f"there under its own id and use that id here",
                    )
                else:
                    known = sorted(combinations)
                    add = f"add the rule {_q(rule_id)} to {rules_file}"
                    fix = (
                        f"{_choice_fix(rule_id, known, f'the rules of {rules_file}')}; or {add}"
                        if known
                        else add
                    )
                    report(f"unknown combination rule {_q(rule_id)}", fix)
            if not step:
                report("missing step", "name the step, e.g. pricing")
            else:
                if not IDENTIFIER_RE.fullmatch(step):
                    report(
                        f"step {_q(step)} is not a lower-case identifier",
                        "use lower-case letters, digits and _, starting with a letter, e.g. "
                        f"{_q(_identifier(step, 'step'))}",
                    )
                if rule_id and (rule_id, step) in steps:
                    report(
                        f"duplicate step {_q(step)} in rule {_q(rule_id)}: already on line "
                        f"{steps[(rule_id, step)]}",
                        "give each step of a rule its own name, or remove this row",
                    )
                elif rule_id:
                    steps[(rule_id, step)] = row.line
            self._check_event_condition(report, row.cells)
        for rule_id, rule in (combinations or {}).items():
            if not rule.complete:
                continue
            number = counts.get(rule_id, 0)
            if number >= 2:
                continue
            has = "no steps" if number == 0 else "only 1 step"
            self.add(
                self.shown[COMBINATION_RULES],
                rule.line,
                rule.subject,
                f"combination rule {_q(rule_id)} has {has} in {table.shown}",
                f"add one row per step to {table.shown}, at least 2, e.g. "
                f"{rule_id},step_{number + 1},page_view,,pricing",
            )
