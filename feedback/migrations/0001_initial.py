from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("tracking", "0001_initial")]

    initial = True

    operations = [
        ops.CreateModel(
            name="Rating",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "case",
                    fields.OneToOneField(
                        "tracking.Case",
                        source_field="case_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="rating",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "satisfaction",
                    fields.SmallIntField(description="CSAT, 1 (very unhappy) to 5 (very happy)"),
                ),
                (
                    "solved",
                    fields.BooleanField(description="the customer says the problem is solved"),
                ),
                ("effort", fields.SmallIntField(description="CES, 1 (very hard) to 5 (very easy)")),
                ("comment", fields.TextField(default="", unique=False)),
                ("language", fields.CharField(max_length=2)),
                (
                    "created_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True),
                ),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "feedback_rating",
                "app": "feedback",
                "pk_attr": "id",
                "table_description": "One rating per case, changeable for a few days after it was first given.",
            },
            bases=["Model"],
        ),
    ]
