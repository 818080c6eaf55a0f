"""Working with the app through Litestar's test client, whose app runs on another loop."""

from __future__ import annotations

import asyncio
import re
import time

from litestar.testing import AsyncTestClient


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


async def post_form(client, page: str, action: str, data: dict):
    """Load `page` and send `data` to `action` as its form does, with the page's CSRF token;
    the response itself (a redirect is not followed)."""
    token = csrf_token((await client.get(page)).text)
    return await client.post(action, data={**data, "_csrf_token": token}, follow_redirects=False)


async def on_app(client: AsyncTestClient, fn, *args):
    """Run an async callable on the app's event loop, where its database connections live."""
    return await asyncio.to_thread(client.blocking_portal.call, fn, *args)


async def written(client: AsyncTestClient, fn, timeout: float = 5.0):
    """The result of `fn` on the app's loop once it is non-empty: for records the portal
    writes in batches (the search log, search outcomes)."""
    deadline = time.monotonic() + timeout
    while True:
        result = await on_app(client, fn)
        if result or time.monotonic() > deadline:
            return result
        await asyncio.sleep(0.05)


async def shown_again(client: AsyncTestClient, response):
    """A refused status page form: the redirect (post/redirect/get) and the page it leads to,
    whether or not the client followed it."""
    if response.history:
        assert response.history[0].status_code == 303, response.history[0].status_code
        return response
    assert response.status_code == 303, (response.status_code, response.text[:300])
    location = response.headers["location"]
    assert location.startswith("/track/") and "#" in location, location
    return await client.get(location)
