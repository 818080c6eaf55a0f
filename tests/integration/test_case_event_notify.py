"""The PostgreSQL trigger that wakes live pages comes with the migrations, not with a start."""

from __future__ import annotations

import pytest
from tortoise import connections

from portal.db import close_database, open_database
from portal.settings import Settings
from support.environment import PG_URL


@pytest.mark.skipif(not PG_URL, reason="NOTIFY is PostgreSQL's; other databases poll")
@pytest.mark.empty_database
async def test_migrating_installs_the_timeline_notify_trigger(settings: Settings) -> None:
    await open_database(settings)  # what `portal migrate` runs; no app starts
    try:
        rows = await connections.get("default").execute_query_dict(
            "SELECT tgname FROM pg_trigger"
            " WHERE tgrelid = 'tracking_case_event'::regclass AND NOT tgisinternal"
        )
    finally:
        await close_database()
    assert [row["tgname"] for row in rows] == ["portal_case_event_notify"]
