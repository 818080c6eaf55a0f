"""Fixtures of the integration tests: the database on the test's own loop, a webhook receiver."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from portal.db import close_database, open_database
from portal.settings import Settings
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
