import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="Article",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("slug", fields.CharField(max_length=120)),
                ("lang", fields.CharField(max_length=2)),
                ("title", fields.CharField(max_length=300)),
                ("category", fields.CharField(max_length=120)),
                (
                    "tags",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("body", fields.TextField(unique=False)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "faq_article",
                "app": "faq",
                "unique_together": (("slug", "lang"),),
                "pk_attr": "id",
                "table_description": "One article in one language, identified in public by (slug, lang).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ArticleVote",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("slug", fields.CharField(max_length=120)),
                ("lang", fields.CharField(max_length=2)),
                (
                    "voter",
                    fields.CharField(
                        description="hash of the browser's voter cookie", max_length=64
                    ),
                ),
                ("helpful", fields.BooleanField()),
                ("comment", fields.TextField(default="", unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "faq_vote",
                "app": "faq",
                "unique_together": (("slug", "lang", "voter"),),
                "pk_attr": "id",
                "table_description": 'A "was this helpful?" answer, one per browser and article (a later vote replaces it).',
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SearchLog",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("query", fields.CharField(description="personal data removed", max_length=500)),
                ("lang", fields.CharField(max_length=2)),
                ("result_count", fields.IntField()),
                (
                    "outcome",
                    fields.CharField(description="no_result or case_opened", max_length=20),
                ),
                (
                    "created_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True),
                ),
            ],
            options={
                "table": "faq_search_log",
                "app": "faq",
                "pk_attr": "id",
                "table_description": "A search that found nothing or led to a case: the knowledge gaps of level 0.",
            },
            bases=["Model"],
        ),
    ]
