"""The back office through its real OAuth2-protected API, against the test client's app."""

from __future__ import annotations

import base64

from support.client import on_app
from tracking.backoffice.oauth import create_client

CASES = "/api/v1/backoffice/cases"


async def bearer(client, *scopes: str) -> dict[str, str]:
    """A client made with the service, a token from POST /oauth/token."""
    api_client, secret = await on_app(client, lambda: create_client("CRM", list(scopes)))
    basic = base64.b64encode(f"{api_client.client_id}:{secret}".encode()).decode()
    response = await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"authorization": f"Basic {basic}"},
    )
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


async def back_office(client, tid: str, event: dict) -> None:
    """The back office posts an event (reply, resolve, ...) on a case."""
    auth = await bearer(client, "cases:write")
    response = await client.post(f"{CASES}/{tid}/events", json=event, headers=auth)
    assert response.status_code == 200, response.text


async def detail(client, auth, tracking_id: str) -> dict:
    """The case as GET /api/v1/backoffice/cases/{id} shows it."""
    response = await client.get(f"{CASES}/{tracking_id}", headers=auth)
    assert response.status_code == 200, response.text
    return response.json()
