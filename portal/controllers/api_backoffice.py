"""The back-office API: list and read cases, change them with events (OAuth2 bearer tokens)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec
from litestar import Request, Response, Router, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.params import Body, FromPath, FromQuery, JSONBody, QueryParameter
from litestar.response import File
from msgspec import Struct

from portal.api_auth import AUTH, Problem, require_scope
from portal.errors import invalid_body, problem
from portal.params import IdempotencyKey, RowId
from portal.services import Services
from tracking.backoffice import cases, payloads
from tracking.backoffice.cases import BackofficeCases

#: The statuses of tracking.states, spelled out for the schema (a test keeps them equal).
StatusName = Literal[
    "received", "in_progress", "waiting_for_customer", "resolved", "closed", "reopened"
]


#: A moment with its offset, e.g. 2026-11-23T10:00:00+01:00 or 2026-11-23T09:00:00Z.
ISO_MOMENT = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$"


class CaseSummary(Struct):
    tracking_id: str
    status: str
    type: str
    product: str
    urgency: str
    customer_type: str
    channel: str
    language: str
    level: int
    department: str
    priority: str
    first_response_due: datetime
    resolution_due: datetime
    created_at: datetime
    updated_at: datetime


class CasePage(Struct):
    items: list[CaseSummary]
    next_cursor: str | None


class TimelineEntry(Struct):
    kind: str
    data: dict[str, Any]
    created_at: datetime


class AttachmentLink(Struct):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    url: str


class CaseDetail(CaseSummary):
    status_url: str
    source: str
    contact: dict[str, str]
    description: str
    details: dict[str, Any]
    deflection: dict[str, Any]
    attachments: list[AttachmentLink]
    timeline: list[TimelineEntry]


class EventResult(Struct):
    case: CaseSummary
    event: TimelineEntry


EXAMPLES = [
    Example(
        summary="Start working on the case", value={"kind": "set_status", "status": "in_progress"}
    ),
    Example(
        summary="Hand over to level 2",
        value={"kind": "set_routing", "level": 2, "department": "repairs"},
    ),
    Example(
        summary="Answer the customer",
        value={"kind": "reply", "text": "Wir schicken dir heute ein Ersatzteil."},
    ),
    Example(summary="First response given by phone", value={"kind": "first_response"}),
    Example(summary="Resolve", value={"kind": "resolve", "text": "Das Ersatzteil ist angekommen."}),
]


def provide_cases(services: NamedDependency[Services]) -> BackofficeCases:
    return BackofficeCases(services.tracking, services.callbacks)


@get(
    "/",
    name="backoffice_cases",
    summary="List cases",
    guards=[require_scope("cases:read")],
    responses={**AUTH, 400: ResponseSpec(Problem, description="The cursor is not valid")},
)
async def list_cases(
    backoffice: NamedDependency[BackofficeCases],
    status: FromQuery[StatusName | None] = None,
    type: Annotated[
        str | None, QueryParameter(description="request type code", max_length=40)
    ] = None,  # noqa: A002
    updated_since: Annotated[
        str | None, QueryParameter(description="ISO 8601 with offset", pattern=ISO_MOMENT)
    ] = None,
    cursor: Annotated[str | None, QueryParameter(max_length=200)] = None,
    limit: Annotated[int, QueryParameter(ge=1, le=cases.MAX_PAGE_SIZE)] = cases.PAGE_SIZE,
) -> CasePage:
    """Cases ordered by last change (oldest first); pass `next_cursor` back as `cursor` for more."""
    page = await backoffice.list_cases(
        status=status,
        request_type=type,
        updated_since=_moment(updated_since) if updated_since else None,
        cursor=cursor,
        limit=limit,
    )
    return CasePage([CaseSummary(**cases.summary(c)) for c in page.cases], page.next_cursor)


@get(
    "/{tracking_id:str}",
    name="backoffice_case",
    summary="One case with its timeline",
    guards=[require_scope("cases:read")],
    responses={**AUTH, 404: ResponseSpec(Problem, description="No case has this tracking ID")},
)
async def case_detail(
    backoffice: NamedDependency[BackofficeCases], tracking_id: FromPath[str]
) -> CaseDetail:
    return msgspec.convert(await backoffice.detail(tracking_id), CaseDetail, strict=False)


@post(
    "/{tracking_id:str}/events",
    name="backoffice_case_event",
    summary="Change a case: status, routing, reply, first response, resolve",
    status_code=200,
    guards=[require_scope("cases:write")],
    responses={
        **AUTH,
        404: ResponseSpec(Problem, description="No case has this tracking ID"),
        409: ResponseSpec(Problem, description="The event does not fit the case's status"),
        422: ResponseSpec(Problem, description="The body is not a valid event"),
    },
)
async def add_event(
    request: Request,
    backoffice: NamedDependency[BackofficeCases],
    tracking_id: FromPath[str],
    data: JSONBody[Annotated[cases.Event, Body(title="Case event", examples=EXAMPLES)]],
    idempotency_key: IdempotencyKey = None,
) -> Response[EventResult]:
    """Apply one event in one transaction; replies and resolutions are emailed to the customer."""
    client_id = request.state.get("oauth_client", "")
    applied = await backoffice.apply_event(
        tracking_id, data, client_id=client_id, idempotency_key=idempotency_key
    )
    headers = {"idempotent-replayed": "true"} if applied.replayed else {}
    return Response(msgspec.convert(applied.response, EventResult, strict=False), headers=headers)


def _moment(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValidationException(
            "updated_since is not a valid moment",
            extra=[{"key": "updated_since", "message": "not a date and time"}],
        ) from None


def _problem(status: int):
    def handler(_: Request, exc: Exception) -> Response:
        return problem(status, str(exc) or None)

    return handler


@get(
    "/attachments/{attachment_id:int}",
    name="backoffice_attachment",
    summary="Download an attachment with the signed link from a webhook or the case detail",
    responses={403: ResponseSpec(Problem, description="The link is invalid or has expired")},
)
async def attachment(
    services: NamedDependency[Services],
    attachment_id: RowId,
    expires: Annotated[str, QueryParameter(max_length=20)] = "",
    sig: Annotated[str, QueryParameter(max_length=100)] = "",
) -> Response:
    """The signature is the credential; the file goes out as a download, never inline."""
    tracking = services.tracking
    found = await payloads.attachment_for_link(tracking.links, attachment_id, expires, sig)
    if found is None:
        return problem(403, "This download link is invalid or has expired.")
    return File(
        tracking.attachments.path(found.storage_name),
        filename=found.filename,
        media_type=found.content_type,
        content_disposition_type="attachment",
        headers={"cache-control": "private, no-store", "x-content-type-options": "nosniff"},
    )


def attachments_router() -> Router:
    return Router("/api/v1/backoffice", route_handlers=[attachment], tags=["back office"])


def router() -> Router:
    return Router(
        "/api/v1/backoffice/cases",
        route_handlers=[list_cases, case_detail, add_event],
        dependencies={"backoffice": Provide(provide_cases, sync_to_thread=False)},
        exception_handlers={
            cases.CaseNotFound: _problem(404),
            cases.IllegalTransition: _problem(409),
            cases.InvalidEvent: _problem(422),
            cases.IdempotencyKeyReused: _problem(422),
            cases.InvalidCursor: _problem(400),
            ValidationException: invalid_body,
        },
        tags=["back office"],
    )
