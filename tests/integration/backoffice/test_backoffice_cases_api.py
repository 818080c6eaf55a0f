"""The back-office case API: list, read and change cases with real OAuth2 tokens."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import get_args

import pytest

from portal.controllers.api_backoffice import StatusName
from support.backoffice import bearer, detail
from support.cases import API_CASE as RETURN
from support.cases import REPAIR_CASE as REPAIR
from support.cases import file_case
from support.client import on_app
from tracking import states
from tracking.backoffice.models import IdempotentRequest
from tracking.ids import new_tracking_id
from tracking.models import Case, CaseEvent, OutgoingMail

CASES = "/api/v1/backoffice/cases"


async def send(client, auth, tracking_id: str, event: dict, key: str | None = None):
    headers = {**auth, **({"idempotency-key": key} if key else {})}
    return await client.post(f"{CASES}/{tracking_id}/events", json=event, headers=headers)


async def counts(client, tracking_id: str) -> tuple[int, int]:
    """Timeline entries and queued mails of a case."""

    async def load():
        case = await Case.get(tracking_id=tracking_id)
        return (
            await CaseEvent.filter(case=case).count(),
            await OutgoingMail.filter(case=case).count(),
        )

    return await on_app(client, load)


# -- reading --------------------------------------------------------------------------------
async def test_detail_has_the_case_its_contact_and_timeline(client, auth) -> None:
    tracking_id = await file_case(client)
    body = await detail(client, auth, tracking_id)
    assert body["tracking_id"] == tracking_id and body["status"] == "received"
    assert body["type"] == "return_exchange" and body["department"] == "returns"
    assert body["contact"]["email"] == "max@example.com"
    assert body["status_url"].endswith(f"/track/{tracking_id}")
    assert [entry["kind"] for entry in body["timeline"]] == ["received"]


async def test_detail_accepts_a_tracking_id_as_typed(client, auth) -> None:
    tracking_id = await file_case(client)
    typed = tracking_id.replace("-", "").lower()
    assert (await detail(client, auth, typed))["tracking_id"] == tracking_id


@pytest.mark.parametrize("tracking_id", ["nope", "x" * 40])
async def test_unknown_case_is_404_problem(client, auth, tracking_id) -> None:
    for tid in (tracking_id, new_tracking_id()):
        response = await client.get(f"{CASES}/{tid}", headers=auth)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/problem+json")
        event = await send(client, auth, tid, {"kind": "reply", "text": "Hallo"})
        assert event.status_code == 404


async def test_list_filters_by_type_and_status(client, auth) -> None:
    repair = await file_case(client, REPAIR)
    ret = await file_case(client, RETURN)
    assert (
        await send(client, auth, ret, {"kind": "set_status", "status": "in_progress"})
    ).status_code == 200

    async def ids(**params) -> list[str]:
        response = await client.get(CASES, params=params, headers=auth)
        assert response.status_code == 200, response.text
        return [item["tracking_id"] for item in response.json()["items"]]

    assert await ids() == [repair, ret]
    assert await ids(type="repair_warranty") == [repair]
    assert await ids(status="in_progress") == [ret]
    assert await ids(status="received", type="return_exchange") == []


async def test_list_since_returns_only_cases_changed_after(client, auth) -> None:
    first = await file_case(client)
    second = await file_case(client)
    since = datetime.now(UTC)
    await send(client, auth, first, {"kind": "reply", "text": "Wir kümmern uns."})
    response = await client.get(CASES, params={"updated_since": since.isoformat()}, headers=auth)
    assert [item["tracking_id"] for item in response.json()["items"]] == [first]
    assert second != first


async def test_cursor_pagination_visits_every_case_once(client, auth) -> None:
    filed = [await file_case(client) for _ in range(5)]
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get(CASES, params=params, headers=auth)).json()
        seen += [item["tracking_id"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == filed and pages == 3


async def test_a_changed_case_moves_to_the_end_of_the_list(client, auth) -> None:
    first, second = await file_case(client), await file_case(client)
    page = (await client.get(CASES, params={"limit": 1}, headers=auth)).json()
    await send(client, auth, first, {"kind": "first_response"})
    rest = (await client.get(CASES, params={"cursor": page["next_cursor"]}, headers=auth)).json()
    assert [item["tracking_id"] for item in rest["items"]] == [second, first]


async def test_an_unknown_status_filter_is_refused(client, auth) -> None:
    assert set(get_args(StatusName)) == set(states.STATUSES)
    response = await client.get(CASES, params={"status": "vanished"}, headers=auth)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_forged_cursor_is_400(client, auth) -> None:
    response = await client.get(CASES, params={"cursor": "not-a-cursor"}, headers=auth)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")


# -- changing -------------------------------------------------------------------------------
EVENTS = [
    (
        {"kind": "set_status", "status": "waiting_for_customer"},
        "status_changed",
        {"status": "waiting_for_customer"},
        1,  # the customer is asked for information by mail
    ),
    (
        {"kind": "set_routing", "level": 2, "department": "repairs"},
        "routing_changed",
        {"level": 2, "department": "repairs"},
        0,
    ),
    (
        {"kind": "set_routing", "level": 3},
        "routing_changed",
        {"level": 3, "department": "returns"},
        0,
    ),
    (
        {"kind": "reply", "text": "Das Ersatzteil ist unterwegs."},
        "reply",
        {"status": "in_progress"},  # a public answer: the new case is being worked on
        1,
    ),
    ({"kind": "first_response"}, "first_response", {"status": "in_progress"}, 0),
    ({"kind": "resolve", "text": "Erledigt."}, "resolved", {"status": "resolved"}, 1),
    ({"kind": "set_status", "status": "resolved"}, "resolved", {"status": "resolved"}, 1),
]


@pytest.mark.parametrize(
    ("event", "kind", "expected", "mails"),
    EVENTS,
    ids=[e[1] + str(i) for i, e in enumerate(EVENTS)],
)
async def test_each_event_changes_the_case_and_adds_to_the_timeline(
    client, auth, event, kind, expected, mails
) -> None:
    tracking_id = await file_case(client)
    before = await detail(client, auth, tracking_id)
    response = await send(client, auth, tracking_id, event)
    assert response.status_code == 200, response.text
    assert response.json()["event"]["kind"] == kind
    after = await detail(client, auth, tracking_id)
    assert {name: after[name] for name in expected} == expected
    assert [e["kind"] for e in after["timeline"]] == ["received", kind]
    assert after["updated_at"] > before["updated_at"]
    assert await counts(client, tracking_id) == (2, 1 + mails)  # 1: the confirmation


async def test_a_reply_is_emailed_to_the_customer_in_their_language(client, auth) -> None:
    tracking_id = await file_case(client, REPAIR)
    await send(client, auth, tracking_id, {"kind": "reply", "text": "A new part is on its way."})
    mail = await on_app(
        client, lambda: OutgoingMail.get(case__tracking_id=tracking_id, kind="reply")
    )
    assert mail.recipient == "erika@example.com"
    assert tracking_id in mail.subject and mail.subject.startswith("New reply")
    assert "A new part is on its way." in mail.body and f"/track/{tracking_id}" in mail.body


ILLEGAL = [
    ([{"kind": "resolve"}], {"kind": "set_status", "status": "in_progress"}),
    ([{"kind": "resolve"}], {"kind": "resolve"}),
    ([{"kind": "set_status", "status": "closed"}], {"kind": "reply", "text": "Hallo"}),
    ([{"kind": "first_response"}], {"kind": "first_response"}),
    ([], {"kind": "set_status", "status": "received"}),
]


@pytest.mark.parametrize(
    ("setup", "event"), ILLEGAL, ids=[e["kind"] + str(i) for i, (_, e) in enumerate(ILLEGAL)]
)
async def test_an_illegal_transition_is_409_and_changes_nothing(client, auth, setup, event) -> None:
    tracking_id = await file_case(client)
    for earlier in setup:
        assert (await send(client, auth, tracking_id, earlier)).status_code == 200
    before, before_counts = (
        await detail(client, auth, tracking_id),
        await counts(client, tracking_id),
    )
    response = await send(client, auth, tracking_id, event)
    assert response.status_code == 409, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 409 and response.json()["detail"]
    assert await detail(client, auth, tracking_id) == before
    assert await counts(client, tracking_id) == before_counts


BAD_BODIES = [
    {"kind": "teleport"},
    {"kind": "reply"},
    {"kind": "reply", "text": ""},
    {"kind": "reply", "text": "Hallo", "internal": True},
    {"kind": "set_routing", "level": 7},
    {"kind": "set_routing"},
    {"kind": "set_routing", "department": "moon_base"},
    {"kind": "set_status", "status": "vanished"},
    {"status": "resolved"},
]


@pytest.mark.parametrize("body", BAD_BODIES, ids=[str(i) for i in range(len(BAD_BODIES))])
async def test_a_bad_body_is_422_problem_and_changes_nothing(client, auth, body) -> None:
    tracking_id = await file_case(client)
    before = await detail(client, auth, tracking_id)
    response = await send(client, auth, tracking_id, body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert await detail(client, auth, tracking_id) == before


# -- idempotency ----------------------------------------------------------------------------
async def test_a_retried_event_returns_the_first_answer_and_writes_once(client, auth) -> None:
    tracking_id = await file_case(client)
    reply = {"kind": "reply", "text": "Wir melden uns morgen."}
    first = await send(client, auth, tracking_id, reply, key="retry-1")
    again = await send(client, auth, tracking_id, reply, key="retry-1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again.headers.get("idempotent-replayed") == "true"
    assert await counts(client, tracking_id) == (2, 2)
    assert await on_app(client, lambda: IdempotentRequest.all().count()) == 1


async def test_a_retried_resolve_after_a_later_change_still_answers_as_first_time(
    client, auth
) -> None:
    tracking_id = await file_case(client)
    first = await send(client, auth, tracking_id, {"kind": "resolve"}, key="r-1")
    await send(client, auth, tracking_id, {"kind": "set_status", "status": "closed"})
    again = await send(client, auth, tracking_id, {"kind": "resolve"}, key="r-1")
    assert again.status_code == 200 and again.json() == first.json()
    assert (await detail(client, auth, tracking_id))["status"] == "closed"


async def test_a_reused_key_with_another_body_is_422(client, auth) -> None:
    tracking_id = await file_case(client)
    await send(client, auth, tracking_id, {"kind": "reply", "text": "Eins"}, key="k")
    other = await send(client, auth, tracking_id, {"kind": "reply", "text": "Zwei"}, key="k")
    assert other.status_code == 422
    assert await counts(client, tracking_id) == (2, 2)


async def test_keys_belong_to_one_client(client, auth) -> None:
    tracking_id = await file_case(client)
    reply = {"kind": "reply", "text": "Hallo"}
    other = await bearer(client, "cases:read", "cases:write")
    assert (await send(client, auth, tracking_id, reply, key="same")).status_code == 200
    second = await send(client, other, tracking_id, reply, key="same")
    assert second.status_code == 200 and "idempotent-replayed" not in second.headers
    assert await counts(client, tracking_id) == (3, 3)


# -- access ---------------------------------------------------------------------------------
async def test_without_a_token_everything_is_401(client) -> None:
    tracking_id = await file_case(client)
    for response in (
        await client.get(CASES),
        await client.get(f"{CASES}/{tracking_id}"),
        await client.post(f"{CASES}/{tracking_id}/events", json={"kind": "resolve"}),
    ):
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert await counts(client, tracking_id) == (1, 1)


async def test_a_token_without_the_scope_is_403_and_changes_nothing(client) -> None:
    tracking_id = await file_case(client)
    read_only = await bearer(client, "cases:read")
    faq_only = await bearer(client, "faq:write")
    assert (await client.get(CASES, headers=read_only)).status_code == 200
    assert (await client.get(CASES, headers=faq_only)).status_code == 403
    assert (await client.get(f"{CASES}/{tracking_id}", headers=faq_only)).status_code == 403
    denied = await send(client, read_only, tracking_id, {"kind": "resolve"})
    assert denied.status_code == 403
    assert await counts(client, tracking_id) == (1, 1)


# -- documentation --------------------------------------------------------------------------
async def test_the_openapi_examples_are_valid_events(client, auth) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    operation = schema["paths"]["/api/v1/backoffice/cases/{tracking_id}/events"]["post"]
    assert {"401", "403", "404", "409", "422"} <= set(operation["responses"])
    examples = operation["requestBody"]["content"]["application/json"]["schema"]["examples"]
    assert {example["kind"] for example in examples} == {
        "set_status",
        "set_routing",
        "reply",
        "first_response",
        "resolve",
    }
    tracking_id = await file_case(client, REPAIR)
    for example in examples:
        response = await send(client, auth, tracking_id, example)
        assert response.status_code == 200, (example, response.text)
    assert "/api/v1/backoffice/cases" in schema["paths"]
