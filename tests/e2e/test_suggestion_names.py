"""A live suggestion is read as "title, Maybe, category", not as one run-together word."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from support.browser import faq_search_box

pytestmark = pytest.mark.e2e


def test_title_label_and_category_are_read_apart(page: Page, live_server: str):
    box = faq_search_box(page, live_server)
    box.press_sequentially("Fernseher zeigt Streifen", delay=10)
    first = page.get_by_role("option").first
    expect(first.locator(".maybe")).to_have_text("Vielleicht")
    suggest = page.locator("form[data-suggest]").first.get_attribute("data-suggest")
    [hit, *_] = page.request.get(
        f"{live_server}{suggest}?typeahead=true&limit=6&lang=de&q=Fernseher zeigt Streifen"
    ).json()["results"]
    parts = [hit["title"], "Vielleicht", hit["category"]]
    # Chromium pads the name around positioned and block parts; a pause needs the commas
    name = aria_name(first)
    assert [part.strip() for part in name.split(",")] == parts, name
    # without the style sheet (reader modes, text browsers) the parts stay apart too
    assert first.text_content() == ", ".join(parts)


def aria_name(option) -> str:
    """The name as the accessibility tree holds it (`- option "..."`)."""
    snapshot = option.aria_snapshot()
    return snapshot.split('"', 1)[1].rsplit('"', 1)[0]
