"""The report page `/reports`: sign-in, the figures as tables and charts, CSV, sign-out."""

from __future__ import annotations

import re
from html import unescape

import pytest

from support import report_data as data
from support.client import csrf_token, on_app
from support.reports import ADMIN_TOKEN, login_form, sign_in
from tracking.backoffice.oauth import create_client

NBSP = "\u00a0"


def cells(html: str, table_id: str) -> list[list[str]]:
    """The text of each row's cells of one table."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S).group(0)
    return [
        [
            unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]


@pytest.fixture
async def seeded(client):
    await on_app(client, data.seed)
    return client


async def test_a_wrong_token_is_refused_without_a_session(client):
    response = await sign_in(client, token="not-the-token-" + "x" * 30)
    assert response.status_code == 400
    assert "Sign-in failed" in response.text
    assert "portal_reports" not in response.cookies
    assert 'name="client_id"' in (await client.get("/reports")).text


async def test_the_admin_token_signs_in_with_a_strict_http_only_session(client):
    response = await sign_in(client, token=ADMIN_TOKEN)
    assert response.status_code == 200  # after the redirect
    assert response.history[0].status_code == 303
    cookie = response.history[0].headers["set-cookie"]
    assert "portal_reports=" in cookie
    assert (
        "HttpOnly" in cookie and "samesite=strict" in cookie.lower() and "Path=/reports" in cookie
    )
    assert "Sign out" in response.text


async def test_the_page_shows_the_hand_computed_figures(seeded):
    client = seeded
    await sign_in(client, token=ADMIN_TOKEN)
    response = await client.get(
        "/reports", params={"month": data.MONTH}, headers={"accept-language": "en"}
    )
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    rows = cells(response.text, "case-figures")
    assert rows[1][:6] == ["General question", "3", "2", f"50.0{NBSP}%", "2.50", f"50.0{NBSP}%"]
    assert rows[1][6:] == [f"33.3{NBSP}% (1/3)", f"33.3{NBSP}% (1/3)", "2 d 1 h", "2 d 12 h"]
    assert rows[-1] == [
        "Total",
        "5",
        "3",
        f"66.7{NBSP}%",
        "2.67",
        f"66.7{NBSP}%",
        f"50.0{NBSP}% (2/4)",
        f"50.0{NBSP}% (2/4)",
        "4 h 0 min",
        "2 d 0 h",
    ]
    assert ["Of these, no case was filed (deflected)", f"2 (50.0{NBSP}%)"] in cells(
        response.text, "deflection"
    )
    assert cells(response.text, "not-helpful")[1] == [
        "Ist die Rücksendung kostenlos?",
        "de",
        "3",
        "1",
    ]
    gaps = cells(response.text, "knowledge-gaps")
    assert gaps[1] == ["Finanzamt", "de", "4", "3", "1", "0", "0", "–"]
    assert gaps[2] == [
        "lieferung verspätet",
        "de",
        "3",
        "0",
        "1",
        "1",
        "1",
        "Welche Zahlungsarten bietet ihr an?",
    ]
    assert cells(response.text, "vote-comments")[1:] == [
        [
            "My parcel arrived damaged – what should I do?",
            "en",
            "Oct 20, 2026",
            "<script>alert(1)</script>\nSecond line",
        ],
        ["Ist die Rücksendung kostenlos?", "de", "Oct 14, 2026", data.FORMULA],
        ["Ist die Rücksendung kostenlos?", "de", "Oct 12, 2026", "Wo finde ich das Etikett?"],
    ]
    assert response.text.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 4


async def test_german_numbers_and_group_by_level(seeded):
    client = seeded
    await sign_in(client, token=ADMIN_TOKEN)
    params = {"month": data.MONTH, "group_by": "level"}
    response = await client.get("/reports", params=params, headers={"accept-language": "de"})
    rows = cells(response.text, "case-figures")
    assert rows[0][0] == "Supportstufe"
    assert rows[3][:4] == ["Level 3", "1", "0", "–"]
    assert rows[-1][3] == f"66,7{NBSP}%"


async def test_hostile_search_text_is_shown_inert(seeded):
    client = seeded
    await sign_in(client, token=ADMIN_TOKEN)
    response = await client.get("/reports", params={"month": data.MONTH})
    assert data.HOSTILE not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert ["<script>alert(1)</script>", "de", "2", "2", "0", "0", "0", "–"] in cells(
        response.text, "knowledge-gaps"
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;\nSecond line" in response.text  # a comment


async def test_a_bad_period_is_explained_beside_the_form(client):
    await sign_in(client, token=ADMIN_TOKEN)
    response = await client.get("/reports", params={"from": "2026-10-05", "to": "2026-10-01"})
    assert response.status_code == 400
    assert "The last day must not be before the first day." in response.text
    assert 'id="to" name="to" type="date" value="2026-10-01" aria-invalid="true"' in response.text


async def test_csv_downloads_need_the_session(seeded):
    client = seeded
    params = {"month": data.MONTH, "table": "knowledge_gaps"}
    assert (await client.get("/reports/faq.csv", params=params)).status_code == 401
    await sign_in(client, token=ADMIN_TOKEN)
    page = await client.get("/reports", params={"month": data.MONTH})
    assert "/reports/summary.csv?month=2026-10&amp;group_by=request_type" in page.text
    summary = await client.get("/reports/summary.csv", params={"month": data.MONTH})
    assert summary.headers["content-type"].startswith("text/csv")
    assert summary.text.splitlines()[-1].startswith("total,,5,3,2,66.7,2.67,")
    gaps = await client.get("/reports/faq.csv", params=params)
    assert "'=HYPERLINK" in gaps.text


async def test_a_csv_download_of_an_unknown_grouping_or_table_is_refused(client):
    await sign_in(client, token=ADMIN_TOKEN)
    for path, params in (("summary.csv", {"group_by": "colour"}), ("faq.csv", {"table": "x"})):
        response = await client.get(f"/reports/{path}", params=params)
        assert response.status_code == 400, path
        assert not response.headers["content-type"].startswith("text/csv")


async def test_sign_out_ends_the_session(client):
    page = await sign_in(client, token=ADMIN_TOKEN)
    response = await client.post("/reports/logout", data={"_csrf_token": csrf_token(page.text)})
    assert response.status_code == 200 and 'name="client_id"' in response.text
    assert (await client.get("/reports/summary.csv")).status_code == 401


async def test_sign_in_takes_a_fresh_session_id(client):
    client.cookies.set("portal_reports", "a" * 64, domain="testserver.local", path="/reports")
    response = await sign_in(client, token=ADMIN_TOKEN)
    cookie = response.history[0].headers["set-cookie"]
    assert "portal_reports=" + "a" * 64 not in cookie


async def test_a_back_office_client_with_the_reports_scope_signs_in(client):
    reporting, secret = await on_app(client, lambda: create_client("Controlling", ["reports:read"]))
    response = await sign_in(client, client_id=reporting.client_id, client_secret=secret)
    assert "Signed in as Controlling" in response.text


async def test_a_client_without_the_reports_scope_or_with_a_wrong_secret_is_refused(client):
    crm, secret = await on_app(client, lambda: create_client("CRM", ["cases:read"]))
    assert (await sign_in(client, client_id=crm.client_id, client_secret=secret)).status_code == 400
    reporting, _ = await on_app(client, lambda: create_client("Controlling", ["reports:read"]))
    wrong = await sign_in(client, client_id=reporting.client_id, client_secret="x" * 43)
    assert wrong.status_code == 400
    assert f'value="{reporting.client_id}"' in wrong.text


async def test_sign_in_needs_the_csrf_token(client):
    response = await client.post("/reports/login", data={"token": ADMIN_TOKEN})
    assert response.status_code == 403


async def test_repeated_failures_are_rate_limited(client):
    for _ in range(10):
        assert (await sign_in(client, token="wrong")).status_code == 400
    response = await sign_in(client, token=ADMIN_TOKEN)
    assert response.status_code == 429


class TestWithoutAdminToken:
    @pytest.fixture
    def env(self, env: dict[str, str]) -> dict[str, str]:
        return {key: value for key, value in env.items() if key != "PORTAL_ADMIN_TOKEN"}

    async def test_token_sign_in_is_disabled(self, client):
        page = await login_form(client)
        assert 'name="token"' not in page.text
        response = await sign_in(client, token=ADMIN_TOKEN)
        assert response.status_code == 400
