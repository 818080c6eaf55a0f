"""Signed, expiring links that need no database row (attachment downloads, rating links).

The signature covers the purpose, the path and the expiry, so a link made for one purpose
or one case is worthless for any other, and nobody can extend its lifetime.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

#: The single-purpose rating link of the resolution email: it opens the rating form of this
#: case, nothing else (served by the portal under /rate, checked by feedback.service).
RATE_PATH = "/rate/{tracking_id}"
RATE_PURPOSE = "rate"
RATE_LINK_TTL = timedelta(days=30)


class LinkSigner:
    def __init__(self, secret: str, base_url: str) -> None:
        self._key = hashlib.sha256(b"portal-links\n" + secret.encode()).digest()
        self.base_url = base_url.rstrip("/")

    def _mac(self, purpose: str, path: str, expires: int) -> str:
        message = f"{purpose}\n{path}\n{expires}".encode()
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def query(
        self, purpose: str, path: str, ttl: timedelta, now: datetime | None = None
    ) -> dict[str, str]:
        """The `expires` and `sig` parameters for `path`, valid for `ttl`."""
        expires = int(((now or datetime.now(UTC)) + ttl).timestamp())
        return {"expires": str(expires), "sig": self._mac(purpose, path, expires)}

    def url(self, purpose: str, path: str, ttl: timedelta, now: datetime | None = None) -> str:
        """An absolute link to `path` (which starts with /) that expires after `ttl`."""
        return f"{self.base_url}{path}?{urlencode(self.query(purpose, path, ttl, now))}"

    def verify(
        self, purpose: str, path: str, expires: str, sig: str, now: datetime | None = None
    ) -> bool:
        """True only for an unexpired link signed for this purpose and path."""
        if not (expires.isascii() and expires.isdigit()) or len(expires) > 12:
            return False
        if int(expires) < (now or datetime.now(UTC)).timestamp():
            return False
        return hmac.compare_digest(self._mac(purpose, path, int(expires)), sig)
