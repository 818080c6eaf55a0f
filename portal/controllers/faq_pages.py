"""FAQ pages: overview, search results, article with helpful-vote form."""

from __future__ import annotations

import secrets
from typing import Annotated

from litestar import Request, Response, Router, get, post
from litestar.di import NamedDependency
from litestar.exceptions import ClientException, NotFoundException
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.params import FromPath, FromQuery, QueryParameter, URLEncodedBody
from litestar.response import Redirect
from msgspec import Struct

from faq.search import SearchResult
from portal import i18n
from portal.services import Services
from portal.settings import Settings
from shared.regional import LANGUAGES

PAGE_SIZE = 10
VOTER_COOKIE = "portal_voter"


@get("/faq", name="faq_index", include_in_schema=False)
async def faq_index(services: NamedDependency[Services], request: Request) -> Response:
    categories = await services.faq.categories(i18n.current_language())
    return _page(request, services, "faq/index.html", {"categories": categories})


@get("/search", name="faq_search", include_in_schema=False)
async def faq_search(
    services: NamedDependency[Services],
    request: Request,
    q: FromQuery[str] = "",
    page: Annotated[int, QueryParameter(ge=1, le=1000)] = 1,
) -> Response:
    lang = i18n.current_language()
    offset = (page - 1) * PAGE_SIZE
    result = await services.faq.search(q, lang, limit=PAGE_SIZE, offset=offset, record=False)
    if page == 1:
        await record_gap(request, services, result, lang)
    pages = max(1, -(-result.total // PAGE_SIZE))
    context = {"q": q[:500], "result": result, "page": page, "pages": pages}
    return _page(request, services, "faq/search.html", context)


@get("/faq/{lang:str}/{slug:str}", name="faq_article", include_in_schema=False)
async def faq_article(
    services: NamedDependency[Services],
    request: Request,
    lang: FromPath[str],
    slug: FromPath[str],
    voted: FromQuery[str] = "",
) -> Response:
    """The article's own language is the page language, so links between translations work."""
    page = await services.faq.page(slug, lang) if lang in LANGUAGES else None
    if page is None:
        raise NotFoundException()
    i18n.set_language(lang)
    context = {"page": page, "article": page.article, "voted": voted in ("yes", "no")}
    return _page(request, services, "faq/article.html", context)


async def record_gap(request: Request, services: Services, result: SearchResult, lang: str) -> None:
    """A search without answer counts once per client and day in the knowledge-gap report,
    so nobody can flood the report (`faq.gap`)."""
    if result.total or not result.query:
        return
    client = request.client.host if request.client else "-"
    limits = request.app.state.rate_limits
    if await limits.first_in_window("faq.gap", result.query.casefold(), lang, client):
        services.faq.note_gap(result.query, lang)


def _page(request: Request, services: Services, template: str, context: dict) -> Response:
    return request.app.state.page_cache.respond(request, template, context, services.faq.version)


class VoteForm(Struct):
    helpful: str
    comment: str = ""


@post("/faq/{lang:str}/{slug:str}/vote", name="faq_vote", include_in_schema=False, status_code=303)
async def faq_vote(
    services: NamedDependency[Services],
    request: Request,
    lang: FromPath[str],
    slug: FromPath[str],
    data: URLEncodedBody[VoteForm],
) -> Redirect:
    """Record "was this helpful?"; one vote per browser, identified by a random cookie."""
    article = await services.faq.article(slug, lang) if lang in LANGUAGES else None
    if article is None:
        raise NotFoundException()
    if data.helpful not in ("yes", "no"):
        raise ClientException("helpful must be yes or no")
    token = request.cookies.get(VOTER_COOKIE) or secrets.token_urlsafe(24)
    await services.faq.vote(slug, lang, token, data.helpful == "yes", data.comment)
    response = Redirect(
        request.app.route_reverse("faq_article", lang=lang, slug=slug)
        + f"?voted={data.helpful}#feedback",
        status_code=303,
    )
    response.set_cookie(
        VOTER_COOKIE,
        token,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


ROUTES = [faq_index, faq_article, faq_vote]


def search_rate_limit(settings: Settings) -> RateLimitConfig:
    """Searches per client and minute, the search page and the search API together."""
    return RateLimitConfig(
        rate_limit=("minute", settings.search_rate_limit), set_rate_limit_headers=True
    )


def search_router(settings: Settings) -> Router:
    """The search page, limited like the search API (and counted with it)."""
    return Router(
        "/faq",
        route_handlers=[faq_search],
        middleware=[search_rate_limit(settings).middleware],
        include_in_schema=False,
    )
