"""Searches without answer are counted once per query, language and client and day, by the
once-a-second batch: every process shares the counters (the database, or Redis)."""

from __future__ import annotations

from functools import partial

from faq.models import SearchLog
from portal.db import close_database, open_database
from portal.knowledge_gaps import write_gaps
from portal.ratelimits import COUNTERS_PER_STATEMENT, RateLimits
from portal.settings import Settings
from support.client import on_app


async def test_a_key_is_first_once_in_its_window_whichever_process_asks(shared_env) -> None:
    settings = Settings.from_env(shared_env)  # the database's counters, or Redis
    keys = [(f"frage {n}", "de", "198.51.100.7") for n in range(COUNTERS_PER_STATEMENT + 20)]
    await open_database(settings)
    try:
        one, other = RateLimits(settings), RateLimits(settings)  # two processes' limits
        assert await one.firsts_in_window("faq.gap", keys[:10]) == set(keys[:10])
        assert await other.firsts_in_window("faq.gap", keys) == set(keys[10:])
        assert await one.firsts_in_window("faq.gap", keys) == set()
        assert await other.firsts_in_window("faq.gap", keys) == set()
        another_client = [(q, lang, "198.51.100.8") for q, lang, _ in keys[:3]]
        assert await one.firsts_in_window("faq.gap", another_client) == set(another_client)
    finally:
        await close_database()


def _queries():
    return SearchLog.all().order_by("id").values_list("query", flat=True)


async def test_the_same_gap_from_one_client_is_written_once_over_several_batches(client) -> None:
    services = client.app.dependencies["services"].dependency()
    write = partial(write_gaps, services, client.app.state.rate_limits)
    for query in ("Quxbarfoo Zwieback", "quxbarfoo  zwieback"):  # one batch
        await client.get("/api/v1/faq/search", params={"q": query})
    await on_app(client, write)
    assert await on_app(client, _queries) == ["Quxbarfoo Zwieback"]
    for query in ("QUXBARFOO ZWIEBACK", "Plimquatsch"):  # a later batch
        await client.get("/api/v1/faq/search", params={"q": query})
        await client.get("/faq/search", params={"q": query})
    await on_app(client, write)
    assert await on_app(client, _queries) == ["Quxbarfoo Zwieback", "Plimquatsch"]
