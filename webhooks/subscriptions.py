"""Managing subscriptions and looking into the outbox (used by the CLI)."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from webhooks import events
from webhooks.models import DEAD, PENDING, OutboxEvent, WebhookSubscription
from webhooks.signing import new_secret


class SubscriptionError(ValueError):
    """A subscription request is invalid; the message says why."""


async def add_subscription(
    url: str, event_types: list[str] | None = None
) -> tuple[WebhookSubscription, str]:
    """Create an active subscription with a fresh secret; the secret is returned once."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SubscriptionError(f"not an absolute http(s) URL: {url!r}")
    try:
        events.check(list(event_types or ()))
    except events.UnknownEventType as exc:
        raise SubscriptionError(str(exc)) from None
    secret = new_secret()
    subscription = await WebhookSubscription.create(
        url=url, secrets=[secret], event_types=sorted(set(event_types or ()))
    )
    return subscription, secret


async def get_subscription(subscription_id: int) -> WebhookSubscription:
    subscription = await WebhookSubscription.get_or_none(id=subscription_id)
    if subscription is None:
        raise SubscriptionError(f"no webhook subscription {subscription_id}")
    return subscription


async def rotate_secret(
    subscription_id: int, *, finish: bool = False
) -> tuple[WebhookSubscription, str]:
    """Add a new secret (old and new both sign), or with `finish` keep only the newest."""
    subscription = await get_subscription(subscription_id)
    if finish:
        subscription.secrets = subscription.secrets[-1:]
        secret = subscription.secrets[-1]
    else:
        secret = new_secret()
        subscription.secrets = [*subscription.secrets[-1:], secret]
    await subscription.save(update_fields=["secrets", "updated_at"])
    return subscription, secret


async def set_active(subscription_id: int, active: bool) -> WebhookSubscription:
    subscription = await get_subscription(subscription_id)
    subscription.active = active
    subscription.disabled_reason = "" if active else "disabled by an operator"
    await subscription.save(update_fields=["active", "disabled_reason", "updated_at"])
    return subscription


async def remove_subscription(subscription_id: int) -> None:
    """Delete a subscription and its outbox rows."""
    await (await get_subscription(subscription_id)).delete()


async def list_subscriptions() -> list[WebhookSubscription]:
    return await WebhookSubscription.all().order_by("id")


async def deliveries(*, failed: bool = False, limit: int = 50) -> list[OutboxEvent]:
    """Newest rows first; `failed`: dead rows and pending rows with a failed attempt."""
    query = OutboxEvent.all()
    if failed:
        query = query.filter(status__in=(DEAD, PENDING), attempts__gt=0)
    return await query.order_by("-id").limit(limit)


async def replay(webhook_id: str) -> int:
    """Send an event again (same webhook id) to every subscription that had it; returns rows."""
    return await OutboxEvent.filter(webhook_id=webhook_id).update(
        status=PENDING,
        attempts=0,
        next_attempt_at=datetime.now(UTC),
        locked_until=None,
        lease=None,
        delivered_at=None,
    )
