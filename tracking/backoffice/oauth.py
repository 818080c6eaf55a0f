"""OAuth2 client credentials: API clients and RFC 9068 JWT access tokens.

Tokens are signed with HS256 under a key derived from PORTAL_SECRET_KEY, with `joserfc` (the
JOSE library of the Authlib project). Client secrets are 256-bit random values, so a plain
SHA-256 hash is enough to store them (nothing to brute-force), compared in constant time.

A deployment may also trust an external identity provider (Keycloak, Entra ID, Auth0, ...):
its tokens are checked against the keys it publishes (JWKS), its issuer and our audience.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field

import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, OctKey

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
        return _validated(decoded.claims, self.issuer, self.audience)


#: Asymmetric algorithms accepted from an external provider; never HS* (its key is public).
EXTERNAL_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"]
JWKS_MAX_AGE = 600.0
JWKS_MIN_REFRESH = 30.0


@dataclass
class ExternalIssuer:
    """Tokens of an external identity provider, verified with its published keys.

    The key set is cached; a token signed with an unknown key id triggers one refetch (at
    most every JWKS_MIN_REFRESH seconds), so a provider's key rotation needs no restart.
    """

    issuer: str
    jwks_url: str
    audience: str
    timeout: float = 5.0
    _keys: KeySet | None = field(default=None, repr=False)
    _fetched: float = field(default=0.0, repr=False)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)
    _asked: set[str] = field(default_factory=set, repr=False)

    async def _key_set(self, unknown_kid: str | None = None) -> KeySet:
        """The cached keys; fetched again when old, or once for a key id not seen yet."""
        age = time.monotonic() - self._fetched
        fresh = self._keys is not None and age < JWKS_MAX_AGE
        if fresh and unknown_kid is None:
            return self._keys
        if fresh and unknown_kid in self._asked and age < JWKS_MIN_REFRESH:
            return self._keys  # someone keeps sending a key id the provider does not have
        if unknown_kid is not None and len(self._asked) < 100:
            self._asked.add(unknown_kid)
        async with self._lock:
            try:
                async with httpx.AsyncClient(timeout=self.timeout, follow_redirects=False) as http:
                    response = await http.get(self.jwks_url)
                    response.raise_for_status()
                    self._keys = KeySet.import_key_set(response.json())
                    self._fetched = time.monotonic()
            except (httpx.HTTPError, ValueError, JoseError) as exc:
                if self._keys is None:
                    raise InvalidToken(
                        f"the identity provider's keys are unavailable: {exc}"
                    ) from None
        return self._keys

    async def verify(self, token: str) -> dict:
        kid = _unverified_header(token).get("kid")
        keys = await self._key_set()
        if isinstance(kid, str) and all(key.kid != kid for key in keys.keys):
            keys = await self._key_set(unknown_kid=kid[:100])
        try:
            decoded = jwt.decode(token, keys, algorithms=EXTERNAL_ALGORITHMS)
        except (JoseError, ValueError, TypeError) as exc:
            raise InvalidToken(str(exc)) from None
        claims = _validated(decoded.claims, self.issuer, self.audience)
        scope = claims.get("scope") or " ".join(claims.get("scp") or [])
        client = claims.get("client_id") or claims.get("azp") or claims["sub"]
        return {**claims, "scope": scope, "client_id": str(client)}


@dataclass(frozen=True, slots=True)
class TokenVerifier:
    """Our own tokens first, then, when configured, the external provider's."""

    own: TokenIssuer
    external: ExternalIssuer | None = None

    async def verify(self, token: str) -> dict:
        try:
            return self.own.verify(token)
        except InvalidToken:
            if self.external is None:
                raise
        return await self.external.verify(token)

    @classmethod
    def from_settings(cls, settings, own: TokenIssuer) -> TokenVerifier:
        if not settings.oauth_issuer:
            return cls(own)
        audience = settings.oauth_audience or own.audience
        return cls(own, ExternalIssuer(settings.oauth_issuer, settings.oauth_jwks_url, audience))


def _unverified_header(token: str) -> dict:
    """Only to pick the key; nothing in it is trusted before the signature is checked."""
    try:
        head = token.split(".", 1)[0]
        value = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except (ValueError, TypeError):
        return {}
    return value if isinstance(value, dict) else {}


def _validated(claims: dict, issuer: str, audience: str) -> dict:
    registry = jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": audience},
        exp={"essential": True},
        sub={"essential": True},
    )
    try:
        registry.validate(claims)
    except JoseError as exc:
        raise InvalidToken(str(exc)) from None
    return claims


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


async def authenticate(client_id: str, client_secret: str) -> ApiClient | None:
    """The active client with this id and secret, else None (the secret compared in constant
    time, also for an unknown id)."""
    client = await ApiClient.get_or_none(client_id=client_id, active=True)
    expected = client.secret_hash if client else _hash("x")
    if not hmac.compare_digest(expected, _hash(client_secret)) or client is None:
        return None
    return client


async def client_with_scope(client_id: str, scope: str) -> ApiClient | None:
    """The client while it is active and holds `scope` (a session outlives no revocation)."""
    client = await ApiClient.get_or_none(client_id=client_id, active=True)
    return client if client is not None and scope in (client.scopes or []) else None


async def token_for(
    client_id: str, client_secret: str, scope: str | None, issuer: TokenIssuer
) -> dict:
    """The client-credentials grant: authenticate, narrow the scopes, issue a token."""
    client = await authenticate(client_id, client_secret)
    if client is None:
        raise OAuthError("invalid_client", "client authentication failed", status=401)
    requested = scope.split() if scope else list(client.scopes)
    if not set(requested) <= set(client.scopes):
        raise OAuthError("invalid_scope", "the client may not have these scopes")
    return issuer.issue(client, requested)
