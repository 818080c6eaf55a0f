"""`case.sla_warning`: tell the back office before a promise to a customer breaks.

A case is warned when its customer's traffic light turns amber (tracking.status.AMBER_SHARE
of the time used): for the first response while nobody has answered, for the resolution
while the case is open. Every process may run the watch; the unique warning row lets one win.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from tracking import states
from tracking.backoffice.models import SlaWarning
from tracking.models import Case, CaseEvent
from tracking.service import TrackingService
from tracking.status import AMBER_SHARE

ANSWERS = ("first_response", "reply")
#: Cases whose promise lies further ahead than this cannot be amber yet (SLAs are shorter).
HORIZON = timedelta(days=60)


async def warn_due_soon(tracking: TrackingService, now: datetime | None = None) -> int:
    """Enqueue a warning for every case that has just turned amber; returns how many."""
    now = now or datetime.now(UTC)
    cases = await Case.filter(status__in=states.OPEN, resolution_due__lte=now + HORIZON)
    if not cases:
        return 0
    ids = [case.id for case in cases]
    warned = {(w.case_id, w.target) for w in await SlaWarning.filter(case_id__in=ids)}
    answered = set(
        await CaseEvent.filter(case_id__in=ids, kind__in=ANSWERS).values_list("case_id", flat=True)
    )
    sent = 0
    for case in cases:
        targets = [("resolution", case.resolution_due)]
        if case.id not in answered:
            targets.insert(0, ("first_response", case.first_response_due))
        for target, due in targets:
            if (case.id, target) in warned or now < tracking.calendar.share_point(
                case.created_at, due, AMBER_SHARE
            ):
                continue
            sent += await _warn(tracking, case, target, due, now)
            break  # one warning per case and round: the first-response one is the urgent one
    return sent


async def _warn(tracking: TrackingService, case: Case, target: str, due: datetime, now) -> int:
    try:
        async with in_transaction():
            await SlaWarning.create(case_id=case.id, target=target, due=due)
            warning = {
                "target": target,
                "due": due,
                "overdue": now > due,
                "minutes_left": int((due - now).total_seconds() // 60),
            }
            await tracking.publish(case, "case.sla_warning", sla_warning=warning)
    except IntegrityError:  # another process warned first
        return 0
    return 1
