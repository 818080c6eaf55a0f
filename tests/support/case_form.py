"""Walking the case form like a browser without JavaScript does."""

from __future__ import annotations

import re
from html import unescape

from support.client import csrf_token

STEP1 = {"type": "repair_warranty", "product": "coffee_machines", "customer_type": "b2c"}
STEP2 = {
    "details.device_serial": "KV2000-88341",
    "details.purchase_date": "2026-03-14",
    "urgency": "normal",
    "description": "Die Brüheinheit meines Kaffeevollautomaten klemmt seit gestern.",
}
STEP3 = {"name": "Erika Mustermann", "email": "erika@example.com", "channel": "email"}
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
