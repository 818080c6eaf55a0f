"""What the worker does with answers other than 2xx."""

from __future__ import annotations

import asyncio

from tortoise.transactions import in_transaction

from support.webhooks import Receiver, subscribe, until, worker
from webhooks import outbox, subscriptions
from webhooks.models import DEAD, DELIVERED, PENDING, OutboxEvent, WebhookSubscription


async def _enqueue(n: int = 1, case_key: str | None = "K-1") -> None:
    for i in range(n):
        async with in_transaction():
            await outbox.enqueue("case.updated", {"i": i}, case_key=case_key)


async def test_410_disables_the_subscription(db, receiver) -> None:
    subscription = await subscribe(receiver)
    receiver.respond = lambda request: (410, {})
    await _enqueue(2)
    clock = Receiver(secrets=[]).start()  # a second subscriber shows the worker moved on
    try:
        _, secret = await subscriptions.add_subscription(clock.url)
        clock.secrets = [secret]
        async with worker().running():
            await until(lambda: receiver.requests)
            while (await WebhookSubscription.get(id=subscription.id)).active:
                await asyncio.sleep(0.02)
            async with in_transaction():  # claimed in a round after the disabling
                await outbox.enqueue("case.updated", {"marker": True}, case_key="K-2")
            await until(lambda: any(r.payload["data"] == {"marker": True} for r in clock.accepted))
        # the worker stopped after finishing what it began: nothing more can arrive
    finally:
        clock.stop()
    await subscription.refresh_from_db()
    assert not subscription.active
    assert "410" in subscription.disabled_reason
    assert len(receiver.requests) == 1, "sent to a disabled subscription"
    assert await OutboxEvent.filter(status=PENDING).count() == 2  # kept for a re-enable


async def test_429_retry_after_is_honoured(db, receiver) -> None:
    await subscribe(receiver)
    answers = iter([(429, {"retry-after": "1"})])
    receiver.respond = lambda request: next(answers, (200, {}))
    await _enqueue(1)
    async with worker().running():  # its own schedule would retry after 0.05 s
        await until(lambda: receiver.accepted)
    first, second = receiver.requests
    assert first.webhook_id == second.webhook_id
    assert second.at - first.at >= 0.95


async def test_redirect_is_not_followed_and_counts_as_failure(db, receiver) -> None:
    await subscribe(receiver, path="/old")
    receiver.respond = lambda request: (
        (307, {"location": receiver.url}) if request.path == "/old" else (200, {})
    )
    await _enqueue(1)
    async with worker(retry_schedule=(0.05,)).running():
        await until(lambda: len(receiver.requests) >= 2)
        await asyncio.sleep(0.2)
    assert {request.path for request in receiver.requests} == {"/old"}
    row = await OutboxEvent.get()
    assert (row.status, row.attempts, row.last_status) == (DEAD, 2, 307)


async def test_exhausted_event_is_dead_and_unblocks_its_case(db, receiver) -> None:
    await subscribe(receiver)
    receiver.respond = lambda request: (500, {}) if request.payload["data"]["i"] == 0 else (200, {})
    await _enqueue(2)
    async with worker(retry_schedule=(0.02, 0.02)).running():
        await until(lambda: receiver.accepted)
    first, second = await OutboxEvent.all().order_by("id")
    assert (first.status, first.attempts, first.last_status) == (DEAD, 3, 500)
    assert second.status == DELIVERED
    assert [r.payload["data"]["i"] for r in receiver.requests] == [0, 0, 0, 1]


async def test_a_failing_case_does_not_block_other_cases(db, receiver) -> None:
    await subscribe(receiver)
    receiver.respond = lambda request: (
        (500, {}) if request.payload["data"].get("stuck") else (200, {})
    )
    async with in_transaction():
        await outbox.enqueue("case.updated", {"stuck": True}, case_key="K-1")
        await outbox.enqueue("case.updated", {"stuck": False}, case_key="K-2")
    async with worker(retry_schedule=(30,)).running():
        await until(lambda: receiver.accepted)
    assert receiver.accepted[0].payload["data"] == {"stuck": False}
    assert await WebhookSubscription.filter(active=True).count() == 1
