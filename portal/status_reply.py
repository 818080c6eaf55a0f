"""The status page's reply (add information and files): files stored first, then the reply;
if either is refused, nothing is kept of it but what the form shows again.

The reply controller only reads the form and redirects (`portal.refused_forms`).
"""

from __future__ import annotations

from typing import Any

from portal import refusals, uploads
from portal.services import Services
from tracking import states
from tracking.attachments import MAX_FILES, AttachmentRejected, StoredFile
from tracking.customer import ActionRefused
from tracking.models import Case


async def send_reply(services: Services, case: Case, text: str, files: Any) -> dict | None:
    """None once the reply is on the case; otherwise the reply form's part of the page to
    show again (`actions=` of `refused_forms.refused`), with the whole text."""
    stored, errors = await _store(services, files)
    if not errors:
        try:
            await services.customer.add_information(case, text, stored)
            return None
        except ActionRefused as refused:
            if refused.code == "already_sent":  # a second send of the same: said, not stored
                return {"notice": refusals.refusal(refused)}
            errors = [refusals.refusal(refused)]
    services.tracking.delete_files(stored)
    shown = "reply_errors" if case.status in states.OPEN else "reopen_errors"  # where the form is
    # the case may have been resolved meanwhile: the text moves to the reopen form, not lost
    return {shown: errors, "text": text, "reason": text}


async def _store(services: Services, field: Any) -> tuple[list[StoredFile], list[str]]:
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
