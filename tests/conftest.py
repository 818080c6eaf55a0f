"""Shared fixtures: settings with a private data directory and database, the app, a client.

Set PORTAL_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run the same suite on
PostgreSQL: every test then gets a database of its own, created from that server and dropped after.
"""

from __future__ import annotations

import asyncio
import subprocess
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from litestar.testing import AsyncTestClient

from portal.app import create_app
from portal.settings import Settings
from support.environment import PG_URL
from support.mail import Inbox
from support.served import free_port


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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last: sync Playwright keeps an event loop running in the main thread,
    which async tests collected after it in the same process would trip over."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)

