"""Fifty customers press "book" at once against a real `portal serve`: three get the slot.

On PostgreSQL the server runs two worker processes, so nothing held in one process's memory
could be what prevents overbooking.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from datetime import datetime
from html import unescape
from zoneinfo import ZoneInfo

import httpx

from support.cases import API_CASE
from support.environment import PG_URL
from support.served import api_token, customer, portal_process

SESSIONS = 17  # three bookings per case at most, so 17 cases make 51 >= 50 bookings


async def test_fifty_concurrent_bookings_over_http(env):
    args = ("--workers", "2") if PG_URL else ()
    with portal_process({**env, "PORTAL_CASE_RATE_LIMIT": "1000"}, *args) as base:
        async with httpx.AsyncClient(base_url=base, timeout=60) as api:
            ids = []
            for _ in range(SESSIONS):
                filed = await api.post("/api/v1/cases", json={**API_CASE, "phone": "030 1234567"})
                assert filed.status_code == 201, filed.text
                ids.append(filed.json()["tracking_id"])
        browsers = [await customer(base, tracking_id) for tracking_id in ids]
        try:
            page = await browsers[0].get(f"/track/{ids[0]}")
            slot = re.findall(r'name="slot" value="([^"]+)"', page.text)[0]

            async def book(browser: httpx.AsyncClient, tracking_id: str) -> httpx.Response:
                form = {
                    "slot": slot,
                    "phone": "030 1234567",
                    "language": "de",
                    "note": "",
                    "_csrf_token": browser.cookies["portal_csrf"],
                }
                return await browser.post(f"/track/{tracking_id}/callbacks", data=form)

            jobs = [(browsers[i % SESSIONS], ids[i % SESSIONS]) for i in range(50)]
            responses = await asyncio.gather(*(book(b, t) for b, t in jobs))
            # booked or refused, each goes back to its status page (post/redirect/get)
            pages = [await b.get(f"/track/{t}") for b, t in zip(browsers, ids, strict=True)]
        finally:
            for browser in browsers:
                await browser.aclose()
        outcome = Counter(r.status_code for r in responses)
        assert outcome == {303: 50}, outcome
        refused = ["Diese Zeit ist gerade ausgebucht" in unescape(p.text) for p in pages]
        assert sum(refused) >= SESSIONS - 3, "the refused customers are told why"
        day = datetime.fromisoformat(slot).astimezone(ZoneInfo("Europe/Berlin")).date().isoformat()
        listed = await back_office_list(env, base, day)
        assert [item["status"] for item in listed if item["slot_start"].startswith(slot[:16])] == [
            "requested"
        ] * 3


async def back_office_list(env: dict[str, str], base: str, day: str) -> list[dict]:
    token = await asyncio.to_thread(api_token, env, base, ["cases:read"])
    async with httpx.AsyncClient(base_url=base, timeout=30) as api:
        response = await api.get(
            "/api/v1/backoffice/callbacks",
            params={"date": day},
            headers={"authorization": f"Bearer {token}"},
        )
    assert response.status_code == 200, response.text
    return response.json()["items"]
