"""Filing a case and reaching its status page as a customer does, through the test client."""

from __future__ import annotations

import re

from support.case_form import fill, submit, tracking_id
from support.client import csrf_token, on_app
from tracking.models import OutgoingMail

#: A valid case for POST /api/v1/cases.
API_CASE = {
    "type": "return_exchange",
    "product": "headphones_audio",
    "description": "Der Kopfhörer passt mir nicht, ich möchte ihn zurückgeben.",
    "details": {"order_number": "lh-20261234", "return_reason": "changed_mind"},
    "name": "Max Muster",
    "email": "max@example.com",
}


async def file_case(client, body: dict | None = None, *, form: bool = False) -> str:
    """File a case and return its tracking ID.

    Args:
        body: what POST /api/v1/cases gets (`API_CASE` when not given).
        form: walk the case form (steps 1-3, then submit) instead; this browser then has
            access to the case's status page without the personal link.
    """
    if form:
        review, token = await fill(client)
        return tracking_id((await submit(client, review.text, token)).text)
    response = await client.post("/api/v1/cases", json=body or API_CASE)
    assert response.status_code == 201, response.text
    return response.json()["tracking_id"]


async def personal_link(client, tracking_id: str) -> str:
    """The status page link (path and query) from the case's confirmation mail."""
    bodies = await on_app(
        client,
        lambda: OutgoingMail.filter(case__tracking_id=tracking_id).values_list("body", flat=True),
    )
    link = re.search(rf"https?://\S+/track/{tracking_id}\?key=[\w-]+", " ".join(bodies)).group(0)
    return "/" + link.split("/", 3)[3]


async def lookup(client, tracking_id: str, email: str):
    """The lookup form on /track/ sent with a tracking ID and an email; the response."""
    token = csrf_token((await client.get("/track/")).text)
    return await client.post(
        "/track/",
        data={"tracking_id": tracking_id, "email": email, "_csrf_token": token},
        follow_redirects=False,
    )


async def open_by_lookup(client, tracking_id: str, email: str) -> None:
    """Give this browser access to a case the way a customer without the mail does."""
    response = await lookup(client, tracking_id, email)
    assert response.status_code == 303, response.text
