"""The service manager's report page: the figures of the report API as tables and bar charts.

Sign-in with the admin token (PORTAL_ADMIN_TOKEN) or with a back-office client holding
`reports:read`; the session is server-side, in an HttpOnly SameSite=Strict cookie that only
`/reports` sees, under a fresh id at each sign-in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from litestar import Request, Response, Router, get, post
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.exceptions import TooManyRequestsException
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect, Template
from litestar.types import Empty, Message, ScopeSession
from msgspec import Struct

from feedback import reports
from feedback.reports import InvalidPeriod
from portal import report_view
from portal.controllers.api_reports import DateFrom, DateTo, Month, csv_response, period_of
from portal.services import Services
from portal.settings import Settings
from tracking.backoffice.oauth import authenticate, client_with_scope

SCOPE = "reports:read"
SIGNED_IN = "reports_viewer"
_NEW_SESSION_ID = "portal_reports_new_session_id"
PRIVATE = {"cache-control": "no-store", "referrer-policy": "no-referrer"}


class LoginForm(Struct):
    token: str = ""
    client_id: str = ""
    client_secret: str = ""


class ReportSessionBackend(ServerSideSessionBackend):
    """Sessions only for those signed in, under a fresh id from each sign-in.

    Litestar would store an empty session (and set its cookie) for every visitor of the
    sign-in form; here an empty session stores nothing and ends one the browser still
    names. A new id at sign-in makes an id planted before it (session fixation) worthless.
    """

    def get_session_id(self, connection: ASGIConnection) -> str:
        return connection.scope.get(_NEW_SESSION_ID) or super().get_session_id(connection)

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection
    ) -> None:
        if scope_session is Empty or not scope_session:
            if connection.cookies.get(self.config.key, "null") == "null":
                return
            scope_session = Empty
        await super().store_in_message(scope_session, message, connection)


class ReportSessionConfig(ServerSideSessionConfig):
    _backend_class = ReportSessionBackend


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


def _admin_mark(settings: Settings) -> str:
    """Kept in the session instead of the token: a changed token ends old sessions."""
    key = settings.secret_key.encode()
    return hmac.new(key, b"reports admin " + settings.admin_token.encode(), "sha256").hexdigest()


async def signed_in_viewer(request: Request, settings: Settings) -> str | None:
    """Who is signed in ("admin" or a client's name), checked again on every request."""
    who = (request.session or {}).get(SIGNED_IN)
    if not isinstance(who, dict):
        return None
    if who.get("by") == "admin" and settings.admin_token:
        mark = str(who.get("mark", "")).encode()
        return "admin" if hmac.compare_digest(mark, _admin_mark(settings).encode()) else None
    if who.get("by") == "client":
        client = await client_with_scope(str(who.get("client_id", "")), SCOPE)
        return client.name if client is not None else None
    return None


async def _sign_in(settings: Settings, form: LoginForm) -> dict | None:
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


def _login_page(settings: Settings, error: bool = False, client_id: str = "") -> Template:
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


@get("/", name="reports", include_in_schema=False)
async def report_page(
    request: Request,
    services: NamedDependency[Services],
    settings: NamedDependency[Settings],
    month: Month = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    group_by: FromQuery[str] = "request_type",
) -> Template:
    """The sign-in form, or the figures of the chosen period (this month by default)."""
    viewer = await signed_in_viewer(request, settings)
    if viewer is None:
        return _login_page(settings)
    group_by = group_by if group_by in reports.GROUPS else "request_type"
    form = {
        "month": month or "",
        "from": date_from or "",
        "to": date_to or "",
        "group_by": group_by,
    }
    try:
        period = period_of(services, month, date_from, date_to)
    except InvalidPeriod as exc:
        context = {"viewer": viewer, "form": form, "error": exc, "cases": None, "faq": None}
        return Template("reports/page.html", context=context, status_code=400, headers=PRIVATE)
    if not (date_from or date_to):
        form["month"] = period.month or ""
    cases = await reports.case_report(period, group_by)
    faq = await reports.faq_report(period)
    classification = services.tracking.classification

    def label(key: str) -> str:
        return report_view.group_label(classification, group_by, key)

    context = {
        "viewer": viewer,
        "form": form,
        "error": None,
        "cases": cases,
        "faq": faq,
        "label": label,
        "view": report_view,
        "charts": report_view.case_charts(cases, label),
        "gaps_chart": report_view.gap_chart(faq),
        "query": {k: v for k, v in form.items() if v},
    }
    return Template("reports/page.html", context=context, headers=PRIVATE)


@post("/login", name="reports_login", include_in_schema=False, status_code=303)
async def login(
    request: Request, settings: NamedDependency[Settings], data: URLEncodedBody[LoginForm]
) -> Redirect | Template:
    """Attempts are counted per client address (`reports.sign_in`); past the limit the answer is 429."""
    address = request.client.host if request.client else "-"
    if not await request.app.state.rate_limits.hit("reports.sign_in", address):
        raise TooManyRequestsException()
    who = await _sign_in(settings, data)
    if who is None:
        return _login_page(settings, error=True, client_id=data.client_id.strip()[:64])
    request.scope[_NEW_SESSION_ID] = secrets.token_hex(32)  # type: ignore[literal-required]
    request.set_session({SIGNED_IN: who})
    return Redirect(request.app.route_reverse("reports"), status_code=303)


@post("/logout", name="reports_logout", include_in_schema=False, status_code=303)
async def logout(request: Request) -> Redirect:
    request.clear_session()
    return Redirect(request.app.route_reverse("reports"), status_code=303)


async def _csv_period(request: Request, services: Services, settings: Settings, month, f, t):
    """The period of a CSV download, or None when nobody is signed in (401)."""
    if await signed_in_viewer(request, settings) is None:
        return None
    return period_of(services, month, f, t)


@get("/summary.csv", name="reports_summary_csv", include_in_schema=False)
async def summary_csv(
    request: Request,
    services: NamedDependency[Services],
    settings: NamedDependency[Settings],
    month: Month = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    group_by: FromQuery[str] = "request_type",
) -> Response:
    period = await _csv_period(request, services, settings, month, date_from, date_to)
    if period is None or group_by not in reports.GROUPS:
        return _refused(period is None)
    report = await reports.case_report(period, group_by)
    return csv_response(reports.summary_csv(report), f"report-{group_by}-{period.label}.csv")


@get("/faq.csv", name="reports_faq_csv", include_in_schema=False)
async def faq_csv(
    request: Request,
    services: NamedDependency[Services],
    settings: NamedDependency[Settings],
    month: Month = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    table: FromQuery[str] = "knowledge_gaps",
) -> Response:
    period = await _csv_period(request, services, settings, month, date_from, date_to)
    if period is None or table not in reports.FAQ_TABLES:
        return _refused(period is None)
    report = await reports.faq_report(period)
    return csv_response(reports.faq_csv(report, table), f"faq-{table}-{period.label}.csv")


def _refused(signed_out: bool) -> Response:
    if signed_out:
        return Response("Please sign in on /reports first.\n", status_code=401, headers=PRIVATE)
    return Response("Unknown group_by or table.\n", status_code=400, headers=PRIVATE)


def _bad_period(_: Request, exc: InvalidPeriod) -> Response:
    return Response(f"{exc}\n", status_code=400, headers=PRIVATE)


def session_config(settings: Settings) -> ReportSessionConfig:
    """The sign-in session of every page under /reports."""
    return ReportSessionConfig(
        key="portal_reports",
        max_age=8 * 3600,
        path="/reports",
        secure=settings.secure_cookies,
        httponly=True,
        samesite="strict",
        store="report_sessions",
    )


def router(settings: Settings) -> Router:
    sessions = session_config(settings)
    return Router(
        "/reports",
        route_handlers=[report_page, login, logout, summary_csv, faq_csv],
        middleware=[sessions.middleware],
        exception_handlers={InvalidPeriod: _bad_period},
        include_in_schema=False,
    )
