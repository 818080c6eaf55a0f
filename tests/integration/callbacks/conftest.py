"""The callback tests run the portal with a calendar that is open every day."""

from __future__ import annotations

import pytest

from support.callbacks import EVERY_DAY


@pytest.fixture
def env(env: dict[str, str]) -> dict[str, str]:
    return {**env, "PORTAL_CALLBACK_FILE": str(EVERY_DAY)}
