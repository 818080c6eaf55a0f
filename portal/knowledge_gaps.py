"""Searches without an answer, counted for the knowledge-gap report by the search page and
the search API alike."""

from __future__ import annotations

from litestar import Request

from faq.search import SearchResult
from portal.services import Services


async def record_gap(request: Request, services: Services, result: SearchResult, lang: str) -> None:
    """A search without answer counts once per client and day in the knowledge-gap report,
    so nobody can flood the report (`faq.gap`)."""
    if result.answered or not result.query:
        return
    client = request.client.host if request.client else "-"
    limits = request.app.state.rate_limits
    if await limits.first_in_window("faq.gap", result.query.casefold(), lang, client):
        services.faq.note_gap(result.query, lang)
