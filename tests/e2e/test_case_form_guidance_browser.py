"""A first-time customer in Chromium, German and English, desktop and phone: the error summary
names each field and leads to it, Enter on step 2 means "Next", and a callback without a
phone number says why, with everything typed still there."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.e2e

TEXTS = {
    "de": {
        "next": "Weiter",
        "topic": "Thema: Bitte wähle eine der Möglichkeiten.",
        "product": "Produkt: Bitte wähle eine der Möglichkeiten.",
        "serial": "Seriennummer des Geräts: Das sieht nicht richtig aus. Erwartet: 8 bis 20 "
        "Buchstaben oder Ziffern (Bindestriche erlaubt), z. B. KV2000-88341.",
        "description": "Der Saugroboter findet seine Ladestation nicht mehr.",
        "phone_label": "Telefonnummer (für einen Rückruf nötig)",
        "phone": "Telefonnummer: Bitte gib eine Telefonnummer an, damit wir dich zurückrufen "
        "können.",
    },
    "en": {
        "next": "Next",
        "topic": "Topic: Please choose one of the options.",
        "product": "Product: Please choose one of the options.",
        "serial": "Device serial number: This does not look right. Expected: 8 to 20 letters "
        "or digits (dashes allowed), e.g. KV2000-88341.",
        "description": "The robot vacuum no longer finds its charging station.",
        "phone_label": "Phone number (required for a callback)",
        "phone": "Phone number: Please enter a phone number so that we can call you back.",
    },
}


def summary_links(page: Page):
    summary = page.locator("#form-errors")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    return summary.get_by_role("link")


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_errors_enter_and_callback(browser: Browser, live_server: str, lang: str, width: int):
    text = TEXTS[lang]
    context = browser.new_context(
        locale="de-DE" if lang == "de" else "en-GB", viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    try:
        page.goto(live_server + "/case/new")
        page.get_by_role("button", name=text["next"], exact=True).click()
        links = summary_links(page)
        expect(links).to_have_text([text["topic"], text["product"]])
        expect(links.first).to_have_attribute("href", "#f-type-delivery")
        links.nth(1).click()
        expect(page.locator("#f-product")).to_be_focused()

        page.locator("input[name=type][value=technical_problem]").check()
        page.locator("#f-product").select_option("vacuum_robots")
        page.get_by_role("button", name=text["next"], exact=True).click()
        expect(page).to_have_url(re.compile(r"/case/new/2$"))
        suggestions = page.locator(".case-suggestions").get_by_role("button")
        expect(suggestions.first).to_be_visible()
        assert not any(
            "Garantieverl" in t or "warranty" in t for t in suggestions.all_inner_texts()
        )

        page.locator("#f-description").fill(text["description"])
        serial = page.locator("#f-details-device_serial")
        serial.fill("x!")
        serial.press("Enter")  # the form's default button: "Next", not "Upload"
        links = summary_links(page)
        expect(links).to_have_text([text["serial"]])
        links.first.click()
        expect(serial).to_be_focused()
        expect(page.locator("#f-description")).to_have_value(text["description"])
        serial.fill("SR-7730045")
        serial.press("Enter")
        expect(page).to_have_url(re.compile(r"/case/new/3$"))

        page.locator("#f-name").fill("Erika Mustermann")
        page.locator("#f-email").fill("erika@example.com")
        page.locator("input[name=channel][value=phone]").check()
        expect(page.locator("label[for=f-phone]")).to_have_text(text["phone_label"])
        page.get_by_role("button", name=text["next"], exact=True).click()
        expect(page).to_have_url(re.compile(r"/case/new/3(#form-errors)?$"))
        links = summary_links(page)
        expect(links).to_have_text([text["phone"]])
        links.first.click()
        expect(page.locator("#f-phone")).to_be_focused()
        expect(page.locator("#f-name")).to_have_value("Erika Mustermann")
        expect(page.locator("#f-email")).to_have_value("erika@example.com")
        expect(page.locator("input[name=channel][value=phone]")).to_be_checked()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()


def test_enter_means_next_without_javascript(browser: Browser, live_server: str):
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    try:
        page.goto(live_server + "/case/new")
        page.locator("input[name=type][value=technical_problem]").check()
        page.locator("#f-product").select_option("vacuum_robots")
        page.get_by_role("button", name="Weiter", exact=True).click()
        page.locator("#f-description").fill(TEXTS["de"]["description"])
        page.locator("#f-details-device_serial").press("Enter")
        expect(page).to_have_url(re.compile(r"/case/new/3$"))
        expect(page.locator("label[for=f-phone]")).to_have_text(TEXTS["de"]["phone_label"])
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_typing_keeps_suggestions_on_the_chosen_topic(
    browser: Browser, live_server: str, width: int
):
    """Live suggestions while typing follow the page's rules: the description about a TV's
    stripes does not bring up coffee-machine descaling ("Teststreifen"), an unsure answer."""
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server}/case/new")
    page.get_by_label("Technisches Problem").check()
    page.select_option("select[name=product]", value="tv_video")
    page.get_by_role("button", name="Weiter", exact=True).click()
    suggestions = page.locator(".suggestion-list button")
    expect(suggestions.first).to_have_text("Wo finde ich die Bedienungsanleitung zu meinem Gerät?")
    with page.expect_response(lambda r: "/case/new/suggestions" in r.url):
        page.locator("#f-description").type("Mein Fernseher zeigt grüne Streifen im Bild.")
    expect(suggestions.first).to_have_text("Wo finde ich die Bedienungsanleitung zu meinem Gerät?")
    expect(page.get_by_text("Kaffeevollautomaten")).to_have_count(0)
    context.close()
