"""The back office lists a day's callbacks and reports them; the customer and webhooks see it."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from support.backoffice import bearer
from support.callbacks import book, booked, open_case, slots
from support.client import csrf_token, on_app
from support.webhooks import subscribe
from tracking.models import OutgoingMail
from webhooks import subscriptions as webhooks

CALLBACKS = "/api/v1/backoffice/callbacks"


async def booked_case(client) -> tuple[str, str, str]:
    """A case with one booked callback: tracking id, callback id, slot."""
    tracking_id, html = await open_case(client)
    slot = slots(html)[0]
    assert (await book(client, tracking_id, html, note="Rechnung 4711")).status_code == 303
    [(callback_id, _)] = booked((await client.get(f"/track/{tracking_id}")).text)
    return tracking_id, callback_id, slot


def local_day(slot: str) -> str:
    return datetime.fromisoformat(slot).astimezone(ZoneInfo("Europe/Berlin")).date().isoformat()


async def test_the_day_list_shows_what_the_agent_needs(client, auth):
    tracking_id, callback_id, slot = await booked_case(client)
    response = await client.get(CALLBACKS, params={"date": local_day(slot)}, headers=auth)
    assert response.status_code == 200, response.text
    [item] = response.json()["items"]
    assert item["id"] == int(callback_id) and item["tracking_id"] == tracking_id
    assert (item["phone"], item["language"], item["note"], item["status"]) == (
        "+49301234567",
        "de",
        "Rechnung 4711",
        "requested",
    )
    assert datetime.fromisoformat(item["slot_start"]) == datetime.fromisoformat(slot)
    other_day = await client.get(CALLBACKS, params={"date": "2020-01-01"}, headers=auth)
    assert other_day.json()["items"] == []
    assert (
        await client.get(CALLBACKS, params={"date": "yesterday"}, headers=auth)
    ).status_code == 422
    assert (await client.get(CALLBACKS, params={"date": local_day(slot)})).status_code == 401


async def test_done_shows_on_the_status_page_and_a_second_report_conflicts(client, auth):
    tracking_id, callback_id, _ = await booked_case(client)
    done = await client.post(
        f"{CALLBACKS}/{callback_id}/events", json={"kind": "done"}, headers=auth
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    page = (await client.get(f"/track/{tracking_id}")).text
    assert "Rückruf erledigt" in page and booked(page) == [(callback_id, "done")]
    again = await client.post(
        f"{CALLBACKS}/{callback_id}/events", json={"kind": "missed"}, headers=auth
    )
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")


async def test_refusals_are_problem_documents(client, auth):
    _, callback_id, slot = await booked_case(client)

    def post(path, body, headers=auth):
        return client.post(f"{CALLBACKS}/{path}/events", json=body, headers=headers)

    assert (await post(999999, {"kind": "done"})).status_code == 404
    assert (await post(callback_id, {"kind": "finished"})).status_code == 422
    bad_slot = await post(callback_id, {"kind": "moved", "slot": "2020-01-01T10:00:00+01:00"})
    assert bad_slot.status_code == 422 and bad_slot.json()["code"] == "past"
    read_only = await bearer(client, "cases:read")
    assert (await post(callback_id, {"kind": "done"}, read_only)).status_code == 403


async def test_moved_by_the_back_office_keeps_capacity(client, auth):
    tracking_id, callback_id, slot = await booked_case(client)
    # free times of a case with a booked callback: on its move page (the status page hides them)
    html = (await client.get(f"/track/{tracking_id}/callbacks/{callback_id}/move")).text
    target = slots(html)[2]
    moved = await client.post(
        f"{CALLBACKS}/{callback_id}/events", json={"kind": "moved", "slot": target}, headers=auth
    )
    assert moved.status_code == 200, moved.text
    assert datetime.fromisoformat(moved.json()["slot_start"]) == datetime.fromisoformat(target)
    assert "Rückruf verschoben" in (await client.get(f"/track/{tracking_id}")).text


async def test_every_change_is_a_signed_webhook(client, auth, receiver):
    await on_app(client, lambda: subscribe(receiver))
    tracking_id, callback_id, _ = await booked_case(client)
    await client.post(f"{CALLBACKS}/{callback_id}/events", json={"kind": "missed"}, headers=auth)
    await asyncio.to_thread(receiver.wait_for, lambda r: len(r.accepted) >= 3)
    by_type = {r.payload["type"]: r.payload["data"] for r in receiver.accepted}
    assert {"case.created", "callback.requested", "callback.missed"} <= set(by_type)
    requested = by_type["callback.requested"]
    assert requested["tracking_id"] == tracking_id and requested["contact"]["email"]
    assert requested["callback"]["id"] == int(callback_id)
    assert requested["callback"]["phone"] == "+49301234567"
    assert by_type["callback.missed"]["callback"]["status"] == "missed"
    assert receiver.rejected == []


async def test_cancel_and_move_by_the_customer_are_webhooks_too(client, receiver):
    _, secret = await on_app(
        client,
        lambda: webhooks.add_subscription(
            receiver.url, ["callback.requested", "callback.moved", "callback.cancelled"]
        ),
    )
    receiver.secrets = [secret]
    tracking_id, callback_id, _ = await booked_case(client)
    move = f"/track/{tracking_id}/callbacks/{callback_id}"
    html = (await client.get(f"{move}/move")).text
    await client.post(
        f"{move}/move", data={"slot": slots(html)[1], "_csrf_token": csrf_token(html)}
    )
    await client.post(f"{move}/cancel", data={"_csrf_token": csrf_token(html)})
    await asyncio.to_thread(receiver.wait_for, lambda r: len(r.accepted) >= 3)
    types = [r.payload["type"] for r in receiver.accepted]
    assert sorted(types) == ["callback.cancelled", "callback.moved", "callback.requested"]


async def test_missed_with_new_slots_emails_a_link_that_opens_the_booking_form(client, auth):
    tracking_id, callback_id, _ = await booked_case(client)
    response = await client.post(
        f"{CALLBACKS}/{callback_id}/events",
        json={"kind": "missed", "offer_new_slots": True},
        headers=auth,
    )
    assert response.status_code == 200
    mail = await on_app(client, lambda: OutgoingMail.filter(kind="callback_missed").first())
    assert mail.recipient == "max@example.com" and "nicht erreicht" in mail.subject
    link = re.search(r"https?://\S+/callbacks/rebook\?\S+", mail.body).group(0)
    client.cookies.clear()  # the customer opens the link in another browser
    opened = await client.get("/" + link.split("/", 3)[3], follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"].endswith("#callback")
    page = await client.get(opened.headers["location"])
    assert "Wir haben dich telefonisch nicht erreicht" in page.text and slots(page.text)
    forged = await client.get(f"/track/{tracking_id}/callbacks/rebook?expires=99999999999&sig=x")
    assert forged.status_code == 404


async def test_the_api_is_in_the_schema_and_the_pages_are_not(client):
    paths = (await client.get("/schema/openapi.json")).json()["paths"]
    assert {CALLBACKS, f"{CALLBACKS}/{{callback_id}}/events"} <= set(paths)
    assert not any(path.startswith("/track") for path in paths)
