"""Guessing the email of a case is limited per tracking ID and client, atomically across
processes, and a stranger's guesses never lock the case's owner out."""

from __future__ import annotations

import asyncio

import httpx

from support.cases import API_CASE
from support.environment import PG_URL
from support.served import csrf_session, file_by_api, lookup_form, portal_process

LIMIT_PER_CLIENT = 5  # portal.ratelimits.LIMITS["track.lookup"]


async def _browser(base: str, address: str) -> httpx.AsyncClient:
    """A browser behind the trusted proxy at this address that has loaded the lookup form."""
    return await csrf_session(base, timeout=20, headers={"x-forwarded-for": address})


async def _lookup(browser: httpx.AsyncClient, tracking_id: str, email: str) -> int:
    response = await browser.post("/track/", data=lookup_form(browser, tracking_id, email))
    return response.status_code


def test_concurrent_wrong_lookups_for_one_id_check_at_most_the_limit(shared_env) -> None:
    workers = ("--workers", "2") if PG_URL else ()  # several processes need PostgreSQL

    async def guess(base: str) -> list[int]:
        tracking_id = file_by_api(base)
        browser = await _browser(base, "198.51.100.20")
        try:
            return await asyncio.gather(
                *(_lookup(browser, tracking_id, f"guess{n}@example.org") for n in range(18))
            )
        finally:
            await browser.aclose()

    with portal_process({**shared_env, "PORTAL_TRUSTED_PROXIES": "127.0.0.1/32"}, *workers) as base:
        codes = asyncio.run(guess(base))
    assert sorted(set(codes)) == [400, 429]
    assert codes.count(400) <= LIMIT_PER_CLIENT  # each 400 is one email checked


def test_a_strangers_guesses_do_not_lock_out_the_owner(env) -> None:
    async def walk(base: str) -> tuple[int, int]:
        tracking_id = file_by_api(base)
        stranger = await _browser(base, "198.51.100.30")
        for n in range(LIMIT_PER_CLIENT):
            assert await _lookup(stranger, tracking_id, f"guess{n}@example.org") == 400
        blocked = await _lookup(stranger, tracking_id, "guess@example.org")
        await stranger.aclose()
        owner = await _browser(base, "203.0.113.40")
        found = await _lookup(owner, tracking_id, API_CASE["email"])
        await owner.aclose()
        return blocked, found

    with portal_process({**env, "PORTAL_TRUSTED_PROXIES": "127.0.0.1/32"}) as base:
        blocked, owner = asyncio.run(walk(base))
    assert blocked == 429
    assert owner == 303  # to the status page
