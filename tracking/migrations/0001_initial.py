import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="Case",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "tracking_id",
                    fields.CharField(
                        unique=True, description="public id such as K7M4-Q2XR-9TBDH", max_length=16
                    ),
                ),
                (
                    "submission_key",
                    fields.CharField(
                        unique=True,
                        description="hash of the form or API idempotency key",
                        max_length=64,
                    ),
                ),
                (
                    "access_token_hash",
                    fields.CharField(
                        description="sha256 of the personal tracking link secret", max_length=64
                    ),
                ),
                ("status", fields.CharField(default="received", max_length=20)),
                ("source", fields.CharField(description="form or api", max_length=10)),
                ("language", fields.CharField(max_length=2)),
                ("request_type", fields.CharField(max_length=40)),
                ("product", fields.CharField(max_length=40)),
                ("urgency", fields.CharField(max_length=20)),
                ("customer_type", fields.CharField(max_length=10)),
                ("channel", fields.CharField(max_length=20)),
                ("level", fields.SmallIntField(description="support level 1, 2 or 3")),
                ("department", fields.CharField(max_length=40)),
                ("priority", fields.CharField(max_length=10)),
                ("name", fields.CharField(max_length=100)),
                ("email", fields.CharField(max_length=254)),
                ("phone", fields.CharField(default="", description="E.164", max_length=20)),
                ("street", fields.CharField(default="", max_length=120)),
                ("postcode", fields.CharField(default="", max_length=10)),
                ("city", fields.CharField(default="", max_length=80)),
                ("company", fields.CharField(default="", max_length=120)),
                ("customer_number", fields.CharField(default="", max_length=12)),
                ("description", fields.TextField(unique=False)),
                (
                    "details",
                    fields.JSONField(
                        default=dict,
                        description="the extra fields of the request type",
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                (
                    "deflection",
                    fields.JSONField(
                        default=dict,
                        description="FAQ query, articles shown and opened",
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("first_response_due", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("resolution_due", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "created_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True),
                ),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "tracking_case",
                "app": "tracking",
                "pk_attr": "id",
                "table_description": "A customer's request, classified and routed on intake.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Attachment",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "case",
                    fields.ForeignKeyField(
                        "tracking.Case",
                        source_field="case_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="attachments",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("storage_name", fields.CharField(unique=True, max_length=32)),
                (
                    "filename",
                    fields.CharField(description="display name only, never a path", max_length=120),
                ),
                (
                    "content_type",
                    fields.CharField(
                        description="from the file content, not the client", max_length=40
                    ),
                ),
                ("size", fields.IntField()),
                ("sha256", fields.CharField(max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "tracking_attachment",
                "app": "tracking",
                "pk_attr": "id",
                "table_description": "A file the customer sent, stored under a random name in the data directory.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="CaseEvent",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "case",
                    fields.ForeignKeyField(
                        "tracking.Case",
                        source_field="case_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="events",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("kind", fields.CharField(max_length=40)),
                (
                    "data",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "tracking_case_event",
                "app": "tracking",
                "pk_attr": "id",
                "table_description": "One entry of a case's timeline, oldest first.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="OutgoingMail",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "case",
                    fields.ForeignKeyField(
                        "tracking.Case",
                        source_field="case_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="mails",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("kind", fields.CharField(max_length=40)),
                ("recipient", fields.CharField(max_length=254)),
                ("subject", fields.CharField(max_length=200)),
                (
                    "body",
                    fields.TextField(
                        description="emptied once sent, it may hold a tracking link secret",
                        unique=False,
                    ),
                ),
                (
                    "status",
                    fields.CharField(
                        default="pending",
                        description="pending, sending, sent, failed",
                        max_length=10,
                    ),
                ),
                ("attempts", fields.IntField(default=0)),
                (
                    "next_attempt_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False),
                ),
                ("last_error", fields.CharField(default="", max_length=300)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("sent_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "tracking_mail",
                "app": "tracking",
                "pk_attr": "id",
                "table_description": "An email written with the change that caused it and sent after commit, with retries.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SuggestionOpened",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "draft",
                    fields.CharField(
                        db_index=True, description="hash of the form draft id", max_length=64
                    ),
                ),
                ("slug", fields.CharField(max_length=120)),
                ("lang", fields.CharField(max_length=2)),
                (
                    "case",
                    fields.ForeignKeyField(
                        "tracking.Case",
                        source_field="case_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="opened_suggestions",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "tracking_suggestion_opened",
                "app": "tracking",
                "pk_attr": "id",
                "table_description": "An FAQ answer suggested on the case form that the customer opened.",
            },
            bases=["Model"],
        ),
    ]
