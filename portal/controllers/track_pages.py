"""The customer's status page, opened with the personal link from the confirmation email."""

from __future__ import annotations

import contextlib
import logging
from typing import Annotated

from litestar import Request, Response, Router, get, post
from litestar.channels import ChannelsPlugin
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.params import FromHeader, FromPath, FromQuery, HeaderParameter, URLEncodedBody
from litestar.response import File, Redirect, ServerSentEvent, Template
from msgspec import Struct

from portal import i18n, live, refused_forms
from portal.case_access import accessible, grant, opened_case, own_case
from portal.case_pages import CasePages, changed_at
from portal.params import RowId
from portal.ratelimits import RateLimits
from portal.services import Services
from portal.sessions import case_session
from portal.settings import Settings
from portal.status_view import status_page
from tracking import status
from tracking.ids import is_tracking_id

log = logging.getLogger("portal.track")

UNLIMITED = "not_a_lookup"  # handler opt: not counted by the lookup rate limit


class LookupForm(Struct):
    tracking_id: str = ""
    email: str = ""


@get("/", name="track_lookup", include_in_schema=False, opt={UNLIMITED: True})
async def track_lookup(request: Request) -> Template:
    """The lookup form, and the cases this browser has already opened ("my cases")."""
    mine = await status.cases_by_ids(accessible(request))
    return Template(
        "track/lookup.html", context={"form": LookupForm(), "error": None, "mine": mine}
    )


@post("/", name="track_lookup_submit", include_in_schema=False, status_code=303)
async def track_lookup_submit(
    request: Request, data: URLEncodedBody[LookupForm]
) -> Redirect | Template:
    """One answer for a wrong ID, a wrong email and an unknown case, so nothing is revealed."""
    if long := status.too_long_for_lookup(tracking_id=data.tracking_id, email=data.email):
        return _lookup_again(data, "too_long", long)
    if not is_tracking_id(data.tracking_id):
        return _lookup_again(data, "typo")
    tracking_id = data.tracking_id.strip().upper().replace("-", "").replace(" ", "")
    if not await _within_lookups(request, tracking_id):
        return _lookup_again(data, "too_many", status_code=429)
    case = await status.case_for_lookup(data.tracking_id, data.email)
    if case is None:
        return _lookup_again(data, "not_found")
    grant(request, case.tracking_id)
    return Redirect(
        request.app.route_reverse("track_case", tracking_id=case.tracking_id), status_code=303
    )


class ResendForm(Struct):
    email: str = ""


@get("/resend", name="track_resend", include_in_schema=False, opt={UNLIMITED: True})
async def track_resend() -> Template:
    return Template("track/resend.html", context={"sent": False, "invalid": False, "email": ""})


@post("/resend", name="track_resend_submit", include_in_schema=False, status_code=200)
async def track_resend_submit(
    services: NamedDependency[Services], request: Request, data: URLEncodedBody[ResendForm]
) -> Template:
    """The same answer whether or not the address has cases, and whether or not it was limited."""
    email = data.email.strip()
    if "@" not in email or " " in email or status.too_long_for_lookup(email=email):
        context = {"sent": False, "invalid": True, "email": email}
        return Template("track/resend.html", context=context, status_code=400)
    if await _within_limit(request, email):
        await services.customer.send_links(email)
    else:
        log.warning("link resend limit reached for an address")
    return Template("track/resend.html", context={"sent": True, "invalid": False, "email": ""})


async def _within_lookups(request: Request, tracking_id: str) -> bool:
    """Per ID and client first, so one client's guesses use up at most its share of the ID's."""
    limits: RateLimits = request.app.state.rate_limits
    client = request.client.host if request.client else "-"
    return await limits.hit("track.lookup", tracking_id, client) and await limits.hit(
        "track.lookup.id", tracking_id
    )


async def _within_limit(request: Request, email: str) -> bool:
    return await request.app.state.rate_limits.hit("track.resend", email.casefold())


def _lookup_again(
    data: LookupForm, error: str, too_long: dict | None = None, status_code: int = 400
) -> Template:
    """The form again with all that was typed, saying why."""
    return Template(
        "track/lookup.html",
        context={"form": data, "error": error, "too_long": too_long or {}},
        status_code=status_code,
    )


