"""An article vote reaches the back office as a signed `faq.feedback` webhook."""

from __future__ import annotations

from support.client import on_app, post_form
from support.webhooks import Receiver, subscribe, webhooks


async def test_vote_is_delivered_as_faq_feedback(client, receiver: Receiver) -> None:
    await on_app(client, lambda: subscribe(receiver))
    article = "/faq/de/transportschaden"
    vote = {"helpful": "no", "comment": "Fehlt: Fotos"}
    response = await post_form(client, article, f"{article}/vote", vote)
    assert response.status_code == 303
    [hook] = await webhooks(receiver, 1)
    assert hook["type"] == "faq.feedback"
    data = hook["data"]
    assert data["article"] == {"id": "transportschaden", "lang": "de"}
    assert (data["helpful"], data["comment"]) == (False, "Fehlt: Fotos")
