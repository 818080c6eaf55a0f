"""Attachments reach the back office as signed links that expire and fit only their file."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from support.backoffice import bearer, detail
from support.case_form import PNG, fill, submit, tracking_id
from support.client import on_app
from webhooks.models import OutboxEvent
from webhooks.subscriptions import add_subscription


async def test_case_detail_and_webhook_carry_working_signed_links(client) -> None:
    await on_app(client, lambda: add_subscription("http://127.0.0.1:9/hook", ["case.created"]))
    photo = PNG + b"photo-bytes"
    review, token = await fill(client, files=[("Brüheinheit.png", photo)])
    tid = tracking_id((await submit(client, review.text, token)).text)
    case = await detail(client, await bearer(client, "cases:read"), tid)
    [attachment] = case["attachments"]
    assert attachment["filename"] == "Brüheinheit.png" and attachment["size"] == len(photo)
    url = urlsplit(attachment["url"])
    assert url.netloc == "testserver.local"  # PORTAL_BASE_URL

    download = await client.get(f"{url.path}?{url.query}")  # no bearer token needed
    assert download.status_code == 200 and download.content == photo
    assert download.headers["content-type"] == "image/png"
    assert download.headers["content-disposition"].startswith("attachment")

    query = parse_qs(url.query)
    forged = {"expires": str(int(query["expires"][0]) + 86400), "sig": query["sig"][0]}
    for params in (forged, {"expires": "1", "sig": query["sig"][0]}, {}):
        refused = await client.get(url.path, params=params)
        assert refused.status_code == 403
        assert refused.headers["content-type"].startswith("application/problem+json")
    other = url.path.rsplit("/", 1)[0] + "/999999"
    assert (await client.get(f"{other}?{url.query}")).status_code == 403

    event = await on_app(client, lambda: OutboxEvent.filter(event_type="case.created").first())
    data = json.loads(event.payload)["data"]
    hooked = urlsplit(data["attachments"][0]["url"])
    assert hooked.path == url.path
    assert (await client.get(f"{hooked.path}?{hooked.query}")).content == photo
    assert data["contact"]["email"] == "erika@example.com" and data["tracking_id"] == tid
