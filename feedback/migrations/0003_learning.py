from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("feedback", "0002_search_outcome")]

    initial = False

    operations = [
        ops.CreateModel(
            name="PhraseDecision",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("lang", fields.CharField(max_length=2)),
                ("article", fields.CharField(description="slug", max_length=120)),
                ("phrase", fields.CharField(description="normalised query", max_length=200)),
                ("action", fields.CharField(description="removed or promoted", max_length=10)),
                ("decided_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "feedback_phrase_decision",
                "app": "feedback",
                "unique_together": (("lang", "article", "phrase"),),
                "pk_attr": "id",
                "table_description": "An editor's decision on a learned phrasing.",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="SearchOutcome",
            name="visitor",
            field=fields.CharField(
                null=True,
                description="on shown: 16-bit bucket of the address, daily key",
                max_length=8,
            ),
        ),
    ]
