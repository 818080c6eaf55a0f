"""Callbacks on the status page: request one, move or cancel it, take it into a calendar.

Same /track session as the status page: only a browser with access to the case gets here.
Refusals render the status page again (status 400) with the message beside the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from babel.dates import format_date, format_time
from litestar import Request, Response, Router, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.response import Redirect, Template
from markupsafe import Markup
from msgspec import Struct

from portal import i18n
from portal.case_pages import note_change
from portal.controllers.track_pages import _accessible, _grant, status_page
from portal.i18n import gettext_
from portal.params import RowId
from portal.services import Services
from portal.settings import Settings
from tracking import states, status
from tracking.callbacks import service as callbacks
from tracking.callbacks.models import REQUESTED
from tracking.callbacks.service import parse_slot, slot_value
from tracking.phones import display_phone

#: Which form field a refusal belongs to; the rest go to the top of the form.
FIELD_OF = {
    "invalid_phone": "phone", "invalid_language": "language", "note_too_long": "note",
    "no_slot": "slot", "past": "slot", "closed": "slot", "too_soon": "slot", "too_far": "slot",
    "slot_full": "slot",
}  # fmt: skip


def message(code: str) -> str:
    """The customer's words for a refusal, in the page's language."""
    texts = {
        "invalid_phone": gettext_("Please enter a phone number we can call, e.g. 030 1234567 or +49 30 1234567."),
        "invalid_language": gettext_("Please choose German or English."),
        "note_too_long": gettext_("Please keep the note to 500 characters."),
        "no_slot": gettext_("Please choose a time."),
        "past": gettext_("This time has already passed. Please choose another one."),
        "closed": gettext_("We do not call at this time. Please choose one of the times offered."),
        "too_soon": gettext_("This time is too soon for us to prepare. Please choose a later one."),
        "too_far": gettext_("This time is too far ahead. Please choose one of the times offered."),
        "slot_full": gettext_("This time has just been fully booked. Please choose another one."),
        "too_many": gettext_("You already have three open callbacks. Cancel one to book another."),
        "too_late": gettext_("The callback is too close to change now. Please call us if needed."),
        "not_open": gettext_("This callback is no longer open."),
    }  # fmt: skip
    return texts.get(code) or gettext_("Please check your entry.")


class RequestForm(Struct):
    slot: str = ""
    phone: str = ""
    language: str = ""
    note: str = ""


class MoveForm(Struct):
    slot: str = ""


async def callback_context(
    services: Services,
    case,
    timeline=(),
    errors: dict[str, str] | None = None,
    form: RequestForm | None = None,
) -> dict[str, Any]:
    """What the callback section of the status page shows, and the times of timeline entries."""
    lang = i18n.current_language()
    booked = await services.callbacks.for_case(case)
    open_count = sum(1 for c in booked if c.status == REQUESTED)
    form = form or RequestForm(phone=display_phone(case.phone), language=case.language)
    return {
        "booked": [_item(services, case, c, lang) for c in booked],
        "days": await _days(services, lang),
        "form": form,
        "errors": errors or {},
        "field_errors": {k: v for k, v in (errors or {}).items() if k != "callback"},
        # one booked callback at a time on the page (moving it is offered instead; the service
        # still allows MAX_OPEN); a refused form is always shown again with what was typed
        "can_request": bool(errors) or (open_count == 0 and case.status in states.OPEN),
        "has_open": open_count > 0,
        "event_times": {
            event.id: _when(services, parse_slot(event.data["slot"]), lang)
            for event in timeline
            if event.kind.startswith("callback_") and event.data.get("slot")
        },
    }


def _item(services: Services, case, callback, lang: str) -> dict[str, Any]:
    ids = {"tracking_id": case.tracking_id, "callback_id": callback.id}
    return {
        "id": callback.id,
        "status": callback.status,
        "when": _when(services, callback.slot_start, lang),
        "phone": display_phone(callback.phone),
        "changeable": services.callbacks.changeable(callback),
        "ids": ids,
    }


def _when(services: Services, moment: datetime, lang: str) -> str:
    tz = services.callbacks.config.timezone
    end = moment + services.callbacks.config.slot_length
    day = format_date(
        moment.astimezone(tz), "EEEE, d. MMMM y" if lang == "de" else "EEEE, d MMMM y", locale=lang
    )
    span = f"{format_time(moment, 'HH:mm', tzinfo=tz, locale=lang)}–{format_time(end, 'HH:mm', tzinfo=tz, locale=lang)}"
    return f"{day}, {span}{' Uhr' if lang == 'de' else ''}"


async def _days(services: Services, lang: str) -> list[SlotDay]:
    tz = services.callbacks.config.timezone
    return [
        _slot_day(group.day, tuple(start for start, _ in group.slots), lang, tz)
        for group in await services.callbacks.free_slots()
    ]


@lru_cache(maxsize=256)
def _slot_day(day, starts: tuple[datetime, ...], lang: str, tz) -> SlotDay:
    """The same free slots make the same day on every status page view: formatted once."""
    pattern = "EEEE, d. MMMM" if lang == "de" else "EEEE, d MMMM"
    return SlotDay(
        label=format_date(day, pattern, locale=lang),
        key=day.isoformat(),
        # HH:mm reads the same in both languages; strftime is far cheaper than Babel
        slots=tuple(
            (slot_value(start), start.astimezone(tz).strftime("%H:%M")) for start in starts
        ),
    )


@dataclass(frozen=True, slots=True)
class SlotDay:
    """One day of free callback slots; its radio buttons are rendered once and reused."""

    label: str
    key: str
    slots: tuple[tuple[str, str], ...]  # (value, "HH:mm")

    def fieldset(self, chosen: str = "", err: str = "") -> Markup:
        return _fieldset(self, chosen or "", bool(err))


@lru_cache(maxsize=512)
def _fieldset(day: SlotDay, chosen: str, invalid: bool) -> Markup:
    """Every status page shows the same slots; rendering them per view was its main cost.

    Each day is a closed <details> (the day's times open on a click, without JavaScript too),
    so five days of times do not make the page a wall; the day of a chosen time stays open.
    """
    described = Markup(' aria-describedby="f-slot-error"') if invalid else ""
    is_open = any(value == chosen for value, _ in day.slots)
    radios = Markup("").join(
        Markup(
            '<label class="radio slot"><input type="radio" name="slot" value="{value}"'
            "{checked}{described}>{label}</label>"
        ).format(
            value=value,
            label=label,
            described=described,
            checked=Markup(" checked") if value == chosen else "",
        )  # fmt: skip
        for value, label in day.slots
    )
    span = f"{day.slots[0][1]}–{day.slots[-1][1]}" if day.slots else ""
    return Markup(
        '<details class="slot-day"{}><summary>{} <span class="slot-span">{}</span></summary>'
        '<fieldset><legend class="visually-hidden">{}</legend>{}</fieldset></details>'
    ).format(Markup(" open") if is_open else "", day.label, span, day.label, radios)


async def _case(request: Request, tracking_id: str):
    """The case when this browser may see it; the same 404 for unknown and foreign cases."""
    case = await status.case_by_id(tracking_id)
    if case is None or case.tracking_id not in _accessible(request):
        raise NotFoundException()
    return case


def _back(request: Request, tracking_id: str) -> Redirect:
    """After a change made: back to the status page, rendered afresh for this browser."""
    note_change(request)
    url = request.app.route_reverse("track_case", tracking_id=tracking_id) + "#callback"
    return Redirect(url, status_code=303)


@post("/{tracking_id:str}/callbacks", name="callback_request", status_code=303)
async def callback_request(
    services: NamedDependency[Services], request: Request, tracking_id: FromPath[str],
    data: URLEncodedBody[RequestForm],
) -> Redirect | Template:  # fmt: skip
    """Book a slot; a refusal shows the form again with everything the customer typed."""
    case = await _case(request, tracking_id)
    try:
        if not data.slot:
            raise callbacks.SlotRefused(code="no_slot")
        await services.callbacks.request(
            case, slot=data.slot, phone=data.phone, language=data.language, note=data.note
        )
    except callbacks.CallbackError as exc:
        form = RequestForm(data.slot[:40], data.phone[:40], data.language[:2], data.note[:2000])
        errors = {FIELD_OF.get(exc.code, "callback"): message(exc.code)}
        return await status_page(services, case, {"errors": errors, "form": form}, status_code=400)
    return _back(request, case.tracking_id)


@get("/{tracking_id:str}/callbacks/{callback_id:int}/move", name="callback_move_form")
async def callback_move_form(
    services: NamedDependency[Services], request: Request, tracking_id: FromPath[str],
    callback_id: RowId,
) -> Template:  # fmt: skip
    case = await _case(request, tracking_id)
    return await _move_page(services, case, callback_id)


@post("/{tracking_id:str}/callbacks/{callback_id:int}/move", name="callback_move", status_code=303)
async def callback_move(
    services: NamedDependency[Services], request: Request, tracking_id: FromPath[str],
    callback_id: RowId, data: URLEncodedBody[MoveForm],
) -> Redirect | Template:  # fmt: skip
    case = await _case(request, tracking_id)
    try:
        if not data.slot:
            raise callbacks.SlotRefused(code="no_slot")
        await services.callbacks.move(case, callback_id, data.slot)
    except callbacks.CallbackNotFound:
        raise NotFoundException() from None
    except callbacks.CallbackError as exc:
        return await _move_page(services, case, callback_id, exc.code)
    return _back(request, case.tracking_id)


async def _move_page(
    services: Services, case, callback_id: int, error: str = "", template: str = "move"
) -> Template:
    """The page that moves the callback, or (`template="cancel"`) asks before cancelling it."""
    try:
        callback = await services.callbacks.get(case, callback_id)
    except callbacks.CallbackNotFound:
        raise NotFoundException() from None
    lang = i18n.current_language()
    if not error and not services.callbacks.changeable(callback):
        error = "too_late" if callback.status == REQUESTED else "not_open"
    return Template(
        f"track/callback_{template}.html",
        context={
            "case": case,
            "item": _item(services, case, callback, lang),
            "days": await _days(services, lang),
            "errors": {FIELD_OF.get(error, "callback"): message(error)} if error else {},
        },
        status_code=400 if error else 200,
        headers={"cache-control": "no-store", "referrer-policy": "no-referrer"},
    )


@get("/{tracking_id:str}/callbacks/{callback_id:int}/cancel", name="callback_cancel_form")
async def callback_cancel_form(
    services: NamedDependency[Services], request: Request, tracking_id: FromPath[str],
    callback_id: RowId,
) -> Template:  # fmt: skip
    """"Really cancel?": the status page's cancel button leads here, the POST cancels."""
    case = await _case(request, tracking_id)
    return await _move_page(services, case, callback_id, template="cancel")


@post(
    "/{tracking_id:str}/callbacks/{callback_id:int}/cancel", name="callback_cancel", status_code=303
)
async def callback_cancel(
    services: NamedDependency[Services], request: Request, tracking_id: FromPath[str],
    callback_id: RowId,
) -> Redirect | Template:  # fmt: skip
    case = await _case(request, tracking_id)
    try:
        await services.callbacks.cancel(case, callback_id)
    except callbacks.CallbackNotFound:
        raise NotFoundException() from None
    except callbacks.CallbackError as exc:
        return await status_page(
            services, case, {"errors": {"callback": message(exc.code)}}, status_code=400
        )
    return _back(request, case.tracking_id)


@get("/{tracking_id:str}/callbacks/{callback_id:int}/calendar.ics", name="callback_ics")
async def callback_ics(
    services: NamedDependency[Services], request: Request, tracking_id: FromPath[str],
    callback_id: RowId,
) -> Response[bytes]:  # fmt: skip
    case = await _case(request, tracking_id)
    try:
        callback = await services.callbacks.get(case, callback_id)
    except callbacks.CallbackNotFound:
        raise NotFoundException() from None
    return Response(
        services.callbacks.ics(case, callback),
        media_type="text/calendar; charset=utf-8",
        headers={
            "content-disposition": f'attachment; filename="callback-{case.tracking_id}.ics"',
            "cache-control": "no-store",
        },
    )


@get("/{tracking_id:str}/callbacks/rebook", name="callback_rebook")
async def callback_rebook(
    services: NamedDependency[Services], request: Request, tracking_id: FromPath[str],
    expires: FromQuery[str] = "", sig: FromQuery[str] = "",
) -> Redirect:  # fmt: skip
    """The link in the "we could not reach you" email opens the booking form on the status page."""
    case = await status.case_by_id(tracking_id)
    if case is None or not services.callbacks.rebook_link_valid(case.tracking_id, expires, sig):
        raise NotFoundException()
    _grant(request, case.tracking_id)
    return _back(request, case.tracking_id)


def router(settings: Settings) -> Router:
    """The status page's session (see track_pages.router), so access carries over."""
    from portal.controllers.track_pages import case_session

    sessions = case_session(settings)
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
        ],  # fmt: skip
        middleware=[sessions.middleware],
        include_in_schema=False,
    )
