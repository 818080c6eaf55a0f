from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("tracking", "0001_initial")]

    initial = False

    operations = [
        ops.CreateModel(
            name="CaseAccessKey",
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
                        related_name="access_keys",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "key_hash",
                    fields.CharField(
                        unique=True, description="sha256 of the secret", max_length=64
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "tracking_case_access_key",
                "app": "tracking",
                "pk_attr": "id",
                "table_description": "A further personal-link secret of a case (sent again on request), only its hash is kept.",
            },
            bases=["Model"],
        ),
    ]
