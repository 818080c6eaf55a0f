"""The guided case form without JavaScript: steps, errors beside fields, one case per submit."""

import re

from feedback.models import SearchOutcome
from support import case_form
from support.client import on_app, written
from tracking.models import Attachment, Case, CaseEvent


async def test_step_one_errors_are_shown_next_to_each_field_in_german(client):
    _, token = await case_form.start(client)
    response = await case_form.post_step(client, 1, token, {"product": "kettles_kitchen"})
    assert response.url.path == "/case/new/1"
    errors = case_form.field_errors(response.text)
    assert errors["type"] == "Bitte wähle eine der Möglichkeiten."
    assert "product" not in errors
    html = response.text
    assert 'aria-describedby="f-type-error"' in html
    assert 'name="type" value="question" aria-invalid="true"' in html
    assert re.search(r'<option value="kettles_kitchen" selected[ >]', html), "input kept"


async def test_errors_are_in_english_for_english_customers(client):
    client.cookies.set("portal_lang", "en")
    _, token = await case_form.start(client)
    await case_form.post_step(client, 1, token, case_form.STEP1)
    response = await case_form.post_step(
        client, 2, token, {**case_form.STEP2, "details.device_serial": "x", "description": "kurz"}
    )
    assert response.url.path == "/case/new/2"
    errors = case_form.field_errors(response.text)
    assert errors["details-device_serial"].startswith("This does not look right. Expected: 8 to 20")
    assert errors["description"] == "Please write at least 10 characters."
    assert 'aria-invalid="true"' in response.text
    assert 'value="x"' in response.text and ">kurz</textarea>" in response.text


async def test_back_keeps_input_without_complaining(client):
    _, token = await case_form.start(client)
    await case_form.post_step(client, 1, token, case_form.STEP1)
    response = await case_form.post_step(
        client, 2, token, {"description": "erst mal halb"}, action="back"
    )
    assert response.url.path == "/case/new/1"
    assert case_form.field_errors(response.text) == {}
    assert 'value="repair_warranty" checked' in response.text
    response = await client.get("/case/new/2")
    assert ">erst mal halb</textarea>" in response.text


async def test_skipping_ahead_sends_the_customer_to_the_first_incomplete_step(client):
    await case_form.start(client)
    response = await client.get("/case/new/3")
    assert response.url.path == "/case/new/1"


async def test_filed_case_is_stored_routed_and_confirmed(client):
    review, token = await case_form.fill(
        client,
        step3={**case_form.STEP3, "channel": "phone", "phone": "0170 1234567"},
        files=[("Foto.png", case_form.PNG)],
    )
    assert "Foto.png" in review.text and "+491701234567" not in review.text
    assert "<dd>14. März 2026</dd>" in review.text  # the purchase date, not "2026-03-14"
    response = await case_form.submit(client, review.text, token)
    assert response.status_code == 200
    assert response.url.path.startswith("/case/received/")
    tid = case_form.tracking_id(response.text)
    assert "Reparaturservice" in response.text
    assert re.search(r"spätestens am \w+, \d+\. \w+ \d{4}, \d\d:\d\d Uhr", response.text)

    async def load():
        case = await Case.get(tracking_id=tid)
        return (
            case,
            await CaseEvent.filter(case=case).values_list("kind", flat=True),
            await Attachment.filter(case=case),
        )

    case, events, files = await on_app(client, load)
    assert (case.request_type, case.level, case.department, case.channel) == (
        "repair_warranty",
        2,
        "repairs",
        "phone",
    )
    assert case.phone == "+491701234567"
    assert case.details == {"device_serial": "KV2000-88341", "purchase_date": "2026-03-14"}
    assert case.status == "received" and case.source == "form" and case.language == "de"
    assert events == ["received"]
    assert [(f.filename, f.content_type, f.size) for f in files] == [
        ("Foto.png", "image/png", len(case_form.PNG))
    ]
    assert case.deflection["shown"], "FAQ suggestions were shown and recorded"
    assert len(case.access_token_hash) == 64


async def test_double_submit_creates_one_case(client):
    review, token = await case_form.fill(client)
    first = await case_form.submit(client, review.text, token)
    second = await case_form.submit(client, review.text, token)
    assert first.url == second.url
    assert await on_app(client, lambda: Case.all().count()) == 1


