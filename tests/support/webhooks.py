"""A real HTTP receiver on 127.0.0.1 that verifies every request with `standardwebhooks`."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook

from support.served import free_port
from webhooks import subscriptions
from webhooks.worker import DeliveryWorker


@dataclass
class Request:
    webhook_id: str
    headers: dict[str, str]
    body: bytes
    at: float
    path: str

    @property
    def payload(self) -> dict:
        return json.loads(self.body)


#: Given a verified request, returns (status, extra headers).
Responder = Callable[[Request], tuple[int, dict[str, str]]]


@dataclass
class Receiver:
    secrets: list[str]
    port: int = field(default_factory=free_port)
    respond: Responder = lambda request: (200, {})
    delay: float = 0.0
    requests: list[Request] = field(default_factory=list)  # every verified request
    accepted: list[Request] = field(default_factory=list)  # those answered with 2xx
    rejected: list[str] = field(default_factory=list)  # why verification failed
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802
                declared = int(self.headers.get("content-length", 0))
                body = self.rfile.read(declared)
                if len(body) < declared:  # the sender died mid-request (SIGKILL tests):
                    self.close_connection = True  # an incomplete request is never handled
                    return
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, extra = receiver._handle(self.path, headers, body)
                if receiver.delay:
                    time.sleep(receiver.delay)
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _handle(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict]:
        for secret in self.secrets:
            try:
                Webhook(secret).verify(body, headers)
            except Exception as exc:  # any failure is a rejection
                with self._lock:
                    self.rejected.append(f"{type(exc).__name__}: {exc}")
                return 400, {}
        request = Request(headers["webhook-id"], headers, body, time.monotonic(), path)
        status, extra = self.respond(request)
        with self._lock:
            self.requests.append(request)
            if 200 <= status < 300:
                self.accepted.append(request)
        return status, extra

    def wait_for(self, predicate: Callable[[Receiver], bool], timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate(self):
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"receiver: condition not met in {timeout}s "
                    f"({len(self.accepted)} accepted, {len(self.requests)} requests, "
                    f"rejected {self.rejected[:3]})"
                )
            time.sleep(0.02)


FAST_SCHEDULE = (0.05, 0.1, 0.2, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3)


def worker(**options) -> DeliveryWorker:
    return DeliveryWorker(
        **{
            "retry_schedule": FAST_SCHEDULE,
            "timeout": 2.0,
            "lease_seconds": 5.0,
            "poll_seconds": 0.05,
            **options,
        }
    )


async def subscribe(receiver: Receiver, events: list[str] | None = None, path: str = "/hook"):
    """Subscribe the receiver (at `path`) to `events` (all when None) and let it verify with the
    new secret; returns the subscription. Call it where the database is open (`on_app`)."""
    subscription, secret = await subscriptions.add_subscription(
        receiver.url.replace("/hook", path), events
    )
    receiver.secrets = [secret]
    return subscription


async def until(predicate, timeout: float = 20.0) -> None:
    """Wait on the loop (so the worker runs) until a synchronous predicate holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def webhooks(receiver: Receiver, count: int) -> list[dict]:
    """The payloads of the first `count` accepted webhooks (waits up to 10 s), none rejected."""
    deadline = time.monotonic() + 10
    while len(receiver.accepted) < count and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    assert receiver.rejected == []
    return [r.payload for r in receiver.accepted]
