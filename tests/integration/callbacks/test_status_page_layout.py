"""The status page is no wall: callback days come collapsed and only while a callback can be
booked, and the customer's next step (answer the team, rate) comes before the history."""

from __future__ import annotations

import re

from support.backoffice import bearer
from support.callbacks import book
from support.cases import opened_case

EVENTS = "/api/v1/backoffice/cases/{}/events"


async def test_days_come_collapsed_and_booking_is_offered_while_bookable(client):
    tid = await opened_case(client, channel="phone", phone="030 1234567")
    html = (await client.get(f"/track/{tid}")).text
    days = re.findall(r"<details class=\"slot-day\"[^>]*>.*?</details>", html, re.S)
    assert days and not any(day.startswith('<details class="slot-day" open') for day in days)
    in_days = sum(day.count('name="slot"') for day in days)
    assert in_days == html.count('name="slot"') > len(days)  # every time sits inside its day

    booked = await book(client, tid, html)  # the first time, by phone in German
    assert booked.status_code == 303
    html = (await client.get(f"/track/{tid}")).text
    assert "callback-item" in html and 'name="slot"' not in html

    auth = await bearer(client, "cases:write")
    resolved = await client.post(EVENTS.format(tid), json={"kind": "resolve"}, headers=auth)
    assert resolved.status_code == 200
    html = (await client.get(f"/track/{tid}")).text
    assert 'name="slot"' not in html and "callback-form" not in html
    assert html.index('id="rating"') < html.index('id="timeline"')  # rate first


async def test_a_question_of_the_team_comes_first_with_the_answer_box(client):
    tid = await opened_case(client)
    auth = await bearer(client, "cases:write")
    html = (await client.get(f"/track/{tid}")).text
    assert html.index('id="timeline"') < html.index('id="reply"')  # nothing asked: history first

    await client.post(
        EVENTS.format(tid), json={"kind": "reply", "text": "Welche Farbe?"}, headers=auth
    )
    waiting = {"kind": "set_status", "status": "waiting_for_customer"}
    assert (await client.post(EVENTS.format(tid), json=waiting, headers=auth)).status_code == 200
    html = (await client.get(f"/track/{tid}")).text
    question = html.index("Welche Farbe?")
    assert question < html.index('id="reply"') < html.index('id="timeline"')
    assert html.count('id="reply"') == 1
