"""A hundred open status pages of one case all hear of a back-office change, and a page that
reconnects with Last-Event-ID gets what it missed (a real `portal serve`, real SSE streams)."""

from __future__ import annotations

import asyncio

import httpx

from support.cases import API_CASE
from support.served import back_office_event, customer, portal_process

PAGES = 100


async def timeline_events(
    browser: httpx.AsyncClient,
    url: str,
    want: int,
    ready: asyncio.Event | None = None,
    last_event_id: str = "",
) -> list[tuple[str, str]]:
    """(id, kind) of the first `want` timeline events the stream sends."""
    headers = {"accept": "text/event-stream"}
    if last_event_id:
        headers["last-event-id"] = last_event_id
    seen: list[tuple[str, str]] = []
    current: dict[str, str] = {}
    async with browser.stream("GET", url, headers=headers) as stream:
        assert stream.status_code == 200
        async for line in stream.aiter_lines():
            if line.startswith(":") and ready is not None:
                ready.set()  # the "connected" comment: the subscription is up
            elif line == "":
                if current.get("event") == "timeline":
                    seen.append((current["id"], current["data"]))
                    if len(seen) == want:
                        return seen
                current = {}
            elif ":" in line:
                field, _, value = line.partition(":")
                current[field] = value.strip()
    return seen


async def test_a_hundred_open_pages_all_receive_the_event(env):
    with portal_process({**env, "PORTAL_CASE_RATE_LIMIT": "1000"}) as base:
        async with httpx.AsyncClient(base_url=base, timeout=30) as api:
            filed = await api.post("/api/v1/cases", json=API_CASE)
            assert filed.status_code == 201, filed.text
        tid = filed.json()["tracking_id"]
        browser = await customer(base, tid, connections=PAGES + 10)  # 100 streams at once
        url = f"/track/{tid}/events"
        try:
            ready = [asyncio.Event() for _ in range(PAGES)]
            pages = [
                asyncio.create_task(timeline_events(browser, url, 1, ready[i]))
                for i in range(PAGES)
            ]
            await asyncio.wait_for(asyncio.gather(*(r.wait() for r in ready)), 60)
            await asyncio.to_thread(
                back_office_event, env, base, tid, {"kind": "reply", "text": "Wir sind dran."}
            )
            results = await asyncio.wait_for(asyncio.gather(*pages), 60)
            assert [kind for result in results for _, kind in result] == ["reply"] * PAGES
            reply_id = results[0][0][0]
            assert {result[0][0] for result in results} == {reply_id}

            # a page that was away while two more things happened catches up on reconnect
            for event in ({"kind": "set_routing", "level": 2}, {"kind": "resolve"}):
                await asyncio.to_thread(back_office_event, env, base, tid, event)
            missed = await asyncio.wait_for(
                timeline_events(browser, url, 2, last_event_id=reply_id), 30
            )
            assert [kind for _, kind in missed] == ["routing_changed", "resolved"]
        finally:
            await browser.aclose()
