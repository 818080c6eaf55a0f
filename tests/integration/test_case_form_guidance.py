"""The case form guides a first-time customer: errors name their field and link to it, Enter
means "Next", the contact fields say once when they are needed, and nothing typed is lost."""

import re
from html import unescape

from faq.importer import parse_directory
from support.case_form import (
    PNG,
    STEP1,
    STEP2,
    STEP3,
    field_errors,
    fill,
    post_step,
    start,
    submit,
    tracking_id,
)
from support.client import on_app
from tracking.classification import load_classification
from tracking.models import Case


def summary(html: str) -> list[tuple[str, str]]:
    """(link target, text) of each entry of the error summary."""
    box = re.search(r'<div class="error-summary"[^>]*role="alert".*?</div>', html, re.S)
    assert box, "no error summary"
    return [
        (href, unescape(text))
        for href, text in re.findall(r'<li><a href="#([\w-]+)">([^<]*)</a></li>', box.group(0))
    ]


async def test_summary_names_each_field_and_links_to_it(client):
    _, token = await start(client)
    response = await post_step(client, 1, token, {"customer_type": "b2c"})
    entries = summary(response.text)
    assert entries == [
        ("f-type-delivery", "Thema: Bitte wähle eine der Möglichkeiten."),
        ("f-product", "Produkt: Bitte wähle eine der Möglichkeiten."),
    ]
    for target, _ in entries:
        assert f'id="{target}"' in response.text
    assert field_errors(response.text)["product"] == "Bitte wähle eine der Möglichkeiten."


async def test_summary_follows_the_page_order_and_repeats_the_serial_format(client):
    _, token = await start(client)
    await post_step(client, 1, token, STEP1)
    response = await post_step(
        client,
        2,
        token,
        {"details.device_serial": "x!", "details.purchase_date": "", "description": "kurz"},
    )
    expected_format = (
        "Das sieht nicht richtig aus. Erwartet: 8 bis 20 Buchstaben oder Ziffern "
        "(Bindestriche erlaubt), z. B. KV2000-88341."
    )
    assert summary(response.text) == [
        ("f-details-device_serial", f"Seriennummer des Geräts: {expected_format}"),
        ("f-details-purchase_date", "Kaufdatum: Bitte fülle dieses Feld aus."),
        ("f-description", "Beschreibung: Bitte schreibe mindestens 10 Zeichen."),
    ]
    assert field_errors(response.text)["details-device_serial"] == expected_format
    assert 'value="x!"' in response.text and ">kurz</textarea>" in response.text


async def test_summary_in_english(client):
    client.cookies.set("portal_lang", "en")
    _, token = await start(client)
    await post_step(client, 1, token, STEP1)
    response = await post_step(client, 2, token, {**STEP2, "details.device_serial": "x"})
    assert summary(response.text) == [
        (
            "f-details-device_serial",
            "Device serial number: This does not look right. Expected: 8 to 20 letters or "
            "digits (dashes allowed), e.g. KV2000-88341.",
        )
    ]


async def test_enter_on_step_two_presses_next(client):
    """A browser's Enter presses the form's first submit button: it must be "Next"."""
    _, token = await start(client)
    await post_step(client, 1, token, STEP1)
    page = (await client.get("/case/new/2")).text
    form = re.search(r'<form method="post" action="/case/new/2".*?</form>', page, re.S).group(0)
    first = re.search(r"<button[^>]*>", form).group(0)
    assert 'type="submit"' in first and 'name="action" value="next"' in first
    assert 'tabindex="-1"' in first and 'aria-hidden="true"' in first
    assert form.index('value="next"') < form.index('value="upload"')


async def test_a_refused_upload_keeps_the_text_and_the_files_already_attached(client):
    _, token = await start(client)
    await post_step(client, 1, token, STEP1)
    await post_step(client, 2, token, STEP2, files=[("Foto.png", PNG)], action="upload")
    changed = {**STEP2, "description": "Neu geschrieben: die Brüheinheit klemmt immer noch."}
    response = await post_step(
        client, 2, token, changed, files=[("virus.png", b"MZ" + b"\x00" * 50)], action="upload"
    )
    assert response.url.path == "/case/new/2"
    assert summary(response.text)[0][0] == "f-files"
    assert "Foto.png" in response.text
    assert ">Neu geschrieben: die Brüheinheit klemmt immer noch.</textarea>" in response.text
    assert 'value="KV2000-88341"' in response.text


async def test_phone_says_once_that_a_callback_needs_it(client):
    _, token = await start(client)
    await post_step(client, 1, token, STEP1)
    page = await post_step(client, 2, token, STEP2)
    label = re.search(r'<label for="f-phone">(.*?)</label>', page.text, re.S).group(1)
    assert unescape(re.sub(r"<[^>]+>", "", label)) == "Telefonnummer (für einen Rückruf nötig)"
    assert "Für einen Rückruf nötig." not in page.text
    for name in ("street", "postcode", "city"):
        field = re.search(rf'<label for="f-{name}">(.*?)</label>', page.text, re.S).group(1)
        assert "optional" not in field
    assert 'Postanschrift <span class="req">(für einen Brief nötig)</span>' in page.text


