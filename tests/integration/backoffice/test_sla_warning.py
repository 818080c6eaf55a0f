"""`case.sla_warning`: the back office hears of an amber case once per target, before the breach."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from portal.services import build_tracking
from support.backoffice import bearer
from support.cases import file_case
from support.client import on_app
from support.webhooks import Receiver, subscribe
from tracking.backoffice.sla_watch import warn_due_soon
from tracking.models import Case


async def test_amber_cases_are_warned_once_and_answered_ones_only_for_resolution(
    client, settings, receiver: Receiver
) -> None:
    await on_app(client, lambda: subscribe(receiver, ["case.sla_warning"]))
    silent, answered = await file_case(client), await file_case(client)
    auth = await bearer(client, "cases:write")
    reply = {"kind": "reply", "text": "Wir kümmern uns darum."}
    assert (
        await client.post(f"/api/v1/backoffice/cases/{answered}/events", json=reply, headers=auth)
    ).status_code == 200
    case = await on_app(client, lambda: Case.get(tracking_id=silent))
    tracking = build_tracking(settings)

    def warn(at):
        return on_app(client, lambda: warn_due_soon(tracking, now=at))

    first_amber = tracking.calendar.share_point(case.created_at, case.first_response_due, 0.75)
    assert await warn(first_amber - timedelta(minutes=1)) == 0
    # two processes watching at the same moment still warn once
    both = await asyncio.gather(
        warn(first_amber + timedelta(minutes=1)), warn(first_amber + timedelta(minutes=1))
    )
    assert sum(both) == 1
    assert await warn(first_amber + timedelta(minutes=2)) == 0
    resolution_amber = tracking.calendar.share_point(case.created_at, case.resolution_due, 0.75)
    assert await warn(resolution_amber + timedelta(minutes=1)) == 2  # both cases, once each
    assert await warn(case.resolution_due + timedelta(days=1)) == 0

    deadline = time.monotonic() + 10
    while len(receiver.accepted) < 3 and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    assert receiver.rejected == []
    seen = sorted(
        (r.payload["data"]["tracking_id"], r.payload["data"]["sla_warning"]["target"])
        for r in receiver.accepted
    )
    assert seen == sorted(
        [(silent, "first_response"), (silent, "resolution"), (answered, "resolution")]
    )
    first = next(
        r.payload
        for r in receiver.accepted
        if r.payload["data"]["sla_warning"]["target"] == "first_response"
    )
    assert first["type"] == "case.sla_warning"
    assert first["data"]["sla_warning"]["overdue"] is False
    assert first["data"]["first_response_due"].startswith(case.first_response_due.isoformat()[:16])
