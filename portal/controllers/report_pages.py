"""The service manager's report page: the figures of the report API as tables and bar charts,
behind the sign-in of `portal.report_access` (as the learned-phrasings page, `learned_pages`)."""

from __future__ import annotations

from litestar import Request, Response, Router, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import TooManyRequestsException
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect, Template

from feedback.reports import cases
from feedback.reports.cases import GroupBy
from feedback.reports.export import FaqTable
from feedback.reports.faq import faq_report
from feedback.reports.period import InvalidPeriod, Period
from portal import report_period, report_view
from portal.report_access import (
    PRIVATE,
    SIGNED_IN,
    LoginForm,
    SignInRequired,
    login_page,
    sign_in,
    sign_in_first,
    signed_in,
)
from portal.report_period import DateFrom, DateTo, Month, faq_download, summary_download
from portal.services import Services
from portal.sessions import new_id, report_session
from portal.settings import Settings


@get("/", name="reports", include_in_schema=False)
async def report_page(
    request: Request,
    services: NamedDependency[Services],
    month: Month = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    group_by: FromQuery[str] = "request_type",
) -> Template:
    """The figures of the chosen period (this month by default); signed out, the sign-in form."""
    page = await report_view.page(services, month, date_from, date_to, group_by)
    page |= {"viewer": request.state.viewer, "view": report_view}
    status = 400 if page["error"] else 200
    return Template("reports/page.html", context=page, status_code=status, headers=PRIVATE)


@post("/login", name="reports_login", include_in_schema=False, status_code=303)
async def login(
    request: Request, settings: NamedDependency[Settings], data: URLEncodedBody[LoginForm]
) -> Redirect | Template:
    """Attempts are counted per client address (`reports.sign_in`); past the limit the answer is 429."""
    address = request.client.host if request.client else "-"
    if not await request.app.state.rate_limits.hit("reports.sign_in", address):
        raise TooManyRequestsException()
    who = await sign_in(settings, data)
    if who is None:
        return login_page(settings, error=True, client_id=data.client_id.strip()[:64])
    new_id(request)  # against session fixation
    request.set_session({SIGNED_IN: who})
    return Redirect(request.app.route_reverse("reports"), status_code=303)


@post("/logout", name="reports_logout", include_in_schema=False, status_code=303)
async def logout(request: Request) -> Redirect:
    request.clear_session()
    return Redirect(request.app.route_reverse("reports"), status_code=303)


@get("/summary.csv", name="reports_summary_csv", include_in_schema=False)
async def summary_csv(
    period: NamedDependency[Period], group_by: FromQuery[GroupBy] = "request_type"
) -> Response:
    return summary_download(await cases.case_report(period, group_by))


@get("/faq.csv", name="reports_faq_csv", include_in_schema=False)
async def faq_csv(
    period: NamedDependency[Period], table: FromQuery[FaqTable] = "knowledge_gaps"
) -> Response:
    return faq_download(await faq_report(period), table)


def _bad_period(_: Request, exc: InvalidPeriod) -> Response:
    return Response(f"{exc}\n", status_code=400, headers=PRIVATE)


def router(settings: Settings) -> Router:
    return Router(
        "/reports",
        route_handlers=[
            login,
            logout,
            Router(
                "/",
                route_handlers=[report_page, summary_csv, faq_csv],
                guards=[signed_in(settings)],
                dependencies={"period": Provide(report_period.period)},
                exception_handlers={SignInRequired: sign_in_first(settings)},
            ),
        ],
        middleware=[report_session(settings)],
        exception_handlers={InvalidPeriod: _bad_period},
        include_in_schema=False,
    )
