"""Tokens of an external identity provider, checked against the keys it publishes (JWKS)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from litestar.testing import AsyncTestClient

from portal.app import create_app
from portal.settings import Settings

ISSUER = "https://idp.example/realms/service"
CASES = "/api/v1/backoffice/cases"


class JwksServer:
    """A real HTTP server on 127.0.0.1 serving whatever key set the test puts in."""

    def __init__(self) -> None:
        self.keys: list[RSAKey] = []
        self.hits = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                outer.hits += 1
                body = json.dumps(KeySet(outer.keys).as_dict(private=False)).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/jwks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def idp() -> Iterator[JwksServer]:
    server = JwksServer()
    server.keys.append(RSAKey.generate_key(2048, parameters={"kid": "k1"}))
    yield server
    server.server.shutdown()


def token(key, *, kid="k1", alg="RS256", **claims) -> str:
    now = int(time.time())
    body = {
        "iss": ISSUER,
        "aud": "portal-backoffice",
        "sub": "svc-erp",
        "azp": "erp",
        "iat": now,
        "exp": now + 300,
        "scope": "cases:read",
        **claims,
    }
    return jwt.encode({"alg": alg, "kid": kid, "typ": "at+jwt"}, body, key)


def _hs256_with(secret: bytes) -> str:
    """Hand-made, since joserfc itself refuses to use a public key as an HMAC secret."""
    import base64
    import hashlib
    import hmac

    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": "portal-backoffice",
        "sub": "x",
        "exp": now + 300,
        "scope": "cases:read",
    }
    signing_input = (
        b64(b'{"alg":"HS256","kid":"k1","typ":"at+jwt"}') + "." + b64(json.dumps(claims).encode())
    )
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64(signature)


async def test_external_tokens_are_checked_against_the_providers_keys(env, idp) -> None:
    settings = Settings.from_env(
        {
            **env,
            "PORTAL_OAUTH_ISSUER": ISSUER,
            "PORTAL_OAUTH_JWKS_URL": idp.url,
            "PORTAL_OAUTH_AUDIENCE": "portal-backoffice",
        }
    )
    async with AsyncTestClient(
        app=create_app(settings), base_url="http://testserver.local"
    ) as client:

        async def status(bearer: str) -> int:
            return (
                await client.get(CASES, headers={"authorization": f"Bearer {bearer}"})
            ).status_code

        key = idp.keys[0]
        assert await status(token(key)) == 200
        assert await status(token(key, scope="faq:write")) == 403
        assert await status(token(key, scp=["cases:read"], scope=None)) == 200
        assert await status(token(key, aud="someone-else")) == 401
        assert await status(token(key, iss="https://evil.example")) == 401
        assert await status(token(key, exp=int(time.time()) - 10)) == 401
        stranger = RSAKey.generate_key(2048, parameters={"kid": "k1"})
        assert await status(token(stranger)) == 401
        # the public key abused as an HMAC secret (algorithm confusion) is refused
        assert await status(_hs256_with(key.as_pem(private=False))) == 401

        # the provider rotates its keys: a token with the new key id works without a restart
        fresh = RSAKey.generate_key(2048, parameters={"kid": "k2"})
        idp.keys.append(fresh)
        hits = idp.hits
        assert await status(token(fresh, kid="k2")) == 200
        assert idp.hits == hits + 1


def test_issuer_needs_a_jwks_url(env) -> None:
    from portal.settings import SettingsError

    with pytest.raises(SettingsError, match="PORTAL_OAUTH_JWKS_URL"):
        Settings.from_env({**env, "PORTAL_OAUTH_ISSUER": ISSUER})
