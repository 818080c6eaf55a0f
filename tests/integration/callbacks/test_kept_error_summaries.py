"""The error summary above a refused rating or callback form names each problem and leads to
its field, as the case form's does (it listed empty entries, ": ", leading nowhere)."""

from __future__ import annotations

import re
from html import unescape

from support import ratings
from support.cases import file_case
from support.client import csrf_token, shown_again
from support.ratings import post_rating, resolved_case


def summary(html: str) -> list[tuple[str, str]]:
    box = re.search(r'<div class="error-summary" id="form-errors".*?</div>', html, re.S)
    assert box, "no error summary"
    return [(a, unescape(t)) for a, t in re.findall(r'<a href="#([^"]*)">([^<]*)</a>', box[0])]


async def test_a_refused_rating_lists_each_question_left_open(client):
    _, link = await resolved_case(client)
    response = await post_rating(client, link, {"solved": "no", "comment": "Kam zu spät."})
    response = ratings.shown_again(response)
    assert summary(response.text) == [
        ("f-satisfaction-1", "Bitte wähle, wie zufrieden du bist."),
        ("f-effort-1", "Bitte wähle, wie einfach es war."),
    ]
    assert "Kam zu spät.</textarea>" in response.text


async def test_a_refused_callback_leads_to_the_phone_number(client):
    tracking_id = await file_case(client, form=True)
    page = (await client.get(f"/track/{tracking_id}")).text
    slot = re.findall(r'name="slot" value="([^"]+)"', page)[0]
    form = {"phone": "12", "language": "de", "note": "Mittags", "slot": slot}
    response = await client.post(
        f"/track/{tracking_id}/callbacks", data={**form, "_csrf_token": csrf_token(page)}
    )
    response = await shown_again(client, response)
    [(anchor, text)] = summary(response.text)
    assert anchor == "f-phone" and text.startswith("Bitte gib eine Telefonnummer an")
