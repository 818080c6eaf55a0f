"""The service manager signs in to the report page in Chromium; it passes axe-core in German
and English, and the hostile search text stays text."""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from support.browser import violations
from support.cases import API_CASE

pytestmark = pytest.mark.e2e
TOKEN = "e2e-report-admin-token-" + "z" * 20
HOSTILE = "<img src=x onerror=alert(1)> Finanzamt Steuer"


@pytest.fixture
def env(env: dict[str, str]) -> dict[str, str]:
    return {**env, "PORTAL_ADMIN_TOKEN": TOKEN}


def seed(base: str) -> None:
    """A case through the API and a search without an answer, this month."""
    request = urllib.request.Request(
        f"{base}/api/v1/cases",
        data=json.dumps(API_CASE).encode(),
        headers={"content-type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201
    query = urllib.parse.urlencode({"q": HOSTILE, "lang": "de"})
    with urllib.request.urlopen(f"{base}/api/v1/faq/search?{query}", timeout=10) as response:
        assert all(hit["confidence"] == "low" for hit in json.load(response)["results"])


def test_report_page_signed_in(page: Page, live_server: str) -> None:
    seed(live_server)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(live_server + "/reports")
    found = violations(page, "report sign-in")
    page.get_by_label("Admin-Token", exact=True).fill(TOKEN)
    page.get_by_role("button", name="Anmelden").first.click()
    expect(page.get_by_role("heading", name="Berichte", exact=True)).to_be_visible()
    expect(page.locator("#case-figures tfoot")).to_contain_text("Gesamt")
    for _ in range(20):  # searches without result are written once a second
        if page.locator("#knowledge-gaps").count():
            break
        page.wait_for_timeout(250)
        page.reload()
    expect(page.locator("#knowledge-gaps")).to_contain_text(HOSTILE)
    found += violations(page, "report page (de)")
    page.get_by_label("Anfragen gruppieren nach").select_option("level")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page).to_have_url(re.compile(r"group_by=level"))
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()
    found += violations(page, "report page (en)")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("Client ID", exact=True)).to_be_visible()
    assert found == []
    assert dialogs == []
