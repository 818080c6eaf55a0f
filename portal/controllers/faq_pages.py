"""FAQ pages: overview, search results, article with helpful-vote form."""

from __future__ import annotations

import secrets
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request, Response, Router, get, post
from litestar.di import NamedDependency
from litestar.exceptions import ClientException, NotFoundException
from litestar.params import FromPath, FromQuery, QueryParameter, URLEncodedBody
from litestar.response import Redirect, Template
from msgspec import Struct

from faq.service import CommentTooLong
from feedback.outcomes import valid_search_id
from portal import i18n, refusals
from portal.knowledge_gaps import record_gap
from portal.params import QUERY, VOTER_COOKIE
from portal.ratelimits import search_rate_limit
from portal.services import Services
from portal.settings import Settings


@get("/faq", name="faq_index", include_in_schema=False)
async def faq_index(
    services: NamedDependency[Services], request: Request, missing: FromQuery[str] = ""
) -> Response:
    """`missing`: the article the language switch came from has no translation; say so."""
    lang = i18n.current_language()
    categories = await services.faq.categories(lang)
    untranslated = await services.journey.untranslated(missing[:120], lang) if missing else None
    context = {"categories": categories, "untranslated": untranslated}
    return _page(request, services, "faq/index.html", context)


@get("/search", name="faq_search", include_in_schema=False, dependencies=QUERY)
async def faq_search(
    services: NamedDependency[Services],
    request: Request,
    searched: NamedDependency[str],
    page: Annotated[int, QueryParameter(ge=1, le=1000)] = 1,
    s: FromQuery[str] = "",
) -> Response:
    """Results, or answers in the other language; `s` keeps the search id across pages."""
    lang = i18n.current_language()
    client = request.client.host if request.client else ""
    found = await services.journey.search(searched, lang, page, s, client)
    if page == 1 and found.other is None:
        record_gap(request, services, found.result, lang)
    context = {
        "q": searched,
        "result": found.result,
        "page": page,
        "pages": found.pages,
        "other": found.other,
        "other_lang": found.other_lang,
    }
    fills = {"search_id": found.search_id}
    return _page(request, services, "faq/search.html", context, fills=fills, vary=(searched, page))


@get("/faq/{lang:str}/{slug:str}", name="faq_article", include_in_schema=False)
async def faq_article(
    services: NamedDependency[Services],
    request: Request,
    lang: FromPath[str],
    slug: FromPath[str],
    voted: FromQuery[str] = "",
    s: FromQuery[str] = "",
) -> Response:
    """The article's own language is the page language, so links between translations work.

    The vote shown is this browser's recorded one (`voted` only says it was just given).
    """
    token = request.cookies.get(VOTER_COOKIE, "")
    view = await services.journey.article(slug, lang, token, s, opened=not voted)
    if view is None:
        raise NotFoundException()
    i18n.set_language(lang)
    vote = view.vote if view.vote is not None else {"yes": True, "no": False}.get(voted)
    thanks = voted in ("yes", "no")
    context = {"page": view.page, "article": view.page.article, "vote": vote, "thanks": thanks}
    search = valid_search_id(s) or ""
    fills = {"search_id": search, "search_param": f"&s={search}" if search else ""}
    return _page(request, services, "faq/article.html", context, fills=fills, vary=(vote, thanks))


@get("/faq/translation/{slug:str}", name="faq_translation", include_in_schema=False)
async def faq_translation(
    services: NamedDependency[Services], request: Request, slug: FromPath[str]
) -> Redirect:
    """Where the language switch of an article page leads: the article in the language just
    chosen, or the FAQ start in that language saying there is no translation."""
    lang = i18n.current_language()
    if await services.journey.translation(slug, lang):
        return Redirect(request.app.route_reverse("faq_article", lang=lang, slug=slug))
    query = urlencode({"missing": slug[:120]})
    return Redirect(f"{request.app.route_reverse('faq_index')}?{query}")


def _page(
    request: Request, services: Services, template: str, context: dict, **kept: Any
) -> Response:
    """The page through the page cache, kept until the FAQ changes; `kept`: its `fills` and
    `vary` (`portal.page_cache`)."""
    return request.app.state.page_cache.respond(
        request, template, context, services.faq.version, **kept
    )


class VoteForm(Struct):
    helpful: str
    comment: str = ""
    s: str = ""


@post("/faq/{lang:str}/{slug:str}/vote", name="faq_vote", include_in_schema=False, status_code=303)
async def faq_vote(
    services: NamedDependency[Services],
    request: Request,
    lang: FromPath[str],
    slug: FromPath[str],
    data: URLEncodedBody[VoteForm],
) -> Redirect | Template:
    """Record "was this helpful?"; one vote per browser, identified by a random cookie."""
    if data.helpful not in ("yes", "no"):
        raise ClientException("helpful must be yes or no")
    token = request.cookies.get(VOTER_COOKIE) or secrets.token_urlsafe(24)
    helpful = data.helpful == "yes"
    try:
        if not await services.journey.vote(slug, lang, token, helpful, data.comment, data.s):
            raise NotFoundException()
    except CommentTooLong as refused:
        return await _vote_again(services, slug, lang, data, refusals.refusal(refused))
    search = valid_search_id(data.s)
    query = urlencode({"voted": data.helpful, **({"s": search} if search else {})})
    article = request.app.route_reverse("faq_article", lang=lang, slug=slug)
    response = Redirect(f"{article}?{query}#feedback", status_code=303)
    return _remember_voter(request, response, token)


async def _vote_again(
    services: Services, slug: str, lang: str, data: VoteForm, error: str
) -> Template:
    """The article with the vote form again, saying why, with the whole comment (this page
    is the visitor's own, so it does not go through the page cache)."""
    view = await services.journey.article(slug, lang, "", data.s, opened=False)
    if view is None:
        raise NotFoundException()
    i18n.set_language(lang)
    search = valid_search_id(data.s) or ""
    context = {
        "page": view.page,
        "article": view.page.article,
        "vote": None,
        "thanks": False,
        "comment": data.comment,
        "comment_error": error,
        "fill": {"search_id": search, "search_param": f"&s={search}" if search else ""},
    }
    return Template("faq/article.html", context=context, status_code=400)


def _remember_voter(request: Request, response: Redirect, token: str) -> Redirect:
    """The voter cookie: a year, for this site's pages only."""
    response.set_cookie(
        VOTER_COOKIE,
        token,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


ROUTES = [faq_index, faq_translation, faq_article, faq_vote]


def search_router(settings: Settings) -> Router:
    """The search page, limited like the search API (and counted with it)."""
    return Router(
        "/faq",
        route_handlers=[faq_search],
        middleware=[search_rate_limit(settings).middleware],
        include_in_schema=False,
    )
