"""The warehouse a dbt profile points at, for the commands that read marts and write logs.

`leadscoring export` and `leadscoring activate` run outside dbt but must read
the same relations a `dbt build` wrote, through the user's own profile:

- the profile (`profiles.yml`, target, env_var() and --vars) is read and
  rendered by dbt itself, so whatever dbt accepts is accepted here;
- where each mart lives (database, schema, alias: a host project may rename
  them and choose its own schemas) comes from `dbt ls`, never from a guess;
- DuckDB and PostgreSQL are opened with their own drivers, so that results
  stream (a DuckDB result is fetched chunk by chunk; PostgreSQL's through a
  server-side cursor) and a DuckDB file can be opened read-only;
- any other adapter is reached through dbt's own connection for it (its
  DB-API cursor), with values written as literals by the adapter's dialect.

Values are never pasted into SQL text: queries take parameters, written in
one style here (`?`) and translated to the driver's.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sys
from argparse import Namespace
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

#: The published marts (their shadow relations end in this; macros/utils/publish.sql).
SHADOW_SUFFIX = "__shadow"


class WarehouseError(Exception):
    """A problem the user can fix (profile, target, a mart not built); printed plainly."""


@dataclass
class DbtSettings:
    """How dbt is run: the project, where profiles.yml is, the target and --vars."""

    project_dir: Path = Path()
    profiles_dir: Path | None = None
    target: str | None = None
    variables: dict[str, Any] = field(default_factory=dict)
    #: A manifest.json of the same target and vars: where the models are, without a parse.
    manifest: Path | None = None

    def resolved_profiles_dir(self) -> Path:
        """dbt's rule: --profiles-dir, DBT_PROFILES_DIR, the project's own file, ~/.dbt."""
        if self.profiles_dir is not None:
            return self.profiles_dir
        if os.environ.get("DBT_PROFILES_DIR"):
            return Path(os.environ["DBT_PROFILES_DIR"])
        if (self.project_dir / "profiles.yml").exists():
            return self.project_dir
        return Path.home() / ".dbt"

    def cli_args(self) -> list[str]:
        """The options every dbt command of this run gets."""
        args = ["--project-dir", str(self.project_dir)]
        args += ["--profiles-dir", str(self.resolved_profiles_dir())]
        if self.target:
            args += ["--target", self.target]
        if self.variables:
            args += ["--vars", json.dumps(self.variables)]
        return args


def _dbt_namespace(settings: DbtSettings) -> Namespace:
    return Namespace(
        project_dir=str(settings.project_dir),
        profiles_dir=str(settings.resolved_profiles_dir()),
        target=settings.target,
        vars=settings.variables,
        profile=None,
        threads=None,
    )


def _prepare_dbt(settings: DbtSettings) -> Namespace:
    """Set the process-wide state dbt's config classes read (flags, the environment)."""
    from dbt.flags import set_from_args
    from dbt_common.context import set_invocation_context

    set_invocation_context(dict(os.environ))
    args = _dbt_namespace(settings)
    set_from_args(args, None)
    return args


def project_profile_name(project_dir: Path) -> str:
    """The `profile:` of dbt_project.yml."""
    import yaml

    path = project_dir / "dbt_project.yml"
    if not path.exists():
        raise WarehouseError(f"{path} not found: --project-dir must be a dbt project")
    profile = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("profile")
    if not profile:
        raise WarehouseError(f"{path} names no profile (`profile:`)")
    return str(profile)


def read_credentials(settings: DbtSettings) -> tuple[str, Any]:
    """The target's name and its credentials, as dbt renders them from profiles.yml."""
    _prepare_dbt(settings)
    from dbt.config.profile import Profile, read_profile
    from dbt.config.renderer import ProfileRenderer
    from dbt.exceptions import DbtProfileError, DbtProjectError

    profiles_dir = settings.resolved_profiles_dir()
    raw = read_profile(str(profiles_dir))
    if not raw:
        raise WarehouseError(f"no profiles.yml in {profiles_dir} (set --profiles-dir)")
    try:
        profile = Profile.from_raw_profiles(
            raw_profiles=raw,
            profile_name=project_profile_name(settings.project_dir),
            renderer=ProfileRenderer(settings.variables),
            target_override=settings.target,
        )
    except (DbtProfileError, DbtProjectError) as error:
        raise WarehouseError(f"profiles.yml in {profiles_dir}: {error}") from error
    return profile.target_name, profile.credentials


