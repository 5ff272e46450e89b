"""``leadscoring activate``: deliver threshold crossings to a webhook, each exactly once.

The crossings are the rows of ``lead_scoring__score_transitions`` (a band
change of a contact in a score model, on a day), selected by score model,
band reached and direction. Each has an idempotency key, a hash of what
identifies it (contact, score model, day, from band, to band): the same
crossing has the same key in every run, whatever else changed.

Delivery is at-least-once by the sender and exactly-once at the receiver:

- a batch is sent as one JSON POST; only when the receiver answered 2xx are
  its crossings written to the delivery log (a table in the warehouse) and
  committed, so a crossing is never skipped: a crash, a timeout or a
  connection dropped after the receiver stored the batch leads to the batch
  being sent again on the next run, and the receiver drops the keys it has;
- 5xx, 408, 429 (honouring Retry-After), timeouts and connection errors are
  retried with exponential backoff and full jitter; when the attempts run
  out the run stops and the crossings stay pending for the next run;
- any other 4xx is the receiver refusing the content: a batch of several is
  split to find the crossings refused, and those are dead-lettered (the log
  says so with the status and the receiver's answer, and --dead-letter-file
  receives them as JSON Lines); 401 and 403 stop the run instead (a bad
  token is not the crossings' fault);
- the delivery log is read before each run: logged crossings are not sent
  again (dead letters only with --retry-dead-letters).

The token is read from an environment variable (--token-env), never from the
command line or a file, and is never printed.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import math
import os
import random
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from leadscoring.warehouse import (
    Connection,
    Relation,
    WarehouseError,
    add_dbt_arguments,
    connect,
    locate_models,
    settings_from_args,
)

LOG_TABLE = "lead_scoring__activation_log"
MARTS = ("lead_scoring__score_transitions", "lead_scoring__scores")
#: The bands of each score model, cleaned (staging of the point table score_bands).
BANDS_MODEL = "stg_lead_scoring__score_bands"
DEFAULT_TOKEN_ENV = "LEAD_SCORING_WEBHOOK_TOKEN"
DIRECTIONS = ("up", "down", "entered", "left")
#: The columns a payload template may name: the crossing's, and the contact's from the scores.
CROSSING_COLUMNS = (
    "contact_id",
    "score_model",
    "transitioned_on",
    "transitioned_at",
    "from_band",
    "to_band",
    "from_band_rank",
    "to_band_rank",
    "direction",
    "previous_total_score",
    "total_score",
)
CONTACT_COLUMNS = ("email", "first_name", "last_name", "job_title", "company_name")
#: The columns of a crossing's idempotency key.
KEY_COLUMNS = ("contact_id", "score_model", "transitioned_on", "from_band", "to_band")
#: Answers that say the URL is wrong (no such endpoint or method): the run stops.
MISDIRECTED = (404, 405, 410)
#: Retry-After values above this are capped (a receiver asking for an hour is told no).
MAX_RETRY_AFTER_SECONDS = 300.0


class ActivationError(Exception):
    """A problem the user can fix, or a run that must stop; printed plainly."""


# --------------------------------------------------------------------------- crossings


def idempotency_key(row: dict[str, Any]) -> str:
    """The crossing's key: a hash of what identifies it, the same in every run."""
    parts = [json_value(row[column]) for column in KEY_COLUMNS]
    text = json.dumps(parts, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def json_value(value: Any) -> Any:
    """A warehouse value as JSON: dates and timestamps as ISO text, decimals as numbers."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


@dataclass
class Selection:
    """Which crossings a destination receives."""

    score_model: str | None = None
    band: str | None = None
    directions: tuple[str, ...] = ("up", "entered")
    since: date | None = None


def band_ranks(con: Connection, bands: Relation) -> dict[str, dict[str, int]]:
    """Each score model's bands and their ranks (1 for the lowest minimum score)."""
    rows = con.query(
        f"select score_model, band, min_score from {con.relation(bands)} "
        "order by score_model, min_score"
    )
    ranks: dict[str, dict[str, int]] = {}
    for score_model, band, _ in rows:
        model = ranks.setdefault(score_model, {})
        model[band] = len(model) + 1
    return ranks


def crossings_query(
    con: Connection,
    marts: dict[str, Relation],
    selection: Selection,
    ranks: dict[str, dict[str, int]],
) -> tuple[str, list[Any]]:
    """The SQL (and its parameters) of the selected crossings, oldest first."""
    columns = ", ".join(f"t.{column}" for column in CROSSING_COLUMNS)
    contact = ", ".join(f"s.{column}" for column in CONTACT_COLUMNS)
    where, params = ["1 = 1"], []
    if selection.score_model:
        if selection.score_model not in ranks:
            raise ActivationError(
                f"no score model {selection.score_model!r}. Fix: use one of "
                f"{', '.join(sorted(ranks))}."
            )
        where.append("t.score_model = ?")
        params.append(selection.score_model)
    if selection.directions:
        where.append(f"t.direction in ({', '.join('?' for _ in selection.directions)})")
        params.extend(selection.directions)
    if selection.band:
        # Reached the band (or a hotter one) from below it, or entered at it or above.
        band = selection.band.strip().lower()  # band names match whatever their case
        models = [selection.score_model] if selection.score_model else sorted(ranks)
        lowered = {model: {name.lower(): rank for name, rank in ranks[model].items()}
                   for model in models}  # fmt: skip
        reached = [(model, lowered[model][band]) for model in models if band in lowered[model]]
        if not reached:
            # Lowest to highest, as the bands seed ranks them.
            known = list(dict.fromkeys(
                name for model in models
                for name, _ in sorted(ranks[model].items(), key=lambda item: item[1])
            ))  # fmt: skip
            raise ActivationError(
                f"no band {selection.band!r} in score model(s) {', '.join(models)}. "
                f"Fix: use one of {', '.join(known)}."
            )
        where.append(
            "("
            + " or ".join(
                "(t.score_model = ? and t.to_band_rank >= ? "
                "and (t.from_band_rank is null or t.from_band_rank < ?))"
                for _ in reached
            )
            + ")"
        )
        for model, rank in reached:
            params.extend([model, rank, rank])
    if selection.since:
        where.append("t.transitioned_on >= ?")
        params.append(selection.since)
    transitions = con.relation(marts["lead_scoring__score_transitions"])
    scores = con.relation(marts["lead_scoring__scores"])
    sql = (
        f"select {columns}, {contact} from {transitions} as t "
        f"left join {scores} as s on s.contact_id = t.contact_id "
        "and s.score_model = t.score_model "
        f"where {' and '.join(where)} "
        "order by t.transitioned_on, t.score_model, t.contact_id, t.to_band_rank"
    )
    return sql, params


# --------------------------------------------------------------------------- the delivery log


class DeliveryLog:
    """The table in the warehouse that says which crossing went where, and how it ended."""

    def __init__(self, con: Connection, relation: Relation, destination: str):
        self.con, self.relation, self.destination = con, relation, destination
        self.name = con.relation(relation)

    def create(self) -> None:
        text = "string" if self.con.dialect in {"spark", "databricks", "bigquery"} else "varchar"
        self.con.execute(f"create schema if not exists {self.con.quote(self.relation.schema)}")
        self.con.execute(
            f"create table if not exists {self.name} ("
            f"destination {text} not null, idempotency_key {text} not null, "
            f"contact_id {text}, score_model {text}, transitioned_on date, to_band {text}, "
            f"status {text} not null, http_status integer, attempts integer, "
            f"detail {text}, logged_at timestamp not null)"
        )
        self.con.commit()

    def logged(self, include_dead_letters: bool) -> set[str]:
        statuses = ["delivered"] if include_dead_letters else ["delivered", "dead_letter"]
        rows = self.con.query(
            f"select idempotency_key from {self.name} where destination = ? "
            f"and status in ({', '.join('?' for _ in statuses)})",
            [self.destination, *statuses],
        )
        return {row[0] for row in rows}

    def record(self, items: Sequence[Crossing], status: str, result: Result) -> None:
        """Log the crossings' outcome and commit (one transaction per batch)."""
        now = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
        self.con.begin()
        if status == "delivered":
            # A dead letter sent again with --retry-dead-letters and delivered now.
            self.con.executemany(
                f"delete from {self.name} where destination = ? and idempotency_key = ?",
                [[self.destination, item.key] for item in items],
            )
        self.con.executemany(
            f"insert into {self.name} (destination, idempotency_key, contact_id, score_model, "
            "transitioned_on, to_band, status, http_status, attempts, detail, logged_at) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [
                    self.destination,
                    item.key,
                    item.row["contact_id"],
                    item.row["score_model"],
                    item.row["transitioned_on"],
                    item.row["to_band"],
                    status,
                    result.status,
                    result.attempts,
                    result.detail[:1000] or None,
                    now,
                ]
                for item in items
            ],
        )
        self.con.commit()


