"""Every page a customer can reach has no axe-core violations (WCAG 2.1 A and AA), in German
and English, with and without form errors."""

import re

import pytest
from playwright.sync_api import Page, expect

from support.browser import violations

pytestmark = pytest.mark.e2e


def test_every_page_passes_axe(page: Page, live_server: str) -> None:
    found: list[str] = []

    def check(where: str) -> None:
        found.extend(violations(page, where))

    for lang_page in (
        "/",
        "/faq",
        "/faq/de/transportschaden",
        "/faq/search?q=paket+kaputt",
        "/faq/search?q=Finanzamt+Steuererkl%C3%A4rung",
        "/track/",
        "/nicht-da",
        "/reports",
    ):
        page.goto(live_server + lang_page)
        check(lang_page)

    page.goto(live_server + "/case/new")
    check("case step 1")
    page.get_by_role("button", name="Weiter").click()  # nothing chosen: errors
    expect(page.locator(".error-summary")).to_be_visible()
    check("case step 1 with errors")
    page.locator("input[name=type][value=question]").check()
    page.locator("#f-product").select_option("coffee_machines")
    page.get_by_role("button", name="Weiter").click()
    expect(page).to_have_url(re.compile(r"/case/new/2$"))
    check("case step 2")
    page.get_by_role("button", name="Weiter").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check("case step 2 with errors")
    page.locator("#f-description").fill("Wie oft muss ich meinen Kaffeevollautomaten entkalken?")
    page.get_by_role("button", name="Weiter").click()
    expect(page).to_have_url(re.compile(r"/case/new/3$"))
    check("case step 3")
    page.get_by_label("Dein Name").fill("Erika Mustermann")
    page.get_by_label("E-Mail-Adresse").fill("erika@example.com")
    page.locator("input[name=channel][value=email]").check()
    page.get_by_role("button", name="Weiter").click()
    expect(page).to_have_url(re.compile(r"/case/new/4$"))
    check("case review")
    page.get_by_role("button", name=re.compile("absenden", re.I)).click()
    expect(page).to_have_url(re.compile(r"/case/received/"))
    check("case received")
    page.get_by_role("link", name="Den Stand deiner Anfrage verfolgen").click()
    expect(page).to_have_url(re.compile(r"/track/"))
    check("status page")

    english = page.context.browser.new_context(locale="en-GB").new_page()
    for path in ("/", "/faq/en/transportschaden", "/case/new", "/track/"):
        english.goto(live_server + path)
        found.extend(violations(english, f"{path} (en)"))
    english.context.close()
    assert found == []
