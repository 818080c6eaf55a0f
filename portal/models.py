"""The web layer's one table: rate-limit counters when there is no Redis (see portal.ratelimits)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class RateCounter(Model):
    """Hits of one limit and key in the current window (the database makes the increment atomic)."""

    key = fields.CharField(max_length=255, primary_key=True)
    hits = fields.IntField()
    expires_at = fields.FloatField(db_index=True, description="Unix time the window ends")

    class Meta:
        table = "portal_rate_counter"
