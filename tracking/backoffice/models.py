"""Webhook subscriptions and the outbox rows the delivery worker sends from."""

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


class ApiClient(Model):
    """A back-office system allowed to get access tokens (OAuth2 client credentials)."""

    id = fields.IntField(primary_key=True)
    client_id = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=200)
    secret_hash = fields.CharField(
        max_length=128, description="sha256 of a 256-bit random secret, hex"
    )
    scopes = fields.JSONField(default=list)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "backoffice_client"


class IdempotentRequest(Model):
    """The first answer to a back-office POST, replayed when the client retries with its key."""

    id = fields.IntField(primary_key=True)
    client_id = fields.CharField(max_length=64, description="the OAuth client that sent the key")
    key = fields.CharField(max_length=200, description="the Idempotency-Key header")
    fingerprint = fields.CharField(
        max_length=64, description="sha256 of the target and body, a reused key must match"
    )
    status_code = fields.SmallIntField()
    response = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "backoffice_idempotent_request"
        unique_together = (("client_id", "key"),)


class SlaWarning(Model):
    """A `case.sla_warning` that went out, so each case is warned once per target."""

    id = fields.IntField(primary_key=True)
    case_id = fields.IntField(description="tracking_case.id")
    target = fields.CharField(max_length=20, description="first_response or resolution")
    due = fields.DatetimeField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "backoffice_sla_warning"
        unique_together = (("case_id", "target"),)
