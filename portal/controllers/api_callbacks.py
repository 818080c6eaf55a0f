"""The back office's view of callbacks: one day's list, and reports (done, missed, moved)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from litestar import Request, Response, Router, get, post
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Body, JSONBody, QueryParameter
from msgspec import Struct

from portal.api_auth import AUTH, Problem, require_scope
from portal.errors import invalid_body, problem
from portal.params import RowId
from portal.services import Services
from tracking.callbacks import refusals
from tracking.callbacks.service import callback_dict


class CallbackItem(Struct):
    id: int
    tracking_id: str
    status: str
    slot_start: datetime
    slot_end: datetime
    phone: str
    language: str
    note: str


class CallbackDay(Struct):
    date: date
    items: list[CallbackItem]


class Done(Struct, tag="done", tag_field="kind", forbid_unknown_fields=True):
    """The call took place."""


class Missed(Struct, tag="missed", tag_field="kind", forbid_unknown_fields=True):
    """The customer was not reached; `offer_new_slots` emails a link to book a new time."""

    offer_new_slots: bool = False


class Moved(Struct, tag="moved", tag_field="kind", forbid_unknown_fields=True):
    """Call at another slot (ISO 8601 start with offset, a slot of the callback calendar)."""

    slot: datetime


Report = Done | Missed | Moved


def _item(callback) -> CallbackItem:
    return CallbackItem(tracking_id=callback.case.tracking_id, **callback_dict(callback))


@get(
    "/",
    name="backoffice_callbacks",
    summary="Callbacks of one day",
    guards=[require_scope("cases:read")],
    responses=AUTH,
)
async def list_callbacks(
    services: NamedDependency[Services],
    day: Annotated[date, QueryParameter(name="date", description="local day, YYYY-MM-DD")],
) -> CallbackDay:
    """Every callback whose slot starts on that day (Europe/Berlin), earliest first."""
    return CallbackDay(day, [_item(c) for c in await services.callbacks.for_day(day)])


@post(
    "/{callback_id:int}/events",
    name="backoffice_callback_event",
    summary="Report a callback: done, missed or moved",
    status_code=200,
    guards=[require_scope("cases:write")],
    responses={
        **AUTH,
        404: ResponseSpec(Problem, description="No such callback"),
        409: ResponseSpec(Problem, description="The callback is not open, or the slot is full"),
        422: ResponseSpec(Problem, description="Not a valid report or slot"),
    },
)
async def report_callback(
    services: NamedDependency[Services],
    callback_id: RowId,
    data: JSONBody[Annotated[Report, Body(title="Callback report")]],
) -> CallbackItem:
    """Each report is a timeline entry the customer sees at once, and a webhook."""
    kind = {Done: "done", Missed: "missed", Moved: "moved"}[type(data)]
    callback = await services.callbacks.report(
        callback_id,
        kind,
        offer_new_slots=getattr(data, "offer_new_slots", False),
        slot=getattr(data, "slot", None),
    )
    await callback.fetch_related("case")
    return _item(callback)


def _problem(_: Request, exc: refusals.CallbackError) -> Response:
    status = {
        refusals.CallbackNotFound: 404,
        refusals.NotOpen: 409,
        refusals.SlotFull: 409,
    }.get(type(exc), 422)
    return problem(status, str(exc), code=exc.code)


def router() -> Router:
    return Router(
        "/api/v1/backoffice/callbacks",
        route_handlers=[list_callbacks, report_callback],
        exception_handlers={
            refusals.CallbackError: _problem,
            ValidationException: invalid_body,
        },
        tags=["back office"],
    )
