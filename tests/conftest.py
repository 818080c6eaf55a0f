"""Shared fixtures: settings with a private data directory and database, the app, a client.

Set PORTAL_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run the same suite on
PostgreSQL: every test then gets a database of its own, created from that server and dropped after.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from litestar.testing import AsyncTestClient

from portal.app import create_app
from portal.settings import Settings

PG_URL = os.environ.get("PORTAL_TEST_DATABASE_URL", "")


def _pg_admin(sql: str) -> None:
    import asyncpg

    async def run() -> None:
        parts = urlsplit(PG_URL)
        conn = await asyncpg.connect(urlunsplit(("postgresql", *parts[1:])))
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    # in a thread of its own: browser tests have Playwright's event loop running here
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, run()).result()


@contextlib.contextmanager
def fresh_database(directory: Path) -> Iterator[str]:
    """An empty database: a SQLite file in `directory`, or a PostgreSQL database of its own,
    created on that server and dropped afterwards."""
    if not PG_URL:
        yield f"sqlite://{directory / 'portal.sqlite3'}"
        return
    name = f"portal_test_{uuid.uuid4().hex[:12]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    parts = urlsplit(PG_URL)
    try:
        yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """SQLite file per test, or a fresh PostgreSQL database per test."""
    with fresh_database(tmp_path) as url:
        yield url


def portal_env(directory: Path, database_url: str) -> dict[str, str]:
    """The environment a test portal runs with, its data kept in `directory`."""
    return {
        "PORTAL_DATA_DIR": str(directory / "data"),
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_SECRET_KEY": "test-secret-key-" + "x" * 32,
        "PORTAL_BASE_URL": "http://testserver.local",
        "PORTAL_LOG_LEVEL": "WARNING",
    }


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> dict[str, str]:
    """The environment a test portal runs with (also used for real server processes)."""
    return portal_env(tmp_path, database_url)


@pytest.fixture
def settings(env: dict[str, str]) -> Settings:
    return Settings.from_env(env)


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[AsyncTestClient]:
    app = create_app(settings)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as test_client:
        yield test_client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def portal_process(env: dict[str, str], *args: str) -> Iterator[str]:
    """Run `portal serve` in a real process; yields its base URL once /healthz answers."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "portal", "serve", "--port", str(port), *args],
        env={**os.environ, **env, "PORTAL_BASE_URL": base},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
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
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


class Inbox:
    """What a real SMTP server (aiosmtpd) received, parsed as a mail client does."""

    def __init__(self) -> None:
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd hook name)
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def wait(self, count: int = 1, timeout: float = 10.0) -> list:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


@pytest.fixture
def smtp() -> Iterator[tuple[int, Inbox]]:
    """A real SMTP server on 127.0.0.1: its port and its inbox."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """An 8 MB filesystem of its own (tmpfs), so it can be filled without touching the real disk."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("mounting a tmpfs needs root")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill_disk(disk: Path) -> None:
    with open(disk / "filler", "wb", buffering=0) as filler:
        try:
            while True:
                filler.write(b"\0" * 65536)
        except OSError:
            pass


REDIS = ("127.0.0.1", 6379)


def redis_running() -> bool:
    """Tests that need Redis are skipped without it (CI has it on 127.0.0.1:6379)."""
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    import re

    match = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


async def on_app(client: AsyncTestClient, fn, *args):
    """Run an async callable on the app's event loop, where its database connections live."""
    return await asyncio.to_thread(client.blocking_portal.call, fn, *args)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last: sync Playwright keeps an event loop running in the main thread,
    which async tests collected after it in the same process would trip over."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


async def written(client: AsyncTestClient, fn, timeout: float = 5.0):
    """The result of `fn` on the app's loop once it is non-empty: for records the portal
    writes in batches (the search log, search outcomes)."""
    deadline = time.monotonic() + timeout
    while True:
        result = await on_app(client, fn)
        if result or time.monotonic() > deadline:
            return result
        await asyncio.sleep(0.05)
