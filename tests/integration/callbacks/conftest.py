"""The callback tests run the portal with a calendar that is open every day."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from litestar.testing import AsyncTestClient

from portal.app import create_app
from portal.db import close_database, open_database
from portal.settings import Settings
from tests.integration.callbacks.callback_support import EVERY_DAY


@pytest.fixture
def env(env: dict[str, str]) -> dict[str, str]:
    return {**env, "PORTAL_CALLBACK_FILE": str(EVERY_DAY)}


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Settings]:
    """The portal database on this test's event loop (service tests, no app)."""
    await open_database(settings)
    try:
        yield settings
    finally:
        await close_database()


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(app=create_app(settings), base_url="http://testserver.local") as c:
        yield c
