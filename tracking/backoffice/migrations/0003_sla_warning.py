from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("backoffice", "0002_idempotent_request")]

    initial = False

    operations = [
        ops.CreateModel(
            name="SlaWarning",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("case_id", fields.IntField(description="tracking_case.id")),
                (
                    "target",
                    fields.CharField(description="first_response or resolution", max_length=20),
                ),
                ("due", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "backoffice_sla_warning",
                "app": "backoffice",
                "unique_together": (("case_id", "target"),),
                "pk_attr": "id",
                "table_description": "A `case.sla_warning` that went out, so each case is warned once per target.",
            },
            bases=["Model"],
        ),
    ]
