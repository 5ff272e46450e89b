"""The dbt project being validated: its vars as dbt resolves them, and where each
point table is read from.

The project is either this package itself (its dbt_project.yml is named
``lead_scoring``) or a host project that installs it (packages.yml, then
``dbt deps``). Vars are resolved as dbt resolves them for the package's
models: ``--vars`` first, then the host's vars scoped to the package
(``vars: {lead_scoring: {...}}``), then the host's global vars, then the
package's own defaults (its dbt_project.yml).

A point table is located by var ``lead_scoring__<table>``: the package's seed
by default, or whatever the host points it at. A ``ref`` to a seed is read from
the seed's CSV file; anything else (a model, a source, a table name) cannot be
read without the warehouse and is left to the build's tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from leadscoring.contract import PACKAGE_NAME, SEED_PREFIX

PROJECT_FILE = "dbt_project.yml"
PACKAGES_FILES = ("packages.yml", "dependencies.yml")
DEFAULT_SEED_PATHS = ("seeds",)
DEFAULT_PACKAGES_INSTALL_PATH = "dbt_packages"

# "{{ ref('name') }}", "{{ ref('package', 'name') }}" (quotes either way, blanks free).
_REF = re.compile(
    r"""\s*\{\{\s*ref\(\s*(['"])([^'"]+)\1\s*(?:,\s*(['"])([^'"]+)\3\s*)?(?:,\s*[^)]*)?\)\s*\}\}\s*"""
)


@dataclass
class VarSource:
    """One place vars come from, in dbt's order of precedence."""

    values: dict
    file: str  # as shown in problems: dbt_project.yml, --vars, dbt_packages/lead_scoring/...
    text: str | None  # the file's text, to find a var's line (None for --vars)
    keys: tuple[str, ...]  # the path to the vars mapping in the file, e.g. ("vars", "lead_scoring")


@dataclass
class Location:
    """Where a point table is read from."""

    table: str
    var_value: object
    path: Path | None  # the CSV file, when the table is a seed
    shown: str  # the file as shown in problems, or what the var names
    note: str | None = None  # why it is not checked here, when it is not a seed file


@dataclass
class Project:
    """A dbt project and the lead_scoring package it is or uses."""

    project_dir: Path
    config: dict
    text: str
    package_dir: Path | None = None
    package_config: dict = field(default_factory=dict)
    package_text: str = ""

    @property
    def name(self) -> str | None:
        name = self.config.get("name")
        return name if isinstance(name, str) else None

    @property
    def is_package(self) -> bool:
        return self.name == PACKAGE_NAME

    def shown(self, path: Path) -> str:
        """A path as problems show it: relative to the project directory when inside it."""
        try:
            return path.resolve().relative_to(self.project_dir.resolve()).as_posix()
        except ValueError:
            return str(path)


def seed_paths(config: dict) -> list[str]:
    paths = config.get("seed-paths", list(DEFAULT_SEED_PATHS))
    if isinstance(paths, str):
        paths = [paths]
    if not isinstance(paths, list):
        return list(DEFAULT_SEED_PATHS)
    return [p.strip() for p in paths if isinstance(p, str) and p.strip()] or list(
        DEFAULT_SEED_PATHS
    )


def find_package(project_dir: Path, config: dict) -> Path | None:
    """The directory of the lead_scoring package a host project uses: installed by
    dbt deps (dbt_packages/...), or a local path of packages.yml before dbt deps."""
    install_path = config.get("packages-install-path", DEFAULT_PACKAGES_INSTALL_PATH)
    candidates: list[Path] = []
    installed = project_dir / str(install_path)
    if installed.is_dir():
        candidates += sorted(p for p in installed.iterdir() if p.is_dir())
    for name in PACKAGES_FILES:
        path = project_dir / name
        if not path.is_file():
            continue
        try:
            packages = (yaml.safe_load(path.read_text()) or {}).get("packages") or []
        except (yaml.YAMLError, AttributeError):
            continue
        for package in packages:
            if isinstance(package, dict) and isinstance(package.get("local"), str):
                candidates.append((project_dir / package["local"]).resolve())
    for candidate in candidates:
        project_file = candidate / PROJECT_FILE
        if not project_file.is_file():
            continue
        try:
            name = (yaml.safe_load(project_file.read_text()) or {}).get("name")
        except (yaml.YAMLError, AttributeError):
            continue
        if name == PACKAGE_NAME:
            return candidate
    return None


def var_sources(project: Project, cli_vars: dict) -> list[VarSource]:
    """The places vars come from, most important first, as dbt resolves them for the
    package's models."""
    sources = [VarSource(cli_vars, "--vars", None, ())]
    host_vars = project.config.get("vars") or {}
    host_vars = host_vars if isinstance(host_vars, dict) else {}
    scoped = host_vars.get(PACKAGE_NAME)
    if isinstance(scoped, dict):
        sources.append(VarSource(scoped, PROJECT_FILE, project.text, ("vars", PACKAGE_NAME)))
    sources.append(
        VarSource(
            {k: v for k, v in host_vars.items() if k != PACKAGE_NAME or not isinstance(v, dict)},
            PROJECT_FILE,
            project.text,
            ("vars",),
        )
    )
    if not project.is_package and project.package_dir is not None:
        package_vars = project.package_config.get("vars") or {}
        package_vars = package_vars if isinstance(package_vars, dict) else {}
        shown = project.shown(project.package_dir / PROJECT_FILE)
        scoped = package_vars.get(PACKAGE_NAME)
        if isinstance(scoped, dict):
            sources.append(VarSource(scoped, shown, project.package_text, ("vars", PACKAGE_NAME)))
        sources.append(
            VarSource(
                {
                    k: v
                    for k, v in package_vars.items()
                    if k != PACKAGE_NAME or not isinstance(v, dict)
                },
                shown,
                project.package_text,
                ("vars",),
            )
        )
    return sources


def resolve_var(sources: list[VarSource], name: str) -> tuple[bool, object, VarSource | None]:
    """(found, value, where) for var `name`, the first source that sets it winning."""
    for source in sources:
        if name in source.values:
            return True, source.values[name], source
    return False, None, None


def locate_point_table(project: Project, table: str, sources: list[VarSource]) -> Location:
    """Where point table `table` is read from (var lead_scoring__<table>)."""
    var = SEED_PREFIX + table
    found, value, _ = resolve_var(sources, var)
    default_seed = SEED_PREFIX + table
    if not found:
        # No var at all (an old package version): the package's seed.
        value = f"{{{{ ref('{PACKAGE_NAME}', '{default_seed}') }}}}"
    match = _REF.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return Location(
            table,
            value,
            None,
            str(value),
            note=f"var {var} does not name a seed (it is {value!r}); its rows are checked by "
            "the build's tests, not here",
        )
    package, name = (match.group(2), match.group(4)) if match.group(4) else (None, match.group(2))
    in_package = package == PACKAGE_NAME or (package is None and project.is_package)
    if package is not None and package not in (PACKAGE_NAME, project.name):
        return Location(
            table,
            value,
            None,
            str(value),
            note=f"var {var} names a node of package {package!r}; only this project's and the "
            f"{PACKAGE_NAME} package's seeds are checked here, the build's tests check it",
        )
    if in_package:
        base = project.project_dir if project.is_package else project.package_dir
        config = project.config if project.is_package else project.package_config
    else:
        base, config = project.project_dir, project.config
    if base is None:
        return Location(table, value, None, f"{name}.csv", note=None)
    path = find_seed(base, seed_paths(config), name)
    if path is None:
        if not in_package and _is_model(project.project_dir, config, name):
            return Location(
                table,
                value,
                None,
                str(value),
                note=f"var {var} names the model {name!r}, not a seed; its rows are checked by "
                "the build's tests, not here",
            )
        path = base / seed_paths(config)[0] / f"{name}.csv"
    return Location(table, value, path, project.shown(path))


def find_seed(base: Path, paths: list[str], name: str) -> Path | None:
    """A seed's CSV file: directly in a seed path, then in its sub-directories (as dbt)."""
    for seed_path in paths:
        direct = base / seed_path / f"{name}.csv"
        if direct.is_file():
            return direct
    for seed_path in paths:
        folder = base / seed_path
        if folder.is_dir():
            found = sorted(folder.rglob(f"{name}.csv"))
            if found:
                return found[0]
    return None


def _is_model(project_dir: Path, config: dict, name: str) -> bool:
    paths = config.get("model-paths", ["models"])
    paths = [paths] if isinstance(paths, str) else paths
    for model_path in paths if isinstance(paths, list) else ["models"]:
        folder = project_dir / str(model_path)
        if folder.is_dir() and any(folder.rglob(f"{name}.sql")):
            return True
    return False
