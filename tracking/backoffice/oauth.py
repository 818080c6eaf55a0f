"""OAuth2 client credentials: API clients and RFC 9068 JWT access tokens.

Tokens are signed with HS256 under a key derived from PORTAL_SECRET_KEY, with `joserfc` (the
JOSE library of the Authlib project). Client secrets are 256-bit random values, so a plain
SHA-256 hash is enough to store them (nothing to brute-force), compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

from tracking.backoffice.models import ApiClient

SCOPES = ("cases:read", "cases:write", "faq:write", "reports:read")
TOKEN_SECONDS = 600
ALGORITHM = "HS256"


class OAuthError(Exception):
    """An RFC 6749 error: `error` is the code, `status` the HTTP status."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


class InvalidToken(Exception):
    """The bearer token is missing, malformed, unsigned, expired or not for us."""


@dataclass(frozen=True, slots=True)
class TokenIssuer:
    """Issues and checks access tokens for one deployment (issuer = audience = base URL)."""

    key: OctKey
    issuer: str
    audience: str
    lifetime: int = TOKEN_SECONDS

    @classmethod
    def from_settings(cls, settings) -> TokenIssuer:
        raw = hmac.new(settings.secret_key.encode(), b"portal oauth access tokens", "sha256")
        base = settings.base_url
        return cls(
            OctKey.import_key(raw.digest()), issuer=base, audience=f"{base}/api/v1/backoffice"
        )

    def issue(self, client: ApiClient, scopes: list[str]) -> dict:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": client.client_id,
            "client_id": client.client_id,
            "iat": now,
            "exp": now + self.lifetime,
            "jti": secrets.token_urlsafe(16),
            "scope": " ".join(scopes),
        }
        token = jwt.encode({"alg": ALGORITHM, "typ": "at+jwt"}, claims, self.key)
        return {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": self.lifetime,
            "scope": claims["scope"],
        }

    def verify(self, token: str) -> dict:
        """The claims of a valid token; `alg: none` and any other algorithm are refused."""
        try:
            decoded = jwt.decode(token, self.key, algorithms=[ALGORITHM])
        except (JoseError, ValueError, TypeError) as exc:
            raise InvalidToken(str(exc)) from None
        if decoded.header.get("typ", "").lower() not in ("at+jwt", "application/at+jwt"):
            raise InvalidToken("not an access token")
        registry = jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": self.issuer},
            aud={"essential": True, "value": self.audience},
            exp={"essential": True},
            sub={"essential": True},
        )
        try:
            registry.validate(decoded.claims)
        except JoseError as exc:
            raise InvalidToken(str(exc)) from None
        return decoded.claims


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def create_client(name: str, scopes: list[str]) -> tuple[ApiClient, str]:
    """A new client; its secret is returned once and stored only as a hash."""
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise OAuthError("invalid_scope", f"unknown scopes: {', '.join(unknown)}")
    secret = secrets.token_urlsafe(32)
    client = await ApiClient.create(
        client_id="cli_" + secrets.token_urlsafe(12),
        name=name,
        secret_hash=_hash(secret),
        scopes=sorted(set(scopes)),
    )
    return client, secret


async def token_for(
    client_id: str, client_secret: str, scope: str | None, issuer: TokenIssuer
) -> dict:
    """The client-credentials grant: authenticate, narrow the scopes, issue a token."""
    client = await ApiClient.get_or_none(client_id=client_id, active=True)
    expected = client.secret_hash if client else _hash("x")
    if not hmac.compare_digest(expected, _hash(client_secret)) or client is None:
        raise OAuthError("invalid_client", "client authentication failed", status=401)
    requested = scope.split() if scope else list(client.scopes)
    if not set(requested) <= set(client.scopes):
        raise OAuthError("invalid_scope", "the client may not have these scopes")
    return issuer.issue(client, requested)