@get("/{tracking_id:str}", name="track_case", include_in_schema=False, opt={UNLIMITED: True})
async def track_case(
    services: NamedDependency[Services],
    request: Request,
    tracking_id: FromPath[str],
    key: FromQuery[str] = "",
) -> Template | Response:
    """Without access (wrong key, unknown case, another browser) the same lookup form appears."""
    pages: CasePages = request.app.state.case_pages
    lang, kept = i18n.current_language(), _keepable(request, tracking_id)
    if kept and (page := await pages.fresh(tracking_id, lang, changed_at(request))):
        return pages.respond(request, page)
    begun = pages.begin()
    with pages.flight(tracking_id, lang, begun) if kept else contextlib.nullcontext([]) as landed:
        case = await opened_case(request, tracking_id, key)
        if case is None:  # ask, whether it exists or not
            form = LookupForm(tracking_id=tracking_id[:40])
            return Template("track/lookup.html", context={"form": form, "error": None})
        shown = refused_forms.take(request, case.tracking_id, live=bool(request.url.query))
        template = await status_page(services, case, **shown)
        if not kept:
            return template
        landed.append(_keep(request, pages, case, lang, template, begun))
        return pages.respond(request, landed[0])


def _keepable(request: Request, tracking_id: str) -> bool:
    """Whether this page view may come from (and go to) the kept pages: live fetches carry a
    query, and a form refused before is shown to this browser only."""
    return (
        not request.url.query
        and tracking_id in accessible(request)
        and not refused_forms.pending(request, tracking_id)
    )


def _keep(
    request: Request, pages: CasePages, case, lang: str, template: Template, begun
) -> list[bytes]:
    """Render here rather than in Litestar, with the CSRF placeholder, and keep the page."""
    page = request.app.template_engine.get_template(template.template_name).render(
        **template.context, request=request, csrf_input=pages.csrf_input
    )
    return pages.keep(case.tracking_id, case.id, lang, page, begun)


@get(
    "/{tracking_id:str}/files/{attachment_id:int}",
    name="track_file",
    include_in_schema=False,
    opt={UNLIMITED: True},
)
async def track_file(
    services: NamedDependency[Services],
    request: Request,
    tracking_id: FromPath[str],
    attachment_id: RowId,
) -> File:
    """The customer's own file, for the browser with access to the case; always a download."""
    case = await own_case(request, tracking_id)
    found = await status.case_file(case, attachment_id)
    if found is None:
        raise NotFoundException()
    return File(
        services.tracking.attachments.path(found.storage_name),
        filename=found.filename,
        media_type=found.content_type,
        content_disposition_type="attachment",
        headers={"cache-control": "private, no-store", "x-content-type-options": "nosniff"},
    )


@get(
    "/{tracking_id:str}/events", name="track_events", include_in_schema=False, opt={UNLIMITED: True}
)
async def track_events(
    request: Request,
    channels: NamedDependency[ChannelsPlugin],
    tracking_id: FromPath[str],
    last_event_id: FromHeader[Annotated[str, HeaderParameter(name="last-event-id")]] = "",
) -> ServerSentEvent:
    """Live updates for an open status page: one event per new timeline entry.

    A wake-up from portal.live (any process's change) makes the page read its case's new
    entries; a reconnect with Last-Event-ID resumes after the last entry it saw.
    """
    case = await own_case(request, tracking_id)
    after = (
        int(last_event_id)
        if last_event_id.isascii() and last_event_id.isdigit()
        else await status.last_public_event_id(case)
    )
    stream = live.timeline(channels, case, after)
    return ServerSentEvent(stream, headers={"cache-control": "no-store"})


def router(settings: Settings) -> Router:
    # Only what can probe for cases counts; a page the browser already has access to (or
    # that shows the same form for every ID) does not.
    lookups = RateLimitConfig(
        rate_limit=("minute", 30), store="track_rate_limit", exclude_opt_key=UNLIMITED
    )
    return Router(
        "/track",
        route_handlers=[
            track_lookup,
            track_resend,
            track_resend_submit,
            track_lookup_submit,
            track_case,
            track_file,
            track_events,
        ],
        middleware=[case_session(settings), lookups.middleware],
        include_in_schema=False,
    )
