"""Every delivery is signed to the Standard Webhooks spec and verifies with `standardwebhooks`."""

from __future__ import annotations

import time

from standardwebhooks import Webhook
from tortoise.transactions import in_transaction

from support.webhooks import subscribe, until, worker
from webhooks import outbox, subscriptions
from webhooks.signing import new_secret, signed_headers


def test_signature_matches_the_reference_implementation() -> None:
    secret, body, ts = new_secret(), b'{"type":"case.created"}', int(time.time())
    headers = signed_headers([secret], "msg_abc", ts, body)
    reference = Webhook(secret).sign("msg_abc", _utc(ts), body.decode())
    assert headers["webhook-signature"] == reference
    assert Webhook(secret).verify(body, headers) == {"type": "case.created"}


def _utc(ts: int):
    from datetime import UTC, datetime

    return datetime.fromtimestamp(ts, UTC)


async def test_delivered_event_verifies_and_carries_the_payload(db, receiver) -> None:
    await subscribe(receiver)
    async with in_transaction():
        await outbox.enqueue("case.created", {"tracking_id": "K-1"}, case_key="K-1")
    async with worker().running():
        await until(lambda: receiver.accepted)
    request = receiver.accepted[0]
    assert receiver.rejected == []
    assert request.webhook_id.startswith("msg_")
    assert request.payload["type"] == "case.created"
    assert request.payload["data"] == {"tracking_id": "K-1"}
    assert "timestamp" in request.payload


async def test_during_rotation_old_and_new_secrets_both_verify(db, receiver) -> None:
    subscription, old = await subscriptions.add_subscription(receiver.url)
    _, new = await subscriptions.rotate_secret(subscription.id)
    receiver.secrets = [old, new]  # the receiver checks each secret on its own
    async with in_transaction():
        await outbox.enqueue("case.updated", {"n": 1})
    async with worker().running():
        await until(lambda: receiver.accepted)
    assert receiver.rejected == []
    assert len(receiver.accepted[0].headers["webhook-signature"].split(" ")) == 2

    await subscriptions.rotate_secret(subscription.id, finish=True)
    receiver.secrets = [new]
    async with in_transaction():
        await outbox.enqueue("case.updated", {"n": 2})
    async with worker().running():
        await until(lambda: len(receiver.accepted) == 2)
    assert len(receiver.accepted[1].headers["webhook-signature"].split(" ")) == 1
    assert receiver.rejected == []
