"""OAuth2 client credentials: `POST /oauth/token` and the bearer guard (401 and 403)."""

from __future__ import annotations

import base64
import json

import pytest
from litestar import get
from litestar.datastructures import State
from litestar.testing import create_test_client

from portal.api_auth import require_scope
from portal.errors import handle_exception
from support.client import on_app
from tracking.backoffice.oauth import TokenIssuer, TokenVerifier, create_client


def _basic(client_id: str, secret: str) -> dict[str, str]:
    return {"authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


async def test_client_credentials_grant(client) -> None:
    api_client, secret = await on_app(
        client, lambda: create_client("ERP", ["cases:read", "cases:write"])
    )
    form = {"grant_type": "client_credentials", "scope": "cases:read"}
    ok = await client.post("/oauth/token", data=form, headers=_basic(api_client.client_id, secret))
    assert ok.status_code == 200, ok.text
    body = ok.json()
    assert body["token_type"] == "Bearer" and body["scope"] == "cases:read"
    assert ok.headers["cache-control"] == "no-store"
    header = json.loads(base64.urlsafe_b64decode(body["access_token"].split(".")[0] + "=="))
    assert header == {"typ": "at+jwt", "alg": "HS256"}

    wrong = await client.post(
        "/oauth/token", data=form, headers=_basic(api_client.client_id, "nope")
    )
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    too_much = await client.post(
        "/oauth/token",
        data={**form, "scope": "faq:write"},
        headers=_basic(api_client.client_id, secret),
    )
    assert too_much.status_code == 400 and too_much.json()["error"] == "invalid_scope"
    grant = await client.post("/oauth/token", data={"grant_type": "password"})
    assert grant.json()["error"] == "unsupported_grant_type"


@get("/api/v1/backoffice/ping", guards=[require_scope("cases:read")])
async def ping() -> dict:
    return {"ok": True}


class _Client:
    client_id = "cli_test"


@pytest.fixture
def api(settings):
    issuer = TokenIssuer.from_settings(settings)
    with create_test_client(
        [ping],
        state=State(
            {
                "token_issuer": issuer,
                "token_verifier": TokenVerifier(issuer),
                "default_language": "en",
            }
        ),
        exception_handlers={Exception: handle_exception},
    ) as test_client:
        yield test_client, issuer


def _call(test_client, token: str | None):
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return test_client.get("/api/v1/backoffice/ping", headers=headers)


def test_a_valid_token_with_the_scope_passes(api) -> None:
    test_client, issuer = api
    assert (
        _call(test_client, issuer.issue(_Client(), ["cases:read"])["access_token"]).status_code
        == 200
    )


@pytest.mark.parametrize(
    "kind", ["missing", "garbage", "wrong_audience", "expired", "alg_none", "other_key"]
)
def test_bad_tokens_get_401(api, settings, kind: str) -> None:
    test_client, issuer = api
    token = {
        "missing": lambda: None,
        "garbage": lambda: "not.a.jwt",
        "wrong_audience": lambda: TokenIssuer(issuer.key, issuer.issuer, "https://elsewhere").issue(
            _Client(), ["cases:read"]
        )["access_token"],
        "expired": lambda: TokenIssuer(
            issuer.key, issuer.issuer, issuer.audience, lifetime=-60
        ).issue(_Client(), ["cases:read"])["access_token"],
        "alg_none": lambda: _unsigned(issuer),
        "other_key": lambda: TokenIssuer.from_settings(
            type(settings)(
                **{
                    **{f: getattr(settings, f) for f in settings.__slots__},
                    "secret_key": "another-secret-key-" + "y" * 32,
                }
            )
        ).issue(_Client(), ["cases:read"])["access_token"],
    }[kind]()
    response = _call(test_client, token)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_a_token_without_the_scope_gets_403(api) -> None:
    test_client, issuer = api
    response = _call(test_client, issuer.issue(_Client(), ["faq:write"])["access_token"])
    assert response.status_code == 403


def _unsigned(issuer: TokenIssuer) -> str:
    valid = issuer.issue(_Client(), ["cases:read"])["access_token"]
    claims = valid.split(".")[1]
    header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"at+jwt"}').rstrip(b"=").decode()
    return f"{header}.{claims}."


async def test_wrong_secrets_are_throttled_per_address(client) -> None:
    api_client, secret = await on_app(client, lambda: create_client("ERP", ["cases:read"]))
    form = {"grant_type": "client_credentials"}
    wrong = _basic(api_client.client_id, "x" * 43)
    codes = [
        (await client.post("/oauth/token", data=form, headers=wrong)).status_code for _ in range(20)
    ]
    assert codes == [401] * 20
    right = _basic(api_client.client_id, secret)
    blocked = await client.post("/oauth/token", data=form, headers=right)
    assert blocked.status_code == 429  # even the right secret, from this address, for a while
    assert blocked.json()["error"] == "too_many_attempts" and blocked.headers["retry-after"]
