"""From every answer a way on: "Still need help?" on results and articles, the recorded vote
shown instead of the vote buttons, and after "not helpful" the case form, filled in."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from support.case_form import STEP1, post_step
from support.client import csrf_token

SEARCH_ID = re.compile(r"\?s=([\w-]{16,32})")


def case_link(html: str, marker: str = "") -> dict[str, list[str]]:
    """The query of the (first) link to the case form after `marker`."""
    href = re.search(r'href="(/case/new\?[^"]+)"', html[html.index(marker) :]).group(1)
    return parse_qs(urlsplit(unescape(href)).query)


async def test_results_offer_a_request_with_the_query_and_the_search_id(client):
    html = (await client.get("/faq/search", params={"q": "Rücksendung kostenlos"})).text
    assert "Noch Fragen offen?" in html
    search_id = SEARCH_ID.search(html).group(1)
    assert set(SEARCH_ID.findall(html)) == {search_id}  # every result link carries it
    assert case_link(html, "Noch Fragen offen?") == {
        "q": ["Rücksendung kostenlos"],
        "s": [search_id],
    }
    again = (await client.get("/faq/search", params={"q": "Rücksendung kostenlos"})).text
    assert SEARCH_ID.search(again).group(1) != search_id  # a new search, although kept
    assert "fill-" not in again


async def test_an_article_offers_a_request(client):
    html = (await client.get("/faq/de/transportschaden")).text
    assert "Noch Fragen offen?" in html
    assert case_link(html, "Noch Fragen offen?") == {
        "q": ["Mein Paket ist beschädigt angekommen – was tun?"],
        "a": ["transportschaden"],
    }


async def vote(client, helpful: str, search_id: str = "", comment: str = ""):
    page = await client.get("/faq/de/transportschaden", params={"s": search_id})
    form = {"helpful": helpful, "comment": comment, "s": search_id}
    return await client.post(
        "/faq/de/transportschaden/vote", data={**form, "_csrf_token": csrf_token(page.text)}
    )


async def test_after_not_helpful_the_vote_is_shown_and_the_case_form_offered(client):
    search_id = "abcdefghijklmnop1234"
    page = await vote(client, "no", search_id, "Mir fehlt die Adresse")
    assert page.url.query.decode() == f"voted=no&s={search_id}"
    html = page.text
    assert "Danke für deine Rückmeldung! Deine Antwort: nicht hilfreich." in html
    assert 'value="yes">Ja, hilfreich' not in html and 'value="no">Nein' not in html
    assert case_link(html, "Schade, dass dir das nicht weitergeholfen hat") == {
        "q": ["Mein Paket ist beschädigt angekommen – was tun?"],
        "a": ["transportschaden"],
        "s": [search_id],
    }
    assert "Noch Fragen offen?" not in html  # the offer is made once
    assert "Meine Antwort in „hilfreich“ ändern" in html


async def test_the_recorded_vote_is_shown_on_a_later_visit_and_can_be_changed(client):
    await vote(client, "yes")
    later = (await client.get("/faq/de/transportschaden")).text
    assert "Deine Antwort: hilfreich." in later and "Danke für" not in later
    assert 'value="yes">Ja, hilfreich' not in later
    changed = await client.post(
        "/faq/de/transportschaden/vote",
        data={"helpful": "no", "_csrf_token": csrf_token(later)},
    )
    assert "Deine Antwort: nicht hilfreich." in changed.text
    client.cookies.delete("portal_voter")  # another browser has not voted
    fresh = (await client.get("/faq/de/transportschaden")).text
    assert 'value="yes">Ja, hilfreich' in fresh and "Deine Antwort" not in fresh


async def test_a_made_up_search_id_is_not_put_into_the_page(client):
    html = (await client.get("/faq/de/transportschaden", params={"s": '"><b>x'})).text
    assert "<b>x" not in html
    assert 'name="s" value=""' in html


async def test_the_request_after_not_helpful_starts_from_the_comment(client):
    page = await vote(client, "no", comment="Mein Modell fehlt in der Anleitung.")
    href = unescape(re.search(r'href="(/case/new\?[^"]+)"', page.text).group(1))

    async def description() -> str:
        """The description field of step 2, reached from the link."""
        token = csrf_token((await client.get(href)).text)
        details = await post_step(client, 1, token, STEP1)
        return re.search(r'id="f-description"[^>]*>([^<]*)</textarea>', details.text).group(1)

    # the customer's own words, not the article's title: nothing typed twice
    assert await description() == "Mein Modell fehlt in der Anleitung."
    client.cookies.clear()  # another browser, which wrote nothing: the title, as before
    assert unescape(await description()) == "Mein Paket ist beschädigt angekommen – was tun?"
