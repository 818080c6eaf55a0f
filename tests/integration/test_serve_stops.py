"""`portal serve` stops on SIGTERM although a status page's live connection is open: that
connection never ends by itself, and a service manager would otherwise have to kill the
process (the browser reconnects to another one)."""

from __future__ import annotations

import asyncio
import subprocess

import httpx

from support.case_form import fill, submit, tracking_id
from support.served import portal_server


async def test_sigterm_ends_open_live_pages_after_the_grace(env) -> None:
    with portal_server({**env, "PORTAL_SHUTDOWN_GRACE_SECONDS": "1"}) as (base, proc):
        async with httpx.AsyncClient(base_url=base, timeout=20, follow_redirects=True) as browser:
            review, csrf = await fill(browser)
            tid = tracking_id((await submit(browser, review.text, csrf)).text)
            async with browser.stream("GET", f"/track/{tid}/events") as live:
                assert live.status_code == 200
                await asyncio.sleep(0.5)  # connected
                proc.terminate()
                try:  # without a grace the process waits for the page for ever
                    code = await asyncio.to_thread(proc.wait, 15)
                except subprocess.TimeoutExpired:
                    code = None
                assert code is not None, "portal serve still running 15 s after SIGTERM"