# --------------------------------------------------------------------------- HTTP


@dataclass
class Crossing:
    """One crossing to deliver: its row, key and payload item."""

    row: dict[str, Any]
    key: str
    item: dict[str, Any]


@dataclass
class Result:
    """How a batch's delivery ended."""

    outcome: str  # delivered | refused | unauthorized | gave_up
    status: int | None = None
    attempts: int = 0
    detail: str = ""


@dataclass
class Sender:
    """POSTs batches with retries: backoff with full jitter, Retry-After, timeouts."""

    url: str
    token: str | None
    destination: str
    timeout: float = 10.0
    max_attempts: int = 8
    backoff_base: float = 0.5
    backoff_cap: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)
    requests: int = 0
    retries: int = 0

    def body(self, batch: Sequence[Crossing]) -> bytes:
        return json.dumps(
            {
                "destination": self.destination,
                "batch_key": batch_key(batch),
                "crossings": [item.item for item in batch],
            },
            separators=(",", ":"),
        ).encode("utf-8")

    def headers(self, batch: Sequence[Crossing]) -> dict[str, str]:
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": batch_key(batch),
            "User-Agent": "leadscoring-activate",
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def backoff(self, attempt: int) -> float:
        """Full jitter: uniform between 0 and base * 2^attempt, capped."""
        return self.rng.uniform(0, min(self.backoff_cap, self.backoff_base * 2**attempt))

    def send(self, batch: Sequence[Crossing]) -> Result:
        data = self.body(batch)
        opener = urllib.request.build_opener(_NoRedirect)
        for attempt in range(1, self.max_attempts + 1):
            request = urllib.request.Request(
                self.url, data=data, headers=self.headers(batch), method="POST"
            )
            wait: float | None = None
            self.requests += 1
            try:
                with opener.open(request, timeout=self.timeout) as response:
                    response.read()
                    status = getattr(response, "status", None)
                    if status is not None and 200 <= status < 300:
                        return Result("delivered", status, attempt)
                    return Result("misdirected", status, attempt, f"HTTP {status}")
            except urllib.error.HTTPError as error:
                detail = _answer(error)
                if error.code in (401, 403):
                    return Result("unauthorized", error.code, attempt, detail)
                if error.code < 400 or error.code in MISDIRECTED:
                    # A redirect (not followed: it would resend without the body, or send the
                    # token elsewhere) or no such endpoint: the URL is wrong, not the crossings.
                    return Result("misdirected", error.code, attempt, detail)
                if error.code in (408, 429) or error.code >= 500:
                    if error.code in (429, 503):
                        wait = retry_after(error.headers.get("Retry-After"))
                    last = Result("gave_up", error.code, attempt, detail)
                else:
                    return Result("refused", error.code, attempt, detail)
            except TimeoutError as error:
                last = Result("gave_up", None, attempt, f"timed out: {error}")
            except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
                reason = getattr(error, "reason", error)
                last = Result("gave_up", None, attempt, f"connection failed: {reason}")
            if attempt < self.max_attempts:
                self.retries += 1
                self.sleep(wait if wait is not None else self.backoff(attempt - 1))
        return last


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are not followed: urllib would resend a POST as a bodiless GET."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        del req, fp, code, msg, headers, newurl
        return None


