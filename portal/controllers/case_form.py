"""The guided case form: four server-side steps, the draft kept in a server-side session.

Every step posts to itself and redirects (post-redirect-get); errors and input survive the
redirect in the draft, so the form works without JavaScript. `case_form.js` only adds live
FAQ suggestions and shows the contact fields the chosen channel needs.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Router, get, post
from litestar.di import NamedDependency
from litestar.exceptions import ClientException, NotFoundException
from litestar.params import FromPath, FromQuery, MultipartBody, URLEncodedBody
from litestar.response import Redirect, Template
from msgspec import Struct

from feedback.outcomes import valid_search_id
from portal import case_draft, i18n, uploads
from portal.case_access import FILED
from portal.dates import local_time
from portal.params import QUERY, VOTER_COOKIE
from portal.ratelimits import submit_rate_limit
from portal.refusals import field_names, message
from portal.services import Services
from portal.sessions import case_session
from portal.settings import Settings
from shared.regional import LANGUAGES
from tracking.classification import label
from tracking.models import Case

STEPS = (1, 2, 3, 4)


# -- pages -------------------------------------------------------------------------------------
@get("/new", name="case_new", include_in_schema=False, dependencies=QUERY)
async def case_new(
    services: NamedDependency[Services],
    request: Request,
    searched: NamedDependency[str],
    s: FromQuery[str] = "",
    a: FromQuery[str] = "",
) -> Template | Redirect:
    """Start (or continue) a case; `searched` (`q`) carries a search over from the FAQ, `s` its
    search id, `a` the article the customer read before asking us (not suggested again)."""
    draft = case_draft.load(request, create=True, query=searched)
    if valid_search_id(s):
        draft["search"] = s
    if a:
        voter = request.cookies.get(VOTER_COOKIE, "")
        await case_draft.from_article(services, draft, a, i18n.current_language(), voter)
    if searched and not draft["values"].get("description"):
        draft["values"]["description"] = searched
    if request.session or searched or a:  # a first visit from nowhere has nothing to keep yet
        case_draft.save(request, draft)
    return await _render(services, request, draft, 1)


@get("/new/suggestions", name="case_suggestions", include_in_schema=False)
async def case_suggestions(
    services: NamedDependency[Services],
    request: Request,
    description: FromQuery[str | None] = None,
    type: FromQuery[str | None] = None,  # noqa: A002 - the form's field name
    product: FromQuery[str | None] = None,
) -> Template:
    """The suggestion list for what is typed but not yet saved (`case_form.js` asks for it),
    by the same rules as the page's own list; a field not on the page (None) is taken from
    the draft. Reads the draft, never changes it."""
    draft = case_draft.load(request) or {"values": {}}
    typed = {"description": description, "type": type, "product": product}
    values = {k: v[:500] for k, v in typed.items() if v is not None}
    draft = {**draft, "values": {**draft["values"], **values}}
    lang = i18n.current_language()
    hits = await case_draft.suggestions(services, services.tracking.classification, draft, lang)
    return Template("case/_suggestion_items.html", context={"suggestions": hits})


@get("/new/{step:int}", name="case_step", include_in_schema=False)
async def case_step(
    services: NamedDependency[Services], request: Request, step: FromPath[int]
) -> Template | Redirect:
    draft = case_draft.load(request)
    if step not in STEPS:
        raise NotFoundException()
    if draft is None and step > 1:
        return Redirect(request.app.route_reverse("case_step", step=1), status_code=303)
    if draft is None:  # nothing typed yet: the draft is kept once there is something in it
        draft = case_draft.load(request, create=True)
    invalid, _ = case_draft.first_invalid_step(services.tracking.classification, draft, step)
    if invalid:
        return Redirect(request.app.route_reverse("case_step", step=invalid), status_code=303)
    return await _render(services, request, draft, step)


async def _render(services: Services, request: Request, draft: dict, step: int) -> Template:
    lang = i18n.current_language()
    classification = services.tracking.classification
    stored = (request.session or {}).get(case_draft.ERRORS) or {}
    errors = {}
    if stored.get("step") == step:
        errors = {
            name: message(code, params, field=name)
            for name, code, params in stored.get("errors", [])
        }
        request.set_session({**request.session, case_draft.ERRORS: {}})
    suggestions = []
    if step in (1, 2):
        suggestions = await case_draft.suggestions(services, classification, draft, lang)
        shown = draft["shown"]
        for hit in suggestions:
            if hit.id not in shown:
                shown.append(hit.id)
        draft["shown"] = shown[-20:]
        if suggestions:
            request.set_session({**request.session, case_draft.DRAFT: draft})
    values = draft["values"]
    request_type = classification.request_types.get(values.get("type", ""))
    type_fields = [
        (classification.fields[key], required)
        for key, required in (request_type.fields if request_type else ())
    ]
    names = field_names(classification)
    return Template(
        f"case/step{step}.html",
        context={
            "step": step,
            "steps": STEPS,
            "c": classification,
            "t": lambda labels: label(labels, lang),
            "values": values,
            "details": draft["details"],
            "type_fields": type_fields,
            "names": names,
            "error_summary": case_draft.error_summary(classification, errors, names, type_fields),
            "files": draft["files"],
            "errors": errors,
            "suggestions": suggestions,
            "submission_key": draft["key"],
            "lang": lang,
        },
    )


# -- saving a step -----------------------------------------------------------------------------
@post(
    "/new/{step:int}",
    name="case_step_save",
    include_in_schema=False,
    status_code=303,
    request_max_body_size=uploads.UPLOAD_LIMIT,
)
async def case_step_save(
    services: NamedDependency[Services],
    request: Request,
    step: FromPath[int],
    data: MultipartBody[dict[str, Any]],
) -> Redirect:
    """Keep what was typed; Next validates this step, Back and Upload do not."""
    if step not in (1, 2, 3):
        raise NotFoundException()
    draft = case_draft.load(request, create=True)
    target, errors = await case_draft.save_step(services, draft, step, data)
    case_draft.save(request, draft, case_draft.error_list(errors), step if errors else 0)
    anchor = "#form-errors" if errors else ""
    return Redirect(request.app.route_reverse("case_step", step=target) + anchor, status_code=303)


# -- submitting --------------------------------------------------------------------------------
class SubmitForm(Struct):
    submission_key: str = ""
    website: str = ""  # the honeypot: people never see it, simple bots fill it in


@post("/new/submit", name="case_submit", include_in_schema=False, status_code=303)
async def case_submit(
    services: NamedDependency[Services], request: Request, data: URLEncodedBody[SubmitForm]
) -> Redirect:
    """Create the case once: a second submit of the same draft finds the first case."""
    if data.website:
        raise ClientException("rejected")
    if filed := await case_draft.filed_before(services, request, data.submission_key):
        return _received(request, filed)
    draft = case_draft.load(request)
    if draft is None or data.submission_key != draft["key"]:
        return Redirect(request.app.route_reverse("case_new"), status_code=303)
    invalid, errors = case_draft.first_invalid_step(services.tracking.classification, draft, 4)
    if invalid:
        case_draft.save(request, draft, case_draft.error_list(errors), invalid)
        target = request.app.route_reverse("case_step", step=invalid)
        return Redirect(target + "#form-errors", status_code=303)
    result = await case_draft.file(services, draft)
    case_draft.filed(request, result.case.tracking_id)
    return _received(request, result.case.tracking_id)


def _received(request: Request, tracking_id: str) -> Redirect:
    return Redirect(
        request.app.route_reverse("case_received", tracking_id=tracking_id), status_code=303
    )


@get("/received/{tracking_id:str}", name="case_received", include_in_schema=False)
async def case_received(
    services: NamedDependency[Services], request: Request, tracking_id: FromPath[str]
) -> Template:
    """Only the browser that filed the case sees this page."""
    if tracking_id not in ((request.session or {}).get(FILED) or []):
        raise NotFoundException()
    case = await Case.get_or_none(tracking_id=tracking_id)
    if case is None:
        raise NotFoundException()
    lang = i18n.current_language()
    tz = services.tracking.classification.business_hours.timezone
    return Template(
        "case/received.html",
        context={
            "case": case,
            "first_response": local_time(case.first_response_due, tz, lang),
            "department": services.tracking.classification.department_label(case.department, lang),
        },
    )


# -- deflection --------------------------------------------------------------------------------
class OpenedForm(Struct):
    slug: str
    lang: str


@post("/new/suggestion", name="case_suggestion_open", include_in_schema=False, status_code=303)
async def case_suggestion_open(
    services: NamedDependency[Services], request: Request, data: URLEncodedBody[OpenedForm]
) -> Redirect:
    """Record that a suggested answer was opened (a POST: GETs never change state), then show it."""
    article = await services.faq.article(data.slug, data.lang) if data.lang in LANGUAGES else None
    if article is None:
        raise NotFoundException()
    draft = case_draft.load(request)
    if draft is not None:
        if data.slug not in draft["opened"]:
            draft["opened"].append(data.slug)
            await services.tracking.record_opened(draft["draft_id"], data.slug, data.lang)
        if data.slug not in draft["shown"]:
            draft["shown"].append(data.slug)
        request.set_session({**request.session, case_draft.DRAFT: draft})
    return Redirect(
        request.app.route_reverse("faq_article", lang=data.lang, slug=data.slug), status_code=303
    )


def router(settings: Settings) -> Router:
    return Router(
        "/case",
        route_handlers=[
            case_new,
            case_step,
            case_step_save,
            case_submit,
            case_received,
            case_suggestion_open,
            case_suggestions,
        ],
        middleware=[case_session(settings), submit_rate_limit(settings).middleware],
        include_in_schema=False,
    )
