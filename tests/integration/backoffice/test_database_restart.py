"""PostgreSQL drops every connection during load (as on a restart or failover), while
customers file cases concurrently: a transaction cut off is tried once more, a request that
still fails answers 503 (never 500), nothing is lost or half-stored, and the portal recovers
without a restart: cases are filed, webhooks delivered, live pages woken again."""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest

from support.cases import API_CASE
from support.environment import PG_URL
from support.served import api_token, portal_process
from support.webhooks import Receiver

pytestmark = pytest.mark.skipif(not PG_URL, reason="a PostgreSQL restart needs PostgreSQL")


async def drop_all_connections(database_url: str) -> int:
    parts = urlsplit(database_url)
    conn = await asyncpg.connect(urlunsplit(("postgresql", *parts[1:])))
    try:
        rows = await conn.fetch(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return len(rows)
    finally:
        await conn.close()


async def test_portal_recovers_from_dropped_connections(env) -> None:
    env = {
        **env,
        "PORTAL_CASE_RATE_LIMIT": "100000",
        "PORTAL_WEBHOOK_RETRY_SCHEDULE": "0.2,0.5,1,1,1,1,1,1,1,1",
        # an event whose claim committed just before its connection died is retried when its
        # lease runs out: short here, so that happens within the test's deadline
        "PORTAL_WEBHOOK_LEASE_SECONDS": "3",
        "PORTAL_WEBHOOK_TIMEOUT": "2",
    }
    receiver = Receiver(secrets=[]).start()
    try:
        with portal_process(env) as base:
            token = await asyncio.to_thread(api_token, env, base, ["cases:read"])
            async with httpx.AsyncClient(base_url=base, timeout=20) as http:
                from portal.db import close_database, open_database
                from portal.settings import Settings  # the served database, opened from here
                from webhooks import subscriptions

                await open_database(Settings.from_env(env))
                try:
                    _, secret = await subscriptions.add_subscription(receiver.url, ["case.created"])
                finally:
                    await close_database()
                receiver.secrets = [secret]

                created, refused = [], []

                async def file(n: int) -> None:
                    body = {**API_CASE, "email": f"k{n}@example.com"}
                    for _attempt in range(20):  # a client retries a 503 with the same key
                        response = await http.post(
                            "/api/v1/cases", json=body, headers={"idempotency-key": f"r{n}"}
                        )
                        if response.status_code in (200, 201):
                            created.append(response.json()["tracking_id"])
                            return
                        assert response.status_code == 503, response.text
                        refused.append(n)
                        await asyncio.sleep(0.2)

                async def drop_while_filing() -> None:  # a restart, then two failovers
                    for _ in range(3):
                        await asyncio.sleep(0.3)
                        await drop_all_connections(env["PORTAL_DATABASE_URL"])

                dropping = asyncio.create_task(drop_while_filing())
                for first in range(0, 60, 6):  # six customers at a time, connections dropped
                    await asyncio.gather(*(file(n) for n in range(first, first + 6)))
                await dropping
                print(f"dropped connections: {len(refused)} answers were 503, none 500")
                assert len(created) == 60 and len(set(created)) == 60

                for _attempt in range(20):  # a dropped connection may still answer one 503
                    listed = await http.get(
                        "/api/v1/backoffice/cases",
                        params={"limit": 200},
                        headers={"authorization": f"Bearer {token}"},
                    )
                    if listed.status_code != 503:
                        break
                    await asyncio.sleep(0.2)
                assert listed.status_code == 200, listed.text
                assert sorted(case["tracking_id"] for case in listed.json()["items"]) == sorted(
                    created
                )
                deadline = time.monotonic() + 30
                while (
                    len({r.webhook_id for r in receiver.accepted}) < 60
                    and time.monotonic() < deadline
                ):
                    await asyncio.sleep(0.1)
                delivered = sorted({r.payload["data"]["tracking_id"] for r in receiver.accepted})
                assert delivered == sorted(created)
                assert (await http.get("/healthz")).status_code == 200
    finally:
        receiver.stop()
