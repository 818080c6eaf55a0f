"""Filing a case and reaching its status page as a customer does, through the test client."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from support.case_form import fill, submit, tracking_id
from support.client import csrf_token, on_app
from tracking.ids import new_tracking_id
from tracking.models import Case, OutgoingMail

_CASES = yaml.safe_load(Path(__file__).with_name("data").joinpath("cases.yaml").read_text("utf-8"))
#: A valid case for POST /api/v1/cases: a German return.
API_CASE: dict = _CASES["return"]
#: A repair under warranty, in English.
REPAIR_CASE: dict = _CASES["repair"]
#: The repair by phone as typed, before intake normalises it.
TYPED_CASE: dict = _CASES["typed"]


def details(case: dict, **changed: str) -> dict:
    """A change to `case` (for tables of invalid input): these detail fields changed or added."""
    return {"details": {**case["details"], **changed}}


async def stored_case(**fields) -> Case:
    """A case written straight to the database as intake would leave it, for service tests:
    a German question about a coffee machine by email, due in 8 h and 3 days from its
    `created_at` (now when not given); `fields` override any of it."""
    opened = fields.get("created_at") or datetime.now(UTC)
    defaults = {
        "tracking_id": new_tracking_id(),
        "submission_key": secrets.token_hex(16),
        "access_token_hash": secrets.token_hex(32),
        "source": "api",
        "language": "de",
        "request_type": "question",
        "product": "coffee_machines",
        "urgency": "normal",
        "customer_type": "b2c",
        "channel": "email",
        "level": 1,
        "department": "service",
        "priority": "normal",
        "name": "Erika Mustermann",
        "email": "erika@example.com",
        "description": "Testfall",
        "first_response_due": opened + timedelta(hours=8),
        "resolution_due": opened + timedelta(days=3),
    }
    return await Case.create(**{**defaults, **fields})


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


async def opened_case(client, **change) -> str:
    """File `API_CASE` (with `change`) through the API and give this browser access to it as a
    customer without the mail does; returns its tracking ID."""
    tracking_id = await file_case(client, {**API_CASE, **change})
    await open_by_lookup(client, tracking_id, API_CASE["email"])
    return tracking_id


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
