from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    initial = False

    operations = [
        ops.CreateModel(
            name="SearchOutcome",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "search",
                    fields.CharField(
                        db_index=True, description="random id per search", max_length=32
                    ),
                ),
                (
                    "step",
                    fields.CharField(
                        description="shown, opened, helpful, not_helpful or case", max_length=20
                    ),
                ),
                (
                    "query",
                    fields.CharField(
                        default="", description="normalised, on shown and case", max_length=500
                    ),
                ),
                (
                    "lang",
                    fields.CharField(
                        description="language of the results or the article", max_length=2
                    ),
                ),
                ("result_count", fields.IntField(default=0)),
                (
                    "article",
                    fields.CharField(
                        default="", description="slug, on opened and votes", max_length=120
                    ),
                ),
                (
                    "created_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True),
                ),
            ],
            options={
                "table": "feedback_search_outcome",
                "app": "feedback",
                "pk_attr": "id",
                "table_description": "One step of an FAQ search: results shown, article opened, vote, case filed.",
            },
            bases=["Model"],
        ),
    ]
