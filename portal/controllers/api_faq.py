"""JSON API of the FAQ search (rate-limited per client)."""

from __future__ import annotations

from typing import Annotated, Literal

from litestar import Request, Router, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter
from msgspec import Meta, Struct

from faq.search import Hit
from portal.knowledge_gaps import record_gap
from portal.ratelimits import search_rate_limit
from portal.services import Services
from portal.settings import Settings
from shared.regional import Language


class SearchHit(Struct):
    id: str
    lang: str
    title: str
    category: str
    url: str
    snippet: str
    score: float
    confidence: Annotated[
        Literal["high", "medium", "low"],
        Meta(
            description="How sure the search is that this hit answers the query: `high` is the"
            " answer (only ever the first hit), `medium` maybe, `low` not an answer (show the"
            " way to a personal request instead)"
        ),
    ]


class SearchResponse(Struct):
    query: str
    results: list[SearchHit]
    total: int
    did_you_mean: str | None


@get("/search", name="api_faq_search", summary="Search the FAQ")
async def search(
    services: NamedDependency[Services],
    request: Request,
    q: Annotated[
        str,
        QueryParameter(
            max_length=2000, description="What the customer typed (the first 500 characters count)"
        ),
    ],
    lang: FromQuery[Language] = "de",
    limit: Annotated[int, QueryParameter(ge=1, le=50)] = 10,
    typeahead: Annotated[
        bool,
        QueryParameter(
            description="Live suggestions: not recorded as searches, and `snippet` is empty"
            " (the same hits, cheaper)"
        ),
    ] = False,
) -> SearchResponse:
    """Best answers first; an empty `results` list means the FAQ has no answer, and so does
    a list without a `high` or `medium` hit.

    `snippet` is HTML: escaped text with matched words in `<mark>`.
    """
    result = await services.faq.search(q, lang, limit=limit, record=False, snippets=not typeahead)
    if not typeahead:
        record_gap(request, services, result, lang)
    hits = [_hit(request, h) for h in result.hits]
    return SearchResponse(
        query=result.query, results=hits, total=result.total, did_you_mean=result.did_you_mean
    )


def _hit(request: Request, hit: Hit) -> SearchHit:
    """The hit as the API spells it: with its article's URL, the score to four places.
    (Field by field: `dataclasses.asdict` copies deeply and cost more than the rest.)"""
    return SearchHit(
        id=hit.id,
        lang=hit.lang,
        title=hit.title,
        category=hit.category,
        url=request.app.route_reverse("faq_article", lang=hit.lang, slug=hit.id),
        snippet=hit.snippet,
        score=round(hit.score, 4),
        confidence=hit.confidence,
    )


def router(settings: Settings) -> Router:
    limit = search_rate_limit(settings)
    return Router(
        "/api/v1/faq", route_handlers=[search], middleware=[limit.middleware], tags=["faq"]
    )
