"""Ratings: only after resolution, once per case (changeable for 7 days), never by opening a
link, always as a `case.rated` webhook with the case's classification."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta

import pytest

from feedback.models import Rating
from feedback.service import RatingInput, RatingRefused
from support.backoffice import back_office
from support.cases import file_case
from support.client import csrf_token, on_app
from support.ratings import post_rating, resolved_case, shown_again
from support.webhooks import subscribe, webhooks
from tracking.models import Case, CaseEvent

GOOD = {"satisfaction": "5", "solved": "yes", "effort": "4", "comment": "Schnell und freundlich."}
BAD = {"satisfaction": "1", "solved": "no", "effort": "2", "comment": "Geht immer noch nicht."}


async def ratings_of(client, tid: str) -> list[Rating]:
    return await on_app(client, lambda: Rating.filter(case__tracking_id=tid).all())


async def test_the_emailed_link_alone_rates_and_the_back_office_hears_of_it(client, receiver):
    await on_app(client, lambda: subscribe(receiver, ["case.rated"]))
    tid, link = await resolved_case(client)
    client.cookies.clear()  # the mail is opened in another browser: the link is enough

    opened = await client.get(link)  # what a mail scanner's prefetch does
    assert opened.status_code == 200 and "Wie zufrieden bist du" in opened.text
    assert await ratings_of(client, tid) == []

    thanks = await post_rating(client, link, GOOD)
    assert thanks.status_code == 200 and "Danke für deine Bewertung" in thanks.text
    assert "wieder öffnen" not in thanks.text  # a good score needs no way back
    [rating] = await ratings_of(client, tid)
    assert (rating.satisfaction, rating.solved, rating.effort) == (5, True, 4)
    assert rating.comment == "Schnell und freundlich."

    [hook] = await webhooks(receiver, 1)
    assert hook["type"] == "case.rated"
    assert hook["data"]["tracking_id"] == tid and hook["data"]["type"] == "repair_warranty"
    assert hook["data"]["rating"] == {
        "satisfaction": 5,
        "solved": True,
        "effort": 4,
        "comment": "Schnell und freundlich.",
        "changed": False,
        "low": False,
    }
    # the link is single-purpose: it does not open the status page
    status_page = await client.get(f"/track/{tid}")
    assert 'id="timeline"' not in status_page.text and 'name="email"' in status_page.text


async def test_the_status_page_leads_to_the_rating_and_shows_it(client):
    tid = await file_case(client, form=True)
    assert "Unseren Service bewerten" not in (await client.get(f"/track/{tid}")).text
    await back_office(client, tid, {"kind": "resolve"})
    page = await client.get(f"/track/{tid}")
    assert f'href="/rate/{tid}"' in page.text
    assert (await post_rating(client, f"/rate/{tid}", BAD)).status_code == 200
    page = await client.get(f"/track/{tid}")
    assert (
        "Deine Bewertung: 1 von 5." in page.text and "Du hast unseren Service bewertet" in page.text
    )


async def test_a_low_score_offers_reopen_and_callback(client):
    tid, link = await resolved_case(client)
    thanks = await post_rating(client, link, BAD)
    assert f'href="/track/{tid}#reopen"' in thanks.text
    assert f'href="/track/{tid}#callback"' in thanks.text


async def test_the_way_back_works_on_the_device_that_opened_the_rating_link(client):
    """A phone that only has the emailed rating link gets personal links, not the lookup form."""
    tid, link = await resolved_case(client)
    client.cookies.clear()  # another device: it never saw the case
    thanks = await post_rating(client, link, BAD)
    personal = rf'href="http://testserver\.local(/track/{tid}\?key=[\w-]+)#reopen"'
    reopen = re.search(personal, thanks.text)
    assert reopen and f'{reopen.group(1)}#callback"' in thanks.text, thanks.text
    client.cookies.clear()
    page = await client.get(reopen.group(1))
    assert page.status_code == 200 and 'id="reopen"' in page.text
    assert 'name="email"' not in page.text, "not the lookup form"


async def test_an_open_case_cannot_be_rated(client):
    tid = await file_case(client, form=True)
    page = await client.get(f"/rate/{tid}")
    assert "sobald sie gelöst ist" in page.text and "<form" not in page.text.split("<main")[-1]
    refused = await client.post(f"/rate/{tid}", data={**GOOD, "_csrf_token": csrf_token(page.text)})
    assert "sobald sie gelöst ist" in shown_again(refused).text
    assert await ratings_of(client, tid) == []


async def test_changed_within_seven_days_then_refused(client, receiver):
    await on_app(client, lambda: subscribe(receiver, ["case.rated"]))
    tid, link = await resolved_case(client)
    await post_rating(client, link, BAD)
    form = await client.get(link)
    assert "Bewertung ändern" in form.text and 'value="1" checked' in form.text
    assert (await post_rating(client, link, GOOD)).status_code == 200
    [rating] = await ratings_of(client, tid)
    assert rating.satisfaction == 5
    hooks = await webhooks(receiver, 2)
    assert [h["data"]["rating"]["changed"] for h in hooks] == [False, True]

    await on_app(
        client,
        lambda: Rating.filter(id=rating.id).update(
            created_at=datetime.now(UTC) - timedelta(days=8)
        ),
    )
    late = await post_rating(client, link, BAD)
    assert "schon bewertet" in shown_again(late).text
    [rating] = await ratings_of(client, tid)
    assert rating.satisfaction == 5  # unchanged


@pytest.mark.parametrize("mangle", ["other_case", "bad_sig", "expired", "unknown_case"])
async def test_a_wrong_link_gets_the_same_refusal(client, mangle):
    tid, link = await resolved_case(client)
    other, _ = await resolved_case(client)
    client.cookies.clear()
    path, query = link.split("?")
    expires = re.search(r"expires=(\d+)", query).group(1)
    urls = {
        "other_case": f"/rate/{other}?{query}",
        "bad_sig": f"{path}?expires={expires}&sig=AAAA",
        "expired": f"{path}?expires={int(expires) - 31 * 86400}&sig=" + query.split("sig=")[1],
        "unknown_case": f"/rate/{other[:-1]}{'Q' if other[-1] != 'Q' else 'R'}?{query}",
    }
    answer = await client.get(urls[mangle])
    assert answer.status_code == 404 and "Bewertungslink ist nicht gültig" in answer.text
    reference = await client.get(f"/rate/{tid}")  # no link at all
    assert answer.text.split("<main")[-1] == reference.text.split("<main")[-1]
    refused = await client.post(
        urls[mangle].split("?")[0], data={**GOOD, "_csrf_token": csrf_token(answer.text)}
    )
    assert refused.status_code == 404
    assert await ratings_of(client, tid) == [] and await ratings_of(client, other) == []


async def test_incomplete_answers_are_explained_next_to_the_fields(client):
    tid, link = await resolved_case(client)
    answer = await post_rating(client, link, {"satisfaction": "9", "comment": "<b>hm</b>"})
    shown_again(answer)
    for message in ("wie zufrieden du bist", "wie einfach es war", "ob dein Problem gelöst"):
        assert message in answer.text
    assert "&lt;b&gt;hm&lt;/b&gt;" in answer.text  # the comment is kept, escaped
    assert await ratings_of(client, tid) == []


async def test_two_first_ratings_at_once_store_one(client):
    tid, _ = await resolved_case(client)
    case = await on_app(client, lambda: Case.get(tracking_id=tid))
    ratings = client.app.dependencies["services"].dependency().ratings

    async def both():
        return await asyncio.gather(
            ratings.rate(case, RatingInput(5, True, 5)),
            ratings.rate(case, RatingInput(1, False, 1)),
            return_exceptions=True,
        )

    results = await on_app(client, both)
    refused = [r for r in results if isinstance(r, RatingRefused)]
    assert len(refused) <= 1 and not [
        r for r in results if isinstance(r, BaseException) and not isinstance(r, RatingRefused)
    ]
    assert len(await ratings_of(client, tid)) == 1
    rated = await on_app(client, lambda: CaseEvent.filter(case_id=case.id, kind="rated").count())
    assert rated == len(results) - len(refused)
