"""The portal's own worker (PORTAL_WORKER_IN_PROCESS, on by default) delivers after commit."""

from __future__ import annotations

import asyncio
import time

from tortoise.transactions import in_transaction

from support.client import on_app
from support.webhooks import Receiver, subscribe
from webhooks import outbox


async def test_the_app_delivers_an_event_soon_after_commit(client, receiver: Receiver) -> None:
    await on_app(client, lambda: subscribe(receiver))

    async def file_case() -> float:
        async with in_transaction():
            await outbox.enqueue("case.created", {"tracking_id": "K-1"}, case_key="K-1")
        return time.monotonic()

    committed = await on_app(client, file_case)
    deadline = time.monotonic() + 5
    while not receiver.accepted and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    assert receiver.accepted, "the in-process worker sent nothing"
    assert receiver.accepted[0].at - committed < 1.0
    assert receiver.rejected == []