@dataclass(frozen=True)
class Column:
    """A result column: its name and, where the driver says, its SQL type.

    `type_name` is upper-case without arguments (DECIMAL, VARCHAR, TIMESTAMP ...),
    empty when the driver does not say; `precision` and `scale` are those of a
    decimal type when known.
    """

    name: str
    type_name: str = ""
    precision: int | None = None
    scale: int | None = None


@dataclass(frozen=True)
class Relation:
    """Where a model's rows are: database, schema and identifier (unquoted)."""

    database: str | None
    schema: str
    identifier: str


def locate_models(settings: DbtSettings, names: Sequence[str]) -> dict[str, Relation]:
    """Where each named model is built for this target, from `dbt ls` (host aliases included).

    A published mart (its alias ends in __shadow) is located at its published
    name: what BI tools, exports and activation read. With settings.manifest,
    the manifest.json a dbt command of the same target wrote is read instead
    (no parse: seconds saved in a scheduled job right after its build).
    """
    if settings.manifest is not None:
        return _locate_in_manifest(settings.manifest, names)
    from dbt.cli.main import dbtRunner

    command = [
        "ls", "--resource-type", "model", "--output", "json",
        "--output-keys", "name", "database", "schema", "alias",
        "--quiet", "--select", *names, *settings.cli_args(),
    ]  # fmt: skip
    with contextlib.redirect_stdout(io.StringIO()):
        result = dbtRunner().invoke(command)
    if not result.success:
        raise WarehouseError(f"dbt ls failed for {', '.join(names)}: {result.exception}")
    found: dict[str, Relation] = {}
    for line in result.result or []:
        node = json.loads(line)
        found[node["name"]] = _published(node.get("database"), node["schema"], node["alias"])
    missing = [name for name in names if name not in found]
    if missing:
        raise WarehouseError(
            f"no model named {', '.join(missing)} in this project (is it enabled for this target?)"
        )
    return found


def _published(database: str | None, schema: str, alias: str) -> Relation:
    """Where a model is read: a published mart's alias without __shadow."""
    if alias.endswith(SHADOW_SUFFIX):
        alias = alias[: -len(SHADOW_SUFFIX)]
    return Relation(database, schema, alias)


def _locate_in_manifest(path: Path, names: Sequence[str]) -> dict[str, Relation]:
    try:
        nodes = json.loads(path.read_text(encoding="utf-8"))["nodes"]
    except (OSError, ValueError, KeyError) as error:
        raise WarehouseError(f"cannot read the dbt manifest {path}: {error}") from error
    found: dict[str, Relation] = {}
    for node in nodes.values():
        if node.get("resource_type") == "model" and node.get("name") in names:
            if node.get("config", {}).get("enabled", True) is False:
                continue
            found[node["name"]] = _published(node.get("database"), node["schema"], node["alias"])
    missing = [name for name in names if name not in found]
    if missing:
        raise WarehouseError(f"the manifest {path} has no model {', '.join(missing)}")
    return found


# --------------------------------------------------------------------------- connections

_QMARK = re.compile(r"\?")


