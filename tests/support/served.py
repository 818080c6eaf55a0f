"""A real `portal serve` process on a free port, and talking to it over HTTP."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence

import httpx

from support.cases import API_CASE


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def portal_process(env: dict[str, str], *args: str) -> Iterator[str]:
    """Run `portal serve` in a real process; yields its base URL once /healthz answers."""
    with portal_server(env, *args) as (base, _):
        yield base


@contextlib.contextmanager
def portal_server(env: dict[str, str], *args: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """`portal_process` that also yields the process, for a test that signals it itself."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "portal", "serve", "--port", str(port), *args],
        env={**os.environ, **env, "PORTAL_BASE_URL": base},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    raise RuntimeError(f"portal did not start:\n{proc.stdout.read()}") from None
                time.sleep(0.05)  # a start takes seconds; every tenth of one counts per test
        yield base, proc
    finally:
        stop(proc)


def stop(proc: subprocess.Popen) -> None:
    """Ask a server process to stop as a service manager does; kill it after 10 s."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def api_token(env: dict[str, str], base: str, scopes: Sequence[str] = ("cases:write",)) -> str:
    """A client made with the CLI on the served portal's database, and a token for it."""
    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "portal",
            "clients",
            "create",
            "test",
            "--scopes",
            *scopes,
            "--json",
        ],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    client = json.loads(made.stdout)
    basic = base64.b64encode(f"{client['client_id']}:{client['client_secret']}".encode()).decode()
    response = httpx.post(
        base + "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"authorization": f"Basic {basic}"},
        timeout=10,
    )
    return response.json()["access_token"]


def back_office_event(env: dict[str, str], base: str, tracking_id: str, event: dict) -> None:
    """The back office posts an event on a case through its real OAuth-protected API."""
    response = httpx.post(
        f"{base}/api/v1/backoffice/cases/{tracking_id}/events",
        json=event,
        headers={"authorization": f"Bearer {api_token(env, base)}"},
        timeout=10,
    )
    assert response.status_code in (200, 201), response.text


def file_by_api(base: str, case: dict | None = None) -> str:
    """File a case through POST /api/v1/cases; returns its tracking ID."""
    response = httpx.post(base + "/api/v1/cases", json=case or API_CASE, timeout=20)
    assert response.status_code == 201, response.text
    return response.json()["tracking_id"]


def lookup_form(
    browser: httpx.Client | httpx.AsyncClient, tracking_id: str, email: str
) -> dict[str, str]:
    """The lookup form of /track/ as this browser sends it, with the CSRF token of its cookie
    (set by the first page it loaded)."""
    return {
        "tracking_id": tracking_id,
        "email": email,
        "_csrf_token": browser.cookies["portal_csrf"],
    }


async def csrf_session(base: str, **client: object) -> httpx.AsyncClient:
    """A browser that has loaded the lookup form, so it holds the `portal_csrf` cookie the
    forms need; `client`: more httpx.AsyncClient arguments. The caller closes it."""
    browser = httpx.AsyncClient(base_url=base, **{"timeout": 60, **client})
    await browser.get("/track/")
    return browser


async def customer(base: str, tracking_id: str, connections: int = 10) -> httpx.AsyncClient:
    """A browser session with access to the case (lookup by tracking ID and email); the caller
    closes it."""
    browser = await csrf_session(base, limits=httpx.Limits(max_connections=connections))
    response = await browser.post(
        "/track/", data=lookup_form(browser, tracking_id, API_CASE["email"])
    )
    assert response.status_code == 303 and tracking_id in response.headers["location"], (
        response.text
    )
    return browser


def lookup_statuses(bases: list[str], forwarded_for: list[str | None]) -> list[int]:
    """Status of one tracking lookup (POST /track/, CSRF token included) per address in
    `forwarded_for` (None: no header), sent to `bases` in turn: what the lookup rate limit counts."""

    async def lookups() -> list[int]:
        async with contextlib.aclosing(await csrf_session(bases[0], timeout=10)) as browser:
            form = lookup_form(browser, "K7M4", "a@example.org")
            return [
                (
                    await browser.post(
                        f"{bases[n % len(bases)]}/track/",
                        data=form,
                        headers={"x-forwarded-for": ip} if ip else {},
                    )
                ).status_code
                for n, ip in enumerate(forwarded_for)
            ]

    return asyncio.run(lookups())
