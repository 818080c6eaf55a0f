"""Fixtures of the integration tests: the database on the test's own loop, a webhook receiver,
a back-office token."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest

from portal.db import close_database, open_database
from portal.settings import Settings
from support.backoffice import bearer
from support.environment import REDIS, redis_running
from support.webhooks import Receiver


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Settings]:
    """The portal database, opened on this test's event loop (service tests, no app running)."""
    await open_database(settings)
    try:
        yield settings
    finally:
        await close_database()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A started receiver that verifies every request; tests set `receiver.secrets` after
    subscribing."""
    rec = Receiver(secrets=[]).start()
    try:
        yield rec
    finally:
        rec.stop()


@pytest.fixture
async def auth(client) -> dict[str, str]:
    """Headers with a real back-office token (cases:read and cases:write) for the app."""
    return await bearer(client, "cases:read", "cases:write")


@pytest.fixture(params=["database", "redis"])
def counters(request, env) -> dict[str, str]:
    """Where the counters live: the database, or Redis when PORTAL_REDIS_URL is set."""
    if request.param == "database":
        return env
    if not redis_running():
        pytest.skip("no Redis on 127.0.0.1:6379")
    return {
        **env,
        "PORTAL_REDIS_URL": f"redis://{REDIS[0]}:{REDIS[1]}/0",
        "PORTAL_REDIS_NAMESPACE": f"test-{uuid.uuid4().hex}",  # parallel runs share the server
    }
