"""The customer's status page, opened with the personal link from the confirmation email."""

from __future__ import annotations

from litestar import Request, Router, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.middleware.session.server_side import ServerSideSessionConfig
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from portal import i18n
from portal.controllers.case_form import FILED, _local
from portal.services import Services
from portal.settings import Settings
from tracking import status

GRANTED = "cases_granted"


@get("/{tracking_id:str}", name="track_case", include_in_schema=False)
async def track_case(
    services: NamedDependency[Services],
    request: Request,
    tracking_id: FromPath[str],
    key: FromQuery[str] = "",
) -> Template:
    """A wrong ID, a wrong key and an unknown case all get the same 404 page."""
    session = request.session or {}
    allowed = [*(session.get(GRANTED) or []), *(session.get(FILED) or [])]
    case = await status.case_for_link(tracking_id, key) if key else None
    if case is not None and case.tracking_id not in allowed:
        request.set_session({**session, GRANTED: [*allowed, case.tracking_id][-20:]})
    elif case is None:
        case = await status.case_by_id(tracking_id)
        if case is None or case.tracking_id not in allowed:
            raise NotFoundException()
    timeline = await status.public_timeline(case)
    tz = services.tracking.classification.business_hours.timezone
    lang = i18n.current_language()
    light = status.sla_light(case, timeline)
    return Template(
        "track/status.html",
        context={
            "case": case,
            "timeline": [(event, _local(event.created_at, tz, lang)) for event in timeline],
            "light": light,
            "due": _local(light.due, tz, lang) if light.due else "",
        },
        headers={"cache-control": "no-store", "referrer-policy": "no-referrer"},
    )


def router(settings: Settings) -> Router:
    """Same session as the case form, so the browser that filed a case may see it."""
    sessions = ServerSideSessionConfig(
        key="portal_case", max_age=30 * 24 * 3600, secure=settings.secure_cookies,
        httponly=True, samesite="lax", store="case_drafts",
    )
    lookups = RateLimitConfig(rate_limit=("minute", 30), store="track_rate_limit")
    return Router(
        "/track",
        route_handlers=[track_case],
        middleware=[sessions.middleware, lookups.middleware],
        include_in_schema=False,
    )