class Connection:
    """A connection with one parameter style (`?`), streaming reads and transactions."""

    dialect: str = ""

    def quote(self, name: str) -> str:
        """An identifier, quoted (a quote inside it doubled)."""
        return '"' + name.replace('"', '""') + '"'

    def relation(self, relation: Relation) -> str:
        """The quoted, fully qualified name of a relation."""
        parts = [relation.schema, relation.identifier]
        if relation.database:
            parts.insert(0, relation.database)
        return ".".join(self.quote(part) for part in parts)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        """Every row of a (small) query."""
        columns, batches = self.stream(sql, params)
        del columns
        return [row for batch in batches for row in batch]

    def stream(
        self, sql: str, params: Sequence[Any] = (), batch_rows: int = 10_000
    ) -> tuple[list[str], Iterator[list[tuple]]]:
        """The column names, and the rows in batches of at most `batch_rows`."""
        columns, batches = self.stream_columns(sql, params, batch_rows)
        return [column.name for column in columns], batches

    def stream_columns(
        self, sql: str, params: Sequence[Any] = (), batch_rows: int = 10_000
    ) -> tuple[list[Column], Iterator[list[tuple]]]:
        """The columns with their types, and the rows in batches of at most `batch_rows`."""
        raise NotImplementedError

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Run one statement (in the current transaction)."""
        raise NotImplementedError

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement once per row of parameters."""
        for row in rows:
            self.execute(sql, row)

    def begin(self) -> None:
        """Start a transaction (the drivers that open one implicitly need nothing)."""

    def try_lock(self, name: str) -> bool:
        """Hold a lock named `name` until the connection closes; False if another has it.

        DuckDB needs none: a file open for writing is one process's alone.
        """
        del name
        return True

    def commit(self) -> None:
        """Make what was written durable."""

    def rollback(self) -> None:
        """Undo what was written since the last commit."""

    def close(self) -> None:
        """Release the connection."""

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DuckDBConnection(Connection):
    """A DuckDB file, opened with DuckDB's own client (results are fetched in chunks)."""

    dialect = "duckdb"

    def __init__(self, path: str, read_only: bool, settings: dict[str, Any] | None = None):
        import duckdb

        if read_only and path != ":memory:" and not Path(path).exists():
            raise WarehouseError(f"the DuckDB file {path} does not exist (run dbt build first)")
        config = {key: str(value) for key, value in (settings or {}).items()}
        try:
            self.con = duckdb.connect(path, read_only=read_only, config=config)
        except duckdb.IOException as error:
            raise WarehouseError(
                f"cannot open {path}: {error}. Another process (a dbt build?) holds it for "
                "writing; run again when it has finished."
            ) from error

    def stream_columns(self, sql, params=(), batch_rows=10_000):
        cursor = self.con.cursor()
        cursor.execute(sql, list(params))
        columns = [_duckdb_column(name, type_code) for name, type_code, *_ in cursor.description]

        def batches() -> Iterator[list[tuple]]:
            try:
                while rows := cursor.fetchmany(batch_rows):
                    yield rows
            finally:
                cursor.close()

        return columns, batches()

    def execute(self, sql, params=()):
        self.con.execute(sql, list(params))

    def executemany(self, sql, rows):
        if rows:
            self.con.executemany(sql, [list(row) for row in rows])

    def begin(self) -> None:
        self.con.execute("begin transaction")

    def commit(self):
        import duckdb

        try:
            self.con.execute("commit")
        except duckdb.Error as error:  # no transaction open: nothing to commit
            if "no transaction is active" not in str(error):
                raise

    def rollback(self):
        with contextlib.suppress(Exception):
            self.con.execute("rollback")

    def close(self):
        self.con.close()


def _duckdb_column(name: str, type_code: Any) -> Column:
    text = str(type_code).upper()  # e.g. DECIMAL(28,6), VARCHAR, TIMESTAMP WITH TIME ZONE
    match = re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", text)
    if match:
        return Column(name, "DECIMAL", int(match[1]), int(match[2]))
    return Column(name, text)


# PostgreSQL type oids (pg_type) of the types marts hold, by the name used here.
_PG_TYPES = {
    16: "BOOLEAN", 20: "BIGINT", 21: "SMALLINT", 23: "INTEGER", 25: "VARCHAR",
    700: "FLOAT", 701: "DOUBLE", 1043: "VARCHAR", 1042: "VARCHAR", 1082: "DATE",
    1114: "TIMESTAMP", 1184: "TIMESTAMP WITH TIME ZONE", 1700: "DECIMAL",
}  # fmt: skip


