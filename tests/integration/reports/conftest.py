"""The report tests run the portal with an admin token for the report page."""

from __future__ import annotations

import pytest

from support.reports import ADMIN_TOKEN


@pytest.fixture
def env(env: dict[str, str]) -> dict[str, str]:
    return {**env, "PORTAL_ADMIN_TOKEN": ADMIN_TOKEN}


@pytest.fixture
def client(client):
    """English pages unless a test asks for German."""
    client.headers["accept-language"] = "en"
    return client
