"""Attachment storage: images and PDF only, recognised by their first bytes, never by name.

Files are stored under `<data dir>/attachments` with random names and no extension, so
nothing a customer uploads is ever executed or served with a type the customer chose.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass
from pathlib import Path

from shared.refused import Refused

MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024
CHUNK = 256 * 1024
#: what the portal accepts, as the `accept` attribute of the file input
ACCEPT = "image/png,image/jpeg,image/gif,image/webp,application/pdf"


class AttachmentRejected(Refused, ValueError):
    """`code` is one of: too_large, wrong_type, empty, too_many, storage_unavailable; `name`
    the cleaned file name."""

    topic = "attachment"

    def __init__(self, code: str, filename: str = "") -> None:
        super().__init__(code, detail=f"{filename}: {code}", name=filename)
        self.filename = filename


@dataclass(frozen=True, slots=True)
class StoredFile:
    storage_name: str
    filename: str
    content_type: str
    size: int
    sha256: str

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> StoredFile:
        return cls(**{key: data[key] for key in cls.__slots__})


def sniff(head: bytes) -> str | None:
    """The content type the first bytes prove, or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if len(head) >= 12 and head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def clean_filename(name: str) -> str:
    """A display name only: no directories, no control characters, at most 120 characters."""
    name = re.split(r"[\\/]", name or "")[-1]
    name = "".join(
        ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C"
    )
    return name.strip(" .")[:120] or "attachment"


class AttachmentStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, storage_name: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{32}", storage_name):
            raise ValueError("not a storage name")
        return self.root / storage_name

    async def save(self, filename: str, chunks: AsyncIterator[bytes]) -> StoredFile:
        """Stream to disk, stopping at MAX_BYTES; reject anything that is not an image or PDF."""
        self.root.mkdir(parents=True, exist_ok=True)
        storage_name = secrets.token_hex(16)
        target = self.root / storage_name
        digest = hashlib.sha256()
        size = 0
        content_type = None
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                async for chunk in chunks:
                    if not chunk:
                        continue
                    if content_type is None:
                        content_type = sniff(chunk[:16])
                        if content_type is None:
                            raise AttachmentRejected("wrong_type", clean_filename(filename))
                    size += len(chunk)
                    if size > MAX_BYTES:
                        raise AttachmentRejected("too_large", clean_filename(filename))
                    digest.update(chunk)
                    out.write(chunk)
            if size == 0 or content_type is None:
                raise AttachmentRejected("empty", clean_filename(filename))
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return StoredFile(
            storage_name, clean_filename(filename), content_type, size, digest.hexdigest()
        )

    async def save_bytes(self, filename: str, data: bytes) -> StoredFile:
        async def one() -> AsyncIterator[bytes]:
            for start in range(0, len(data), CHUNK):
                yield data[start : start + CHUNK]

        return await self.save(filename, one())

    def delete(self, storage_name: str) -> None:
        self.path(storage_name).unlink(missing_ok=True)
