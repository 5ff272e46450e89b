"""dbt_project.yml and --vars: the seed paths, the attributes rules may name (their
kinds), whether there are events, and lead_scoring__as_of.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import yaml

from leadscoring.validation.problems import Report, _identifier, _join, _one_line, _q
from leadscoring.validation.project import (
    PROJECT_FILE,
    Project,
    find_package,
    resolve_var,
    var_sources,
)
from leadscoring.validation.spec import (
    AS_OF_RE,
    AS_OF_VAR,
    ATTRIBUTE_KEYS,
    ATTRIBUTE_KINDS,
    ATTRIBUTE_VARS,
    CLI_VARS,
    EVENTS_IDENTIFIER_VAR,
    EXTRA_ATTRIBUTES_VAR,
    IDENTIFIER_RE,
)


def _yaml_line(text: str, keys: Sequence[str]) -> int:
    """The line of the deepest of ``keys`` found in the YAML text (1 when none is)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return 1
    line = 1
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            break
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                line = key_node.start_mark.line + 1
                node = value_node
                break
        else:
            break
    return line


class ProjectFileChecks:
    """Reads the project file and the vars the checks depend on."""

    def load_project(self) -> bool:
        """Read seed-paths and the attribute vars; False when there is no project."""
        path = self.project_dir / PROJECT_FILE
        if not path.is_file():
            self.add(
                PROJECT_FILE,
                0,
                None,
                f"not found in {self.project_dir.resolve()}",
                "run the command in the dbt project's directory, or pass --project-dir DIR",
            )
            return False
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            self.add(PROJECT_FILE, 0, None, f"cannot be read ({err})", "save it as UTF-8 text")
            return True
        try:
            config = yaml.safe_load(text)
        except ValueError as err:  # an unquoted date that does not exist (2026-02-30)
            self.add(
                PROJECT_FILE, 0, None,
                f"holds a date that does not exist ({err})",
                "correct the date, e.g. the var lead_scoring__as_of",
            )  # fmt: skip
            return True
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            problem = getattr(err, "problem", None) or "syntax error"
            self.add(
                PROJECT_FILE,
                mark.line + 1 if mark is not None else 0,
                None,
                f"is not valid YAML ({problem})",
                "correct the YAML near that line (indentation, a missing colon or quote)",
            )
            return True
        if not isinstance(config, dict):
            self.add(
                PROJECT_FILE,
                1,
                None,
                "does not hold a YAML mapping",
                "restore the project file: name, version, profile, seed-paths, vars",
            )
            return True
        self.project = Project(self.project_dir, config, text)
        if not self.project.is_package and not self._load_package():
            return False
        self._check_seed_paths(config, text)
        self._load_attributes(config, text)
        return True

    def _load_package(self) -> bool:
        """A host project: find the lead_scoring package it installs, for its defaults."""
        package_dir = find_package(self.project_dir, self.project.config)
        if package_dir is None:
            self.add(
                PROJECT_FILE,
                0,
                None,
                "this project neither is the lead_scoring package nor installs it",
                "add the package to packages.yml (e.g. '- local: ../lead-scoring') and run "
                "dbt deps, or pass --project-dir with the project that installs it",
            )
            return False
        path = package_dir / PROJECT_FILE
        try:
            text = path.read_text(encoding="utf-8-sig")
            config = yaml.safe_load(text)
        except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as err:
            shown = self.project.shown(path)
            self.add(shown, 0, None, f"cannot be read ({err})", "run dbt deps again")
            return False
        self.project.package_dir = package_dir
        self.project.package_config = config if isinstance(config, dict) else {}
        self.project.package_text = text
        return True

    def _check_seed_paths(self, config: dict, text: str) -> None:
        seed_paths = config.get("seed-paths", ["seeds"])
        if isinstance(seed_paths, str):
            seed_paths = [seed_paths]
        if (
            not isinstance(seed_paths, list)
            or not seed_paths
            or not all(isinstance(p, str) and p.strip() for p in seed_paths)
        ):
            self.add(
                PROJECT_FILE,
                _yaml_line(text, ["seed-paths"]),
                None,
                f"seed-paths is {seed_paths!r}, not a list of directories",
                'write the directories holding the seeds as a list, e.g. seed-paths: ["seeds"]',
            )

    def _load_cli_vars(self) -> dict | None:
        """The --vars mapping, parsed as dbt parses it ({} when not given); None when invalid."""
        if self.cli_vars_text is None:
            return {}
        example = f"--vars '{{{EXTRA_ATTRIBUTES_VAR}: {{nps: number}}}}'"
        try:
            cli_vars = yaml.safe_load(self.cli_vars_text)
        except ValueError as err:  # an unquoted date that does not exist (2026-02-30)
            self.add(
                CLI_VARS, 0, None,
                f"holds a date that does not exist ({err})",
                "correct the date; give lead_scoring__as_of as 'YYYY-MM-DD' or "
                "'YYYY-MM-DD HH:MM:SS' (UTC)",
            )  # fmt: skip
            return None
        except yaml.YAMLError as err:
            problem = getattr(err, "problem", None) or "syntax error"
            self.add(
                CLI_VARS,
                0,
                None,
                f"is not valid YAML ({problem})",
                f"write the vars as a YAML mapping, as for dbt, e.g. {example}",
            )
            return None
        if not isinstance(cli_vars, dict):
            self.add(
                CLI_VARS,
                0,
                None,
                f"is {_one_line(repr(cli_vars))}, not a YAML mapping of var names to values",
                f"write the vars as a YAML mapping, as for dbt, e.g. {example}",
            )
            return None
        return cli_vars

    def _load_attributes(self, config: dict, text: str) -> None:
        """The attributes rules may name, from the vars as dbt resolves them: --vars
        first, then the vars scoped to this project, then the global vars."""
        cli_vars = self._load_cli_vars()
        all_vars = config.get("vars") or {}
        if not isinstance(all_vars, dict):
            self.add(
                PROJECT_FILE,
                _yaml_line(text, ["vars"]),
                None,
                "vars is not a mapping",
                "write vars as 'name: value' lines under vars:",
            )
            return
        if cli_vars is None:
            return  # the attributes cannot be known; --vars is reported
        self.sources = sources = var_sources(self.project, cli_vars)

        def line_of(source, *keys: str) -> int:
            return 0 if source.text is None else _yaml_line(source.text, [*source.keys, *keys])

        # Whether there is an events source at all (var lead_scoring__events_identifier
        # null: no events, so no event types are needed).
        found, value, _ = resolve_var(sources, EVENTS_IDENTIFIER_VAR)
        if found:
            self.has_events = value is not None
        found, value, source = resolve_var(sources, AS_OF_VAR)
        if found:
            self._check_as_of(value, source.file, line_of(source, AS_OF_VAR))
        attributes: dict[str, str | None] = {}
        for var in ATTRIBUTE_VARS:
            found, declared, source = resolve_var(sources, var)
            if not found or declared is None:
                continue
            file = source.file

            def line(*names: str, source=source, var: str = var) -> int:
                return line_of(source, var, *names)

            if not isinstance(declared, dict):
                self.add(
                    file,
                    line(),
                    None,
                    f"var {var} is {_one_line(repr(declared))}, not a mapping of attribute names "
                    "to kinds",
                    "map each attribute to its kind, e.g. {lifecycle_stage: text, nps: number, "
                    "visits: {kind: number, column: Total Visits}}",
                )
                continue
            for name, entry in declared.items():
                report = self.reporter(file, line(str(name)), None)
                if not isinstance(name, str) or not IDENTIFIER_RE.fullmatch(name):
                    report(
                        f"var {var} names the attribute {_q(str(name))}",
                        "attribute names are lower-case column names (letters, digits and _, "
                        f"starting with a letter), e.g. {_q(_identifier(str(name), 'attr'))}",
                    )
                    continue
                attributes[name] = self._attribute_kind(report, var, name, entry)
        self.attributes = attributes

    def _check_as_of(self, value: object, file: str, line: int) -> None:
        """lead_scoring__as_of as the project reads it: null, 'YYYY-MM-DD' or
        'YYYY-MM-DD HH:MM[:SS]' (UTC), naming a moment that exists."""
        if value is None or str(value).strip() == "":
            return
        text = str(value).strip()
        fix = "give it as 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS' (UTC), or leave it null for now"
        if not AS_OF_RE.fullmatch(text):
            self.add(file, line, None, f"var {AS_OF_VAR} is {_q(text)}, which is not a date", fix)
            return
        normalized = text.replace("T", " ")
        normalized += {10: " 00:00:00", 16: ":00"}.get(len(normalized), "")
        try:
            datetime.strptime(normalized, "%Y-%m-%d %H:%M:%S")
        except ValueError:
            self.add(
                file, line, None,
                f"var {AS_OF_VAR} is {_q(text)}, which is not a real date and time",
                fix,
            )  # fmt: skip

    @staticmethod
    def _attribute_kind(report: Report, var: str, name: str, entry: object) -> str | None:
        """The kind of a declared attribute: a kind, or {kind: ..., column: ...}."""
        kinds = f"{', '.join(ATTRIBUTE_KINDS[:-1])} or {ATTRIBUTE_KINDS[-1]}"
        mapping_fix = (
            f"write the kind alone ({name}: number) or a mapping with the kind and, optionally, "
            f"the raw column holding it ({name}: {{kind: number, column: Total Visits}})"
        )
        kind = entry
        if isinstance(entry, dict):
            unknown = [str(key) for key in entry if key not in ATTRIBUTE_KEYS]
            if unknown:
                keys = _join([_q(key) for key in unknown])
                report(
                    f"var {var} gives the attribute {_q(name)} the key"
                    f"{'s' if len(unknown) > 1 else ''} {keys}",
                    f"{mapping_fix}; kind and column are the only keys",
                )
            if "column" in entry:
                column = entry["column"]
                if not isinstance(column, str) or not column.strip():
                    report(
                        f"var {var} gives the attribute {_q(name)} the column "
                        f"{_q(repr(column) if not isinstance(column, str) else column)}",
                        "write the name of the raw contacts column holding the attribute, e.g. "
                        f"column: Total Visits, or leave column out when the column is {name}",
                    )
            if "kind" not in entry:
                report(
                    f"var {var} declares the attribute {_q(name)} without a kind",
                    f"add its kind ({kinds}), e.g. {name}: {{kind: number, column: Total Visits}}",
                )
                return None
            kind = entry["kind"]
        if kind in ATTRIBUTE_KINDS:
            return kind
        report(
            f"var {var} gives the attribute {_q(name)} the kind {_q(str(kind))}",
            f"use {kinds}" + ("" if isinstance(entry, str | dict) else f"; {mapping_fix}"),
        )
        return None
