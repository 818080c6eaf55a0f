"""What the customer's status page shows: the case, its timeline and SLA light, the rating, the
customer's actions, and the callback section with its free times.

The status page, its callback and action controllers and the callback move and cancel pages
all render from here, so none of them imports another controller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from litestar.response import Template
from markupsafe import Markup
from msgspec import Struct

from portal import i18n
from portal.dates import clock, local_time, time_span, weekday_date
from portal.services import Services
from tracking import states, status
from tracking.callbacks.models import REQUESTED
from tracking.callbacks.service import parse_slot, slot_value
from tracking.phones import display_phone


async def status_page(
    services: Services,
    case,
    callback: dict | None = None,
    status_code: int = 200,
    actions: dict | None = None,
) -> Template:
    """The status page; the callback and action controllers render it too, with their form's
    errors (`callback`: callback_context's, `actions`: the reply and reopen forms')."""
    timeline = await status.public_timeline(case)
    tz = services.tracking.classification.business_hours.timezone
    lang = i18n.current_language()
    light = status.sla_light(case, timeline, services.tracking.calendar)
    classification = services.tracking.classification
    return Template(
        "track/status.html",
        context={
            "case": case,
            "own": status.customer_request(case, classification, lang),
            "files": await status.case_files(case),
            "question": status.last_team_message(timeline)
            if case.status == states.WAITING_FOR_CUSTOMER
            else "",
            "timeline": [(event, local_time(event.created_at, tz, lang)) for event in timeline],
            "light": light,
            "due": local_time(light.due, tz, lang) if light.due else "",
            "rating": await services.ratings.state(case),
            "callback": await callback_context(services, case, timeline, **(callback or {})),
            "actions": {
                "can_reply": case.status in states.OPEN,
                "can_reopen": await services.customer.can_reopen(case),
                "reply_errors": [],
                "reopen_errors": [],
                "text": "",
                "reason": "",
                "notice": "",
                **(actions or {}),
            },
        },
        headers={"cache-control": "no-store", "referrer-policy": "no-referrer"},
        status_code=status_code,
    )


#: The callback form's fields in its order, each with where its error summary entry leads.
CALLBACK_ANCHORS = {
    "phone": "f-phone",
    "language": "f-language-de",
    "slot": "f-slot",
    "note": "f-note",
}


class RequestForm(Struct):
    slot: str = ""
    phone: str = ""
    language: str = ""
    note: str = ""


async def callback_context(
    services: Services,
    case,
    timeline=(),
    errors: dict[str, str] | None = None,
    form: RequestForm | dict | None = None,
) -> dict[str, Any]:
    """What the callback section of the status page shows, and the times of timeline entries."""
    lang = i18n.current_language()
    booked = await services.callbacks.for_case(case)
    open_count = sum(1 for c in booked if c.status == REQUESTED)
    if isinstance(form, dict):  # kept in the session from a refused POST (refused_forms)
        form = RequestForm(**form)
    form = form or RequestForm(phone=display_phone(case.phone), language=case.language)
    return {
        "booked": [callback_item(services, case, c, lang) for c in booked],
        "days": await free_days(services, lang),
        "form": form,
        "errors": errors or {},
        "field_errors": [
            {"message": message, "anchor": anchor}
            for name, anchor in CALLBACK_ANCHORS.items()
            if (message := (errors or {}).get(name))
        ],
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


def callback_item(services: Services, case, callback, lang: str) -> dict[str, Any]:
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
    config = services.callbacks.config
    return time_span(moment, moment + config.slot_length, config.timezone, lang)


async def free_days(services: Services, lang: str) -> list[SlotDay]:
    tz = services.callbacks.config.timezone
    return [
        _slot_day(group.day, tuple(start for start, _ in group.slots), lang, tz)
        for group in await services.callbacks.free_slots()
    ]


@lru_cache(maxsize=256)
def _slot_day(day, starts: tuple[datetime, ...], lang: str, tz) -> SlotDay:
    """The same free slots make the same day on every status page view: formatted once."""
    return SlotDay(
        label=weekday_date(day, lang, year=False),
        key=day.isoformat(),
        slots=tuple((slot_value(start), clock(start, tz)) for start in starts),
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
        )
        for value, label in day.slots
    )
    span = f"{day.slots[0][1]}–{day.slots[-1][1]}" if day.slots else ""
    return Markup(
        '<details class="slot-day"{}><summary>{} <span class="slot-span">{}</span></summary>'
        '<fieldset><legend class="visually-hidden">{}</legend>{}</fieldset></details>'
    ).format(Markup(" open") if is_open else "", day.label, span, day.label, radios)
