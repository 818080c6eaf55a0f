"""Live status across processes: a reply made through process A reaches a page open on B,
and a page that reconnects with Last-Event-ID gets what it missed."""

from __future__ import annotations

import asyncio

import httpx

from support.case_form import fill, submit, tracking_id
from support.served import api_token, portal_process


async def timeline_events(response: httpx.Response):
    """(id, kind) of each `timeline` event of an open SSE response."""
    event_id = kind = None
    async for line in response.aiter_lines():
        if line.startswith("id:"):
            event_id = int(line[3:].strip())
        elif line.startswith("data:"):
            kind = line[5:].strip()
        elif line == "" and event_id is not None:
            yield event_id, kind
            event_id = kind = None


async def test_a_change_on_one_process_reaches_a_page_on_another(env) -> None:
    with portal_process(env) as first, portal_process(env) as second:
        token = await asyncio.to_thread(api_token, env, first)
        auth = {"authorization": f"Bearer {token}"}
        async with (
            httpx.AsyncClient(base_url=second, timeout=20, follow_redirects=True) as browser,
            httpx.AsyncClient(base_url=first, timeout=20) as office,
        ):
            review, csrf = await fill(browser)
            tid = tracking_id((await submit(browser, review.text, csrf)).text)

            async def reply(text: str) -> None:
                answer = await office.post(
                    f"/api/v1/backoffice/cases/{tid}/events",
                    json={"kind": "reply", "text": text},
                    headers=auth,
                )
                assert answer.status_code == 200, answer.text

            async with browser.stream("GET", f"/track/{tid}/events") as live:
                assert live.status_code == 200
                events = timeline_events(live)
                await asyncio.sleep(0.5)  # connected
                await reply("Erste Antwort")
                first_id, kind = await asyncio.wait_for(anext(events), 10)
                assert kind == "reply"

            await reply("Zweite Antwort, während die Seite weg war")
            async with browser.stream(
                "GET", f"/track/{tid}/events", headers={"last-event-id": str(first_id)}
            ) as again:
                second_id, kind = await asyncio.wait_for(anext(timeline_events(again)), 10)
            assert kind == "reply" and second_id > first_id
            page = await browser.get(f"/track/{tid}")
            assert "Zweite Antwort" in page.text

            # another browser may not listen in
            async with httpx.AsyncClient(base_url=second, timeout=10) as stranger:
                assert (await stranger.get(f"/track/{tid}/events")).status_code == 404
