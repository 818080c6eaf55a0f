"""The guided case form: four server-side steps, the draft kept in a server-side session.

Every step posts to itself and redirects (post-redirect-get); errors and input survive the
redirect in the draft, so the form works without JavaScript. `case_form.js` only adds live
FAQ suggestions and shows the contact fields the chosen channel needs.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator
from typing import Any

from litestar import Request, Router, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import ClientException, NotFoundException
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.params import FromPath, FromQuery, MultipartBody, URLEncodedBody
from litestar.response import Redirect, Template
from msgspec import Struct

from feedback.outcomes import valid_search_id
from portal import i18n
from portal.case_errors import field_names, message
from portal.services import Services
from portal.sessions import QuietSessionConfig
from portal.settings import Settings
from shared.regional import LANGUAGES
from tracking import intake
from tracking.attachments import (
    ACCEPT,
    MAX_BYTES,
    MAX_FILES,
    AttachmentRejected,
    StoredFile,
    clean_filename,
)
from tracking.classification import Classification, FieldSpec, label
from tracking.models import Case
from tracking.service import Deflection

DRAFT = "case_draft"
ERRORS = "case_errors"
FILED = "cases_filed"
STEPS = (1, 2, 3, 4)
STEP_PARTS = {1: "classification", 2: "details", 3: "contact"}
TEXT_FIELDS = (*intake.CLASSIFICATION, *intake.DETAILS, *intake.CONTACT)
MAX_SUGGESTIONS = 3
UPLOAD_LIMIT = MAX_FILES * MAX_BYTES + 1024 * 1024

log = logging.getLogger("portal.case_form")


# -- the draft ---------------------------------------------------------------------------------
def _draft(request: Request, create: bool = False, query: str = "") -> dict[str, Any] | None:
    draft = request.session.get(DRAFT) if request.session else None
    if draft is None and create:
        draft = {
            "key": secrets.token_urlsafe(24),
            "draft_id": secrets.token_urlsafe(18),
            "values": {},
            "details": {},
            "files": [],
            "shown": [],
            "opened": [],
            "query": "",
        }
    if draft is not None and query:
        draft["query"] = intake.clean_text(query)[:500]
    return draft


def _save(
    request: Request, draft: dict[str, Any], errors: list | None = None, step: int = 0
) -> None:
    request.set_session(
        {**(request.session or {}), DRAFT: draft, ERRORS: {"step": step, "errors": errors or []}}
    )


def _raw(draft: dict[str, Any]) -> dict[str, Any]:
    return {**draft["values"], "details": draft["details"], "language": i18n.current_language()}


def _first_invalid_step(
    classification: Classification, draft: dict[str, Any], upto: int
) -> tuple[int, list]:
    for step in range(1, upto):
        _, errors = intake.validate(classification, _raw(draft), parts=(STEP_PARTS[step],))
        if errors:
            return step, errors
    return 0, []


def _error_list(errors: list[intake.FieldError]) -> list[list]:
    return [[e.field, e.code, dict(e.params)] for e in errors]


# -- pages -------------------------------------------------------------------------------------
@get("/new", name="case_new", include_in_schema=False)
async def case_new(
    services: NamedDependency[Services],
    request: Request,
    q: FromQuery[str] = "",
    s: FromQuery[str] = "",
    a: FromQuery[str] = "",
) -> Template | Redirect:
    """Start (or continue) a case; `q` carries a search over from the FAQ, `s` its search id,
    `a` the article the customer read before asking us (not suggested to them again)."""
    draft = _draft(request, create=True, query=q)
    if valid_search_id(s):
        draft["search"] = s
    if a and await services.faq.article(a, i18n.current_language()):
        draft["ruled_out"] = sorted({*draft.get("ruled_out", ()), a})[-5:]
    if q and not draft["values"].get("description"):
        draft["values"]["description"] = intake.clean_text(q)[:500]
    if request.session or q or a:  # a first visit from nowhere has nothing to keep yet
        _save(request, draft)
    return await _render(services, request, draft, 1)


@get("/new/{step:int}", name="case_step", include_in_schema=False)
async def case_step(
    services: NamedDependency[Services], request: Request, step: FromPath[int]
) -> Template | Redirect:
    draft = _draft(request)
    if step not in STEPS:
        raise NotFoundException()
    if draft is None and step > 1:
        return Redirect(request.app.route_reverse("case_step", step=1), status_code=303)
    if draft is None:  # nothing typed yet: the draft is kept once there is something in it
        draft = _draft(request, create=True)
    invalid, _ = _first_invalid_step(services.tracking.classification, draft, step)
    if invalid:
        return Redirect(request.app.route_reverse("case_step", step=invalid), status_code=303)
    return await _render(services, request, draft, step)


async def _render(services: Services, request: Request, draft: dict, step: int) -> Template:
    lang = i18n.current_language()
    classification = services.tracking.classification
    stored = (request.session or {}).get(ERRORS) or {}
    errors = {}
    if stored.get("step") == step:
        errors = {
            name: message(code, params, field=name)
            for name, code, params in stored.get("errors", [])
        }
        request.set_session({**request.session, ERRORS: {}})
    suggestions = []
    if step in (1, 2):
        suggestions = await _suggestions(services, classification, draft, lang)
        shown = draft["shown"]
        for hit in suggestions:
            if hit.id not in shown:
                shown.append(hit.id)
        draft["shown"] = shown[-20:]
        if suggestions:
            request.set_session({**request.session, DRAFT: draft})
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
            "error_summary": _summary(classification, errors, names, type_fields),
            "files": draft["files"],
            "max_files": MAX_FILES,
            "max_bytes": MAX_BYTES,
            "accept": ACCEPT,
            "errors": errors,
            "suggestions": suggestions,
            "submission_key": draft["key"],
            "lang": lang,
            "limits": intake.MAX_LENGTH,
        },
    )


def _summary(
    classification: Classification,
    errors: dict[str, str],
    names: dict[str, str],
    type_fields: list[tuple[FieldSpec, bool]],
) -> list[dict[str, str]]:
    """The error summary's entries in the order of the page: name, message, link target."""
    order = [
        *intake.CLASSIFICATION,
        *(f"details.{spec.key}" for spec, _ in type_fields),
        *intake.DETAILS,
        "files",
        *intake.CONTACT,
    ]
    radios = {
        "type": classification.request_types,
        "customer_type": classification.customer_types,
        "channel": classification.channels,
    }
    entries = []
    for name in sorted(errors, key=lambda n: order.index(n) if n in order else len(order)):
        anchor = "f-" + name.replace(".", "-")
        if name in radios:  # the first radio button, as a click on its label would
            anchor += "-" + next(iter(radios[name]))
        entries.append({"name": names.get(name, name), "message": errors[name], "anchor": anchor})
    return entries


