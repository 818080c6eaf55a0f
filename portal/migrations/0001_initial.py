from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="RateCounter",
            fields=[
                (
                    "key",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=255),
                ),
                ("hits", fields.IntField()),
                (
                    "expires_at",
                    fields.FloatField(db_index=True, description="Unix time the window ends"),
                ),
            ],
            options={
                "table": "portal_rate_counter",
                "app": "portal",
                "pk_attr": "key",
                "table_description": "Hits of one limit and key in the current window (the database makes the increment atomic).",
            },
            bases=["Model"],
        ),
    ]
