"""The customer's judgement of a resolved case."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Rating(Model):
    """One rating per case, changeable for a few days after it was first given."""

    id = fields.IntField(primary_key=True)
    case = fields.OneToOneField(
        "tracking.Case", related_name="rating", on_delete=fields.CASCADE
    )
    satisfaction = fields.SmallIntField(description="CSAT, 1 (very unhappy) to 5 (very happy)")
    solved = fields.BooleanField(description="the customer says the problem is solved")
    effort = fields.SmallIntField(description="CES, 1 (very hard) to 5 (very easy)")
    comment = fields.TextField(default="")
    language = fields.CharField(max_length=2)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "feedback_rating"
