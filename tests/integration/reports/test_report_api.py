"""`GET /api/v1/backoffice/reports/...`: the hand-computed figures as JSON and CSV."""

from __future__ import annotations

import csv
import io

import pytest

from support import report_data as data
from support.backoffice import bearer
from support.client import on_app

SUMMARY = "/api/v1/backoffice/reports/summary"
FAQ = "/api/v1/backoffice/reports/faq"


@pytest.fixture
async def auth(client) -> dict[str, str]:
    await on_app(client, data.seed)
    return await bearer(client, "reports:read")


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def as_csv(row: dict, column: str, kind: str) -> dict[str, str]:
    """A row of the expected figures as its CSV line reads (None is an empty cell)."""
    cells = {key: "" if value is None else str(value) for key, value in row.items()}
    return {"row": kind, column: cells.pop("group"), **cells}


async def test_summary_by_request_type(client, auth):
    response = await client.get(SUMMARY, params={"month": data.MONTH}, headers=auth)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "private, no-store"
    body = response.json()
    assert body["period"] == {
        "first": "2026-10-01",
        "last": "2026-10-31",
        "timezone": "Europe/Berlin",
        "month": "2026-10",
    }
    assert body["group_by"] == "request_type"
    assert body["groups"] == [data.QUESTION, data.REPAIR]
    assert body["total"] == data.TOTAL


async def test_summary_by_level_keeps_an_empty_group_empty(client, auth):
    response = await client.get(
        SUMMARY, params={"month": data.MONTH, "group_by": "level"}, headers=auth
    )
    assert response.json()["groups"] == data.BY_LEVEL
    assert response.json()["total"] == data.TOTAL


