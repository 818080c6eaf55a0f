"""The customer's actions on the status page: add information and files, reopen the case."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from litestar import Request, Router, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from portal import case_errors, i18n
from portal.case_pages import note_change
from portal.controllers.case_form import _chunks
from portal.controllers.track_pages import _accessible, case_session, status_page
from portal.services import Services
from portal.settings import Settings
from tracking import states, status
from tracking.attachments import MAX_FILES, AttachmentRejected, StoredFile, clean_filename
from tracking.customer import ActionRefused

log = logging.getLogger("portal.track")
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]


def messages() -> dict[str, str]:
    return {
        "empty": i18n.gettext_("Please write something or attach a file."),
        "empty_reason": i18n.gettext_("Please tell us briefly why you are reopening the request."),
        "closed": i18n.gettext_(
            "This request is finished. If something is still open, reopen it below."
        ),
        "not_resolved": i18n.gettext_("Only a resolved request can be reopened."),
        "too_late": i18n.gettext_(
            "This request can no longer be reopened. Please open a new request."
        ),
        "changed": i18n.gettext_(
            "The request changed meanwhile. Please check the page and try again."
        ),
    }


@post("/{tracking_id:str}/reply", name="track_reply", status_code=303)
async def track_reply(
    services: NamedDependency[Services], request: Request, tracking_id: FromPath[str], data: Form
) -> Redirect | Template:
    """Files are stored first; if the case refuses the reply they are deleted again."""
    case = await _own_case(request, tracking_id)
    files, errors = await _store(services, data.get("files"))
    text = str(data.get("text") or "")
    if not errors:
        try:
            await services.customer.add_information(case, text, files)
            note_change(request)
            url = request.app.route_reverse("track_case", tracking_id=case.tracking_id)
            return Redirect(url + "#timeline", status_code=303)
        except ActionRefused as refused:
            errors = [messages()[refused.code]]
    services.tracking.delete_files(files)
    shown = "reply_errors" if case.status in states.OPEN else "reopen_errors"  # where the form is
    # the case may have been resolved meanwhile: the text moves to the reopen form, not lost
    context = {shown: errors, "text": text[:5000], "reason": text[:2000]}
    return await status_page(services, case, actions=context, status_code=400)


@post("/{tracking_id:str}/reopen", name="track_reopen", status_code=303)
async def track_reopen(
    services: NamedDependency[Services], request: Request, tracking_id: FromPath[str], data: Form
) -> Redirect | Template:
    case = await _own_case(request, tracking_id)
    reason = str(data.get("reason") or "")
    try:
        await services.customer.reopen(case, reason)
    except ActionRefused as refused:
        code = "empty_reason" if refused.code == "empty" else refused.code
        context = {"reopen_errors": [messages()[code]], "reason": reason[:2000]}
        return await status_page(services, case, actions=context, status_code=400)
    note_change(request)
    return Redirect(
        request.app.route_reverse("track_case", tracking_id=case.tracking_id), status_code=303
    )


async def _own_case(request: Request, tracking_id: str):
    """Only a browser with access; for every other the answer is the same as for no case."""
    case = await status.case_by_id(tracking_id)
    if case is None or case.tracking_id not in _accessible(request):
        from litestar.exceptions import NotFoundException

        raise NotFoundException()
    return case


async def _store(services: Services, uploads) -> tuple[list[StoredFile], list[str]]:
    uploads = uploads if isinstance(uploads, list) else [uploads]
    uploads = [u for u in uploads if isinstance(u, UploadFile) and u.filename]
    if len(uploads) > MAX_FILES:
        return [], [case_errors.message("too_many", {"max": MAX_FILES})]
    stored: list[StoredFile] = []
    errors: list[str] = []
    for upload in uploads:
        try:
            stored.append(
                await services.tracking.attachments.save(upload.filename, _chunks(upload))
            )
        except AttachmentRejected as exc:
            errors.append(case_errors.message(exc.code, {"name": exc.filename}))
        except OSError:
            log.exception("could not store an attachment")
            name = clean_filename(upload.filename)
            errors.append(case_errors.message("storage_unavailable", {"name": name}))
    if errors:
        services.tracking.delete_files(stored)
        return [], errors
    return stored, []


def router(settings: Settings) -> Router:
    return Router(
        "/track",
        route_handlers=[track_reply, track_reopen],
        middleware=[case_session(settings).middleware],
        include_in_schema=False,
    )