def _answer(error: urllib.error.HTTPError) -> str:
    try:
        text = error.read().decode("utf-8", "replace")
    except OSError:
        text = ""
    return f"HTTP {error.code}: {text.strip()[:500]}"


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), capped."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = (when - datetime.now(timezone.utc)).total_seconds()
    if not math.isfinite(seconds):
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)


def batch_key(batch: Sequence[Crossing]) -> str:
    """The batch's Idempotency-Key header: a hash of its crossings' keys."""
    joined = ",".join(item.key for item in batch)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:32]


# --------------------------------------------------------------------------- payload


def read_template(path: Path | None) -> dict[str, str]:
    """Receiver field name -> column, from a JSON or YAML file (default: every column)."""
    columns = (*CROSSING_COLUMNS, *CONTACT_COLUMNS)
    if path is None:
        return {column: column for column in columns}
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ActivationError(f"cannot read the payload template {path}: {error}") from error
    import yaml

    try:
        template = yaml.safe_load(text)  # JSON is YAML
    except yaml.YAMLError as error:
        raise ActivationError(f"{path} is not JSON or YAML: {error}") from error
    if not isinstance(template, dict) or not template:
        raise ActivationError(
            f"{path}: the payload template must map the receiver's field names to columns, "
            'e.g. {"LeadId": "contact_id", "Rating": "to_band"}'
        )
    for receiver_field, column in template.items():
        if column not in columns:
            raise ActivationError(
                f"{path}: field {receiver_field!r} names the column {column!r}, which a crossing "
                f"does not have. Fix: use one of {', '.join(columns)}."
            )
        if receiver_field == "idempotency_key":
            raise ActivationError(
                f"{path}: 'idempotency_key' is the field the key is sent in; map the column "
                "to another field name."
            )
    return {str(key): str(value) for key, value in template.items()}


