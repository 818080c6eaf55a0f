"""Searches without an answer, counted for the knowledge-gap report by the search page and
the search API alike."""

from __future__ import annotations

from functools import partial

from litestar import Request

from faq.search import SearchResult
from portal.ratelimits import RateLimits
from portal.services import Services


def record_gap(request: Request, services: Services, result: SearchResult, lang: str) -> None:
    """A search without answer counts once per client and day in the knowledge-gap report,
    so nobody can flood the report (`faq.gap`). Only noted here: `write_gaps` counts it."""
    if result.answered or not result.query:
        return
    client = request.client.host if request.client else "-"
    services.faq.note_gap(result.query, lang, once_per=client)


async def write_gaps(services: Services, limits: RateLimits) -> int:
    """The once-a-second batch (and the last one at shutdown): the noted searches whose query,
    language and client are counted for the first time today, by any process, are written;
    one round trip to the counters for the whole batch instead of one per search."""
    return await services.faq.write_gaps(admit=partial(limits.firsts_in_window, "faq.gap"))
