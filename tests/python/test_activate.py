"""`leadscoring activate`: every threshold crossing reaches the webhook exactly once.

The crossings are hand-written rows of lead_scoring__score_transitions (and
the contacts' columns of lead_scoring__scores, the bands of the staging
model), put where dbt would build them for the target (dbt ls says where), on
DuckDB and PostgreSQL: the delivery logic is what is tested here, the marts
are tested by the builds of the other modules. The receiver is a local HTTP
server (tests/python/webhook_server.py) that fails on a script: 500, 429 with
Retry-After, an answer too late for the sender (after storing the batch), a
connection dropped after storing the batch, and the sender killed (SIGKILL)
after the batch was stored. Runs are repeated until one ends cleanly; then
every crossing selected has arrived, each distinct key once, and the only
crossings received twice are those of the batches stored but never answered.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from leadscoring import activate, cli

from tests.python.warehouse import Warehouse, warehouses
from tests.python.webhook_server import Receiver, WebhookServer

TOKEN = "s3cret-token-of-the-test"
# Named as in the demo seeds: the qualified bands in capitals (names match whatever the case).
BANDS = [("cold", 0), ("warm", 20), ("hot", 40), ("MQL", 60), ("SQL", 80)]
RANK = {band: rank for rank, (band, _) in enumerate(BANDS, start=1)}
MARTS_YML = Path(__file__).resolve().parents[2] / "models" / "marts" / "_marts.yml"


def crossing(contact, model, day, from_band, to_band, direction, before, after):
    """A row of lead_scoring__score_transitions."""
    on = date(2026, 5, day)
    return (
        contact, model, on, datetime.combine(on + timedelta(days=1), datetime.min.time()),
        from_band, to_band, RANK.get(from_band), RANK.get(to_band), direction, before, after,
    )  # fmt: skip


# By hand: which of these reach mql (rank 4) or above from below it.
HAND_ROWS = [
    crossing("c01", "default", 1, "cold", "warm", "up", 5, 25),  # no: reaches warm
    crossing("c01", "default", 3, "warm", "MQL", "up", 25, 65),  # yes: 2 -> 4
    crossing("c02", "default", 2, None, "hot", "entered", None, 45),  # no: enters at hot
    crossing("c03", "default", 2, None, "SQL", "entered", None, 90),  # yes: enters at sql
    crossing("c04", "default", 4, "hot", "SQL", "up", 45, 85),  # yes: 3 -> 5
    crossing("c05", "default", 4, "MQL", "SQL", "up", 70, 85),  # no: was mql already
    crossing("c06", "emea", 5, "warm", "MQL", "up", 30, 61),  # yes: 2 -> 4 in emea
    crossing("c07", "default", 5, "SQL", "hot", "down", 85, 50),  # no: down
    crossing("c08", "emea", 6, "hot", None, "left", 41, None),  # no: left
]
# Filler for the delivery runs: up from cold to warm, never reaching mql.
FILLER = [
    crossing(f"c{n:02d}", "default", 10 + n % 7, "cold", "warm", "up", 10, 20 + n)
    for n in range(10, 26)
]
ROWS = HAND_ROWS + FILLER
#: Default selection (directions up and entered): every row but c07's down and c08's left.
SELECTED = [row for row in ROWS if row[8] in ("up", "entered")]
REACHING_MQL = {("c01", "default", "MQL"), ("c03", "default", "SQL"), ("c04", "default", "SQL"),
                ("c06", "emea", "MQL")}  # fmt: skip

TRANSITIONS_DDL = (
    "contact_id varchar, score_model varchar, transitioned_on date, transitioned_at timestamp, "
    "from_band varchar, to_band varchar, from_band_rank integer, to_band_rank integer, "
    "direction varchar, previous_total_score integer, total_score integer"
)


def identity(item: dict) -> tuple:
    """What identifies a crossing in a payload of the default template."""
    return (item["contact_id"], item["score_model"], item["transitioned_on"], item["to_band"])


def expected_identities(rows: list[tuple]) -> set[tuple]:
    return {(r[0], r[1], r[2].isoformat(), r[5]) for r in rows}


@pytest.fixture(
    scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def warehouse(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Warehouse]:
    """The hand-written crossings where dbt would build them, on each warehouse."""
    tmp = tmp_path_factory.mktemp(f"activate_{request.param}")
    conninfo = lambda: request.getfixturevalue("pg_conninfo")  # noqa: E731
    # A schema of its own: test runs sharing one PostgreSQL server do not meet.
    name = f"test_activate_{uuid.uuid4().hex[:8]}"
    for wh in warehouses(request.param, tmp, conninfo, name):
        schema, staging = wh.schema, f"{wh.schema}_staging"
        wh.execute(f'create schema if not exists "{schema}"')
        wh.execute(f'create schema if not exists "{staging}"')
        wh.execute(f"create table {schema}.lead_scoring__score_transitions ({TRANSITIONS_DDL})")
        wh.execute(
            f"create table {schema}.lead_scoring__scores (contact_id varchar, score_model "
            "varchar, email varchar, first_name varchar, last_name varchar, job_title varchar, "
            "company_name varchar)"
        )
        wh.execute(
            f"create table {staging}.stg_lead_scoring__score_bands "
            "(score_model varchar, band varchar, min_score integer)"
        )
        values = ", ".join("(" + ", ".join(literal(v) for v in row) + ")" for row in ROWS)
        wh.execute(f"insert into {schema}.lead_scoring__score_transitions values {values}")
        contacts = sorted({(row[0], row[1]) for row in ROWS})
        wh.execute(
            f"insert into {schema}.lead_scoring__scores values "
            + ", ".join(
                f"('{c}', '{m}', '{c}@example.com', 'First {c}', 'Last', 'CTO', 'Acme')"
                for c, m in contacts
            )
        )
        wh.execute(
            f"insert into {staging}.stg_lead_scoring__score_bands values "
            + ", ".join(f"('{m}', '{b}', {s})" for m in ("default", "emea") for b, s in BANDS)
        )
        # Where dbt builds them for this target (test_dbt_ls_finds_them_there checks it),
        # so that each run of the command needs no parse of the project.
        database = "warehouse" if wh.target == "duckdb" else "lead_scoring"
        nodes = {
            f"model.lead_scoring.{name}": {
                "resource_type": "model", "name": name, "database": database,
                "schema": schema_of, "alias": alias, "config": {"enabled": True},
            }
            for name, schema_of, alias in [
                ("lead_scoring__score_transitions", schema,
                 "lead_scoring__score_transitions__shadow"),
                ("lead_scoring__scores", schema, "lead_scoring__scores__shadow"),
                ("stg_lead_scoring__score_bands", staging, "stg_lead_scoring__score_bands"),
            ]
        }  # fmt: skip
        (tmp / "manifest.json").write_text(json.dumps({"nodes": nodes}))
        yield wh


def literal(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return f"timestamp '{value.isoformat(sep=' ')}'"
    if isinstance(value, date):
        return f"date '{value.isoformat()}'"
    return f"'{value}'"


def command(wh: Warehouse, *args: str, manifest: bool = True) -> list[str]:
    located = ["--manifest", str(wh.tmp / "manifest.json")] if manifest else []
    return [
        sys.executable, "-m", "leadscoring", "activate", "--project-dir", str(wh.project),
        "--profiles-dir", str(wh.project), "--target", wh.target, *located, *args,
    ]  # fmt: skip


def run(
    wh: Warehouse, *args: str, token: str | None = TOKEN, manifest: bool = True
) -> subprocess.CompletedProcess:
    """Run the command in this process (no start-up of Python and dbt): its code and output."""
    env = {**wh.env, "LEAD_SCORING_WEBHOOK_TOKEN": token}
    saved = {name: os.environ.get(name) for name in env}
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        for name, value in env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = cli.main(command(wh, *args, manifest=manifest)[3:])
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return subprocess.CompletedProcess(args, code, stdout.getvalue(), stderr.getvalue())


def log_rows(wh: Warehouse, destination: str) -> list[tuple]:
    return wh.query(
        f"select idempotency_key, contact_id, score_model, to_band, status, http_status "
        f"from {wh.schema}.lead_scoring__activation_log where destination = '{destination}' "
        "order by contact_id, score_model, to_band"
    )


# A 3 s client timeout: the "late" request times out (the receiver answers only after
# the client gave up), an ordinary one on a loaded machine does not.
FAST = ("--timeout", "3", "--backoff-base", "0.05", "--max-attempts", "4")


def test_the_columns_read_are_the_marts(warehouse: Warehouse) -> None:
    """The columns activate reads exist in the marts as _marts.yml declares them."""
    declared = {m["name"]: [c["name"] for c in m["columns"]]
                for m in yaml.safe_load(MARTS_YML.read_text())["models"]}  # fmt: skip
    assert set(activate.CROSSING_COLUMNS) == set(declared["lead_scoring__score_transitions"])
    assert set(activate.CONTACT_COLUMNS) <= set(declared["lead_scoring__scores"])
    assert warehouse.query(
        f"select count(*) from {warehouse.schema}.lead_scoring__score_transitions"
    ) == [(len(ROWS),)]


def test_every_crossing_arrives_exactly_once_through_failures_and_a_kill(
    warehouse: Warehouse,
) -> None:
    # 23 crossings selected, batches of 3: 8 batches. Request 1 fails (500), 2 is
    # throttled (429, Retry-After: 1), 3 delivers batch 1; 4 stores batch 2 and
    # answers too late, 5 delivers it again; 6 stores batch 3 and drops the
    # connection, 7 delivers it again; 8 stores batch 4 and kills the sender.
    # The next run starts at batch 4 (never logged): request 9 delivers it again.
    # Request 11 fails (500) once more in the second run.
    assert len(SELECTED) == 23
    receiver = Receiver(
        script={1: "500", 2: "429", 4: "late", 6: "drop", 8: "kill", 11: "500"}, max_requests=40
    )
    env = {**os.environ, **warehouse.env, "LEAD_SCORING_WEBHOOK_TOKEN": TOKEN}
    outputs = []
    with WebhookServer(receiver) as server:
        args = ("--url", server.url, "--batch-size", "3", "--destination", "crm", *FAST)
        first = subprocess.Popen(
            command(warehouse, *args), cwd=warehouse.project, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        receiver.kill_pid = first.pid
        out, err = first.communicate(timeout=120)
        outputs += [out, err]
        assert first.returncode == -9, err  # killed by the receiver, after request 8
        assert receiver.requests == 8
        # Batches 1 to 3 were logged before the kill; nothing of batch 4.
        assert len(log_rows(warehouse, "crm")) == 9

        second = run(warehouse, *args)
        outputs += [second.stdout, second.stderr]
        assert second.returncode == 0, second.stderr
        assert second.stdout.startswith(
            "14 crossings delivered in 6 requests (1 retries), 0 dead-lettered, 0 pending, "
            "9 delivered before"
        )
        assert receiver.requests == 8 + 6

        third = run(warehouse, *args)  # nothing left: no request at all
        outputs += [third.stdout, third.stderr]
        assert third.returncode == 0, third.stderr
        assert third.stdout.startswith("0 crossings delivered in 0 requests")
        assert receiver.requests == 14

    # Arrived: each selected crossing, under one key, and only those.
    assert {identity(item) for item in receiver.stored.values()} == expected_identities(SELECTED)
    assert len(receiver.stored) == len(SELECTED)
    # Sent twice: exactly the crossings of the three batches stored but never answered.
    assert len(receiver.unanswered) == 3
    twice = {key for keys in receiver.unanswered for key in keys}
    assert len(twice) == 9
    assert receiver.copies == Counter({key: 2 if key in twice else 1 for key in receiver.stored})
    # The delivery log: each crossing once, delivered.
    logged = log_rows(warehouse, "crm")
    assert sorted(row[0] for row in logged) == sorted(receiver.stored)
    assert {row[4] for row in logged} == {"delivered"}
    # The token went in the Authorization header, and nowhere else.
    assert {h["Authorization"] for h in receiver.headers} == {f"Bearer {TOKEN}"}
    assert all(TOKEN not in text for text in outputs)
    assert all(TOKEN not in json.dumps(item) for item in receiver.stored.values())
    # One Idempotency-Key per batch content: a batch sent again has the same key.
    assert len({h["Idempotency-Key"] for h in receiver.headers}) == 8


def test_keys_are_stable_and_the_template_renames(warehouse: Warehouse, tmp_path: Path) -> None:
    template = tmp_path / "template.yml"
    template.write_text("LeadId: contact_id\nEmail: email\nRating: to_band\nScore: total_score\n")
    receiver = Receiver()
    with WebhookServer(receiver) as server:
        plain = run(warehouse, "--url", server.url, "--destination", "plain", *FAST)
        assert plain.returncode == 0, plain.stderr
        receiver.stored.clear()
        result = run(
            warehouse, "--url", server.url, "--destination", "renamed", "--template",
            str(template), "--band", "MQL", "--batch-size", "10", *FAST,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    items = sorted(receiver.stored.values(), key=lambda item: item["LeadId"])
    assert [{k: v for k, v in item.items() if k != "idempotency_key"} for item in items] == [
        {"LeadId": "c01", "Email": "c01@example.com", "Rating": "MQL", "Score": 65},
        {"LeadId": "c03", "Email": "c03@example.com", "Rating": "SQL", "Score": 90},
        {"LeadId": "c04", "Email": "c04@example.com", "Rating": "SQL", "Score": 85},
        {"LeadId": "c06", "Email": "c06@example.com", "Rating": "MQL", "Score": 61},
    ]
    # The same crossings have the same keys for any destination and template.
    keys = {(row[1], row[2], row[3]): row[0] for row in log_rows(warehouse, "plain")}
    assert len(keys) == len(SELECTED)
    assert {(r[1], r[2], r[3]): r[0] for r in log_rows(warehouse, "renamed")} == {
        key: keys[key] for key in REACHING_MQL
    }


def test_a_refused_crossing_is_dead_lettered_alone(warehouse: Warehouse, tmp_path: Path) -> None:
    # The receiver refuses c04 (422): its batch of 4 is split, 2 + 2, then 1 + 1.
    receiver = Receiver(refuse={"c04"})
    dead = tmp_path / "dead.jsonl"
    with WebhookServer(receiver) as server:
        args = ("--url", server.url, "--destination", "strict", "--band", "mql",
                "--batch-size", "4", "--dead-letter-file", str(dead), *FAST)  # fmt: skip
        result = run(warehouse, *args)
        assert result.returncode == 3, result.stderr  # dead letters: a scheduler sees it
        assert result.stdout.startswith(
            "3 crossings delivered in 5 requests (0 retries), 1 dead-lettered, 0 pending"
        )
        assert sorted(item["contact_id"] for item in receiver.stored.values()) == [
            "c01", "c03", "c06",
        ]  # fmt: skip
        rows = log_rows(warehouse, "strict")
        assert [(r[1], r[4], r[5]) for r in rows] == [
            ("c01", "delivered", 200), ("c03", "delivered", 200),
            ("c04", "dead_letter", 422), ("c06", "delivered", 200),
        ]  # fmt: skip
        [letter] = [json.loads(line) for line in dead.read_text().splitlines()]
        assert (letter["http_status"], letter["crossing"]["contact_id"]) == (422, "c04")
        assert letter["detail"] == 'HTTP 422: {"error": "refused c04"}'

        # Not sent again; sent again with --retry-dead-letters once the receiver takes it.
        again = run(warehouse, *args)
        assert again.stdout.startswith("0 crossings delivered in 0 requests")
        receiver.refuse.clear()
        retried = run(warehouse, *args, "--retry-dead-letters")
        assert retried.stdout.startswith("1 crossings delivered in 1 requests")
    assert [(r[1], r[4]) for r in log_rows(warehouse, "strict")] == [
        ("c01", "delivered"), ("c03", "delivered"), ("c04", "delivered"), ("c06", "delivered"),
    ]  # fmt: skip


def test_a_refused_token_stops_the_run_and_dead_letters_nothing(warehouse: Warehouse) -> None:
    receiver = Receiver(script={1: "401"})
    with WebhookServer(receiver) as server:
        result = run(warehouse, "--url", server.url, "--destination", "auth", *FAST)
    assert result.returncode == 2
    assert "the receiver refused the token (HTTP 401" in result.stderr
    assert result.stdout.startswith("0 crossings delivered in 1 requests (0 retries), 0 dead")
    assert log_rows(warehouse, "auth") == []


@pytest.mark.parametrize("answer", ["redirect", "404"])
def test_a_wrong_url_stops_the_run_and_dead_letters_nothing(
    warehouse: Warehouse, answer: str
) -> None:
    # A redirect is not followed (urllib would resend the POST as a GET without its body,
    # and the token to the new address); a 404 says the address is wrong, not the crossings.
    receiver = Receiver(script={1: answer})
    with WebhookServer(receiver) as server:
        result = run(warehouse, "--url", server.url, "--destination", f"wrong_{answer}", *FAST)
    assert result.returncode == 2
    status = "302" if answer == "redirect" else "404"
    assert f"the URL answered HTTP {status}" in result.stderr
    assert "Nothing was dead-lettered" in result.stderr
    assert result.stdout.startswith("0 crossings delivered in 1 requests (0 retries), 0 dead")
    assert receiver.requests == 1
    assert log_rows(warehouse, f"wrong_{answer}") == []


def test_no_token_no_run_and_the_dry_run_sends_nothing(warehouse: Warehouse) -> None:
    missing = run(warehouse, "--url", "http://127.0.0.1:9/", token=None)
    assert missing.returncode == 1
    assert "LEAD_SCORING_WEBHOOK_TOKEN holding the receiver's token is not set" in missing.stderr
    local_file = run(warehouse, "--url", "file:///etc/hostname")
    assert local_file.returncode == 1
    assert "--url 'file:///etc/hostname' is not an http or https address" in local_file.stderr

    dry = run(warehouse, "--dry-run", "--band", "mql", "--score-model", "default")
    assert dry.returncode == 0, dry.stderr
    # dbt ls finds the relations the other runs read from the manifest written by hand.
    located = run(warehouse, "--dry-run", "--band", "mql", "--score-model", "default",
                  manifest=False)  # fmt: skip
    assert (located.returncode, located.stdout) == (0, dry.stdout), located.stderr
    lines = dry.stdout.splitlines()
    assert lines[0].startswith("dry run: 3 crossings to deliver in 1 requests")
    # Oldest first: c03 on May 2, c01 on May 3, c04 on May 4.
    assert [json.loads(line.strip())["contact_id"] for line in lines[2:]] == ["c03", "c01", "c04"]
    assert TOKEN not in dry.stdout + dry.stderr

    unknown = run(warehouse, "--dry-run", "--band", "lukewarm")
    assert unknown.returncode == 1
    assert (
        "no band 'lukewarm' in score model(s) default, emea. Fix: use one of cold, warm, hot, "
        "MQL, SQL." in unknown.stderr
    )


def test_retry_after_and_backoff() -> None:
    assert activate.retry_after("3") == 3.0
    assert activate.retry_after("100000") == activate.MAX_RETRY_AFTER_SECONDS
    assert activate.retry_after("soon") is None
    assert activate.retry_after("nan") is None
    assert activate.retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    sender = activate.Sender("http://x", None, "d", backoff_base=0.5, backoff_cap=4.0)
    waits = [sender.backoff(attempt) for attempt in range(6) for _ in range(50)]
    assert all(0 <= wait <= min(4.0, 0.5 * 2 ** (i // 50)) for i, wait in enumerate(waits))
