"""Error responses: a friendly page in the customer's language, problem+json for `/api/`.

Nothing of an exception's text reaches the client for server errors; it goes to the log.
"""

from __future__ import annotations

import logging
import sqlite3
from http import HTTPStatus
from urllib.parse import urlsplit

from litestar import MediaType, Request, Response
from litestar.exceptions import (
    ClientException,
    HTTPException,
    MethodNotAllowedException,
    NotFoundException,
    ValidationException,
)
from litestar.response import Template
from litestar.types import Empty
from litestar.utils.scope.state import ScopeState
from tortoise.exceptions import OperationalError

from portal.i18n import gettext_ as _
from portal.middleware import set_language_from_scope
from tracking.db_errors import CONNECTION_LOST

log = logging.getLogger("portal.errors")

PROBLEM_JSON = "application/problem+json"


def _titles() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        403: _("This action is not allowed."),
        404: _("We could not find this page."),
        405: _("This action is not allowed."),
        413: _("The upload is too large."),
        429: _("Too many requests. Please wait a moment and try again."),
        500: _("Something went wrong on our side."),
        503: _(
            "We cannot save anything at the moment. Nothing was stored, please try again in a few minutes."
        ),
    }


def problem(status: int, detail: str | None = None, **extra: object) -> Response:
    """An RFC 9457 problem document."""
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return Response(body, status_code=status, media_type=PROBLEM_JSON)


def _validation_errors(exc: ValidationException) -> list[dict]:
    """Litestar's validation messages as a problem document's `errors` (name, reason)."""
    return [
        {"name": item.get("key"), "reason": item.get("message")}
        for item in (exc.extra if isinstance(exc.extra, list) else [])
        if isinstance(item, dict)
    ]


def invalid_body(_: Request, exc: ValidationException) -> Response:
    """422 for a JSON body the back-office API cannot take, naming each invalid field."""
    return problem(422, "The request is not valid.", errors=_validation_errors(exc))


#: The database or the disk cannot take writes (full, read-only, restarting): nothing was
#: stored, the transaction rolled back, so "try again shortly" is the true answer. (Tortoise
#: passes the drivers' own errors through from a commit.)
UNAVAILABLE = (OSError, OperationalError, sqlite3.OperationalError, *CONNECTION_LOST)


#: Fields a customer may have written at length: the case description, a reply, a reopen
#: reason, a rating comment, a callback note. A form refused as a whole (an expired page, too
#: many requests, our fault) shows them back, so nothing written is lost.
WRITTEN = ("description", "text", "reason", "comment", "note")
#: Litestar's detail for a form whose CSRF token is missing or does not match its cookie.
CSRF_FAILED = "CSRF token verification failed"


def written(request: Request) -> list[str]:
    """What the customer wrote in the refused form; only a form already read (by the CSRF
    check or the handler) is looked at: an error page never reads a request body."""
    form = ScopeState.from_scope(request.scope).form
    if request.method != "POST" or form is Empty or not isinstance(form, dict):
        return []
    values = (form.get(name) for name in WRITTEN)
    return [v[:20_000] for v in values if isinstance(v, str) and v.strip()]


def way_back(request: Request) -> str | None:
    """The page the refused form was on (this site's Referer, path and query only)."""
    referer = urlsplit(request.headers.get("referer", ""))
    if request.method != "POST" or referer.netloc != request.url.netloc or not referer.path:
        return None
    return referer.path + (f"?{referer.query}" if referer.query else "")


def _too_deep(exc: Exception) -> bool:
    return isinstance(exc, RecursionError) and "deserializing" in str(exc)


def handle_exception(request: Request, exc: Exception) -> Response:
    if isinstance(exc, NotFoundException | MethodNotAllowedException):  # raised before middleware
        set_language_from_scope(request.scope, request.app.state.default_language)
    if _too_deep(exc):  # msgspec stops at its recursion limit: the client's fault, not ours
        exc = ClientException("The JSON body is nested too deeply.")
    if isinstance(exc, HTTPException):
        status = exc.status_code
    else:
        status = 503 if isinstance(exc, UNAVAILABLE) else 500
    if isinstance(exc, HTTPException) and exc.detail == "client disconnected prematurely":
        log.info("client went away during %s %s", request.method, request.url.path)
    elif status >= 500:
        log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    wants_json = request.url.path.startswith("/api/") or (
        "application/json" in request.headers.get("accept", "")
        and "text/html" not in request.headers.get("accept", "")
    )
    headers = dict(getattr(exc, "headers", None) or {})
    if status == 503:
        headers.setdefault("retry-after", "30")
    if wants_json:
        extra: dict[str, object] = {}
        detail = exc.detail if isinstance(exc, HTTPException) and status < 500 else None
        if isinstance(exc, ValidationException) and isinstance(exc.extra, list):
            extra["errors"] = _validation_errors(exc)
            detail = "Invalid request parameters."
        response = problem(status, detail, **extra)
        response.headers.update(headers)
        return response
    title = _titles().get(status) or _titles()[500 if status >= 500 else 400]
    expired = isinstance(exc, HTTPException) and exc.detail == CSRF_FAILED
    if expired:
        title = _("This page has expired.")
    context = {
        "status": status,
        "title": title,
        "expired": expired,
        "written": written(request),
        "back": way_back(request),
    }
    return Template(
        "errors/error.html",
        context=context,
        status_code=status,
        media_type=MediaType.HTML,
        headers=headers,
    )
