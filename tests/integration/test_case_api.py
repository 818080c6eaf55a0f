"""JSON intake: 201 with the tracking ID, 422 naming each invalid field, hostile input."""

import json

import pytest

from support.cases import API_CASE as GOOD
from support.cases import details
from support.client import on_app
from tracking.models import Case, CaseEvent, OutgoingMail


async def test_new_case_answers_201_with_tracking_id_and_status_url(client):
    response = await client.post("/api/v1/cases", json=GOOD)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "received"
    assert body["status_url"] == f"http://testserver.local/track/{body['tracking_id']}"
    assert response.headers["location"] == body["status_url"]
    assert (body["level"], body["department"], body["priority"]) == (1, "returns", "normal")

    async def load():
        case = await Case.get(tracking_id=body["tracking_id"])
        return (
            case,
            await CaseEvent.filter(case=case).count(),
            await OutgoingMail.filter(case=case).count(),
        )

    case, events, mails = await on_app(client, load)
    assert case.details == {"order_number": "LH-20261234", "return_reason": "changed_mind"}
    assert case.source == "api"
    assert (events, mails) == (1, 1)


async def test_openapi_example_is_itself_a_valid_case(client):
    schema = (await client.get("/schema/openapi.json")).json()
    operation = schema["paths"]["/api/v1/cases"]["post"]
    example = operation["requestBody"]["content"]["application/json"]["schema"]["examples"][0]
    assert "422" in operation["responses"]
    assert (await client.post("/api/v1/cases", json=example)).status_code == 201


BAD = [
    ({"type": None}, "type", "invalid_format"),
    ({"type": "wish"}, "type", "invalid_choice"),
    ({"product": "spaceship"}, "product", "invalid_choice"),
    ({"description": ""}, "description", "required"),
    ({"description": "x" * 1_000_000}, "description", "too_long"),
    ({"email": "max(at)example.com"}, "email", "invalid_email"),
    ({"channel": "phone", "phone": "0000"}, "phone", "invalid_phone"),
    ({"channel": "phone"}, "phone", "required"),
    ({"channel": "letter", "street": "Hauptstr. 1", "city": "Berlin"}, "postcode", "required"),
    ({"channel": "pigeon"}, "channel", "invalid_choice"),
    ({"customer_type": "b2b", "customer_number": "K1234567"}, "company", "required"),
    ({"urgency": "yesterday"}, "urgency", "invalid_choice"),
    (details(GOOD, order_number="12345"), "details.order_number", "invalid_format"),
    (details(GOOD, return_reason="boredom"), "details.return_reason", "invalid_choice"),
    ({"details": {"order_number": "LH-20261234"}}, "details.return_reason", "required"),
    (details(GOOD, shoe_size="44"), "details.shoe_size", "not_allowed"),
    ({"name": "n" * 101}, "name", "too_long"),
    ({"admin": True}, "admin", "not_allowed"),
]


@pytest.mark.parametrize(("change", "field", "code"), BAD, ids=[f"{f}-{c}" for _, f, c in BAD])
async def test_invalid_input_is_422_naming_the_field(client, change, field, code):
    response = await client.post("/api/v1/cases", json={**GOOD, **change})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    errors = {e["name"]: e["code"] for e in response.json()["errors"]}
    assert errors.get(field) == code, response.json()
    assert await on_app(client, lambda: Case.all().count()) == 0


async def test_missing_field_is_named(client):
    body = {k: v for k, v in GOOD.items() if k != "email"}
    response = await client.post("/api/v1/cases", json=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["name"] == "email"


async def test_errors_are_worded_in_the_requested_language(client):
    response = await client.post(
        "/api/v1/cases", json={**GOOD, "email": "x"}, headers={"accept-language": "en"}
    )
    assert response.json()["errors"][0]["reason"].startswith("Please enter a valid email address")


async def test_a_callback_without_phone_number_says_why_it_is_needed(client):
    response = await client.post(
        "/api/v1/cases", json={**GOOD, "channel": "phone"}, headers={"accept-language": "en"}
    )
    assert response.json()["errors"] == [
        {
            "name": "phone",
            "code": "required",
            "reason": "Please enter a phone number so that we can call you back.",
        }
    ]


async def test_broken_json_is_a_clear_400(client):
    response = await client.post(
        "/api/v1/cases", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_script_tags_and_control_characters(client):
    response = await client.post(
        "/api/v1/cases",
        json={
            **GOOD,
            "name": "Max\x00 \u202eMuster\x1b",
            "description": "<script>alert(1)</script>\x00 bitte\x07 zurücknehmen",
        },
    )
    assert response.status_code == 201
    case = await on_app(client, lambda: Case.get(tracking_id=response.json()["tracking_id"]))
    assert case.name == "Max Muster"
    assert (
        case.description == "<script>alert(1)</script> bitte zurücknehmen"
    )  # stored as text, escaped on output


async def test_same_idempotency_key_gives_the_same_case(client):
    headers = {"Idempotency-Key": "chat-4711"}
    first = await client.post("/api/v1/cases", json=GOOD, headers=headers)
    second = await client.post("/api/v1/cases", json=GOOD, headers=headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["tracking_id"] == second.json()["tracking_id"]
    other = await client.post(
        "/api/v1/cases", json={**GOOD, "email": "someone@example.com"}, headers=headers
    )
    assert other.json()["tracking_id"] != first.json()["tracking_id"], (
        "a key never reveals another customer's case"
    )
    assert await on_app(client, lambda: Case.all().count()) == 2


async def test_a_thousand_requests_from_one_client_get_429_not_500(env):
    from litestar.testing import AsyncTestClient

    from portal.app import create_app
    from portal.settings import Settings

    settings = Settings.from_env({**env, "PORTAL_CASE_RATE_LIMIT": "5"})
    async with AsyncTestClient(
        app=create_app(settings), base_url="http://testserver.local"
    ) as client:
        statuses = [
            (await client.post("/api/v1/cases", json=GOOD)).status_code for _ in range(1000)
        ]
        assert statuses[:5] == [201] * 5
        assert set(statuses[5:]) == {429}
        assert await on_app(client, lambda: Case.all().count()) == 5


async def test_a_body_not_sent_as_json_is_refused(client):
    """A web page can POST text/plain or a form from its visitors' browsers without asking."""
    body = json.dumps(GOOD).encode()
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        response = await client.post(
            "/api/v1/cases", content=body, headers={"content-type": content_type}
        )
        assert response.status_code == 415, content_type
        assert response.headers["content-type"].startswith("application/problem+json")
    sent = await client.post(
        "/api/v1/cases", content=body, headers={"content-type": "application/json; charset=utf-8"}
    )
    assert sent.status_code == 201
