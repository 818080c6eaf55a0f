"""An article vote reaches the back office as a signed `faq.feedback` webhook."""

from __future__ import annotations

import asyncio
import time

from support.client import csrf_token, on_app
from support.webhooks import Receiver
from webhooks import subscriptions


async def test_vote_is_delivered_as_faq_feedback(client, receiver: Receiver) -> None:
    _, secret = await on_app(client, lambda: subscriptions.add_subscription(receiver.url))
    receiver.secrets = [secret]
    page = await client.get("/faq/de/transportschaden")
    response = await client.post(
        "/faq/de/transportschaden/vote",
        data={"helpful": "no", "comment": "Fehlt: Fotos", "_csrf_token": csrf_token(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    deadline = time.monotonic() + 5
    while not receiver.accepted and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    assert receiver.rejected == []
    assert [r.payload["type"] for r in receiver.accepted] == ["faq.feedback"]
    data = receiver.accepted[0].payload["data"]
    assert data["article"] == {"id": "transportschaden", "lang": "de"}
    assert (data["helpful"], data["comment"]) == (False, "Fehlt: Fotos")
