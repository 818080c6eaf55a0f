"""Ratings: a resolved case's customer judges the service once, and may change it for a while.

Opening a rating link records nothing (mail scanners prefetch links): only `rate`, called
for the customer's explicit submit, stores. The rating, its timeline entry and the
`case.rated` webhook are one transaction, so the back office never misses a rating the
customer saw accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from feedback.models import Rating
from shared.refused import Refused
from shared.text import clean_text
from tracking import states
from tracking.links import RATE_PATH, RATE_PURPOSE
from tracking.models import Case, CaseEvent
from tracking.service import TrackingService

MAX_COMMENT = 2000
#: At or below this satisfaction, or "not solved", the customer is offered a way back.
LOW_SATISFACTION = 2


class RatingRefused(Refused):
    """Nothing was stored; `code`: not_resolved, already_rated, invalid, too_long (`max`)."""

    topic = "rating"


@dataclass(frozen=True, slots=True)
class RatingInput:
    satisfaction: int
    solved: bool
    effort: int
    comment: str = ""

    def checked(self) -> RatingInput:
        if not (1 <= self.satisfaction <= 5 and 1 <= self.effort <= 5):
            raise RatingRefused("invalid")
        comment = clean_text(self.comment, multiline=True)
        if len(comment) > MAX_COMMENT:  # refused, never cut: the form shows it back whole
            raise RatingRefused("too_long", max=MAX_COMMENT, length=len(comment))
        return RatingInput(self.satisfaction, bool(self.solved), self.effort, comment)

    @property
    def low(self) -> bool:
        return self.satisfaction <= LOW_SATISFACTION or not self.solved


@dataclass(frozen=True, slots=True)
class RatingState:
    """What the customer may do now: rate, change the rating until `changeable_until`, nothing."""

    rating: Rating | None
    can_rate: bool
    changeable_until: datetime | None


class RatingService:
    def __init__(self, tracking: TrackingService, change_days: int = 7) -> None:
        self.tracking = tracking
        self.change_period = timedelta(days=change_days)

    def link_is_valid(self, tracking_id: str, expires: str, sig: str) -> bool:
        path = RATE_PATH.format(tracking_id=tracking_id)
        return self.tracking.links.verify(RATE_PURPOSE, path, expires, sig)

    async def state(self, case: Case, now: datetime | None = None) -> RatingState:
        """Only a resolved (or closed) case has anything to rate or show."""
        if case.status not in (states.RESOLVED, states.CLOSED):
            return RatingState(None, False, None)  # and the status page saves a query
        rating = await Rating.get_or_none(case_id=case.id)
        if rating is None:
            return RatingState(None, True, None)
        until = rating.created_at + self.change_period
        return RatingState(rating, (now or datetime.now(UTC)) <= until, until)

    async def rate(self, case: Case, given: RatingInput, now: datetime | None = None) -> Rating:
        """Store the first rating or change it within the change period."""
        given = given.checked()
        current = await self.state(case, now)
        if case.status not in (states.RESOLVED, states.CLOSED):
            raise RatingRefused("not_resolved")
        if not current.can_rate:
            raise RatingRefused("already_rated")
        values = {
            "satisfaction": given.satisfaction,
            "solved": given.solved,
            "effort": given.effort,
            "comment": given.comment,
        }
        changed = current.rating is not None
        try:
            async with in_transaction():
                if changed:
                    await Rating.filter(id=current.rating.id).update(
                        **values, updated_at=datetime.now(UTC)
                    )
                    rating = await Rating.get(id=current.rating.id)
                else:
                    rating = await Rating.create(case=case, language=case.language, **values)
                await CaseEvent.create(case=case, kind="rated", data={**values, "changed": changed})
                rated = {**values, "changed": changed, "low": given.low}
                await self.tracking.publish(case, "case.rated", rating=rated)
        except IntegrityError:  # a concurrent first rating of the same case won
            raise RatingRefused("already_rated") from None
        return rating