def _pg_column(description: Any) -> Column:
    type_name = _PG_TYPES.get(description.type_code, "")
    if type_name == "DECIMAL" and description.precision is not None:
        # numeric(p, s); an unconstrained numeric has none (precision None)
        return Column(description.name, type_name, description.precision, description.scale)
    return Column(description.name, type_name)


class PostgresConnection(Connection):
    """PostgreSQL through psycopg2; large reads through a server-side (named) cursor."""

    dialect = "postgres"

    def __init__(self, **connect: Any):
        import psycopg2

        try:
            self.con = psycopg2.connect(**{k: v for k, v in connect.items() if v is not None})
        except psycopg2.Error as error:
            raise WarehouseError(f"cannot connect to PostgreSQL: {error}".strip()) from error
        self._cursors = 0

    @staticmethod
    def _sql(sql: str) -> str:
        return _QMARK.sub("%s", sql.replace("%", "%%"))

    def stream_columns(self, sql, params=(), batch_rows=10_000):
        self._cursors += 1
        cursor = self.con.cursor(name=f"leadscoring_stream_{self._cursors}")
        cursor.itersize = batch_rows
        cursor.execute(self._sql(sql), list(params))
        first = cursor.fetchmany(batch_rows)
        columns = [_pg_column(column) for column in cursor.description]

        def batches() -> Iterator[list[tuple]]:
            try:
                rows = first
                while rows:
                    yield rows
                    rows = cursor.fetchmany(batch_rows)
            finally:
                cursor.close()

        return columns, batches()

    def execute(self, sql, params=()):
        with self.con.cursor() as cursor:
            cursor.execute(self._sql(sql), list(params))

    def try_lock(self, name):
        (locked,) = self.query("select pg_try_advisory_lock(hashtextextended(?, 0))", [name])[0]
        self.commit()  # a session lock: it outlives this transaction
        return bool(locked)

    def executemany(self, sql, rows):
        from psycopg2.extras import execute_batch

        with self.con.cursor() as cursor:
            execute_batch(cursor, self._sql(sql), [list(row) for row in rows])

    def commit(self):
        self.con.commit()

    def rollback(self):
        self.con.rollback()

    def close(self):
        self.con.close()


