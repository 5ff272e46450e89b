"""A webhook receiver for tests: loopback only, bounded, and failing on a script.

It stores each crossing of each batch it accepts by idempotency key (as a
real receiver would, to drop the keys it already has) and also keeps every
copy it received, so a test can tell "arrived exactly once" (distinct keys)
from "sent more than once" (copies). A script says what to do with the n-th
request: answer 200, fail with 500, 429 (with Retry-After), 422 or 401,
store the batch and answer only once the client gave up waiting (a timeout),
redirect, answer 404, store it and drop
the connection without answering, or store it and kill the sender.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

#: Every request is answered (or dropped) within this many seconds.
MAX_SECONDS_PER_REQUEST = 10.0


@dataclass
class Receiver:
    """What the server received and how it answers."""

    script: dict[int, str] = field(default_factory=dict)  # request number (1-based) -> action
    max_requests: int = 200
    refuse: set[str] = field(default_factory=set)  # contact ids answered with 422
    kill_pid: int | None = None
    requests: int = 0
    stored: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> crossing
    copies: Counter = field(default_factory=Counter)  # key -> how many times received
    unanswered: list[list[str]] = field(default_factory=list)  # stored batches never answered
    headers: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def handler_for(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        timeout = MAX_SECONDS_PER_REQUEST  # the socket's: a stalled client cannot hold it

        def wait_for_client_to_leave(self) -> None:
            """Answer late: wait until the client gave up (closed), at most the bound."""
            self.connection.settimeout(0.1)
            deadline = time.monotonic() + MAX_SECONDS_PER_REQUEST
            while time.monotonic() < deadline:
                try:
                    if self.connection.recv(1, socket.MSG_PEEK) == b"":
                        return
                except TimeoutError:
                    continue
                except OSError:
                    return

        def log_message(self, *args: Any) -> None:  # quiet
            del args

        def answer(self, status: int, body: dict[str, Any], **headers: str) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            with contextlib.suppress(OSError):  # the client gave up (timed out, was killed)
                self.wfile.write(data)

        def store(self, crossings: list[dict[str, Any]]) -> None:
            with receiver.lock:
                for crossing in crossings:
                    receiver.copies[crossing["idempotency_key"]] += 1
                    receiver.stored.setdefault(crossing["idempotency_key"], crossing)

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            crossings = body["crossings"]
            keys = [crossing["idempotency_key"] for crossing in crossings]
            with receiver.lock:
                receiver.requests += 1
                number = receiver.requests
                receiver.headers.append(dict(self.headers))
            action = receiver.script.get(number, "ok")
            if number > receiver.max_requests:
                self.answer(503, {"error": "request limit of the test server reached"})
            elif action == "500":
                self.answer(500, {"error": "internal"})
            elif action == "429":
                self.answer(429, {"error": "slow down"}, Retry_After="1")
            elif action == "401":
                self.answer(401, {"error": "bad token"})
            elif refused := [c for c in crossings if c.get("contact_id") in receiver.refuse]:
                self.answer(422, {"error": f"refused {refused[0]['contact_id']}"})
            elif action == "late":
                self.store(crossings)
                receiver.unanswered.append(keys)
                self.wait_for_client_to_leave()
                self.answer(200, {"accepted": len(crossings)})
            elif action == "redirect":
                self.answer(302, {"moved": True}, Location="/elsewhere")
            elif action == "404":
                self.answer(404, {"error": "no such hook"})
            elif action == "drop":
                self.store(crossings)
                receiver.unanswered.append(keys)
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
            elif action == "kill":
                self.store(crossings)
                receiver.unanswered.append(keys)
                assert receiver.kill_pid is not None
                os.kill(receiver.kill_pid, signal.SIGKILL)
                time.sleep(0.2)
                self.answer(200, {"accepted": len(crossings)})
            else:
                self.store(crossings)
                self.answer(200, {"accepted": len(crossings)})

    return Handler


class WebhookServer:
    """The receiver on 127.0.0.1, on a free port, in a thread; stopped on exit."""

    def __init__(self, receiver: Receiver):
        self.receiver = receiver
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(receiver))
        self.server.timeout = MAX_SECONDS_PER_REQUEST
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hooks/crossings"

    def __enter__(self) -> WebhookServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=MAX_SECONDS_PER_REQUEST)