async def _suggestions(
    services: Services, classification: Classification, draft: dict, lang: str
) -> list:
    """The best FAQ answers for what the customer told us so far: the description, the search
    carried over from the FAQ and the chosen product and type (their `faq_terms`), weighted so
    the topic alone never outranks the customer's own words, yet steers "Er geht nicht mehr
    an" towards the chosen product. The article the customer came from did not help."""
    values = draft["values"]
    product = classification.products.get(values.get("product", ""))
    request_type = classification.request_types.get(values.get("type", ""))
    queries = (
        (values.get("description", ""), 1.0),
        (draft.get("query", ""), 0.8),
        (label(product.faq_terms, lang) if product else "", 0.7),
        (label(request_type.faq_terms, lang) if request_type else "", 0.5),
    )
    return await services.faq.suggest(
        queries, lang, limit=MAX_SUGGESTIONS, exclude=draft.get("ruled_out", ())
    )


@get("/new/suggestions", name="case_suggestions", include_in_schema=False)
async def case_suggestions(
    services: NamedDependency[Services],
    request: Request,
    description: FromQuery[str | None] = None,
    type: FromQuery[str | None] = None,  # noqa: A002 - the form's field name
    product: FromQuery[str | None] = None,
) -> Template:
    """The suggestion list for what is typed but not yet saved (`case_form.js` asks for it),
    made by the same rules as the page's own list; a field not on the page (None) is taken
    from the draft. Reads the draft, never changes it."""
    draft = _draft(request, create=True)
    typed = {"description": description, "type": type, "product": product}
    values = {k: v[:500] for k, v in typed.items() if v is not None}
    draft = {**draft, "values": {**draft["values"], **values}}
    lang = i18n.current_language()
    hits = await _suggestions(services, services.tracking.classification, draft, lang)
    return Template("case/_suggestion_items.html", context={"suggestions": hits})


