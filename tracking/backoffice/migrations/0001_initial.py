import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="ApiClient",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("client_id", fields.CharField(unique=True, max_length=64)),
                ("name", fields.CharField(max_length=200)),
                (
                    "secret_hash",
                    fields.CharField(
                        description="sha256 of a 256-bit random secret, hex", max_length=128
                    ),
                ),
                (
                    "scopes",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("active", fields.BooleanField(default=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "backoffice_client",
                "app": "backoffice",
                "pk_attr": "id",
                "table_description": "A back-office system allowed to get access tokens (OAuth2 client credentials).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="WebhookSubscription",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("url", fields.CharField(max_length=2000)),
                (
                    "secrets",
                    fields.JSONField(
                        default=list,
                        description="whsec_ shared secrets, oldest first, all sign during rotation",
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                (
                    "event_types",
                    fields.JSONField(
                        default=list,
                        description="event types sent, empty means all",
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("active", fields.BooleanField(default=True)),
                ("disabled_reason", fields.CharField(default="", max_length=200)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "webhook_subscription",
                "app": "backoffice",
                "pk_attr": "id",
                "table_description": "A back-office endpoint that receives signed events, optionally filtered by type.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="OutboxEvent",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "webhook_id",
                    fields.CharField(description="msg_ id, stable across retries", max_length=40),
                ),
                (
                    "subscription",
                    fields.ForeignKeyField(
                        "backoffice.WebhookSubscription",
                        source_field="subscription_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="events",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("event_type", fields.CharField(max_length=64)),
                (
                    "case_key",
                    fields.CharField(
                        null=True, description="events of one case are sent in order", max_length=64
                    ),
                ),
                (
                    "payload",
                    fields.TextField(
                        description="the exact JSON body sent, fixed at enqueue time", unique=False
                    ),
                ),
                (
                    "status",
                    fields.CharField(
                        default="pending", description="pending, delivered, dead", max_length=10
                    ),
                ),
                ("attempts", fields.IntField(default=0)),
                ("next_attempt_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "locked_until",
                    fields.DatetimeField(
                        null=True,
                        description="lease of the worker sending it",
                        auto_now=False,
                        auto_now_add=False,
                    ),
                ),
                (
                    "lease",
                    fields.CharField(
                        null=True, description="token of the claiming worker", max_length=32
                    ),
                ),
                (
                    "last_status",
                    fields.IntField(null=True, description="HTTP status of the last attempt"),
                ),
                ("last_error", fields.CharField(default="", max_length=500)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "delivered_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "webhook_outbox",
                "app": "backoffice",
                "unique_together": (("subscription_id", "webhook_id"),),
                "indexes": [
                    Index(fields=["status", "next_attempt_at"]),
                    Index(fields=["subscription_id", "case_key", "status"]),
                ],
                "pk_attr": "id",
                "table_description": "One event for one subscription, written in the transaction of the change that caused it.",
            },
            bases=["Model"],
        ),
    ]
