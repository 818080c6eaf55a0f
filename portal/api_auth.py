"""The back-office API's bearer-token guard and the error responses every route of it documents.

Tokens come from `POST /oauth/token` (portal.controllers.oauth); each route names the scope
it needs with `guards=[require_scope("cases:read")]`.
"""

from __future__ import annotations

from collections.abc import Callable

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers import BaseRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from msgspec import Struct

from tracking.backoffice.oauth import InvalidToken, TokenVerifier


class Problem(Struct):
    type: str
    title: str
    status: int
    detail: str


AUTH = {
    401: ResponseSpec(Problem, description="No valid bearer token"),
    403: ResponseSpec(Problem, description="The token lacks the scope"),
}


def _verifier(connection: ASGIConnection) -> TokenVerifier:
    return connection.app.state["token_verifier"]


def require_scope(scope: str) -> Callable[[ASGIConnection, BaseRouteHandler], None]:
    """A guard: 401 without a valid access token, 403 when the token lacks `scope`."""

    async def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        header = connection.headers.get("authorization", "")
        scheme, _, raw = header.partition(" ")
        challenge = {"www-authenticate": 'Bearer realm="backoffice"'}
        if scheme.lower() != "bearer" or not raw.strip():
            raise NotAuthorizedException("a bearer token is required", headers=challenge)
        try:
            claims = await _verifier(connection).verify(raw.strip())
        except InvalidToken:
            raise NotAuthorizedException(
                "the access token is invalid or expired",
                headers={"www-authenticate": 'Bearer realm="backoffice", error="invalid_token"'},
            ) from None
        if scope not in str(claims.get("scope", "")).split():
            raise PermissionDeniedException(
                f"the access token lacks the scope {scope}",
                headers={"www-authenticate": f'Bearer error="insufficient_scope", scope="{scope}"'},
            )
        connection.state["oauth_client"] = claims["client_id"]

    return guard
