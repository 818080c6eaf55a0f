"""The editor's view of what the FAQ search learned: phrasings per article, with their
evidence, and buttons to promote one into the article's tags or remove it.

Behind the same sign-in as the report page (`portal.report_access`); plain forms with CSRF,
no JavaScript.
"""

from __future__ import annotations

from litestar import Request, Router, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import URLEncodedBody
from litestar.response import Redirect, Template
from msgspec import Struct

from feedback import learning
from feedback.learning import LearningConfig
from portal.report_access import PRIVATE, SignInRequired, sign_in_first, signed_in
from portal.services import Services
from portal.sessions import report_session
from portal.settings import Settings


class PhraseForm(Struct):
    lang: str
    article: str
    phrase: str


@get("/", name="reports_learned", include_in_schema=False)
async def learned_page(request: Request, settings: NamedDependency[Settings]) -> Template:
    """Learned phrasings per article, best evidence first."""
    viewer = request.state.viewer
    phrasings = await learning.learned(LearningConfig.from_settings(settings))
    context = {"viewer": viewer, "articles": sorted(phrasings.items())}
    return Template("reports/learned.html", context=context, headers=PRIVATE)


async def _decide(
    request: Request, services: Services, settings: Settings, form: PhraseForm, action
) -> Redirect:
    config = LearningConfig.from_settings(settings)
    if await action(services.faq, config, form.lang, form.article, form.phrase) is False:
        raise NotFoundException()
    return Redirect(request.app.route_reverse("reports_learned"), status_code=303)


@post("/promote", name="reports_learned_promote", include_in_schema=False, status_code=303)
async def promote(
    request: Request,
    services: NamedDependency[Services],
    settings: NamedDependency[Settings],
    data: URLEncodedBody[PhraseForm],
) -> Redirect:
    """Make the phrasing a tag of its article."""
    return await _decide(request, services, settings, data, learning.promote)


@post("/remove", name="reports_learned_remove", include_in_schema=False, status_code=303)
async def remove(
    request: Request,
    services: NamedDependency[Services],
    settings: NamedDependency[Settings],
    data: URLEncodedBody[PhraseForm],
) -> Redirect:
    """Drop the phrasing; the evidence so far no longer counts."""
    return await _decide(request, services, settings, data, learning.remove)


def router(settings: Settings) -> Router:
    return Router(
        "/reports/learned",
        route_handlers=[learned_page, promote, remove],
        guards=[signed_in(settings)],
        exception_handlers={SignInRequired: sign_in_first(settings)},
        middleware=[report_session(settings)],
        include_in_schema=False,
    )
