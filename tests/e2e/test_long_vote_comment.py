"""In Chromium on a phone: a vote comment over its limit is refused where the customer is,
naming its length, with the whole comment still in the box; the counter warned before."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.e2e
PHONE = {"locale": "de-DE", "viewport": {"width": 390, "height": 844}}


def test_a_long_comment_is_refused_in_view_and_kept(browser: Browser, live_server):
    page = browser.new_context(**PHONE).new_page()
    page.goto(live_server + "/faq/de/kaffeevollautomat-entkalken")
    comment = "Die Anleitung passt nicht zu meinem Modell. " * 50
    page.locator("#f-comment").fill(comment)
    expect(page.locator("#f-comment-count")).to_contain_text("Bitte um 199 kürzen")
    page.get_by_role("button", name="Nein, nicht hilfreich").click()
    error = page.locator("#f-comment-error")
    expect(error).to_contain_text(f"Dieser Text hat {len(comment.strip())} Zeichen, 2000 passen")
    expect(error).to_be_in_viewport()
    assert page.locator("#f-comment").input_value() == comment
    page.context.close()
