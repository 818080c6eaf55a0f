"""Files a customer uploads, from the case form or the status page, into attachment storage."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from litestar.datastructures import UploadFile

from tracking.attachments import (
    MAX_BYTES,
    MAX_FILES,
    AttachmentRejected,
    AttachmentStore,
    StoredFile,
    clean_filename,
)

log = logging.getLogger("portal.uploads")

#: The body size of a form with files (`request_max_body_size` of each route that takes
#: them): every file the form allows at its largest, and room for the text. Beyond it the
#: request is refused before the handler reads it (413).
UPLOAD_LIMIT = MAX_FILES * MAX_BYTES + 1024 * 1024


def uploaded(value: object) -> list[UploadFile]:
    """The files of a multipart field (one, several or none), without empty file inputs."""
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, UploadFile) and v.filename]


async def save(attachments: AttachmentStore, upload: UploadFile) -> StoredFile:
    """Store one upload; a refused file and a failing disk both raise AttachmentRejected, so
    the rest of the form goes on either way."""
    try:
        return await attachments.save(upload.filename, _chunks(upload))
    except OSError:  # full disk, unwritable directory
        log.exception("could not store an attachment")
        raise AttachmentRejected("storage_unavailable", clean_filename(upload.filename)) from None


async def _chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await upload.read(256 * 1024):
        yield chunk
