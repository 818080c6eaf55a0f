from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("tracking", "0001_initial")]

    initial = True

    operations = [
        ops.CreateModel(
            name="Callback",
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
                        related_name="callbacks",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "slot_start",
                    fields.DatetimeField(
                        db_index=True, description="UTC", auto_now=False, auto_now_add=False
                    ),
                ),
                (
                    "slot_end",
                    fields.DatetimeField(description="UTC", auto_now=False, auto_now_add=False),
                ),
                ("phone", fields.CharField(description="E.164", max_length=20)),
                ("language", fields.CharField(max_length=2)),
                ("note", fields.CharField(default="", max_length=500)),
                (
                    "status",
                    fields.CharField(
                        default="requested",
                        description="requested, cancelled, done or missed",
                        max_length=10,
                    ),
                ),
                (
                    "reminded_at",
                    fields.DatetimeField(
                        null=True,
                        description="set once the reminder is queued",
                        auto_now=False,
                        auto_now_add=False,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "callbacks_callback",
                "app": "callbacks",
                "pk_attr": "id",
                "table_description": "A call the customer asked for at a chosen slot, in a chosen language.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="CallbackSeat",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "slot_start",
                    fields.DatetimeField(description="UTC", auto_now=False, auto_now_add=False),
                ),
                ("seat", fields.SmallIntField(description="0 to capacity - 1")),
                (
                    "callback",
                    fields.OneToOneField(
                        "callbacks.Callback",
                        source_field="callback_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="seat",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
            ],
            options={
                "table": "callbacks_seat",
                "app": "callbacks",
                "unique_together": (("slot_start", "seat"),),
                "pk_attr": "id",
                "table_description": "One of the `capacity` places of a slot: the unique pair makes overbooking impossible.",
            },
            bases=["Model"],
        ),
    ]
