"""Requests without a cookie or sign-in write nothing that grows without limit: no session
until there is something to keep, searches limited per client, and a search without answer
counted once per client in the knowledge-gap report."""

from __future__ import annotations

import asyncio

import pytest

from faq.models import SearchLog
from support.client import on_app


async def test_cookieless_visits_store_no_session(client, settings) -> None:
    for path in ("/case/new", "/case/new/1", "/track/", "/track/AAAA-BBBB-CCCC", "/track/resend"):
        for _ in range(3):
            client.cookies.clear()
            response = await client.get(path)
            assert response.status_code == 200
            assert "portal_case" not in response.cookies, path
    drafts = settings.data_dir / "stores" / "case_drafts"
    assert not drafts.exists() or not any(drafts.iterdir())


class TestSearchPageLimit:
    @pytest.fixture
    def env(self, env: dict[str, str]) -> dict[str, str]:
        return {**env, "PORTAL_SEARCH_RATE_LIMIT": "3"}

    async def test_the_search_page_is_limited_like_the_api(self, client) -> None:
        codes = [
            (await client.get("/faq/search", params={"q": f"Lieferung {n}"})).status_code
            for n in range(3)
        ]
        page = await client.get("/faq/search", params={"q": "Lieferung 4"})
        api = await client.get("/api/v1/faq/search", params={"q": "Lieferung"})
        assert codes == [200, 200, 200]
        assert page.status_code == 429 and "Zu viele Anfragen" in page.text
        assert api.status_code == 429  # one budget for the page and the API


async def test_a_search_without_answer_counts_once_per_client(client) -> None:
    for query in ("Quxbarfoo Zwieback", "quxbarfoo  zwieback", "Quxbarfoo Zwieback"):
        await client.get("/faq/search", params={"q": query})
        await client.get("/api/v1/faq/search", params={"q": query, "lang": "de"})
    await client.get("/faq/search", params={"q": "Plimquatsch"})
    logged: list = []
    for _ in range(50):  # written in one batch once a second; all searches were noted before it
        logged = await on_app(client, lambda: SearchLog.all().values_list("query", flat=True))
        if logged:
            break
        await asyncio.sleep(0.1)
    assert sorted(q.casefold() for q in logged) == ["plimquatsch", "quxbarfoo zwieback"]
