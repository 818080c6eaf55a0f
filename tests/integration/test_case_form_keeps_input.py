"""The case form keeps what was typed and says what happened: an over-long description comes
back whole with its length, Upload without a chosen file says so, and removing a file stays on
the step."""

from __future__ import annotations

import re
from html import unescape

import pytest

from support.case_form import PNG, STEP1, STEP2, field_errors, post_step, start
from tracking.intake import MAX_LENGTH


def description(html: str) -> str:
    return unescape(
        re.search(r'<textarea[^>]*name="description"[^>]*>(.*?)</textarea>', html, re.S)[1]
    )


@pytest.mark.parametrize(
    "text",
    [
        "Die Brüheinheit klemmt, der Tank ist voll, Fehler E4. " * 120,  # about 6,500
        "Das Mahlwerk macht ein lautes Geräusch. " * 600,  # over 20,000, where the draft was cut
    ],
    ids=["over-limit", "over-20000"],
)
async def test_an_over_long_description_comes_back_whole_with_its_length(client, text):
    _, token = await start(client)
    await post_step(client, 1, token, STEP1)
    response = await post_step(client, 2, token, {**STEP2, "description": text})
    assert response.url.path == "/case/new/2"
    length, limit = len(text.strip()), MAX_LENGTH["description"]
    assert field_errors(response.text)["description"].startswith(
        f"Dieser Text hat {length} Zeichen, {limit} passen hinein."
    )
    assert description(response.text) == text  # as typed, not cut


async def test_upload_without_a_chosen_file_says_so_and_keeps_the_text(client):
    _, token = await start(client)
    await post_step(client, 1, token, STEP1)
    response = await post_step(client, 2, token, STEP2, action="upload")
    assert response.url.path == "/case/new/2"
    assert field_errors(response.text)["files"] == (
        "Es wurde keine Datei ausgewählt. Wähle zuerst eine Datei und drücke dann „Hochladen“."
    )
    assert description(response.text) == STEP2["description"]


async def test_removing_a_file_stays_on_the_step(client):
    _, token = await start(client)
    await post_step(client, 1, token, STEP1)
    page = await post_step(client, 2, token, STEP2, [("foto.png", PNG)], action="upload")
    [stored] = re.findall(r'name="remove" value="([^"]+)"', page.text)
    parts = [(k, (None, v)) for k, v in {**STEP2, "remove": stored, "_csrf_token": token}.items()]
    response = await client.post("/case/new/2", files=parts)
    assert response.url.path == "/case/new/2"
    assert "foto.png" not in response.text and not field_errors(response.text)