async def test_honeypot_rejects_without_storing(client):
    review, token = await case_form.fill(client)
    response = await case_form.submit(client, review.text, token, website="http://spam.example")
    assert response.status_code == 400
    assert await on_app(client, lambda: Case.all().count()) == 0


async def test_submit_without_csrf_token_is_refused(client):
    review, _ = await case_form.fill(client)
    key = re.search(r'name="submission_key" value="([^"]+)"', review.text).group(1)
    response = await client.post("/case/new/submit", data={"submission_key": key})
    assert response.status_code == 403
    assert await on_app(client, lambda: Case.all().count()) == 0


async def test_script_in_description_is_shown_as_text(client):
    review, _ = await case_form.fill(
        client, step2={**case_form.STEP2, "description": "<script>alert(1)</script> klemmt"}
    )
    assert "<script>alert(1)</script>" not in review.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; klemmt" in review.text


async def test_exe_renamed_to_png_is_refused_beside_the_upload_field(client):
    _, token = await case_form.start(client)
    await case_form.post_step(client, 1, token, case_form.STEP1)
    response = await case_form.post_step(
        client,
        2,
        token,
        case_form.STEP2,
        files=[("bild.png", b"MZ\x90\x00" + b"\x00" * 100)],
        action="upload",
    )
    assert response.url.path == "/case/new/2"
    assert case_form.field_errors(response.text)["files"].startswith(
        "bild.png: Es können nur Bilder"
    )
    assert "Brüheinheit" in response.text


async def test_faq_search_carries_over_and_is_recorded_as_case_filed(client):
    search = await client.get("/faq/search", params={"q": "Öffnungszeiten vom Finanzamt"})
    assert "/case/new?q=%C3%96ffnungszeiten%20vom%20Finanzamt&amp;s=" in search.text
    review, token = await case_form.fill(
        client,
        q="Öffnungszeiten vom Finanzamt",
        step2={k: v for k, v in case_form.STEP2.items() if k != "description"},
    )
    assert "Öffnungszeiten vom Finanzamt" in review.text
    await case_form.submit(client, review.text, token)
    outcomes = await written(
        client, lambda: SearchOutcome.filter(step="case").values_list("query", flat=True)
    )
    assert outcomes == ["öffnungszeiten vom finanzamt"]


async def test_opening_a_suggestion_is_recorded_with_the_case(client):
    page, token = await case_form.start(client)
    await case_form.post_step(client, 1, token, case_form.STEP1)
    page = await client.get("/case/new/2")
    slug = re.search(r'name="slug" value="([^"]+)"', page.text).group(1)
    opened = await client.post(
        "/case/new/suggestion", data={"slug": slug, "lang": "de", "_csrf_token": token}
    )
    assert opened.url.path == f"/faq/de/{slug}"
    assert (await client.get("/case/new/suggestion")).status_code == 405
    await case_form.post_step(client, 2, token, case_form.STEP2)
    review = await case_form.post_step(client, 3, token, case_form.STEP3)
    await case_form.submit(client, review.text, token)
    case = await on_app(client, lambda: Case.first())
    assert case.deflection["opened"] == [slug]
    assert slug in case.deflection["shown"]


async def test_confirmation_page_is_only_for_the_browser_that_filed_the_case(client):
    review, token = await case_form.fill(client)
    response = await case_form.submit(client, review.text, token)
    client.cookies.clear()
    assert (await client.get(response.url.path)).status_code == 404


async def test_submissions_per_client_are_rate_limited(env):
    from litestar.testing import AsyncTestClient

    from portal.app import create_app
    from portal.settings import Settings

    settings = Settings.from_env({**env, "PORTAL_CASE_RATE_LIMIT": "2"})
    async with AsyncTestClient(
        app=create_app(settings), base_url="http://testserver.local"
    ) as client:
        statuses = []
        for _ in range(3):
            review, token = await case_form.fill(client)
            statuses.append((await case_form.submit(client, review.text, token)).status_code)
        assert statuses == [200, 200, 429]
        assert await on_app(client, lambda: Case.all().count()) == 2
