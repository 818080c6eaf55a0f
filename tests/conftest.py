"""Shared fixtures: settings with a private data directory and database, the app, a client.

Set PORTAL_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run the same suite on
PostgreSQL: every test then gets a database of its own, created from that server and dropped after.
Each test's database starts migrated, as a copy of a template migrated once per test process;
`@pytest.mark.empty_database` gives a test an empty one (to see the migrations run).
"""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from portal.app import create_app
from portal.settings import Settings
from support.environment import fresh_database, migrated_template, portal_env
from support.mail import Inbox
from support.served import free_port


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database with every migration applied, made once per test process."""
    with migrated_template(tmp_path_factory.mktemp("migrated")) as url:
        yield url


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """SQLite file per test, or a PostgreSQL database per test: a copy of the migrated
    template (the portal finds nothing to migrate), or empty for a test marked
    `empty_database`."""
    empty = request.node.get_closest_marker("empty_database") is not None
    template = None if empty else request.getfixturevalue("migrated")
    with fresh_database(tmp_path, template) as url:
        yield url


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
