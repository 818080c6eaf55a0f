"""JSON intake for chat widgets and apps: the same validation as the case form."""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Annotated

from litestar import Request, Response, Router, post
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException, ValidationException
from litestar.handlers import BaseRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.params import Body
from msgspec import Struct

from portal.errors import problem
from portal.params import IdempotencyKey
from portal.ratelimits import submit_rate_limit
from portal.refusals import message
from portal.services import Services
from portal.settings import Settings
from tracking import intake
from tracking.service import Intake


class CaseRequest(intake.CaseFields, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A new case. Codes (type, product, urgency, channel, customer_type) come from the
    classification; `details` holds the extra fields of the request type."""


class CaseCreated(Struct):
    tracking_id: str
    status: str
    status_url: str
    level: int
    department: str
    priority: str
    first_response_due: datetime
    resolution_due: datetime


class FieldProblem(Struct):
    name: str
    code: str
    reason: str


class ValidationProblem(Struct):
    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldProblem]


EXAMPLE = {
    "type": "repair_warranty",
    "product": "coffee_machines",
    "urgency": "normal",
    "description": "Die Brüheinheit meines Kaffeevollautomaten klemmt seit gestern.",
    "details": {"device_serial": "KV2000-88341", "purchase_date": "2026-03-14"},
    "name": "Erika Mustermann",
    "email": "erika@example.com",
    "channel": "phone",
    "phone": "+49 30 1234567",
    "language": "de",
}


@post(
    "/",
    name="api_case_create",
    summary="Open a case",
    status_code=201,
    responses={
        200: ResponseSpec(
            CaseCreated, description="Sent again with the same Idempotency-Key: the case made first"
        ),
        422: ResponseSpec(ValidationProblem, description="Invalid fields, each named in `errors`"),
        415: ResponseSpec(None, description="The body is not sent as `application/json`"),
    },
)
async def create_case(
    services: NamedDependency[Services],
    request: Request,
    data: Annotated[
        CaseRequest,
        Body(title="New case", examples=[Example(summary="A repair request", value=EXAMPLE)]),
    ],
    idempotency_key: IdempotencyKey = None,
) -> Response[CaseCreated]:
    """Validate, classify, route and store a case; 201 with its tracking ID.

    A repeated request with the same `Idempotency-Key` (and email) answers 200 with the first case.
    """
    case_input, errors = intake.validate(services.tracking.classification, _raw(data))
    if errors:
        return _invalid([(e.field, e.code, dict(e.params)) for e in errors])
    key = (
        f"api:{idempotency_key}:{case_input.email}"
        if idempotency_key
        else f"api-once:{secrets.token_urlsafe(24)}"
    )
    return _created(
        await services.tracking.create_case(case_input, submission_key=key, source="api")
    )


def _created(result: Intake) -> Response[CaseCreated]:
    """201 with the new case; 200 with the first one when the Idempotency-Key was used before."""
    case = result.case
    return Response(
        CaseCreated(
            tracking_id=case.tracking_id,
            status=case.status,
            status_url=result.status_url,
            level=case.level,
            department=case.department,
            priority=case.priority,
            first_response_due=case.first_response_due,
            resolution_due=case.resolution_due,
        ),
        status_code=201 if result.created else 200,
        headers={"location": result.status_url},
    )


def _raw(data: CaseRequest) -> dict:
    return {name: getattr(data, name) for name in data.__struct_fields__}


def _invalid(errors: list[tuple[str, str, dict]]) -> Response:
    return problem(
        422,
        "Some fields are invalid.",
        errors=[
            {"name": name, "code": code, "reason": message(code, params, field=name)}
            for name, code, params in errors
        ],
    )


def _body_problem(request: Request, exc: ValidationException) -> Response:
    """Wrong JSON types or unknown fields: 422 naming the field, like every other invalid input."""
    errors = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if not isinstance(item, dict):
            continue
        text = str(item.get("message") or "")
        named = re.search(r"field `([^`]{1,60})`", text)
        if named and "missing required" in text:
            errors.append((named.group(1), "required", {}))
        elif named and "unknown field" in text:
            errors.append((named.group(1), "not_allowed", {}))
        else:
            key = str(item.get("key") or "")
            errors.append((key if key and key != "data" else "body", "invalid_format", {}))
    return _invalid(errors or [("body", "invalid_format", {})])


def json_only(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Only `application/json` bodies: a form or `text/plain` POST is what any web page can
    send from its visitors' browsers without asking (a CORS "simple request")."""
    media_type = connection.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise HTTPException(status_code=415, detail="Content-Type must be application/json.")


def router(settings: Settings) -> Router:
    return Router(
        "/api/v1/cases",
        route_handlers=[create_case],
        guards=[json_only],
        middleware=[submit_rate_limit(settings).middleware],
        exception_handlers={ValidationException: _body_problem},
        tags=["cases"],
    )
