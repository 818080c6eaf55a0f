"""The customer books, moves and cancels a callback on the status page, without JavaScript."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import icalendar

from support import case_form
from support.callbacks import book, booked, open_case, slots
from support.case_form import field_errors
from support.client import csrf_token, shown_again
from tracking.callbacks.service import slot_value


async def test_book_see_download_move_and_cancel(client):
    tracking_id, html = await open_case(client)
    assert 'id="callback"' in html and 'value="+49 30 1234567"' in html  # phone from the case
    # one closed <details> per day, its times inside (days first, then times; no JavaScript)
    assert re.search(r"<details class=\"slot-day\"><summary>\w+, \d+\. \w+ <span", html)
    first, second = slots(html)[0], slots(html)[1]

    response = await book(client, tracking_id, html, language="en", note="Bitte vormittags")
    assert response.status_code == 303 and response.headers["location"].endswith("#callback")
    page = (await client.get(f"/track/{tracking_id}")).text
    [(callback_id, status)] = booked(page)
    assert status == "requested" and "Gebucht" in page and "Rückruf gebucht" in page
    local = datetime.fromisoformat(first).astimezone(
        __import__("zoneinfo").ZoneInfo("Europe/Berlin")
    )
    assert f"{local:%H:%M}–" in page  # shown in Berlin time
    assert re.search(rf"Rückruf gebucht: \w+, \d+\. \w+ \d{{4}}, {local:%H:%M}–", page)

    ics = await client.get(f"/track/{tracking_id}/callbacks/{callback_id}/calendar.ics")
    assert ics.headers["content-type"].startswith("text/calendar")
    [event] = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")
    assert event.decoded("dtstart") == datetime.fromisoformat(first)
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=30)

    move_form = await client.get(f"/track/{tracking_id}/callbacks/{callback_id}/move")
    assert move_form.status_code == 200
    moved = await client.post(
        f"/track/{tracking_id}/callbacks/{callback_id}/move",
        data={"slot": second, "_csrf_token": csrf_token(move_form.text)},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    page = (await client.get(f"/track/{tracking_id}")).text
    assert "Rückruf verschoben" in page
    local = datetime.fromisoformat(second).astimezone(
        __import__("zoneinfo").ZoneInfo("Europe/Berlin")
    )
    assert f"{local:%H:%M}–" in page

    cancel = f"/track/{tracking_id}/callbacks/{callback_id}/cancel"
    assert f'<form method="get" action="{cancel}">' in page  # the button asks first
    question = await client.get(cancel)
    assert question.status_code == 200 and "wirklich absagen?" in question.text
    assert booked((await client.get(f"/track/{tracking_id}")).text), "asking changed nothing"
    cancelled = await client.post(
        cancel, data={"_csrf_token": csrf_token(question.text)}, follow_redirects=False
    )
    assert cancelled.status_code == 303
    page = (await client.get(f"/track/{tracking_id}")).text
    assert booked(page) == [] and "Rückruf abgesagt" in page


async def test_bad_input_shows_the_reason_beside_the_field_and_keeps_the_input(client):
    tracking_id, html = await open_case(client)
    bad_phone = await book(client, tracking_id, html, phone="12", note="Meine Notiz")
    bad_phone = await shown_again(client, bad_phone)
    assert "Telefonnummer" in field_errors(bad_phone.text)["phone"]
    assert "Meine Notiz</textarea>" in bad_phone.text and 'value="12"' in bad_phone.text

    past = slot_value(
        datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=2)
    )
    for slot, words in (
        (past, "bereits vorbei"),
        ("2030-01-01T09:07:00Z", "Zu dieser Zeit rufen wir nicht an"),
        ("", "Bitte wähle eine Uhrzeit"),
    ):
        response = await shown_again(client, await book(client, tracking_id, html, slot=slot))
        assert words in unescape(response.text), slot
    assert booked((await client.get(f"/track/{tracking_id}")).text) == []


async def test_three_open_callbacks_at_most(client):
    tracking_id, html = await open_case(client)
    for slot in slots(html)[:3]:
        assert (await book(client, tracking_id, html, slot=slot)).status_code == 303
    page = (await client.get(f"/track/{tracking_id}")).text
    # the page offers no booking while one is booked; an older page's form is refused at three
    assert (
        'name="slot"' not in page
        and "Verschiebe deinen Rückruf mit „Andere Zeit wählen“" in unescape(page)
    )
    fourth = await shown_again(client, await book(client, tracking_id, html, slot=slots(html)[3]))
    assert "bereits drei offene Rückrufe" in unescape(fourth.text)


async def test_another_browser_cannot_see_or_change_the_callback(client):
    tracking_id, html = await open_case(client)
    await book(client, tracking_id, html)
    [(callback_id, _)] = booked((await client.get(f"/track/{tracking_id}")).text)
    client.cookies.clear()
    token = csrf_token((await client.get("/track/")).text)
    for path in ("cancel", "move"):
        response = await client.post(
            f"/track/{tracking_id}/callbacks/{callback_id}/{path}",
            data={"_csrf_token": token, "slot": slots(html)[1]},
        )
        assert response.status_code == 404
    assert (
        await client.get(f"/track/{tracking_id}/callbacks/{callback_id}/calendar.ics")
    ).status_code == 404


async def test_the_confirmation_page_of_a_phone_case_links_to_booking(client):
    step3 = {**case_form.STEP3, "channel": "phone", "phone": "030 1234567"}
    review, token = await case_form.fill(client, step3=step3)
    received = await case_form.submit(client, review.text, token)
    assert received.status_code == 200
    tracking_id = case_form.tracking_id(received.text)
    assert f'<a class="button" href="/track/{tracking_id}#callback">' in received.text
    page = await client.get(f"/track/{tracking_id}")
    assert 'id="callback"' in page.text and slots(page.text)


async def test_the_section_and_its_messages_in_english(client):
    tracking_id, _ = await open_case(client)
    english = {"accept-language": "en"}
    page = await client.get(f"/track/{tracking_id}", headers=english)
    assert "Request a callback" in page.text and "Book callback" in page.text
    form = {"phone": "12", "language": "en", "slot": slots(page.text)[0], "note": ""}
    response = await client.post(
        f"/track/{tracking_id}/callbacks",
        data={**form, "_csrf_token": csrf_token(page.text)},
        headers=english,
    )
    response = await shown_again(client, response)
    assert field_errors(response.text)["phone"].startswith("Please enter a phone number")


async def test_the_footer_shows_the_configured_hours(client):
    """Service hours from the classification file, callback hours from the callback file."""
    footer = (await client.get("/")).text.split('<footer class="site-footer">')[1]
    assert "Kundenservice Mo.–Fr. 08:00–18:00 Uhr, Sa. 09:00–14:00 Uhr" in footer
    assert "Rückrufe Mo.–So. 00:00–23:59 Uhr" in footer  # this test's every-day calendar
    english = (await client.get("/", headers={"accept-language": "en"})).text
    assert "Callbacks Mon–Sun 00:00–23:59" in english
