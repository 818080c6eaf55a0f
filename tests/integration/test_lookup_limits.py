"""Guessing the email of a case is limited per tracking ID and client, atomically across
processes, and a stranger's guesses never lock the case's owner out."""

from __future__ import annotations

import asyncio

import httpx

from support.cases import API_CASE
from support.client import csrf_token
from support.environment import PG_URL
from support.served import file_by_api, portal_process

LIMIT_PER_CLIENT = 5  # portal.ratelimits.LIMITS["track.lookup"]


async def _browser(base: str, address: str) -> tuple[httpx.AsyncClient, str]:
    """A browser behind the trusted proxy at this address, with its CSRF token."""
    browser = httpx.AsyncClient(base_url=base, timeout=20, headers={"x-forwarded-for": address})
    return browser, csrf_token((await browser.get("/track/")).text)  # caller closes it


async def _lookup(browser: httpx.AsyncClient, token: str, tracking_id: str, email: str) -> int:
    form = {"tracking_id": tracking_id, "email": email, "_csrf_token": token}
    return (await browser.post("/track/", data=form)).status_code


def test_concurrent_wrong_lookups_for_one_id_check_at_most_the_limit(counters) -> None:
    workers = ("--workers", "2") if PG_URL else ()  # several processes need PostgreSQL

    async def guess(base: str) -> list[int]:
        tracking_id = file_by_api(base)
        browser, token = await _browser(base, "198.51.100.20")
        try:
            return await asyncio.gather(
                *(_lookup(browser, token, tracking_id, f"guess{n}@example.org") for n in range(18))
            )
        finally:
            await browser.aclose()

    with portal_process({**counters, "PORTAL_TRUSTED_PROXIES": "127.0.0.1/32"}, *workers) as base:
        codes = asyncio.run(guess(base))
    assert sorted(set(codes)) == [400, 429]
    assert codes.count(400) <= LIMIT_PER_CLIENT  # each 400 is one email checked


def test_a_strangers_guesses_do_not_lock_out_the_owner(env) -> None:
    async def walk(base: str) -> tuple[int, int]:
        tracking_id = file_by_api(base)
        stranger, token = await _browser(base, "198.51.100.30")
        for n in range(LIMIT_PER_CLIENT):
            assert await _lookup(stranger, token, tracking_id, f"guess{n}@example.org") == 400
        blocked = await _lookup(stranger, token, tracking_id, "guess@example.org")
        await stranger.aclose()
        owner, token = await _browser(base, "203.0.113.40")
        found = await _lookup(owner, token, tracking_id, API_CASE["email"])
        await owner.aclose()
        return blocked, found

    with portal_process({**env, "PORTAL_TRUSTED_PROXIES": "127.0.0.1/32"}) as base:
        blocked, owner = asyncio.run(walk(base))
    assert blocked == 429
    assert owner == 303  # to the status page
