"""Walking the case form like a browser without JavaScript does."""

from __future__ import annotations

import base64
import re
from html import unescape

from support.client import csrf_token, on_app
from tracking.backoffice.oauth import create_client

STEP1 = {"type": "repair_warranty", "product": "coffee_machines", "customer_type": "b2c"}
STEP2 = {
    "details.device_serial": "KV2000-88341",
    "details.purchase_date": "2026-03-14",
    "urgency": "normal",
    "description": "Die Brüheinheit meines Kaffeevollautomaten klemmt seit gestern.",
}
STEP3 = {"name": "Erika Mustermann", "email": "erika@example.com", "channel": "email"}
#: A valid case for POST /api/v1/cases.
API_CASE = {
    "type": "return_exchange",
    "product": "headphones_audio",
    "description": "Der Kopfhörer passt mir nicht, ich möchte ihn zurückgeben.",
    "details": {"order_number": "lh-20261234", "return_reason": "changed_mind"},
    "name": "Max Muster",
    "email": "max@example.com",
}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


async def start(client, q: str | None = None):
    response = await client.get("/case/new", params={"q": q} if q else None)
    assert response.status_code == 200
    return response, csrf_token(response.text)


async def post_step(client, step: int, token: str, fields: dict, files=None, action: str = "next"):
    parts = [
        (name, (None, value))
        for name, value in {**fields, "action": action, "_csrf_token": token}.items()
    ]
    for name, content in files or []:
        parts.append(("files", (name, content, "application/octet-stream")))
    return await client.post(f"/case/new/{step}", files=parts)


async def fill(client, step1=None, step2=None, step3=None, files=None, q=None):
    """Steps 1-3; returns the review page and the CSRF token."""
    _, token = await start(client, q)
    for step, fields, extra in (
        (1, step1 or STEP1, None),
        (2, step2 or STEP2, files),
        (3, step3 or STEP3, None),
    ):
        response = await post_step(client, step, token, fields, extra)
        assert response.url.path == f"/case/new/{step + 1}", field_errors(response.text)
    return response, token


async def submit(client, review_html: str, token: str, **extra):
    key = re.search(r'name="submission_key" value="([^"]+)"', review_html).group(1)
    return await client.post(
        "/case/new/submit",
        data={"submission_key": key, "website": "", "_csrf_token": token, **extra},
    )


def field_errors(html: str) -> dict[str, str]:
    """Error texts by field id, as shown next to the fields."""
    return {
        match.group(1): unescape(match.group(2))
        for match in re.finditer(r'<p class="field-error" id="f-([\w-]+)-error">([^<]*)</p>', html)
    }


def tracking_id(html: str) -> str:
    return re.search(r'data-tracking-id="([^"]+)"', html).group(1)


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


async def open_by_lookup(client, tracking_id: str, email: str) -> None:
    """Give this browser access to a case the way a customer without the mail does."""
    token = csrf_token((await client.get("/track/")).text)
    response = await client.post(
        "/track/", data={"tracking_id": tracking_id, "email": email, "_csrf_token": token},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303, response.text
