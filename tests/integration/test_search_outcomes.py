"""What a customer did after a search is recorded under the search's random id: results
shown, an article opened, a vote, a case filed. No personal data, no session."""

import re
from html import unescape

from faq.models import SearchLog
from feedback.models import SearchOutcome
from support.case_form import STEP2, fill, submit
from support.client import csrf_token, written

SEARCH_ID = re.compile(r"\?s=([\w-]{16,32})")


def steps(**where):
    return (
        SearchOutcome.filter(**where)
        .order_by("id")
        .values("search", "step", "query", "lang", "result_count", "article")
    )


async def test_search_open_vote_and_case_are_linked_by_the_search_id(client):
    query = "Paket beschädigt, ruft mich an: 0171 1234567"
    results = await client.get("/faq/search", params={"q": query})
    search_id = SEARCH_ID.search(results.text).group(1)
    article = await client.get(f"/faq/de/transportschaden?s={search_id}")
    voted = await client.post(
        "/faq/de/transportschaden/vote",
        data={"helpful": "no", "s": search_id, "_csrf_token": csrf_token(article.text)},
    )
    assert not client.cookies.get("portal_case")  # no session for an anonymous visitor
    offer = re.search(r'href="(/case/new\?[^"]+)" data-case-offer', voted.text).group(1)
    await client.get(unescape(offer))  # the case form, filled in with the article's title
    step2 = {k: v for k, v in STEP2.items() if k != "description"}
    review, token = await fill(client, step2=step2)
    await submit(client, review.text, token)
    rows = await written(client, lambda: steps(step="case"))
    assert rows, "the case was not recorded"
    recorded = await written(client, steps)
    normalised = "paket beschädigt, ruft mich an: [phone]"
    total = recorded[0]["result_count"]
    title = "mein paket ist beschädigt angekommen – was tun?"
    assert total > 0 and recorded[-1]["result_count"] > 0
    assert recorded == [
        {
            "search": search_id,
            "step": "shown",
            "query": normalised,
            "lang": "de",
            "result_count": total,
            "article": "",
        },
        {
            "search": search_id,
            "step": "opened",
            "query": "",
            "lang": "de",
            "result_count": 0,
            "article": "transportschaden",
        },
        {
            "search": search_id,
            "step": "not_helpful",
            "query": "",
            "lang": "de",
            "result_count": 0,
            "article": "transportschaden",
        },
        {
            "search": search_id,
            "step": "case",
            "query": title,
            "lang": "de",
            "result_count": recorded[-1]["result_count"],
            "article": "",
        },
    ]


async def test_the_page_after_a_vote_and_further_result_pages_add_no_steps(client):
    results = await client.get("/faq/search", params={"q": "Rücksendung"})
    search_id = SEARCH_ID.search(results.text).group(1)
    await client.get("/faq/search", params={"q": "Rücksendung", "page": 2, "s": search_id})
    await client.get(f"/faq/de/ruecksendung-kostenlos?voted=yes&s={search_id}")
    await client.get("/faq/de/ruecksendung-kostenlos")  # not from a search
    await client.get(f"/faq/de/ruecksendung-kostenlos?s={search_id}")
    recorded = await written(client, lambda: steps(step="opened"))
    assert [(r["search"], r["step"]) for r in await written(client, steps)] == [
        (search_id, "shown"),
        (search_id, "opened"),
    ]
    assert recorded[0]["article"] == "ruecksendung-kostenlos"


async def test_answers_in_the_other_language_are_recorded_in_their_language(client):
    results = await client.get(
        "/faq/search", params={"q": "Gerät defekt"}, headers={"accept-language": "en"}
    )
    search_id = SEARCH_ID.search(results.text).group(1)
    shown = await written(client, steps)
    assert [(r["search"], r["step"], r["lang"]) for r in shown] == [(search_id, "shown", "de")]


async def test_answers_in_the_other_language_are_no_search_without_answer(client):
    english = {"accept-language": "en"}
    await client.get("/faq/search", params={"q": "Gerät defekt"}, headers=english)
    await client.get("/faq/search", params={"q": "Finanzamt"}, headers=english)
    logged = await written(client, lambda: SearchLog.all().values_list("query", "lang"))
    assert logged == [("Finanzamt", "en")]
