"""Hostile text through every field that is shown again: it comes back inert (escaped), and
direction overrides and zero-width characters do not survive into stored text."""

from __future__ import annotations

import pytest

from support.backoffice import bearer
from support.case_form import STEP2, STEP3, fill, submit, tracking_id
from support.client import on_app
from tracking.models import Case

CORPUS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=javascript:alert(1)>",
    "</textarea><script>alert(1)</script>",
    '" onmouseover="alert(1)" x="',
    "<b onclick=alert(1)>fett</b",
    "{{ 7*7 }} {% raw %}",
]
SNEAKY = "Rechnung\u202egpj.exe\u200b\u2066"  # right-to-left override, zero-width space, isolate


def assert_inert(html: str, payload: str) -> None:
    if any(ch in payload for ch in '<>"'):
        assert payload not in html, f"raw in page: {payload!r}"
    assert "<script>alert(1)" not in html


@pytest.mark.parametrize("payload", CORPUS)
async def test_search_query_is_inert(client, payload) -> None:
    page = await client.get("/faq/search", params={"q": payload})
    assert page.status_code == 200
    assert_inert(page.text, payload)
    if payload.startswith("{{"):
        assert "{{ 7*7 }}" in page.text  # shown as typed, never evaluated as a template


async def test_case_fields_review_confirmation_status_and_reply_are_inert(client) -> None:
    payload = " ".join(CORPUS)
    review, token = await fill(
        client,
        step2={
            **STEP2,
            "description": "Die Brüheinheit klemmt. " + payload,
        },
        step3={**STEP3, "name": "Erika " + CORPUS[1][:40]},
    )
    for p in CORPUS:
        assert_inert(review.text, p)
    done = await submit(client, review.text, token)
    assert done.status_code == 200
    for p in CORPUS:
        assert_inert(done.text, p)
    tid = tracking_id(done.text)
    auth = await bearer(client, "cases:write")
    reply = await client.post(
        f"/api/v1/backoffice/cases/{tid}/events",
        json={"kind": "reply", "text": payload},
        headers=auth,
    )
    assert reply.status_code == 200
    status = await client.get(f"/track/{tid}")
    assert status.status_code == 200
    for p in CORPUS:
        assert_inert(status.text, p)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in status.text  # shown, as text


async def test_direction_overrides_and_zero_width_characters_are_removed(client) -> None:
    review, token = await fill(
        client, step2={**STEP2, "description": "Die Brüheinheit klemmt: " + SNEAKY}
    )
    tid = tracking_id((await submit(client, review.text, token)).text)
    case = await on_app(client, lambda: Case.get(tracking_id=tid))
    assert "\u202e" not in case.description and "\u2066" not in case.description


async def test_rating_comment_is_inert_where_shown_again(client) -> None:
    """The comment comes back in the rating form (to change it) and must stay text."""
    from support.ratings import post_rating, resolved_case

    payload = " ".join(CORPUS)
    tid, link = await resolved_case(client)
    rated = await post_rating(
        client, link, {"satisfaction": "2", "solved": "no", "effort": "2", "comment": payload}
    )
    assert rated.status_code == 200
    for page in (
        rated.text,
        (await client.get(link)).text,
        (await client.get(f"/track/{tid}")).text,
    ):
        for p in CORPUS:
            assert_inert(page, p)
