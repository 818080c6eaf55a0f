"""Through HTTP on a real server: customers from three networks search, open an article and
vote it helpful; after the refresh job the search finds the article by their words, and the
editor can promote the phrasing into the article's tags or remove it."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Iterator
from html import unescape

import httpx

from portal.settings import Settings
from support.client import csrf_token
from support.reports import ADMIN_TOKEN
from support.served import portal_process

SEARCH_ID = re.compile(r"\?s=([\w-]{16,32})")
ARTICLE = "transportschaden"
PHRASE = "paket zerdeppert"


def customer_finds(base: str, address: str, query: str = PHRASE) -> None:
    """One customer (own network, own browser): search, open the article, vote helpful."""
    headers = {"x-forwarded-for": address, "accept-language": "de"}
    with httpx.Client(base_url=base, headers=headers, timeout=10) as browser:
        results = browser.get("/faq/search", params={"q": query})
        search_id = SEARCH_ID.search(results.text).group(1)
        page = browser.get(f"/faq/de/{ARTICLE}", params={"s": search_id})
        data = {"helpful": "yes", "s": search_id, "_csrf_token": csrf_token(page.text)}
        assert browser.post(f"/faq/de/{ARTICLE}/vote", data=data).status_code in (200, 303)


def found(base: str, query: str) -> list[str]:
    page = httpx.get(f"{base}/faq/search", params={"q": query}, headers={"accept-language": "de"})
    return re.findall(r'href="/faq/de/([\w-]+)\?s=', page.text)


def eventually(check, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while not (result := check()) and time.monotonic() < deadline:
        time.sleep(0.3)
    return result


@contextlib.contextmanager
def editor(base: str) -> Iterator[httpx.Client]:
    """A browser signed in on the report page."""
    with httpx.Client(base_url=base, timeout=10, headers={"accept-language": "en"}) as client:
        form = client.get("/reports/")
        client.post(
            "/reports/login", data={"token": ADMIN_TOKEN, "_csrf_token": csrf_token(form.text)}
        )
        yield client


def decide(client: httpx.Client, action: str) -> httpx.Response:
    page = client.get("/reports/learned/")
    assert PHRASE in unescape(page.text)
    data = {
        "lang": "de",
        "article": ARTICLE,
        "phrase": PHRASE,
        "_csrf_token": csrf_token(page.text),
    }
    return client.post(f"/reports/learned/{action}", data=data)


def learned_env(env: dict[str, str]) -> dict[str, str]:
    return {**env, "PORTAL_TRUSTED_PROXIES": "127.0.0.1/32", "PORTAL_LEARN_REFRESH_SECONDS": "1"}


def test_three_networks_teach_the_search_and_the_editor_promotes_it(env) -> None:
    with portal_process(learned_env(env)) as base:
        assert ARTICLE not in found(base, "zerdeppert")
        for _ in range(5):  # one customer, again and again: teaches nothing
            customer_finds(base, "198.51.100.7")
        time.sleep(3)
        assert ARTICLE not in found(base, "zerdeppert")
        for address in ("203.0.113.1", "192.0.2.55"):
            customer_finds(base, address)
        assert eventually(lambda: ARTICLE in found(base, "zerdeppert"))
        with editor(base) as client:
            assert (
                client.post(
                    "/reports/learned/promote",
                    data={"lang": "de", "article": ARTICLE, "phrase": PHRASE},
                ).status_code
                == 403
            )  # no CSRF
            assert decide(client, "promote").headers["location"].endswith("/reports/learned")
            assert PHRASE not in unescape(client.get("/reports/learned/").text)
        assert ARTICLE in found(base, "zerdeppert")  # now through the tag
    assert PHRASE in asyncio.run(tags(Settings.from_env(env)))


async def tags(settings: Settings) -> list[str]:
    from faq.models import Article
    from portal.db import close_database, open_database

    await open_database(settings)
    try:
        return (await Article.get(slug=ARTICLE, lang="de")).tags
    finally:
        await close_database()


def test_a_removed_phrasing_is_forgotten_and_does_not_come_back(env) -> None:
    with portal_process(learned_env(env)) as base:
        for address in ("203.0.113.1", "192.0.2.55", "198.51.100.7"):
            customer_finds(base, address)
        assert eventually(lambda: ARTICLE in found(base, "zerdeppert"))
        with editor(base) as client:
            assert httpx.post(f"{base}/reports/learned/remove").status_code in (401, 403)
            assert decide(client, "remove").status_code == 303
            assert PHRASE not in unescape(client.get("/reports/learned/").text)
        time.sleep(2.5)  # refresh rounds on the same evidence
        assert ARTICLE not in found(base, "zerdeppert")
