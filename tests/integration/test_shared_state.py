"""Two portal processes share sessions and rate limits: through files in the data
directory by default, through Redis when PORTAL_REDIS_URL is set (skipped without Redis)."""

from __future__ import annotations

import asyncio

import httpx

from support.case_form import fill
from support.served import lookup_statuses, portal_process


def test_rate_limit_and_session_hold_across_processes(shared_env) -> None:
    with portal_process(shared_env) as first, portal_process(shared_env) as second:
        # 30 lookups a minute per client, whichever process answers (400: a mistyped ID)
        codes = lookup_statuses([first, second], [None] * 31)
        assert codes[:30] == [400] * 30 and codes[30] == 429

        # a case form started on one process continues on the other (server-side session)
        async def walk() -> str:
            async with httpx.AsyncClient(
                base_url=first, follow_redirects=True, timeout=20
            ) as browser:
                review, _ = await fill(browser)
                assert "/case/new/4" in str(review.url)
                browser.base_url = second
                again = await browser.get("/case/new/4")
                return again.text

        review = asyncio.run(walk())
        assert "Erika Mustermann" in review
