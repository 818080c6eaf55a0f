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
from tracking import states
from tracking.attachments import MAX_FILES, AttachmentRejected, StoredFile
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
    """Files are stored first; if the case refuses the reply they are deleted again."""
    case = await own_case(request, tracking_id)
    files, errors = await _store(services, data.get("files"))
    text = str(data.get("text") or "")
    if not errors:
        try:
            await services.customer.add_information(case, text, files)
            return _done(request, case.tracking_id, "timeline")
        except ActionRefused as refused:
            if refused.code == "already_sent":  # a second send of the same: said, not stored
                notice = {"notice": refusals.refusal(refused)}
                return refused_forms.refused(request, case.tracking_id, "reply", actions=notice)
            errors = [refusals.refusal(refused)]
    services.tracking.delete_files(files)
    shown = "reply_errors" if case.status in states.OPEN else "reopen_errors"  # where the form is
    # the case may have been resolved meanwhile: the text moves to the reopen form, not lost
    context = {shown: errors, "text": text, "reason": text}
    return refused_forms.refused(request, case.tracking_id, "reply", actions=context)


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


async def _store(services: Services, field) -> tuple[list[StoredFile], list[str]]:
    """All files of the reply or none: one refused file stores none of them."""
    files = uploads.uploaded(field)
    if len(files) > MAX_FILES:
        return [], [
            refusals.message("too_many", {"max": MAX_FILES}),
            refusals.message("choose_again"),
        ]
    stored: list[StoredFile] = []
    errors: list[str] = []
    for upload in files:
        try:
            stored.append(await uploads.save(services.tracking.attachments, upload))
        except AttachmentRejected as exc:
            errors.append(refusals.refusal(exc))
    if errors:
        services.tracking.delete_files(stored)
        return [], [*errors, refusals.message("choose_again")]
    return stored, []


def router(settings: Settings) -> Router:
    return Router(
        "/track",
        route_handlers=[track_reply, track_reopen],
        middleware=[case_session(settings)],
        include_in_schema=False,
    )
