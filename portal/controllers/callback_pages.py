"""Callbacks on the status page: request one, move or cancel it, take it into a calendar.

Same /track session as the status page: only a browser with access to the case gets here.
A refused request goes back to the status page (post/redirect/get, portal.refused_forms)
with the message beside the field and everything typed.
"""

from __future__ import annotations

from litestar import Request, Response, Router, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template
from msgspec import Struct, structs

from portal import i18n, refused_forms
from portal.case_access import case_of_path, grant
from portal.case_pages import note_change
from portal.params import SIGNED_LINK, RowId
from portal.refusals import CALLBACK_FIELD, refusal
from portal.services import Services
from portal.sessions import case_session
from portal.settings import Settings
from portal.status_view import RequestForm, callback_item, free_days, status_page
from tracking import status
from tracking.callbacks import refusals
from tracking.callbacks.models import REQUESTED
from tracking.models import Case


class MoveForm(Struct):
    slot: str = ""


async def _callback(services: Services, case, callback_id: int):
    """The case's callback; another case's callback is as unknown as a missing one."""
    try:
        return await services.callbacks.get(case, callback_id)
    except refusals.CallbackNotFound:
        raise NotFoundException() from None


def _back(request: Request, tracking_id: str) -> Redirect:
    """After a change made: back to the status page, rendered afresh for this browser."""
    note_change(request)
    url = request.app.route_reverse("track_case", tracking_id=tracking_id) + "#callback"
    return Redirect(url, status_code=303)


@post("/{tracking_id:str}/callbacks", name="callback_request", status_code=303)
async def callback_request(
    services: NamedDependency[Services],
    request: Request,
    case: NamedDependency[Case],
    data: URLEncodedBody[RequestForm],
) -> Redirect | Template:
    """Book a slot; a refusal shows the form again with everything the customer typed."""
    try:
        if not data.slot:
            raise refusals.SlotRefused("no_slot")
        await services.callbacks.request(
            case, slot=data.slot, phone=data.phone, language=data.language, note=data.note
        )
    except refusals.CallbackError as exc:
        errors = {CALLBACK_FIELD.get(exc.code, "callback"): refusal(exc)}
        shown = {"errors": errors, "form": structs.asdict(data)}  # everything typed, uncut
        return refused_forms.refused(request, case.tracking_id, "callback", callback=shown)
    refused_forms.sent(request, case.tracking_id, "callback")
    return _back(request, case.tracking_id)


@get("/{tracking_id:str}/callbacks/{callback_id:int}/move", name="callback_move_form")
async def callback_move_form(
    services: NamedDependency[Services], case: NamedDependency[Case], callback_id: RowId
) -> Template:
    return await _move_page(services, case, callback_id)


@post("/{tracking_id:str}/callbacks/{callback_id:int}/move", name="callback_move", status_code=303)
async def callback_move(
    services: NamedDependency[Services],
    request: Request,
    case: NamedDependency[Case],
    callback_id: RowId,
    data: URLEncodedBody[MoveForm],
) -> Redirect | Template:
    try:
        if not data.slot:
            raise refusals.SlotRefused("no_slot")
        await services.callbacks.move(case, callback_id, data.slot)
    except refusals.CallbackNotFound:
        raise NotFoundException() from None
    except refusals.CallbackError as exc:
        return await _move_page(services, case, callback_id, exc)
    return _back(request, case.tracking_id)


async def _move_page(
    services: Services,
    case,
    callback_id: int,
    refused: refusals.CallbackError | None = None,
    template: str = "move",
) -> Template:
    """The page that moves the callback, or (`template="cancel"`) asks before cancelling it."""
    callback = await _callback(services, case, callback_id)
    lang = i18n.current_language()
    if refused is None and not services.callbacks.changeable(callback):
        refused = refusals.TooLate() if callback.status == REQUESTED else refusals.NotOpen()
    return Template(
        f"track/callback_{template}.html",
        context={
            "case": case,
            "item": callback_item(services, case, callback, lang),
            "days": await free_days(services, lang),
            "errors": {CALLBACK_FIELD.get(refused.code, "callback"): refusal(refused)}
            if refused
            else {},
        },
        status_code=400 if refused else 200,
        headers={"cache-control": "no-store", "referrer-policy": "no-referrer"},
    )


@get("/{tracking_id:str}/callbacks/{callback_id:int}/cancel", name="callback_cancel_form")
async def callback_cancel_form(
    services: NamedDependency[Services], case: NamedDependency[Case], callback_id: RowId
) -> Template:
    """ "Really cancel?": the status page's cancel button leads here, the POST cancels."""
    return await _move_page(services, case, callback_id, template="cancel")


@post(
    "/{tracking_id:str}/callbacks/{callback_id:int}/cancel", name="callback_cancel", status_code=303
)
async def callback_cancel(
    services: NamedDependency[Services],
    request: Request,
    case: NamedDependency[Case],
    callback_id: RowId,
) -> Redirect | Template:
    try:
        await services.callbacks.cancel(case, callback_id)
    except refusals.CallbackNotFound:
        raise NotFoundException() from None
    except refusals.CallbackError as exc:
        return await status_page(
            services, case, {"errors": {"callback": refusal(exc)}}, status_code=400
        )
    return _back(request, case.tracking_id)


@get("/{tracking_id:str}/callbacks/{callback_id:int}/calendar.ics", name="callback_ics")
async def callback_ics(
    services: NamedDependency[Services], case: NamedDependency[Case], callback_id: RowId
) -> Response[bytes]:
    callback = await _callback(services, case, callback_id)
    return Response(
        services.callbacks.ics(case, callback),
        media_type="text/calendar; charset=utf-8",
        headers={
            "content-disposition": f'attachment; filename="callback-{case.tracking_id}.ics"',
            "cache-control": "no-store",
        },
    )


@get("/{tracking_id:str}/callbacks/rebook", name="callback_rebook", dependencies=SIGNED_LINK)
async def callback_rebook(
    services: NamedDependency[Services],
    request: Request,
    tracking_id: FromPath[str],
    link: NamedDependency[dict[str, str]],
) -> Redirect:
    """The link in the "we could not reach you" email opens the booking form on the status page."""
    case = await status.case_by_id(tracking_id)
    if case is None or not services.callbacks.rebook_link_valid(case.tracking_id, **link):
        raise NotFoundException()
    grant(request, case.tracking_id)
    return _back(request, case.tracking_id)


def router(settings: Settings) -> Router:
    """The status page's session, so access carries over; `case` is the path's case when this
    browser may see it (404 otherwise)."""
    return Router(
        "/track",
        route_handlers=[
            callback_request,
            callback_move_form,
            callback_move,
            callback_cancel_form,
            callback_cancel,
            callback_ics,
            callback_rebook,
        ],
        dependencies={"case": Provide(case_of_path)},
        middleware=[case_session(settings)],
        include_in_schema=False,
    )
