"""A filled database of an earlier release upgrades: for every migration, the database just
before it, with a row in every table, takes the remaining migrations, keeps its rows, and the
portal started on it shows a customer's case and answers an FAQ search.

An empty database hides the failures that matter (SQLite and PostgreSQL refuse a NOT NULL
column without a default only on a table with rows), so the rows come first. Realistic ones:
what today's portal stored while used through its pages and APIs, written into the earlier
schema column by column; tables it left empty get one row made up from their column types.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from feedback.models import SearchOutcome
from portal.app import create_app
from portal.db import close_database, open_database, tortoise_config
from portal.settings import Settings
from support import upgrade as schema
from support.backoffice import bearer
from support.cases import API_CASE
from support.client import csrf_token, on_app, written
from support.environment import fresh_database, portal_env
from support.html import heading
from webhooks.subscriptions import add_subscription

STATES = schema.states_before_each_migration()
QUERY = "Rücksendung"


@dataclass(frozen=True)
class Filled:
    rows: dict[str, list[dict]]
    tracking_id: str
    status_link: str
    article_title: str


async def use_the_portal(client: AsyncTestClient) -> tuple[str, str]:
    """Search, open and rate an answer, file a case, ask for the links again, and let the back
    office subscribe and reply: what a season of customers leaves in the database."""
    await on_app(client, lambda: add_subscription("http://127.0.0.1:9/hooks"))
    results = await client.get("/faq/search", params={"q": QUERY})
    article = re.search(r'href="(/faq/de/[\w-]+)\?s=([\w-]+)"', results.text)
    page = await client.get(article[1], params={"s": article[2]})
    title = re.search(r"<h1[^>]*>([^<]+)</h1>", page.text)[1].strip()
    await client.post(
        f"{article[1]}/vote", data={"helpful": "yes", "_csrf_token": csrf_token(page.text)}
    )
    case = await client.post("/api/v1/cases", json=API_CASE)
    tracking_id = case.json()["tracking_id"]
    resend = await client.get("/track/resend")
    await client.post(
        "/track/resend", data={"email": API_CASE["email"], "_csrf_token": csrf_token(resend.text)}
    )
    reply = await client.post(
        f"/api/v1/backoffice/cases/{tracking_id}/events",
        json={"kind": "reply", "text": "Bitte senden Sie uns die Rechnung."},
        headers={**await bearer(client, "cases:read", "cases:write"), "Idempotency-Key": "r-1"},
    )
    assert reply.status_code < 300, reply.text
    return tracking_id, title


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Filled:
    """Today's portal, used for a while: every row it stored, a case's link, an answer found."""
    directory = tmp_path_factory.mktemp("used")

    async def run() -> Filled:
        with fresh_database(directory) as url:
            settings = Settings.from_env(portal_env(directory, url))
            async with AsyncTestClient(create_app(settings), base_url=settings.base_url) as client:
                tracking_id, title = await use_the_portal(client)
                await written(client, lambda: SearchOutcome.exists())  # written in batches
                rows = await on_app(client, schema.dump)
        mails = " ".join(str(row["body"]) for row in rows["tracking_mail"])
        link = re.search(rf"/track/{tracking_id}\?key=[\w-]+", mails)[0]
        return Filled(rows, tracking_id, link, title)

    return asyncio.run(run())


@pytest.mark.empty_database  # migrated here to an earlier state
@pytest.mark.parametrize("before", STATES, ids=lambda key: f"before-{key[0]}.{key[1]}")
async def test_filled_database_of_an_earlier_state_upgrades(
    before: tuple[str, str], filled: Filled, settings: Settings, tmp_path: Path
) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        await schema.migrate_to(tortoise_config(settings), STATES[before])
        stored = await schema.fill(filled.rows)
    finally:
        await close_database()
    assert all(stored.values()), f"tables left empty: {[t for t, n in stored.items() if not n]}"

    await open_database(settings)  # the upgrade, as `portal migrate` and `portal serve` run it
    try:
        kept = {table: await schema.count(table) for table in stored}
    finally:
        await close_database()
    assert kept == stored

    async with AsyncTestClient(create_app(settings), base_url=settings.base_url) as client:
        status = await client.get(filled.status_link)
        search = await client.get("/faq/search", params={"q": QUERY})
    assert status.status_code == 200
    assert heading(status.text) == f"Deine Anfrage {filled.tracking_id}"
    assert "Bitte senden Sie uns die Rechnung." in status.text
    assert search.status_code == 200 and filled.article_title in search.text