async def test_callback_without_phone_names_the_reason_and_keeps_everything(client):
    _, token = await start(client)
    await post_step(client, 1, token, STEP1)
    await post_step(client, 2, token, STEP2)
    response = await post_step(client, 3, token, {**STEP3, "channel": "phone", "phone": ""})
    assert response.url.path == "/case/new/3"
    reason = "Bitte gib eine Telefonnummer an, damit wir dich zurückrufen können."
    assert summary(response.text) == [("f-phone", f"Telefonnummer: {reason}")]
    assert field_errors(response.text) == {"phone": reason}
    assert 'value="Erika Mustermann"' in response.text
    assert 'value="erika@example.com"' in response.text
    assert 'value="phone" checked' in response.text


async def test_letter_without_address_names_the_reason(client):
    client.cookies.set("portal_lang", "en")
    _, token = await start(client)
    await post_step(client, 1, token, STEP1)
    await post_step(client, 2, token, STEP2)
    response = await post_step(client, 3, token, {**STEP3, "channel": "letter"})
    reason = "Please fill in this field so that we can send you a letter."
    assert summary(response.text) == [
        ("f-street", f"Street and number: {reason}"),
        ("f-postcode", f"Postcode: {reason}"),
        ("f-city", f"City: {reason}"),
    ]


async def test_a_delivery_problem_is_a_request_type_of_its_own(client):
    review, token = await fill(
        client,
        step1={"type": "delivery", "product": "tv_video", "customer_type": "b2c"},
        step2={
            "details.order_number": "LH-20261234",
            "urgency": "normal",
            "description": "Mein Fernseher sollte gestern kommen, das Paket ist nicht da.",
        },
    )
    assert "Lieferung oder Paket · Fernseher &amp; Video" in review.text
    response = await submit(client, review.text, token)
    assert "Deine Anfrage geht direkt an unser Team: Versand." in response.text
    case = await on_app(client, lambda: Case.get(tracking_id=tracking_id(response.text)))
    assert (case.request_type, case.product, case.department) == (
        "delivery",
        "tv_video",
        "shipping",
    )


async def test_suggestions_follow_the_chosen_type_and_product(client):
    _, token = await start(client)
    await post_step(client, 1, token, {"type": "technical_problem", "product": "vacuum_robots"})
    page = await client.get("/case/new/2")
    slugs = re.findall(r'name="slug" value="([^"]+)"', page.text)
    assert slugs[0] == "saugroboter-app-verbinden"
    assert "garantieverlaengerung" not in slugs and "bestellung-aendern" not in slugs


async def test_confirmation_speaks_of_the_status_link_not_parcel_tracking(client):
    review, token = await fill(client)
    response = await submit(client, review.text, token)
    assert "persönlichen Link zum Status deiner Anfrage" in response.text
    assert "Sendungsverfolgung" not in response.text


async def test_every_demo_faq_category_has_a_request_type_that_finds_it(client, settings):
    """The request types cover what the demo FAQ covers: for each of its categories, the
    FAQ words of some request type find one of that category's articles among the first three."""
    categories = {doc.category for doc in parse_directory(settings.faq_content_dir).docs}
    classification = load_classification(settings.classification_file)
    found = set()
    for lang in ("de", "en"):
        for option in classification.request_types.values():
            if not option.faq_terms[lang]:
                continue
            response = await client.get(
                "/api/v1/faq/search", params={"q": option.faq_terms[lang], "lang": lang, "limit": 3}
            )
            found |= {hit["category"] for hit in response.json()["results"]}
    assert categories - found == set()


TV_STRIPES = "Mein Fernseher zeigt seit gestern grüne Streifen im Bild, auch nach dem Neustart."


def slugs(html: str) -> list[str]:
    return re.findall(r'name="slug" value="([^"]+)"', html)


async def test_live_suggestions_follow_the_rules_of_the_page(client):
    """What `case_form.js` shows while the customer types comes from the same rules as the
    page: the chosen topic counts and an unsure answer is no suggestion. The search API alone
    answers this description with coffee-machine descaling ("Teststreifen"), as "low"."""
    search = await client.get("/api/v1/faq/search", params={"q": TV_STRIPES, "lang": "de"})
    assert [(h["id"], h["confidence"]) for h in search.json()["results"][:1]] == [
        ("kaffeevollautomat-entkalken", "low")
    ]
    _, token = await start(client)
    await post_step(client, 1, token, {"type": "technical_problem", "product": "tv_video"})
    page = await client.get("/case/new/2")
    typed = await client.get("/case/new/suggestions", params={"description": TV_STRIPES})
    assert typed.status_code == 200
    assert "kaffeevollautomat-entkalken" not in slugs(typed.text)
    assert (
        slugs(typed.text) and slugs(typed.text)[0] == slugs(page.text)[0] == "bedienungsanleitung"
    )
    # step 1 sends its own choice, which counts instead of the saved one
    other = await client.get(
        "/case/new/suggestions", params={"type": "delivery", "product": "none", "description": ""}
    )
    assert "bedienungsanleitung" not in slugs(other.text)
    assert (await client.get("/case/new/2")).text.count('name="slug"') == len(slugs(page.text))


async def test_the_article_that_did_not_help_is_not_suggested_again(client):
    title = "Laut Sendungsverfolgung zugestellt, aber kein Paket da"
    article = await client.get("/faq/de/paket-nicht-erhalten")
    assert 'a=paket-nicht-erhalten"' in article.text or "a=paket-nicht-erhalten&" in article.text
    plain = await client.get("/case/new", params={"q": title})
    assert "paket-nicht-erhalten" in slugs(plain.text)
    client.cookies.clear()
    came_from = await client.get("/case/new", params={"q": title, "a": "paket-nicht-erhalten"})
    assert slugs(came_from.text) and "paket-nicht-erhalten" not in slugs(came_from.text)
