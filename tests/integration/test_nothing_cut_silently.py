"""No typed text is cut on the server: a text over its limit is refused with a message that
names its length, and the whole text is shown back (FAQ vote comment, status lookup, callback
phone number; the case form's description: `test_case_form_keeps_input`)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from support.callbacks import EVERY_DAY, PHONE_CASE, book, open_case
from support.client import csrf_token


def textareas(html: str) -> list[str]:
    return [unescape(t) for t in re.findall(r"<textarea[^>]*>(.*?)</textarea>", html, re.S)]


def value_of(html: str, field_id: str) -> str:
    return unescape(re.search(rf'id="{field_id}"[^>]*value="([^"]*)"', html, re.S).group(1))


@pytest.fixture
def env(env: dict[str, str]) -> dict[str, str]:
    return {**env, "PORTAL_CALLBACK_FILE": str(EVERY_DAY)}


async def test_a_long_vote_comment_is_refused_whole_and_nothing_is_stored(client):
    article = "/faq/de/kaffeevollautomat-entkalken"
    page = await client.get(article)
    assert page.status_code == 200, "the demo FAQ has this article"
    comment = "Die Anleitung passt nicht zu meinem Modell. " * 60
    response = await client.post(
        f"{article}/vote",
        data={"helpful": "no", "comment": comment, "_csrf_token": csrf_token(page.text)},
    )
    assert response.status_code == 400
    assert f"Dieser Text hat {len(comment.strip())} Zeichen, 2000 passen" in unescape(response.text)
    assert textareas(response.text) == [comment]
    assert "Du hast gesagt" not in (await client.get(article)).text  # no vote stored


async def test_a_long_lookup_is_refused_naming_its_length_and_shown_back(client):
    page = await client.get("/track/")
    email = "erika." * 50 + "@example.com"  # 312 characters
    response = await client.post(
        "/track/",
        data={
            "tracking_id": "K7M4-Q2XR-9TBD5",
            "email": email,
            "_csrf_token": csrf_token(page.text),
        },
    )
    assert response.status_code == 400
    assert "höchstens 254 Zeichen; diese Eingabe hat 312" in unescape(response.text)
    assert value_of(response.text, "email") == email
    long_id = "K7M4-Q2XR-9TBD5 " * 4
    response = await client.post(
        "/track/",
        data={
            "tracking_id": long_id,
            "email": "a@example.org",
            "_csrf_token": csrf_token(page.text),
        },
    )
    assert "höchstens 40 Zeichen; diese Eingabe hat 63" in unescape(response.text)
    assert value_of(response.text, "tracking_id") == long_id


async def test_a_long_callback_number_is_refused_naming_its_length(client):
    tracking_id, html = await open_case(client, PHONE_CASE)
    phone = "030 1234567 (tagsüber, sonst die Mailbox)"
    response = await book(client, tracking_id, html, phone=phone)
    assert response.status_code == 303
    page = (await client.get(response.headers["location"])).text
    assert f"Dieser Text hat {len(phone)} Zeichen, 30 passen" in unescape(page)
    assert value_of(page, "f-phone") == phone
