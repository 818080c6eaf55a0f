"""`POST /oauth/token` (client credentials); the bearer-token guard is `portal.api_auth`."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import unquote

from litestar import Request, Response, post
from litestar.connection import ASGIConnection
from litestar.openapi.datastructures import ResponseSpec
from msgspec import Struct

from portal.ratelimits import RateLimits
from tracking.backoffice.oauth import (
    OAuthError,
    TokenIssuer,
    token_for,
)

NO_STORE = {"cache-control": "no-store", "pragma": "no-cache"}


class TokenResponse(Struct):
    access_token: str
    token_type: str
    expires_in: int
    scope: str


class TokenError(Struct):
    """RFC 6749 section 5.2."""

    error: str
    error_description: str


@post(
    "/oauth/token",
    name="oauth_token",
    summary="Get an access token (client credentials)",
    tags=["back office"],
    status_code=200,
    responses={
        200: ResponseSpec(TokenResponse, description="An access token"),
        400: ResponseSpec(TokenError, description="Unsupported grant type or invalid scope"),
        401: ResponseSpec(TokenError, description="Client authentication failed"),
        429: ResponseSpec(TokenError, description="Too many failed authentications from here"),
    },
)
async def token(request: Request) -> Response:
    """RFC 6749 section 4.4: HTTP Basic or form client authentication, form body."""
    limits: RateLimits = request.app.state.rate_limits
    address = request.client.host if request.client else "-"
    try:
        body = await _issue(request, limits, address)
    except OAuthError as exc:
        if exc.status == 401:  # wrong secrets are counted per address
            await limits.hit("oauth.token", address)
        return _refusal(exc)
    return Response(body, headers=NO_STORE)


async def _issue(request: Request, limits: RateLimits, address: str) -> dict:
    form = await request.form()
    if await limits.used_up("oauth.token", address):
        raise OAuthError("too_many_attempts", "too many failed attempts, try again later", 429)
    if form.get("grant_type") != "client_credentials":
        raise OAuthError("unsupported_grant_type", "only client_credentials is supported")
    client_id, client_secret = _client_credentials(request, form)
    return await token_for(client_id, client_secret, form.get("scope"), _issuer(request))


def _refusal(exc: OAuthError) -> Response:
    """The error response of RFC 6749 section 5.2, with the headers its status needs."""
    headers = {**NO_STORE}
    if exc.status == 429:
        headers["retry-after"] = "60"
    if exc.status == 401:
        headers["www-authenticate"] = 'Basic realm="oauth"'
    return Response(
        {"error": exc.error, "error_description": exc.description},
        status_code=exc.status,
        headers=headers,
    )


def _client_credentials(request: Request, form) -> tuple[str, str]:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            pair = base64.b64decode(header[6:], validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise OAuthError("invalid_client", "malformed Basic credentials", 401) from None
        client_id, _, secret = pair.partition(":")
        return unquote(client_id), unquote(secret)
    if form.get("client_id") and form.get("client_secret"):
        return form["client_id"], form["client_secret"]
    raise OAuthError("invalid_client", "client authentication is required", 401)


def _issuer(connection: ASGIConnection) -> TokenIssuer:
    return connection.app.state["token_issuer"]


ROUTES = [token]
