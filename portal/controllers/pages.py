"""Home page, language switch and health check."""

from __future__ import annotations

from litestar import MediaType, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import URLEncodedBody
from litestar.response import Redirect
from msgspec import Struct

import portal.health
from portal import i18n
from portal.errors import problem
from portal.services import Services
from portal.settings import Settings

ONE_YEAR = 365 * 24 * 3600


@get("/", name="home", include_in_schema=False)
async def home(services: NamedDependency[Services], request: Request) -> Response:
    categories = await services.faq.categories(i18n.current_language())
    context = {"categories": categories}
    return request.app.state.page_cache.respond(request, "home.html", context, services.faq.version)


class LanguageForm(Struct):
    lang: str
    next: str = "/"


@post("/language", name="language", include_in_schema=False, status_code=303)
async def switch_language(
    data: URLEncodedBody[LanguageForm],
    request: Request,
) -> Redirect:
    """Remember the chosen language in a cookie and go back (post-redirect-get)."""
    lang = data.lang if data.lang in i18n.LANGUAGES else i18n.current_language()
    target = data.next if data.next.startswith("/") and not data.next.startswith("//") else "/"
    response = Redirect(target, status_code=303)
    response.set_cookie(
        i18n.LANG_COOKIE,
        lang,
        max_age=ONE_YEAR,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


@get("/healthz", name="health", media_type=MediaType.JSON, tags=["operations"])
async def health(request: Request, settings: NamedDependency[Settings]) -> Response:
    """Load balancer check: 200 when every dependency serves, else 503 problem+json naming it."""
    checks = await portal.health.check_all(settings, request.app.state.rate_limits)
    if down := portal.health.failed(checks):
        return problem(503, f"{', '.join(down)} unavailable", checks=checks)
    return Response({"status": "ok", **checks}, headers={"cache-control": "no-store"})


ROUTES = [home, switch_language, health]
