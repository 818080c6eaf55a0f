"""Outbox rows commit and roll back with the change that caused them."""

from __future__ import annotations

import pytest
from tortoise.transactions import in_transaction

from webhooks import outbox, subscriptions
from webhooks.events import UnknownEventType
from webhooks.models import OutboxEvent


class Boom(Exception):
    pass


async def test_a_rolled_back_change_leaves_no_event(db) -> None:
    await subscriptions.add_subscription("http://127.0.0.1:9/hook")
    with pytest.raises(Boom):
        async with in_transaction():
            await outbox.enqueue("case.created", {"tracking_id": "K-1"}, case_key="K-1")
            raise Boom
    assert await OutboxEvent.all().count() == 0


async def test_one_row_per_matching_subscription_sharing_the_webhook_id(db) -> None:
    await subscriptions.add_subscription("http://127.0.0.1:9/all")
    await subscriptions.add_subscription("http://127.0.0.1:9/billing", ["case.created"])
    await subscriptions.add_subscription("http://127.0.0.1:9/ratings", ["case.rated"])
    async with in_transaction():
        await outbox.enqueue("case.created", {"tracking_id": "K-1"}, case_key="K-1")
    rows = await OutboxEvent.all()
    assert len(rows) == 2
    assert len({row.webhook_id for row in rows}) == 1
    assert rows[0].payload == rows[1].payload


async def test_no_subscription_no_row(db) -> None:
    async with in_transaction():
        await outbox.enqueue("case.created", {})
    assert await OutboxEvent.all().count() == 0


async def test_an_unknown_event_type_is_refused_before_anything_is_written(db) -> None:
    await subscriptions.add_subscription("http://127.0.0.1:9/all")
    with pytest.raises(UnknownEventType, match="case.craeted"):
        async with in_transaction():
            await outbox.enqueue("case.craeted", {"tracking_id": "K-1"}, case_key="K-1")
    assert await OutboxEvent.all().count() == 0
