"""Per-request language and the security headers every response carries."""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
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


async def add_security_headers(message: Message, scope: Scope) -> None:
    """`before_send` hook, so 404s raised before routing get the headers too."""
    if message["type"] == "http.response.start":
        headers = MutableScopeHeaders.from_message(message)
        for name, value in SECURITY_HEADERS.items():
            if name not in headers:
                headers[name] = value


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