def payload_item(row: dict[str, Any], key: str, template: dict[str, str]) -> dict[str, Any]:
    item = {"idempotency_key": key}
    item.update({name: json_value(row[column]) for name, column in template.items()})
    return item


# --------------------------------------------------------------------------- the run


@dataclass
class Summary:
    delivered: int = 0
    dead_letters: int = 0
    pending: int = 0
    messages: list[str] = field(default_factory=list)


def deliver(
    crossings: Sequence[Crossing],
    sender: Sender,
    log: DeliveryLog,
    batch_size: int,
    dead_letter_file: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> Summary:
    """Send the crossings in batches; log each outcome as it is known."""
    summary = Summary()
    say = progress or (lambda _: None)

    def dead_letter(items: Sequence[Crossing], result: Result) -> None:
        log.record(items, "dead_letter", result)
        summary.dead_letters += len(items)
        if dead_letter_file is not None:
            with dead_letter_file.open("a", encoding="utf-8") as handle:
                for item in items:
                    handle.write(
                        json.dumps(
                            {
                                "destination": sender.destination,
                                "http_status": result.status,
                                "detail": result.detail,
                                "crossing": item.item,
                            }
                        )
                        + "\n"
                    )

    def send(batch: Sequence[Crossing]) -> None:
        result = sender.send(batch)
        if result.outcome == "delivered":
            log.record(batch, "delivered", result)
            summary.delivered += len(batch)
            say(f"delivered {summary.delivered} of {len(crossings)}")
        elif result.outcome == "refused" and len(batch) > 1:
            # Which crossings did the receiver refuse? Halves until single ones.
            middle = len(batch) // 2
            send(batch[:middle])
            send(batch[middle:])
        elif result.outcome == "refused":
            dead_letter(batch, result)
        elif result.outcome == "misdirected":
            raise ActivationError(
                f"the URL answered {result.detail or result.status}: a redirect or no such "
                "endpoint. Fix: give --url the webhook's final address (redirects are not "
                "followed). Nothing was dead-lettered."
            )
        elif result.outcome == "unauthorized":
            raise ActivationError(
                f"the receiver refused the token ({result.detail}). Fix: set the environment "
                "variable of --token-env to a valid token. Nothing was dead-lettered."
            )
        else:
            raise ActivationError(
                f"gave up after {result.attempts} attempts ({result.detail}); the crossings "
                "not yet delivered stay pending for the next run."
            )

    try:
        for start in range(0, len(crossings), batch_size):
            send(crossings[start : start + batch_size])
    except ActivationError as error:
        summary.pending = len(crossings) - summary.delivered - summary.dead_letters
        summary.messages.append(str(error))
    return summary


def pending_crossings(
    con: Connection,
    marts: dict[str, Relation],
    selection: Selection,
    template: dict[str, str],
    log: DeliveryLog | None,
    retry_dead_letters: bool,
) -> tuple[list[Crossing], int]:
    """The selected crossings not in the delivery log, and how many are."""
    try:
        ranks = band_ranks(con, marts[BANDS_MODEL])
        sql, params = crossings_query(con, marts, selection, ranks)
        columns, batches = con.stream(sql, params)
        rows = [dict(zip(columns, row, strict=True)) for batch in batches for row in batch]
    except ActivationError:
        raise
    except Exception as error:  # the driver's own error types differ
        raise ActivationError(
            "cannot read the threshold crossings (has `dbt build` published "
            f"lead_scoring__score_transitions for this target?): {error}".strip()
        ) from error
    logged = log.logged(retry_dead_letters) if log is not None else set()
    crossings, already = [], 0
    for row in rows:
        key = idempotency_key(row)
        if key in logged:
            already += 1
            continue
        crossings.append(Crossing(row, key, payload_item(row, key, template)))
    return crossings, already


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from error


def _positive(kind: type) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{text} is not above 0")
        return value

    return parse


def _run(args: argparse.Namespace) -> int:
    selection = Selection(args.score_model, args.band, tuple(args.direction), args.since)
    try:
        settings = settings_from_args(args)
        template = read_template(args.template)
        token = os.environ.get(args.token_env) or None
        if not args.dry_run and not args.url:
            raise ActivationError("--url is required (or --dry-run to see what would be sent)")
        if args.url:
            parts = urllib.parse.urlsplit(args.url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ActivationError(
                    f"--url {args.url!r} is not an http or https address with a host"
                )
        if not args.dry_run and token is None and not args.no_token:
            raise ActivationError(
                f"the environment variable {args.token_env} holding the receiver's token is not "
                "set. Fix: export it (or name another with --token-env; --no-token for a "
                "receiver that takes none)."
            )
        with connect(settings, read_only=args.dry_run) as con:
            marts = locate_models(settings, [*MARTS, BANDS_MODEL])
            schema = args.log_schema or marts["lead_scoring__score_transitions"].schema
            relation = Relation(
                marts["lead_scoring__score_transitions"].database, schema, LOG_TABLE
            )
            log = DeliveryLog(con, relation, args.destination)
            if not args.dry_run:
                if not con.try_lock(f"leadscoring activate {args.destination}"):
                    raise ActivationError(
                        f"another activate run for destination {args.destination!r} is running; "
                        "run again when it has finished."
                    )
                log.create()
            elif not _log_exists(con, relation):
                log = None
            crossings, already = pending_crossings(
                con, marts, selection, template, log, args.retry_dead_letters
            )
            con.commit()  # no transaction held open while batches are sent and retried
            if args.dry_run:
                return _dry_run(crossings, already, args)
            sender = Sender(
                url=args.url,
                token=token,
                destination=args.destination,
                timeout=args.timeout,
                max_attempts=args.max_attempts,
                backoff_base=args.backoff_base,
            )
            summary = deliver(
                crossings,
                sender,
                log,
                args.batch_size,
                args.dead_letter_file,
                progress=(lambda text: print(text, file=sys.stderr)) if args.verbose else None,
            )
    except (ActivationError, WarehouseError) as error:
        print(f"leadscoring activate: {error}", file=sys.stderr)
        return 1
    print(
        f"{summary.delivered} crossings delivered in {sender.requests} requests "
        f"({sender.retries} retries), {summary.dead_letters} dead-lettered, "
        f"{summary.pending} pending, {already} delivered before (destination "
        f"{args.destination!r}, log {con.relation(relation)})"
    )
    for message in summary.messages:
        print(f"leadscoring activate: {message}", file=sys.stderr)
    if summary.pending:
        return 2
    return 3 if summary.dead_letters else 0


def _log_exists(con: Connection, relation: Relation) -> bool:
    try:
        con.query(f"select 1 from {con.relation(relation)} where 1 = 0")
    except Exception:  # the driver's own error types differ
        con.rollback()
        return False
    return True


def _dry_run(crossings: Sequence[Crossing], already: int, args: argparse.Namespace) -> int:
    batches = [
        crossings[start : start + args.batch_size]
        for start in range(0, len(crossings), args.batch_size)
    ]
    print(
        f"dry run: {len(crossings)} crossings to deliver in {len(batches)} requests to "
        f"{args.url or '(no --url)'} ({already} delivered before); nothing is sent or logged."
    )
    for batch in batches:
        print(f"POST Idempotency-Key: {batch_key(batch)} ({len(batch)} crossings)")
        for item in batch:
            print("  " + json.dumps(item.item, separators=(", ", ": ")))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the activate subcommand."""
    parser = subparsers.add_parser(
        "activate",
        help="deliver new threshold crossings to a webhook, each exactly once",
        description=(
            "Read the threshold crossings (lead_scoring__score_transitions) through your dbt "
            "profile, keep those not yet in the delivery log (table "
            f"{LOG_TABLE}, beside the marts), and POST them as JSON batches to a "
            "webhook: {destination, batch_key, crossings: [{idempotency_key, <fields>}]}, "
            "header Idempotency-Key = batch_key. A batch is logged as delivered only on a 2xx "
            "answer, so each crossing reaches the receiver at least once and, as the receiver "
            "drops keys it already has, exactly once. 5xx, 408, 429 (Retry-After honoured), "
            "timeouts and dropped connections are retried with exponential backoff and jitter; "
            "other 4xx dead-letter the crossings refused (in the log, and in "
            "--dead-letter-file); 401/403, redirects and 404/405/410 stop the run. The token is "
            "read from an environment variable, never from the command line. Exit code: 0 all "
            "delivered, 1 an error before sending, 2 crossings left pending (retries ran out or "
            "the run stopped), 3 crossings dead-lettered."
        ),
    )
    add_dbt_arguments(parser)
    parser.add_argument("--url", help="the webhook's URL (http or https)")
    parser.add_argument(
        "--destination",
        default="webhook",
        help="the destination's name in the delivery log: each destination gets every "
        "crossing once (default: webhook)",
    )
    parser.add_argument(
        "--token-env",
        default=DEFAULT_TOKEN_ENV,
        help=f"the environment variable holding the bearer token (default: {DEFAULT_TOKEN_ENV})",
    )
    parser.add_argument("--no-token", action="store_true", help="send no Authorization header")
    parser.add_argument("--score-model", help="only this score model's crossings")
    parser.add_argument(
        "--band",
        help="only crossings that reach this band or a hotter one from below it (e.g. mql)",
    )
    parser.add_argument(
        "--direction",
        nargs="+",
        choices=DIRECTIONS,
        default=["up", "entered"],
        help="which band changes (default: up entered)",
    )
    parser.add_argument(
        "--since", type=_date, help="only crossings on or after this day (YYYY-MM-DD)"
    )
    parser.add_argument(
        "--template",
        type=Path,
        help="JSON or YAML file mapping the receiver's field names to columns "
        f"(default: every column under its own name: {', '.join(CROSSING_COLUMNS)}, "
        f"{', '.join(CONTACT_COLUMNS)})",
    )
    parser.add_argument(
        "--batch-size", type=_positive(int), default=100, help="crossings per request (100)"
    )
    parser.add_argument(
        "--timeout", type=_positive(float), default=10.0, help="seconds per request (10)"
    )
    parser.add_argument(
        "--max-attempts", type=_positive(int), default=8, help="attempts per request (8)"
    )
    parser.add_argument(
        "--backoff-base",
        type=_positive(float),
        default=0.5,
        help="seconds: the n-th retry waits a random time up to base * 2^n, at most 60 (0.5)",
    )
    parser.add_argument(
        "--log-schema", help="schema of the delivery log (default: the transitions mart's)"
    )
    parser.add_argument(
        "--dead-letter-file",
        type=Path,
        help="also append each dead-lettered crossing to this JSON Lines file",
    )
    parser.add_argument(
        "--retry-dead-letters",
        action="store_true",
        help="send the dead-lettered crossings again (after fixing what the receiver refused)",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="print what would be sent (without the token), send and log nothing",
    )
    parser.add_argument("--verbose", action="store_true", help="print progress to stderr")
    parser.set_defaults(handler=_run)
