"""What the status page browser tests share: a case filed through the API, opened by lookup,
and the back office acting on it through its real OAuth-protected API."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import urllib.request

from playwright.sync_api import Page, expect

from support.cases import API_CASE


def file_by_api(base: str, case: dict | None = None) -> str:
    """File a case through POST /api/v1/cases; returns its tracking ID."""
    request = urllib.request.Request(
        base + "/api/v1/cases",
        data=json.dumps(case or API_CASE).encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["tracking_id"]


def open_by_lookup(page: Page, base: str, tracking_id: str, email: str) -> None:
    """The customer's way without the mail: tracking ID and email on /track."""
    page.goto(base + "/track/")
    page.locator("#tracking_id").fill(tracking_id)
    page.locator("#email").fill(email)
    page.locator("form.lookup button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text(tracking_id)


def back_office_event(env: dict[str, str], base: str, tracking_id: str, event: dict) -> None:
    """A real OAuth client, made with the CLI on the served portal's database, posts an event."""
    created = subprocess.run(
        [sys.executable, "-m", "portal", "clients", "create", "e2e", "--scopes", "cases:write", "--json"],
        env={**os.environ, **env}, capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    client = json.loads(created.stdout)
    basic = base64.b64encode(f"{client['client_id']}:{client['client_secret']}".encode()).decode()
    token_request = urllib.request.Request(
        base + "/oauth/token", data=b"grant_type=client_credentials",
        headers={"authorization": f"Basic {basic}", "content-type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    with urllib.request.urlopen(token_request, timeout=10) as response:
        token = json.load(response)["access_token"]
    event_request = urllib.request.Request(
        f"{base}/api/v1/backoffice/cases/{tracking_id}/events",
        data=json.dumps(event).encode(),
        headers={"authorization": f"Bearer {token}", "content-type": "application/json"},
    )
    with urllib.request.urlopen(event_request, timeout=10) as response:
        assert response.status in (200, 201)
