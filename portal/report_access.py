"""Who may see the report pages: sign-in with the admin token (PORTAL_ADMIN_TOKEN) or a
back-office client holding `reports:read`, the session that remembers it, and the guard that
checks it again on every request. Every router under /reports uses these, so a page added
there is signed in the same way.

The session is `portal.sessions.report_session`: server-side, in an HttpOnly SameSite=Strict
cookie that only `/reports` sees, under a fresh id at each sign-in.
"""

from __future__ import annotations

import hashlib
import hmac

from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.handlers import BaseRouteHandler
from litestar.response import Redirect, Template
from litestar.types import ExceptionHandler, Guard
from msgspec import Struct

from portal.settings import Settings
from tracking.backoffice.oauth import authenticate, client_with_scope

SCOPE = "reports:read"
SIGNED_IN = "reports_viewer"
PRIVATE = {"cache-control": "no-store", "referrer-policy": "no-referrer"}


class LoginForm(Struct):
    token: str = ""
    client_id: str = ""
    client_secret: str = ""


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


def _admin_mark(settings: Settings) -> str:
    """Kept in the session instead of the token: a changed token ends old sessions."""
    key = settings.secret_key.encode()
    return hmac.new(key, b"reports admin " + settings.admin_token.encode(), "sha256").hexdigest()


async def signed_in_viewer(connection: ASGIConnection, settings: Settings) -> str | None:
    """Who is signed in ("admin" or a client's name), checked again on every request."""
    who = (connection.session or {}).get(SIGNED_IN)
    if not isinstance(who, dict):
        return None
    if who.get("by") == "admin" and settings.admin_token:
        mark = str(who.get("mark", "")).encode()
        return "admin" if hmac.compare_digest(mark, _admin_mark(settings).encode()) else None
    if who.get("by") == "client":
        client = await client_with_scope(str(who.get("client_id", "")), SCOPE)
        return client.name if client is not None else None
    return None


async def sign_in(settings: Settings, form: LoginForm) -> dict | None:
    if form.token:
        given, wanted = _digest(form.token.strip()), _digest(settings.admin_token)
        if settings.admin_token and hmac.compare_digest(given, wanted):
            return {"by": "admin", "mark": _admin_mark(settings)}
        return None
    if form.client_id and form.client_secret:
        client = await authenticate(form.client_id.strip()[:64], form.client_secret.strip())
        if client is not None and SCOPE in (client.scopes or []):
            return {"by": "client", "client_id": client.client_id}
    return None


class SignInRequired(NotAuthorizedException):
    """Nobody (or nobody still entitled) is signed in to the report pages."""


def signed_in(settings: Settings) -> Guard:
    """The guard of every report route: only a viewer still entitled gets past, and
    `request.state.viewer` names them."""

    async def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        viewer = await signed_in_viewer(connection, settings)
        if viewer is None:
            raise SignInRequired()
        connection.state.viewer = viewer

    return guard


def sign_in_first(settings: Settings) -> ExceptionHandler:
    """Signed out, the report page shows the sign-in form in its place, other pages lead to it,
    and a CSV download or a form sent answers 401."""

    def handler(request: Request, _: SignInRequired) -> Response:
        name = request.route_handler.name
        if name == "reports":
            return login_page(settings)
        if request.method == "GET" and not name.endswith("_csv"):
            return Redirect(request.app.route_reverse("reports"), status_code=303)
        return Response("Please sign in on /reports first.\n", status_code=401, headers=PRIVATE)

    return handler


def login_page(settings: Settings, error: bool = False, client_id: str = "") -> Template:
    return Template(
        "reports/login.html",
        context={
            "error": error,
            "client_id": client_id,
            "token_login": bool(settings.admin_token),
        },
        status_code=400 if error else 200,
        headers=PRIVATE,
    )
