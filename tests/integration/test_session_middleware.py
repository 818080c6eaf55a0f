"""What the portal relies on in Litestar's session and rate-limit middleware, run through the
real app with its own backend (`portal.sessions`) and stores (`portal.stores`): no session and
no cookie for a visitor with nothing to keep, a fresh id at sign-in that ends the old one,
each session's lifetime from the settings, and Litestar's middleware writing into our
stores. A Litestar upgrade that changes any of it fails here."""

from __future__ import annotations

import re

import msgspec
import pytest

from portal.stores import CounterFileStore, LocalFileStore
from support.client import csrf_token, on_app

ADMIN_TOKEN = "session-test-admin-token-" + "s" * 16


@pytest.fixture
def env(env: dict[str, str]) -> dict[str, str]:
    return {
        **env,
        "PORTAL_ADMIN_TOKEN": ADMIN_TOKEN,
        "PORTAL_CASE_SESSION_DAYS": "2",
        "PORTAL_REPORT_SESSION_HOURS": "3",
        "PORTAL_SEARCH_RATE_LIMIT": "2",
    }


def stored(settings, store: str) -> list:
    directory = settings.data_dir / "stores" / store
    return list(directory.iterdir()) if directory.exists() else []


async def sign_in(client):
    token = csrf_token((await client.get("/reports")).text)
    response = await client.post(
        "/reports/login", data={"token": ADMIN_TOKEN, "_csrf_token": token}
    )
    assert response.history[0].status_code == 303
    return response.history[0].headers["set-cookie"]


def session_id(cookie: str, key: str) -> str:
    return re.search(rf"{key}=([^;]*)", cookie).group(1)


async def test_visitors_of_the_forms_get_no_session_and_no_cookie(client, settings) -> None:
    for path in ("/reports", "/case/new", "/track/"):
        response = await client.get(path)
        assert response.status_code == 200
        assert "portal_reports=" not in response.headers.get("set-cookie", ""), path
        assert "portal_case=" not in response.headers.get("set-cookie", ""), path
    assert stored(settings, "report_sessions") == stored(settings, "case_drafts") == []


async def test_sign_in_stores_the_session_under_a_fresh_id_and_ends_the_old_one(
    client, settings
) -> None:
    client.cookies.set("portal_reports", "a" * 64, domain="testserver.local", path="/reports")
    first = session_id(await sign_in(client), "portal_reports")
    assert first != "a" * 64
    second = session_id(await sign_in(client), "portal_reports")
    assert second != first
    assert len(stored(settings, "report_sessions")) == 1  # the first one is gone
    client.cookies.clear()
    client.cookies.set("portal_reports", first, domain="testserver.local", path="/reports")
    assert (await client.get("/reports/summary.csv")).status_code == 401


async def test_each_session_lasts_as_its_setting_says(client) -> None:
    cookie = await sign_in(client)
    assert "Max-Age=10800" in cookie and "Path=/reports" in cookie  # 3 hours
    response = await client.get("/case/new", params={"q": "Lieferung kam nicht"})
    assert "portal_case=" in response.headers["set-cookie"]
    assert "Max-Age=172800" in response.headers["set-cookie"]  # 2 days, as for status pages


async def test_litestars_middleware_keeps_state_in_our_stores(client, settings) -> None:
    assert isinstance(client.app.stores.get("case_drafts"), LocalFileStore)
    assert isinstance(client.app.stores.get("rate_limit"), CounterFileStore)
    await client.get("/case/new", params={"q": "Lieferung"})
    assert len(stored(settings, "case_drafts")) == 1
    codes = [
        (await client.get("/api/v1/faq/search", params={"q": "Lieferung"})).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]
    assert stored(settings, "rate_limit")


async def test_a_draft_lasts_a_day_within_the_longer_session(client) -> None:
    """The draft holds personal data: a day after its last save it is gone, the session not."""
    response = await client.get("/case/new", params={"q": "Paket nie angekommen"})
    sid = session_id(response.headers["set-cookie"], "portal_case")
    store = client.app.stores.get("case_drafts")

    async def described(age: int = 0) -> str | None:
        session = msgspec.json.decode(await store.get(sid))
        if age:
            session["case_draft"]["saved_at"] -= age
            await store.set(sid, msgspec.json.encode(session), expires_in=3600)
        return session["case_draft"]["values"].get("description")

    await client.get("/case/new")
    assert await on_app(client, described, 23 * 3600) == "Paket nie angekommen"
    await client.get("/case/new")  # saved again: a day from now
    assert await on_app(client, described, 24 * 3600 + 60) == "Paket nie angekommen"
    await client.get("/case/new")
    assert await on_app(client, described) is None  # a new, empty draft in the same session
