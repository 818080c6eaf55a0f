"""The customer's actions on the status page: add information and files, reopen the case."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Router, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect

from portal import refusals, refused_forms, uploads
from portal.case_access import own_case
from portal.case_pages import note_change
from portal.services import Services
from portal.sessions import case_session
from portal.settings import Settings
from portal.status_reply import send_reply
from tracking.customer import ActionRefused

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]


@post(
    "/{tracking_id:str}/reply",
    name="track_reply",
    status_code=303,
    request_max_body_size=uploads.UPLOAD_LIMIT,
)
async def track_reply(
    services: NamedDependency[Services], request: Request, tracking_id: FromPath[str], data: Form
) -> Redirect:
    """Add information and files; a refused reply comes back whole (`portal.status_reply`)."""
    case = await own_case(request, tracking_id)
    text = str(data.get("text") or "")
    kept = await send_reply(services, case, text, data.get("files"))
    if kept is None:
        return _done(request, case.tracking_id, "timeline")
    return refused_forms.refused(request, case.tracking_id, "reply", actions=kept)


@post("/{tracking_id:str}/reopen", name="track_reopen", status_code=303)
async def track_reopen(
    services: NamedDependency[Services], request: Request, tracking_id: FromPath[str], data: Form
) -> Redirect:
    case = await own_case(request, tracking_id)
    reason = str(data.get("reason") or "")
    try:
        await services.customer.reopen(case, reason)
    except ActionRefused as refused:
        context = {"reopen_errors": [refusals.refusal(refused)], "reason": reason}
        return refused_forms.refused(request, case.tracking_id, "reopen", actions=context)
    return _done(request, case.tracking_id)


def _done(request: Request, tracking_id: str, anchor: str = "") -> Redirect:
    """After a committed change: the page afresh, without a form refused before."""
    note_change(request)
    refused_forms.sent(request, tracking_id, "actions")
    url = request.app.route_reverse("track_case", tracking_id=tracking_id)
    return Redirect(url + (f"#{anchor}" if anchor else ""), status_code=303)


def router(settings: Settings) -> Router:
    return Router(
        "/track",
        route_handlers=[track_reply, track_reopen],
        middleware=[case_session(settings)],
        include_in_schema=False,
    )
