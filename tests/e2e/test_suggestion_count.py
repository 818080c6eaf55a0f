"""The live suggestions announce their number in words a screen reader can say: one
suggestion is "Ein Vorschlag", not "1 Vorschläge"."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def test_one_suggestion_is_announced_in_the_singular(page: Page, live_server):
    page.goto(live_server + "/")
    page.locator("#faq-q").press_sequentially("ruecksendetiket verloren", delay=20)
    expect(page.locator("#faq-q-suggestions [role=option]")).to_have_count(1)
    expect(page.locator("#faq-q-status")).to_have_text("Ein Vorschlag, Auswahl mit den Pfeiltasten")
