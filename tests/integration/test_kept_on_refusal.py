"""A form the portal refuses as a whole (an expired page or deleted cookies, an upload larger
than any request it takes, too many lookups) never costs the customer what they typed: the
answer is a page in their language that shows it back or says where it still is."""

from __future__ import annotations

import re
from html import unescape

from portal.uploads import UPLOAD_LIMIT
from support.case_form import PNG, STEP1, post_step, start
from support.cases import API_CASE, file_case
from support.client import csrf_token

LONG = "Seit dem Update startet das Gerät nicht mehr, ich habe es zweimal zurückgesetzt. " * 8


def textareas(html: str) -> list[str]:
    return [unescape(t) for t in re.findall(r"<textarea[^>]*>(.*?)</textarea>", html, re.S)]


async def test_an_expired_case_form_shows_the_description_back_in_german(client):
    _, token = await start(client)
    await post_step(client, 1, token, STEP1)
    client.cookies.clear()  # cookies deleted (or the page's token expired) while typing
    response = await client.post(
        "/case/new/2",
        files=[("description", (None, LONG)), ("_csrf_token", (None, token))],
        headers={"referer": "http://testserver.local/case/new/2"},
    )
    assert response.status_code == 403
    assert "Diese Seite ist abgelaufen." in response.text
    assert textareas(response.text) == [LONG]
    assert 'href="/case/new/2"' in response.text  # the way back to the form


async def test_an_expired_reply_form_shows_the_text_back_in_english(client):
    tracking_id = await file_case(client, form=True)
    await client.get(f"/track/{tracking_id}")
    response = await client.post(
        f"/track/{tracking_id}/reply",
        data={"text": "Die Seriennummer ist KV-42.", "_csrf_token": "from-an-old-page"},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 403
    assert "This page has expired." in response.text
    assert textareas(response.text) == ["Die Seriennummer ist KV-42."]


async def test_a_refused_form_without_written_text_shows_no_box(client):
    response = await client.post("/track/", data={"tracking_id": "X", "email": "a@example.org"})
    assert response.status_code == 403 and textareas(response.text) == []


async def test_an_upload_over_the_request_limit_says_the_text_is_still_in_the_form(client):
    _, token = await start(client)
    await post_step(client, 1, token, STEP1)
    too_large = [("big.png", PNG + b"\x00" * UPLOAD_LIMIT)]
    response = await post_step(client, 2, token, {"description": LONG}, too_large, "upload")
    assert response.status_code == 413
    assert "Geh in deinem Browser eine Seite zurück" in response.text


async def test_a_reply_with_as_many_files_as_it_offers_is_taken(client):
    """The reply form offers five files of 10 MB, as the case form does."""
    tracking_id = await file_case(client, form=True)
    page = await client.get(f"/track/{tracking_id}")
    photo = PNG + b"\x00" * (6 * 1024 * 1024)
    response = await client.post(
        f"/track/{tracking_id}/reply",
        data={"text": "Zwei Fotos vom Schaden.", "_csrf_token": csrf_token(page.text)},
        files=[("files", ("a.png", photo, "image/png")), ("files", ("b.png", photo, "image/png"))],
    )
    assert response.status_code == 200 and response.url.path == f"/track/{tracking_id}"
    assert "a.png" in response.text and "b.png" in response.text


async def test_too_many_lookups_keep_the_form_filled_in(client):
    filed = await client.post("/api/v1/cases", json=API_CASE)
    tracking_id = filed.json()["tracking_id"]
    token = csrf_token((await client.get("/track/")).text)
    for n in range(6):
        form = {"tracking_id": tracking_id, "email": f"guess{n}@example.org", "_csrf_token": token}
        response = await client.post("/track/", data=form)
    assert response.status_code == 429
    assert "Zu viele Versuche für diese Vorgangsnummer" in response.text
    assert (
        f'value="{tracking_id}"' in response.text and 'value="guess5@example.org"' in response.text
    )


async def test_the_lookup_form_itself_is_never_refused(client):
    """Only lookups probe for cases; opening the form again and again (a customer going back
    to it between attempts) is not limited."""
    codes = {
        (await client.get(path)).status_code
        for _ in range(20)
        for path in ("/track/", "/track/resend")
    }
    assert codes == {200}
