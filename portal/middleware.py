"""Per-request language and the security headers every response carries."""

from __future__ import annotations

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from portal import i18n

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
        "object-src 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
}


_ENCODED = [(name.encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]


async def add_security_headers(message: Message, scope: Scope) -> None:
    """`before_send` hook, so 404s raised before routing get the headers too."""
    if message["type"] == "http.response.start":
        headers = list(message.get("headers") or [])
        present = {name.lower() for name, _ in headers}
        headers.extend(pair for pair in _ENCODED if pair[0] not in present)
        message["headers"] = headers


_HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


async def add_hsts(message: Message, scope: Scope) -> None:
    """`before_send` hook for a portal served over https (PORTAL_BASE_URL): browsers keep to
    https for a year, so no later request can be downgraded."""
    if message["type"] == "http.response.start":
        message["headers"] = [*(message.get("headers") or []), _HSTS]


def language(default: str):
    """Pick the customer's language per request (cookie, then Accept-Language)."""

    def factory(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] in ("http", "websocket"):
                set_language_from_scope(scope, default)
            await app(scope, receive, send)

        return middleware

    return factory


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def set_language_from_scope(scope: Scope, default: str) -> None:
    headers = dict(scope.get("headers") or [])
    cookie = _cookie(headers.get(b"cookie", b"").decode("latin-1"), i18n.LANG_COOKIE)
    accept = headers.get(b"accept-language", b"").decode("latin-1")
    i18n.set_language(i18n.negotiate(cookie, accept, default))
