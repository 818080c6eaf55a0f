"""The status page opens with the personal link or ID plus email, and never tells apart a wrong
key, a wrong email and an unknown case."""

import re

from support.cases import API_CASE as GOOD
from support.cases import file_case, lookup, personal_link
from support.html import heading


async def test_personal_link_shows_status_timeline_and_promise(client):
    tracking_id = await file_case(client)
    link = await personal_link(client, tracking_id)
    page = await client.get(link)
    assert page.status_code == 200
    assert heading(page.text) == f"Deine Anfrage {tracking_id}"
    assert "Eingegangen" in page.text
    assert "Anfrage eingegangen" in page.text  # the first timeline entry
    assert re.search(r'class="sla sla-(green|amber|red)"', page.text)
    assert page.headers["cache-control"] == "no-store"
    # the browser keeps access without the key afterwards
    assert (await client.get(f"/track/{tracking_id}")).status_code == 200


async def test_wrong_key_and_unknown_case_look_the_same(client, settings):
    tracking_id = await file_case(client)
    client.cookies.clear()  # another browser, without the session that filed the case
    wrong_key = await client.get(f"/track/{tracking_id}?key=not-the-key")
    no_key = await client.get(f"/track/{tracking_id}")
    unknown = await client.get("/track/AAAA-BBBB-CCCCC?key=whatever")
    assert wrong_key.status_code == no_key.status_code == unknown.status_code == 200
    strip = lambda html: re.sub(r'(name="_csrf_token" value="[^"]+"|value="[^"]*")', "", html)  # noqa: E731
    assert strip(wrong_key.text) == strip(unknown.text) == strip(no_key.text)
    assert "Anfrage verfolgen" in unknown.text and "Eingegangen" not in no_key.text


async def test_lookup_by_tracking_id_and_email(client):
    tracking_id = await file_case(client)
    client.cookies.clear()
    response = await lookup(client, tracking_id.lower().replace("-", ""), GOOD["email"].upper())
    assert response.status_code == 303
    assert response.headers["location"] == f"/track/{tracking_id}"
    assert (await client.get(response.headers["location"])).status_code == 200


async def test_lookup_answers_alike_for_wrong_email_and_unknown_id(client):
    tracking_id = await file_case(client)
    client.cookies.clear()
    wrong_email = await lookup(client, tracking_id, "someone@example.org")
    from tracking.ids import check_symbol, format_id

    other = format_id("ZZZZZZZZZZZZ" + check_symbol("ZZZZZZZZZZZZ"))
    unknown = await lookup(client, other, GOOD["email"])
    assert wrong_email.status_code == unknown.status_code == 400
    strip = lambda html: re.sub(r'(name="_csrf_token" value="[^"]+"|value="[^"]*")', "", html)  # noqa: E731
    assert strip(wrong_email.text) == strip(unknown.text)
    assert "Zu diesen Angaben haben wir keine Anfrage gefunden" in wrong_email.text


async def test_mistyped_id_is_recognised_by_its_check_symbol(client):
    tracking_id = await file_case(client)
    typo = tracking_id[:-1] + ("A" if tracking_id[-1] != "A" else "B")
    response = await lookup(client, typo, GOOD["email"])
    assert "enthält einen Tippfehler" in response.text


async def test_guessing_emails_for_one_id_is_stopped(client):
    tracking_id = await file_case(client)
    for attempt in range(5):
        assert (await lookup(client, tracking_id, f"guess{attempt}@example.org")).status_code == 400
    blocked = await lookup(client, tracking_id, GOOD["email"])  # even the right one, for a while
    assert blocked.status_code == 429


async def test_my_cases_lists_what_this_browser_opened(client):
    first = await file_case(client)
    link = await personal_link(client, first)
    second = await file_case(client)
    client.cookies.clear()
    await client.get(link)  # only the first one's personal link is opened in this browser
    page = await client.get("/track/")
    assert "Deine Anfragen in diesem Browser" in page.text
    assert first in page.text and second not in page.text
