import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("backoffice", "0001_initial")]

    initial = False

    operations = [
        ops.CreateModel(
            name="IdempotentRequest",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "client_id",
                    fields.CharField(
                        description="the OAuth client that sent the key", max_length=64
                    ),
                ),
                ("key", fields.CharField(description="the Idempotency-Key header", max_length=200)),
                (
                    "fingerprint",
                    fields.CharField(
                        description="sha256 of the target and body, a reused key must match",
                        max_length=64,
                    ),
                ),
                ("status_code", fields.SmallIntField()),
                (
                    "response",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "backoffice_idempotent_request",
                "app": "backoffice",
                "unique_together": (("client_id", "key"),),
                "pk_attr": "id",
                "table_description": "The first answer to a back-office POST, replayed when the client retries with its key.",
            },
            bases=["Model"],
        ),
    ]
