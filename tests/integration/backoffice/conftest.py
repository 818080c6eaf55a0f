"""Fixtures for webhook delivery: a database opened on the test's loop and a real receiver."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from webhook_support import Receiver

from portal.db import close_database, open_database
from portal.settings import Settings


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Settings]:
    """The portal database, opened on this test's event loop (no app running)."""
    await open_database(settings)
    try:
        yield settings
    finally:
        await close_database()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A started receiver; tests set `receiver.secrets` after subscribing."""
    rec = Receiver(secrets=[]).start()
    try:
        yield rec
    finally:
        rec.stop()
