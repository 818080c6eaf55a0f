"""The customer's judgement of a resolved case."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Rating(Model):
    """One rating per case, changeable for a few days after it was first given."""

    id = fields.IntField(primary_key=True)
    case = fields.OneToOneField("tracking.Case", related_name="rating", on_delete=fields.CASCADE)
    satisfaction = fields.SmallIntField(description="CSAT, 1 (very unhappy) to 5 (very happy)")
    solved = fields.BooleanField(description="the customer says the problem is solved")
    effort = fields.SmallIntField(description="CES, 1 (very hard) to 5 (very easy)")
    comment = fields.TextField(default="")
    language = fields.CharField(max_length=2)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "feedback_rating"


class SearchOutcome(Model):
    """One step of an FAQ search: results shown, article opened, vote, case filed.

    No personal data: the query is normalised (personal data removed, case folded) and
    `search` is a random id that only links the steps of one search, not a visitor.
    """

    id = fields.IntField(primary_key=True)
    search = fields.CharField(max_length=32, db_index=True, description="random id per search")
    step = fields.CharField(
        max_length=20, description="shown, opened, helpful, not_helpful or case"
    )
    query = fields.CharField(
        max_length=500, default="", description="normalised, on shown and case"
    )
    lang = fields.CharField(max_length=2, description="language of the results or the article")
    result_count = fields.IntField(default=0)
    article = fields.CharField(max_length=120, default="", description="slug, on opened and votes")
    visitor = fields.CharField(
        max_length=8, null=True, description="on shown: 16-bit bucket of the address, daily key"
    )  # nullable: a column added to a filled table (SQLite adds no NOT NULL column without default)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "feedback_search_outcome"


class PhraseDecision(Model):
    """An editor's decision on a learned phrasing.

    Removed: its evidence up to `decided_at` no longer counts. Promoted: into the article's
    tags (no longer learned, it is a tag). The first line is the table's description in the
    migrations.
    """

    id = fields.IntField(primary_key=True)
    lang = fields.CharField(max_length=2)
    article = fields.CharField(max_length=120, description="slug")
    phrase = fields.CharField(max_length=200, description="normalised query")
    action = fields.CharField(max_length=10, description="removed or promoted")
    decided_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "feedback_phrase_decision"
        unique_together = (("lang", "article", "phrase"),)
