"""A customer finds an answer in Chromium: search with a typo, read, vote."""

import re

import pytest
from playwright.sync_api import Page, expect

from support.browser import assert_accessible, faq_search_box

pytestmark = pytest.mark.e2e


def test_search_with_typo_open_article_and_vote(page: Page, live_server: str):
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wie können wir helfen?")
    page.get_by_role("combobox", name="Beschreibe deine Frage").fill("Rücksendeetiket verloren")
    page.get_by_role("button", name="Suchen").click()
    expect(page).to_have_url(re.compile(r"/faq/search\?q="))
    results = page.locator("ol.results")
    results.get_by_role("link", name=re.compile("Rücksendeetikett verloren")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rücksendeetikett")
    page.get_by_label("Kommentar (optional)").fill("Hat geholfen, danke")
    page.get_by_role("button", name="Ja, hilfreich").click()
    expect(page.get_by_role("status")).to_have_text(
        "Danke für deine Rückmeldung! Deine Antwort: hilfreich."
    )


def test_live_suggestions_are_a_keyboard_usable_combobox(page: Page, live_server: str):
    box = faq_search_box(page, live_server)
    box.press_sequentially("paket kaputt", delay=20)
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    expect(page.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/faq/de/transportschaden$"))


def test_no_answer_offers_a_way_on(page: Page, live_server: str):
    page.goto(live_server + "/faq/search?q=Öffnungszeiten+vom+Finanzamt")
    expect(page.get_by_role("heading", name=re.compile("Keine sichere Antwort"))).to_be_visible()


def test_works_without_javascript(browser, live_server: str):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.goto(live_server + "/")
    page.get_by_label("Describe your question").fill("free returns")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name=re.compile("free", re.I)).first).to_be_visible()
    context.close()


def test_language_switch(page: Page, live_server: str):
    page.goto(live_server + "/faq/search?q=versand")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search the FAQ")
    expect(page.locator("html")).to_have_attribute("lang", "en")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/faq",
        "/faq/search?q=rücksendung",
        "/faq/search?q=finanzamt",
        "/faq/de/ruecksendung-kostenlos",
        "/nope",
        "/track/",
    ],
)
def test_pages_have_no_accessibility_violations(page: Page, live_server: str, path: str):
    page.goto(live_server + path)
    assert_accessible(page)
