"""What the status page tells the customer: labels rather than internal keys, their own request
with their files (downloads only for their browser), and the status after the team's answer."""

from __future__ import annotations

import re
from html import unescape

from support.backoffice import bearer
from support.case_form import PNG, fill, submit, tracking_id
from support.cases import opened_case

EVENTS = "/api/v1/backoffice/cases/{}/events"


def visible_text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


async def test_labels_are_the_customers_words_in_both_languages(client):
    tid = await opened_case(client)  # type return_exchange, product headphones_audio, team returns
    auth = await bearer(client, "cases:write")
    routed = await client.post(
        EVENTS.format(tid),
        headers=auth,
        json={"kind": "set_routing", "level": 2, "department": "technical_support"},
    )
    assert routed.status_code == 200, routed.text
    german = visible_text((await client.get(f"/track/{tid}")).text)
    english = visible_text(
        (await client.get(f"/track/{tid}", headers={"accept-language": "en"})).text
    )
    assert "Technischer Support" in german and "Technical support" in english
    assert "Rückgabe oder Umtausch · Kopfhörer & Audio" in german
    assert "Return or exchange · Headphones & audio" in english
    assert "Gefällt mir nicht / Widerruf" in german and "Changed my mind / withdrawal" in english
    for page in (german, english):
        for key in (
            "technical_support",
            "return_exchange",
            "headphones_audio",
            "changed_mind",
            "Level 2",
            "Stufe 2",
        ):
            assert key not in page, key


async def test_the_customers_own_request_and_file(client):
    review, token = await fill(client, files=[("Foto.png", PNG)])
    tid = tracking_id((await submit(client, review.text, token)).text)
    html = (await client.get(f"/track/{tid}")).text
    text = visible_text(html)
    assert "Die Brüheinheit meines Kaffeevollautomaten klemmt seit gestern." in text
    assert "Seriennummer" in text and "KV2000-88341" in text
    [link] = re.findall(rf'href="(/track/{tid}/files/\d+)"[^>]*>Foto.png<', html)

    download = await client.get(link)
    assert download.status_code == 200 and download.content == PNG
    assert download.headers["content-type"] == "image/png"
    assert download.headers["content-disposition"].startswith("attachment")
    assert download.headers["x-content-type-options"] == "nosniff"

    other = await opened_case(client)  # the same browser, another case: not a way to this file
    attachment_id = link.rsplit("/", 1)[1]
    assert (await client.get(f"/track/{other}/files/{attachment_id}")).status_code == 404
    client.cookies.clear()  # another browser that knows the address
    assert (await client.get(link)).status_code == 404


async def test_a_team_reply_moves_a_new_case_to_in_progress(client):
    tid = await opened_case(client)
    auth = await bearer(client, "cases:write")
    assert "Eingegangen" in visible_text((await client.get(f"/track/{tid}")).text)
    reply = await client.post(
        EVENTS.format(tid), json={"kind": "reply", "text": "Wir sind dran."}, headers=auth
    )
    assert reply.json()["case"]["status"] == "in_progress"
    page = visible_text((await client.get(f"/track/{tid}")).text)
    assert "In Bearbeitung" in page and "Eingegangen" not in page

    # a reply to a case waiting for the customer leaves it waiting: the team asked again
    waiting = {"kind": "set_status", "status": "waiting_for_customer"}
    assert (await client.post(EVENTS.format(tid), json=waiting, headers=auth)).status_code == 200
    again = await client.post(
        EVENTS.format(tid), json={"kind": "reply", "text": "Noch da?"}, headers=auth
    )
    assert again.json()["case"]["status"] == "waiting_for_customer"


async def test_a_reply_to_a_case_resolved_meanwhile_keeps_the_text(client):
    from support.client import csrf_token, shown_again

    tid = await opened_case(client)
    page = (await client.get(f"/track/{tid}")).text  # the reply box, before the team resolves
    auth = await bearer(client, "cases:write")
    await client.post(
        EVENTS.format(tid), json={"kind": "resolve", "text": "Erledigt."}, headers=auth
    )
    typed = "Die Abholung hat nicht geklappt, bitte noch einmal."
    refused = await client.post(
        f"/track/{tid}/reply",
        files=[("text", (None, typed)), ("_csrf_token", (None, csrf_token(page)))],
    )
    refused = await shown_again(client, refused)
    assert f">{typed}</textarea>" in unescape(refused.text)  # now in the reopen form
