"""Webhook subscriptions and the outbox rows the delivery worker sends from.

The two tables predate this package: they keep the Tortoise app label "backoffice" and the
migrations in tracking/backoffice/migrations, so existing databases need nothing.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

PENDING = "pending"
DELIVERED = "delivered"
DEAD = "dead"


class WebhookSubscription(Model):
    """A back-office endpoint that receives signed events, optionally filtered by type."""

    id = fields.IntField(primary_key=True)
    url = fields.CharField(max_length=2000)
    secrets = fields.JSONField(
        default=list, description="whsec_ shared secrets, oldest first, all sign during rotation"
    )
    event_types = fields.JSONField(default=list, description="event types sent, empty means all")
    active = fields.BooleanField(default=True)
    disabled_reason = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "webhook_subscription"

    def wants(self, event_type: str) -> bool:
        return self.active and (not self.event_types or event_type in self.event_types)


class OutboxEvent(Model):
    """One event for one subscription, written in the transaction of the change that caused it."""

    id = fields.BigIntField(primary_key=True)
    webhook_id = fields.CharField(max_length=40, description="msg_ id, stable across retries")
    subscription: fields.ForeignKeyRelation[WebhookSubscription] = fields.ForeignKeyField(
        "backoffice.WebhookSubscription", related_name="events", on_delete=fields.CASCADE
    )
    subscription_id: int
    event_type = fields.CharField(max_length=64)
    case_key = fields.CharField(
        max_length=64, null=True, description="events of one case are sent in order"
    )
    payload = fields.TextField(description="the exact JSON body sent, fixed at enqueue time")
    status = fields.CharField(
        max_length=10, default=PENDING, description="pending, delivered, dead"
    )
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    locked_until = fields.DatetimeField(null=True, description="lease of the worker sending it")
    lease = fields.CharField(max_length=32, null=True, description="token of the claiming worker")
    last_status = fields.IntField(null=True, description="HTTP status of the last attempt")
    last_error = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    delivered_at = fields.DatetimeField(null=True)

    class Meta:
        table = "webhook_outbox"
        unique_together = (("subscription_id", "webhook_id"),)
        indexes = (("status", "next_attempt_at"), ("subscription_id", "case_key", "status"))
