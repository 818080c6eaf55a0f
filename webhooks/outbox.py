"""The transactional outbox: events are rows written with the change that caused them.

Call `enqueue` inside the caller's `in_transaction()`; the rows commit or roll back with the
change, and the delivery worker sends them after commit. The request path never sends HTTP.

One row per (event, matching subscription): each subscription has its own attempts, retry
time and dead-letter state, and a worker claims rows without joining another table. All rows
of one event share its `msg_` webhook id.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from webhooks import events
from webhooks.models import OutboxEvent, WebhookSubscription


def new_webhook_id() -> str:
    return "msg_" + secrets.token_urlsafe(18)


async def enqueue(event_type: str, data: dict, *, case_key: str | None = None) -> None:
    """Write `event_type` for every active subscription that wants it (in the caller's transaction)."""
    events.check([event_type])  # a misspelt type would reach no filtered subscription
    subscriptions = [
        s for s in await WebhookSubscription.filter(active=True) if s.wants(event_type)
    ]
    if not subscriptions:
        return
    now = datetime.now(UTC)
    body = json.dumps(
        {"type": event_type, "timestamp": now.isoformat(), "data": data},
        separators=(",", ":"),
        ensure_ascii=False,
        default=_json_default,
    )
    webhook_id = new_webhook_id()
    await OutboxEvent.bulk_create(
        [
            OutboxEvent(
                webhook_id=webhook_id,
                subscription_id=subscription.id,
                event_type=event_type,
                case_key=case_key,
                payload=body,
                next_attempt_at=now,
            )
            for subscription in subscriptions
        ]
    )
    wake_workers()


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


# --- waking in-process workers -------------------------------------------------------------
# The enqueueing transaction has not committed yet when `enqueue` returns, so a poke makes
# the worker poll briskly for a short while instead of once.

_wakers: dict[Callable[[], None], asyncio.AbstractEventLoop] = {}
_wakers_lock = threading.Lock()


def register_waker(callback: Callable[[], None], loop: asyncio.AbstractEventLoop) -> None:
    """`callback` runs on `loop` after every enqueue in this process."""
    with _wakers_lock:
        _wakers[callback] = loop


def unregister_waker(callback: Callable[[], None]) -> None:
    with _wakers_lock:
        _wakers.pop(callback, None)


def wake_workers() -> None:
    with _wakers_lock:
        wakers = list(_wakers.items())
    for callback, loop in wakers:
        if not loop.is_closed():
            loop.call_soon_threadsafe(callback)