async def test_summary_as_csv_by_accept_header(client, auth):
    response = await client.get(
        SUMMARY, params={"month": data.MONTH}, headers={**auth, "accept": "text/csv"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="report-request_type-2026-10.csv"' in response.headers["content-disposition"]
    assert csv_rows(response.text) == [
        as_csv(data.QUESTION, "request_type", "group"),
        as_csv(data.REPAIR, "request_type", "group"),
        as_csv(data.TOTAL, "request_type", "total"),
    ]


async def test_summary_as_csv_by_format_parameter(client, auth):
    response = await client.get(
        SUMMARY, params={"month": data.MONTH, "group_by": "level", "format": "csv"}, headers=auth
    )
    rows = csv_rows(response.text)
    assert rows[-1] == as_csv(data.TOTAL, "level", "total")
    assert rows[2]["level"] == "3" and rows[2]["csat_percent"] == ""


async def test_a_range_of_days_counts_only_its_cases(client, auth):
    # 1 to 15 October: A (00:30 on 1 October in Berlin), B and D
    params = {"from": "2026-10-01", "to": "2026-10-15"}
    response = await client.get(SUMMARY, params=params, headers=auth)
    body = response.json()
    assert body["period"]["month"] is None
    assert body["total"]["cases"] == 3
    assert body["total"]["ratings"] == 3


async def test_faq_report(client, auth):
    response = await client.get(FAQ, params={"month": data.MONTH}, headers=auth)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["deflection"] == data.DEFLECTION
    assert body["not_helpful"] == data.NOT_HELPFUL
    assert body["comments"] == data.COMMENTS
    assert body["knowledge_gaps"] == data.KNOWLEDGE_GAPS


async def test_faq_limit(client, auth):
    response = await client.get(FAQ, params={"month": data.MONTH, "limit": 1}, headers=auth)
    assert response.json()["not_helpful"] == data.NOT_HELPFUL[:1]
    assert response.json()["knowledge_gaps"] == data.KNOWLEDGE_GAPS[:1]


async def test_faq_csv_tables_and_formula_text_is_defused(client, auth):
    headers = {**auth, "accept": "text/csv"}
    gaps = await client.get(FAQ, params={"month": data.MONTH}, headers=headers)
    assert [(g["query"], g["searches"], g["not_opened"]) for g in csv_rows(gaps.text)] == [
        ("Finanzamt", "4", "1"),
        ("lieferung verspätet", "3", "1"),
        (data.HOSTILE, "2", "0"),
        ("'" + data.FORMULA, "1", "0"),
        ("delivery late", "1", "0"),
        ("garantieverlängerung", "1", "0"),
    ]
    assert csv_rows(gaps.text)[1] == {
        key: str(value) for key, value in data.KNOWLEDGE_GAPS[1].items()
    }
    params = {"month": data.MONTH, "table": "comments"}
    comments = csv_rows((await client.get(FAQ, params=params, headers=headers)).text)
    assert [(c["slug"], c["comment"], c["updated_at"]) for c in comments] == [
        ("transportschaden", data.HOSTILE + "\nSecond line", "2026-10-20T08:00:00+00:00"),
        ("ruecksendung-kostenlos", "'" + data.FORMULA, "2026-10-14T09:00:00+00:00"),
        ("ruecksendung-kostenlos", "Wo finde ich das Etikett?", "2026-10-12T10:00:00+00:00"),
    ]
    params = {"month": data.MONTH, "table": "deflection"}
    deflection = await client.get(FAQ, params=params, headers=headers)
    assert csv_rows(deflection.text) == [
        {key: str(value) for key, value in data.DEFLECTION.items()}
    ]
    params = {"month": data.MONTH, "table": "not_helpful", "format": "csv"}
    articles = csv_rows((await client.get(FAQ, params=params, headers=auth)).text)
    assert [(a["slug"], a["not_helpful"], a["helpful"]) for a in articles] == [
        ("ruecksendung-kostenlos", "3", "1"),
        ("artikel-gibt-es-nicht", "2", "0"),
        ("transportschaden", "1", "2"),
    ]


async def test_an_empty_month_has_no_groups_and_empty_figures(client, auth):
    response = await client.get(SUMMARY, params={"month": "2026-08"}, headers=auth)
    body = response.json()
    assert body["groups"] == []
    assert body["total"] == data.row(
        "", 0, 0, 0, None, None, 0, None, 0, 0, None, 0, 0, None, None, None
    )
    faq = (await client.get(FAQ, params={"month": "2026-08"}, headers=auth)).json()
    assert faq["deflection"]["deflected_percent"] is None
    assert faq["not_helpful"] == [] and faq["knowledge_gaps"] == [] and faq["comments"] == []


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"month": "2026-13"}, "month"),
        ({"month": "Oktober"}, "month"),
        ({"month": "2026-10", "from": "2026-10-01", "to": "2026-10-02"}, "month"),
        ({"from": "2026-10-01"}, "to"),
        ({"from": "2026-10-05", "to": "2026-10-01"}, "to"),
        ({"from": "2026-10-01", "to": "2028-10-01"}, "to"),
        ({"from": "1.10.2026", "to": "2026-10-31"}, "from"),
    ],
)
async def test_a_bad_period_is_a_problem(client, auth, params, name):
    response = await client.get(SUMMARY, params=params, headers=auth)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["name"] == name


@pytest.mark.parametrize(
    ("path", "params"),
    [
        (SUMMARY, {"group_by": "department"}),
        (SUMMARY, {"format": "xml"}),
        (FAQ, {"table": "everything", "format": "csv"}),
        (FAQ, {"limit": "0"}),
    ],
)
async def test_other_bad_parameters_are_problems(client, auth, path, params):
    response = await client.get(path, params=params, headers=auth)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("path", [SUMMARY, FAQ])
async def test_a_token_is_required(client, path):
    response = await client.get(path)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("path", [SUMMARY, FAQ])
async def test_the_token_needs_the_reports_scope(client, path):
    headers = await bearer(client, "cases:read", "cases:write")
    response = await client.get(path, headers=headers)
    assert response.status_code == 403
    assert 'scope="reports:read"' in response.headers["www-authenticate"]


async def test_reports_are_in_the_openapi_document_with_csv(client):
    schema = (await client.get("/schema/openapi.json")).json()
    for path in (SUMMARY, FAQ):
        operation = schema["paths"][path]["get"]
        assert {"application/json", "text/csv"} <= set(operation["responses"]["200"]["content"])
        assert "application/problem+json" in operation["responses"]["401"]["content"]
        assert {p["name"] for p in operation["parameters"]} >= {"month", "from", "to", "format"}


async def test_csv_names_its_charset_once(client, auth):
    response = await client.get(SUMMARY, params={"month": "2026-11", "format": "csv"}, headers=auth)
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
