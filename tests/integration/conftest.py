"""Fixtures of the integration tests: the database on the test's own loop, a webhook receiver,
a back-office token."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from portal.db import close_database, open_database
from portal.settings import Settings
from support.backoffice import bearer
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
