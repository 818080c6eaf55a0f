"""A status page kept by the process (portal/case_pages.py) stops offering a time as soon as
other customers have booked it full."""

from __future__ import annotations

import httpx

from support.callbacks import book, open_case, slots


async def test_a_slot_booked_full_by_others_leaves_every_kept_page(client):
    waiting, html = await open_case(client)
    slot = slots(html)[0]
    await client.get(f"/track/{waiting}")
    assert client.app.state.case_pages.get(waiting, "de", 0.0) is not None
    first_browser = httpx.Cookies(client.cookies)

    client.cookies.clear()  # three other customers, each with a case, take the three places
    for _ in range(3):
        other, other_html = await open_case(client)
        response = await book(client, other, other_html, slot=slot)
        assert response.status_code == 303, response.text

    client.cookies = first_browser
    page = (await client.get(f"/track/{waiting}")).text
    assert slots(page) and slot not in slots(page)
