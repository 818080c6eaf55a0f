"""Back-office API clients, replayable requests and the SLA warnings that went out."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


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
