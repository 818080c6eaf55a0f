"""A booked callback of a case the team resolves (or closes) is cancelled: the status page
offers no move or cancel for it and says why, the place is free again, the customer's
calendar drops it, and the back office hears `callback.cancelled`."""

from __future__ import annotations

import asyncio
import base64

import pytest

from support.callbacks import book, booked, open_case
from support.client import on_app
from tracking.callbacks.models import CallbackSeat
from tracking.models import OutgoingMail
from webhooks import subscriptions as webhooks

EVENTS = "/api/v1/backoffice/cases/{}/events"


async def booked_case(client) -> tuple[str, str]:
    tracking_id, html = await open_case(client)
    assert (await book(client, tracking_id, html)).status_code == 303
    [(callback_id, status)] = booked((await client.get(f"/track/{tracking_id}")).text)
    assert status == "requested"
    return tracking_id, callback_id


@pytest.mark.parametrize(
    ("event", "note"),
    [
        ({"kind": "resolve", "text": "Erledigt."}, "Da deine Anfrage gelöst ist"),
        ({"kind": "set_status", "status": "closed"}, "Da deine Anfrage abgeschlossen ist"),
    ],
)
async def test_resolving_cancels_the_booked_callback(client, auth, event, note):
    tracking_id, callback_id = await booked_case(client)
    done = await client.post(EVENTS.format(tracking_id), json=event, headers=auth)
    assert done.status_code == 200, done.text
    page = (await client.get(f"/track/{tracking_id}")).text
    assert booked(page) == []  # nothing left to move or cancel
    assert f"/callbacks/{callback_id}/move" not in page
    assert f"/callbacks/{callback_id}/cancel" not in page
    assert "Rückruf abgesagt" in page and note in page
    # the rating's "callback" way back lands on a section that says how to get one
    assert 'id="callback"' in page and "Öffne deine Anfrage zuerst wieder" in page
    assert 'name="slot"' not in page
    mail = await on_app(client, lambda: OutgoingMail.filter(kind="callback_cancelled").first())
    assert mail is not None and "weil deine Anfrage abgeschlossen ist" in mail.body
    assert b"STATUS:CANCELLED" in base64.b64decode(mail.attachments[0]["data"])


async def test_the_back_office_hears_the_cancellation_and_the_place_is_free(client, auth, receiver):
    _, secret = await on_app(
        client, lambda: webhooks.add_subscription(receiver.url, ["callback.cancelled"])
    )
    receiver.secrets = [secret]
    tracking_id, callback_id = await booked_case(client)
    await client.post(EVENTS.format(tracking_id), json={"kind": "resolve"}, headers=auth)
    await asyncio.to_thread(receiver.wait_for, lambda r: len(r.accepted) >= 1)
    [hook] = [r.payload for r in receiver.accepted]
    assert hook["type"] == "callback.cancelled"
    assert hook["data"]["callback"]["id"] == int(callback_id)
    assert hook["data"]["callback"]["status"] == "cancelled"
    assert hook["data"]["callback"]["because"] == "resolved"
    seats = await on_app(client, lambda: CallbackSeat.filter(callback_id=int(callback_id)).count())
    assert seats == 0