def sql_literal(value: Any, dialect: str) -> str:
    """A value as a SQL literal of the dialect (for adapters reached through dbt only)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return repr(value) if not isinstance(value, Decimal) else str(value)
    if isinstance(value, datetime):
        return f"timestamp '{value.isoformat(sep=' ')}'"
    if isinstance(value, date):
        return f"date '{value.isoformat()}'"
    text = str(value)
    if dialect in {"spark", "databricks", "bigquery"}:
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return "'" + text.replace("'", "''") + "'"


def inline_parameters(sql: str, params: Sequence[Any], dialect: str) -> str:
    """Replace each `?` of the query, in order, with its value as a literal."""
    values = iter(params)
    return _QMARK.sub(lambda _: sql_literal(next(values), dialect), sql)


class DbtAdapterConnection(Connection):
    """Any other adapter: the DB-API connection dbt itself opens for the target."""

    def __init__(self, settings: DbtSettings):
        args = _prepare_dbt(settings)
        from dbt.adapters.factory import get_adapter, register_adapter
        from dbt.config.runtime import RuntimeConfig
        from dbt.mp_context import get_mp_context
        from dbt_common.events.event_manager_client import cleanup_event_logger

        cleanup_event_logger()  # dbt's log lines ("Registered adapter") are not our output
        config = RuntimeConfig.from_args(args)
        register_adapter(config, get_mp_context())
        self.adapter = get_adapter(config)
        self.dialect = self.adapter.type()
        self._named = self.adapter.connection_named("leadscoring")
        self._named.__enter__()
        self.handle = self.adapter.connections.get_thread_connection().handle

    def quote(self, name: str) -> str:
        return self.adapter.quote(name)

    def stream_columns(self, sql, params=(), batch_rows=10_000):
        cursor = self.handle.cursor()
        cursor.execute(inline_parameters(sql, params, self.dialect))
        # DB-API type codes differ by driver: the types are left to the reader.
        columns = [Column(column[0]) for column in cursor.description]

        def batches() -> Iterator[list[tuple]]:
            while rows := cursor.fetchmany(batch_rows):
                yield [tuple(row) for row in rows]

        return columns, batches()

    def execute(self, sql, params=()):
        cursor = self.handle.cursor()
        cursor.execute(inline_parameters(sql, params, self.dialect))

    def commit(self):
        with contextlib.suppress(Exception):
            self.handle.commit()

    def close(self):
        self._named.__exit__(None, None, None)
        # dbt-duckdb keeps its database open in the process after the connection is
        # released; a later native connection with other settings could not open it.
        release_duckdb()


def release_duckdb() -> None:
    """Close the DuckDB database dbt-duckdb keeps open in this process after a command.

    Otherwise the file stays open here between queries, and another connection
    with other settings (a test, a BI tool in the same process) cannot open it.
    dbt-duckdb reopens it on the next command.
    """
    module = sys.modules.get("dbt.adapters.duckdb.connections")
    manager = getattr(module, "DuckDBConnectionManager", None)
    if manager is None:
        return
    with manager._LOCK:
        if manager._ENV is not None:
            manager._ENV.close()
            manager._ENV = None


def connect(
    settings: DbtSettings,
    read_only: bool = True,
    generic: bool = False,
    duckdb_settings: dict[str, Any] | None = None,
) -> Connection:
    """Open the target's warehouse. `generic` forces the path through dbt's adapter.

    `duckdb_settings` override the profile's DuckDB settings (the native path only).
    """
    _target, credentials = read_credentials(settings)
    kind = credentials.type
    if generic or kind not in {"duckdb", "postgres"}:
        return DbtAdapterConnection(settings)
    if kind == "duckdb":
        # A relative path is relative to the working directory, as for dbt-duckdb.
        path = str(credentials.path)
        return DuckDBConnection(
            path, read_only, {**(credentials.settings or {}), **(duckdb_settings or {})}
        )
    return PostgresConnection(
        host=credentials.host,
        port=credentials.port,
        user=credentials.user,
        password=credentials.password,
        dbname=credentials.database,
        sslmode=credentials.sslmode,
        connect_timeout=credentials.connect_timeout,
        application_name="leadscoring",
    )


# --------------------------------------------------------------------------- command line


def add_project_arguments(parser: Any) -> None:
    """Which dbt project and target: --project-dir, --profiles-dir, --target."""
    parser.add_argument(
        "--project-dir", type=Path, default=Path("."), help="the dbt project (default: .)"
    )
    parser.add_argument(
        "--profiles-dir",
        type=Path,
        default=None,
        help="where profiles.yml is (dbt's rules: DBT_PROFILES_DIR, the project's, ~/.dbt)",
    )
    parser.add_argument("--target", default=None, help="the dbt target (default: the profile's)")


def add_dbt_arguments(parser: Any) -> None:
    """The options that say how dbt is run: add_project_arguments, --manifest, --vars."""
    add_project_arguments(parser)
    parser.add_argument(
        "--manifest",
        type=Path,
        default=None,
        help="read where the marts are from this manifest.json (written by a dbt command of "
        "the same target and vars, e.g. target/manifest.json right after dbt build) instead "
        "of asking dbt ls (which parses the project: seconds)",
    )
    parser.add_argument(
        "--vars",
        dest="dbt_vars",
        default=None,
        help="dbt vars as YAML or JSON, as given to dbt build (they may move the marts)",
    )


def settings_from_args(args: Any) -> DbtSettings:
    """DbtSettings from the options of add_dbt_arguments."""
    import yaml

    variables: dict[str, Any] = {}
    if getattr(args, "dbt_vars", None):
        try:
            variables = yaml.safe_load(args.dbt_vars) or {}
        except yaml.YAMLError as error:
            raise WarehouseError(f"--vars is not YAML or JSON: {error}") from error
        if not isinstance(variables, dict):
            raise WarehouseError("--vars must be a mapping, e.g. '{my_var: 1}'")
    return DbtSettings(
        args.project_dir, args.profiles_dir, args.target, variables, getattr(args, "manifest", None)
    )