# -- saving a step -----------------------------------------------------------------------------
@post(
    "/new/{step:int}",
    name="case_step_save",
    include_in_schema=False,
    status_code=303,
    request_max_body_size=UPLOAD_LIMIT,
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
    draft = _draft(request, create=True)
    for name in TEXT_FIELDS:
        if name in data and isinstance(data[name], str):
            draft["values"][name] = data[name][:20_000]
    for name, value in data.items():
        if name.startswith("details.") and isinstance(value, str) and len(draft["details"]) < 20:
            draft["details"][name.removeprefix("details.")[:40]] = value[:2000]
    action = data.get("action") if isinstance(data.get("action"), str) else "next"
    errors: list[intake.FieldError] = []
    if step == 2:
        errors += await _attach(services, draft, data)
    target = step
    if action == "back":
        target = step - 1 if step > 1 else 1
        errors = []
    elif action == "next" and not errors:
        _, errors = intake.validate(
            services.tracking.classification, _raw(draft), parts=(STEP_PARTS[step],)
        )
        target = step if errors else step + 1
    _save(request, draft, _error_list(errors), step if errors else 0)
    anchor = "#form-errors" if errors else ""
    return Redirect(request.app.route_reverse("case_step", step=target) + anchor, status_code=303)


async def _attach(services: Services, draft: dict, data: dict) -> list[intake.FieldError]:
    errors = []
    remove = data.get("remove")
    if isinstance(remove, str) and remove:
        kept = [f for f in draft["files"] if f["storage_name"] != remove]
        if len(kept) != len(draft["files"]):
            services.tracking.delete_files(
                [f for f in draft["files"] if f["storage_name"] == remove]
            )
            draft["files"] = kept
    uploads = data.get("files")
    uploads = uploads if isinstance(uploads, list) else [uploads]
    for upload in uploads:
        if not isinstance(upload, UploadFile) or not upload.filename:
            continue
        if len(draft["files"]) >= MAX_FILES:
            errors.append(intake.FieldError("files", "too_many", {"max": MAX_FILES}))
            break
        try:
            stored = await services.tracking.attachments.save(upload.filename, _chunks(upload))
        except AttachmentRejected as exc:
            errors.append(intake.FieldError("files", exc.code, {"name": exc.filename}))
            continue
        except OSError:  # full disk, unwritable directory: the rest of the form goes on
            log.exception("could not store an attachment")
            name = clean_filename(upload.filename)
            errors.append(intake.FieldError("files", "storage_unavailable", {"name": name}))
            continue
        draft["files"].append(stored.to_dict())
    return errors


async def _chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await upload.read(256 * 1024):
        yield chunk


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
    key = f"form:{data.submission_key}"
    filed = list((request.session or {}).get(FILED) or [])
    existing = await services.tracking.find_by_submission(key) if data.submission_key else None
    if existing is not None and existing.tracking_id in filed:
        return _received(request, existing.tracking_id)
    draft = _draft(request)
    if draft is None or data.submission_key != draft["key"]:
        return Redirect(request.app.route_reverse("case_new"), status_code=303)
    classification = services.tracking.classification
    invalid, errors = _first_invalid_step(classification, draft, 4)
    if invalid:
        _save(request, draft, _error_list(errors), invalid)
        return Redirect(
            request.app.route_reverse("case_step", step=invalid) + "#form-errors", status_code=303
        )
    case_input, _ = intake.validate(classification, {**_raw(draft), "faq_query": draft["query"]})
    result = await services.tracking.create_case(
        case_input,
        submission_key=key,
        source="form",
        deflection=Deflection(
            draft["query"], tuple(draft["shown"]), tuple(draft["opened"]), draft["draft_id"]
        ),
        files=[StoredFile.from_dict(f) for f in draft["files"]],
    )
    if result.created and draft["query"]:
        lang = case_input.language
        found = await services.faq.search(draft["query"], lang, record=False)
        services.outcomes.case_filed(draft.get("search"), draft["query"], lang, found.total)
    session = {k: v for k, v in (request.session or {}).items() if k not in (DRAFT, ERRORS)}
    request.set_session({**session, FILED: [*filed, result.case.tracking_id][-10:]})
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
            "first_response": _local(case.first_response_due, tz, lang),
            "department": services.tracking.classification.department_label(case.department, lang),
        },
    )


def _local(moment, tz, lang: str) -> str:
    from babel.dates import format_datetime

    pattern = "EEEE, d. MMMM y, HH:mm 'Uhr'" if lang == "de" else "EEEE, d MMMM y, HH:mm"
    return format_datetime(moment, pattern, tzinfo=tz, locale=lang)


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
    draft = _draft(request)
    if draft is not None:
        if data.slug not in draft["opened"]:
            draft["opened"].append(data.slug)
            await services.tracking.record_opened(draft["draft_id"], data.slug, data.lang)
        if data.slug not in draft["shown"]:
            draft["shown"].append(data.slug)
        request.set_session({**request.session, DRAFT: draft})
    return Redirect(
        request.app.route_reverse("faq_article", lang=data.lang, slug=data.slug), status_code=303
    )


def router(settings: Settings) -> Router:
    sessions = QuietSessionConfig(
        key="portal_case",
        max_age=24 * 3600,
        secure=settings.secure_cookies,
        httponly=True,
        samesite="lax",
        store="case_drafts",
    )
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
        middleware=[sessions.middleware, submit_rate_limit(settings).middleware],
        include_in_schema=False,
    )


def submit_rate_limit(settings: Settings) -> RateLimitConfig:
    """New cases per client and hour, shared by the form and the API."""
    return RateLimitConfig(
        rate_limit=("hour", settings.case_rate_limit),
        check_throttle_handler=lambda request: (
            request.scope["route_handler"].name in ("case_submit", "api_case_create")
        ),
        store="case_submissions",
        set_rate_limit_headers=False,
    )
