"""FAQ pages: overview, results, no-answer page, article, votes and knowledge gaps."""

import asyncio
import re

from faq.models import ArticleVote, SearchLog
from support.client import csrf_token, on_app, post_form


async def test_overview_lists_categories(client):
    html = (await client.get("/faq")).text
    assert "Häufige Fragen" in html
    assert "Versand &amp; Lieferung" in html


async def test_search_page_highlights_results(client):
    response = await client.get("/faq/search", params={"q": "Rücksendeetikett verloren"})
    assert response.status_code == 200
    assert "/faq/de/ruecksendeetikett-verloren" in response.text
    assert "<mark>" in response.text


async def test_no_answer_page_says_so(client):
    response = await client.get("/faq/search", params={"q": "Öffnungszeiten vom Finanzamt"})
    assert "Keine sichere Antwort auf „Öffnungszeiten vom Finanzamt“" in response.text
    assert "/case/new?q=%C3%96ffnungszeiten%20vom%20Finanzamt" in response.text


async def test_query_is_escaped_on_the_page(client):
    response = await client.get("/faq/search", params={"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;" in response.text


async def test_search_page_survives_hostile_input(client):
    for q in ("title:(", "*", "x" * 10_000, ""):
        assert (await client.get("/faq/search", params={"q": q})).status_code == 200
    assert (await client.get("/faq/search", params={"q": "a", "page": "0"})).status_code == 400


async def test_article_page_renders_markdown_with_breadcrumbs_and_translation(client):
    response = await client.get("/faq/de/ruecksendung-kostenlos")
    assert response.status_code == 200
    html = response.text
    assert '<nav class="breadcrumbs"' in html
    assert 'href="/faq/en/ruecksendung-kostenlos"' in html
    assert "Ähnliche Fragen" in html
    english = await client.get("/faq/en/ruecksendung-kostenlos")
    assert '<html lang="en">' in english.text


async def test_unknown_article_or_language_is_404(client):
    assert (await client.get("/faq/de/gibt-es-nicht")).status_code == 404
    assert (await client.get("/faq/fr/ruecksendung-kostenlos")).status_code == 404


async def _vote(client, helpful, comment=""):
    return await post_form(
        client,
        "/faq/de/transportschaden",
        "/faq/de/transportschaden/vote",
        {"helpful": helpful, "comment": comment},
    )


async def test_vote_is_stored_once_per_browser(client):
    first = await _vote(client, "no", "Mir fehlt die Telefonnummer: 0171 1234567")
    assert first.status_code == 303
    assert first.headers["location"] == "/faq/de/transportschaden?voted=no#feedback"
    second = await _vote(client, "yes")
    assert second.status_code == 303
    votes = await on_app(
        client, lambda: ArticleVote.filter(slug="transportschaden").values("helpful", "comment")
    )
    assert votes == [{"helpful": True, "comment": ""}]


async def test_vote_comment_is_stored_without_phone_numbers(client):
    await _vote(client, "no", "Ruft mich an: 0171 1234567")
    votes = await on_app(
        client,
        lambda: ArticleVote.filter(slug="transportschaden").values_list("comment", flat=True),
    )
    assert votes == ["Ruft mich an: [phone]"]


async def test_two_browsers_are_two_votes(client, settings):
    await _vote(client, "yes")
    client.cookies.delete("portal_voter")
    await _vote(client, "no")
    assert await on_app(client, lambda: ArticleVote.filter(slug="transportschaden").count()) == 2


async def test_invalid_vote_is_refused_and_nothing_stored(client):
    response = await _vote(client, "maybe")
    assert response.status_code == 400
    assert await on_app(client, lambda: ArticleVote.all().count()) == 0


async def test_vote_without_csrf_is_refused(client):
    response = await client.post("/faq/de/transportschaden/vote", data={"helpful": "yes"})
    assert response.status_code == 403
    assert await on_app(client, lambda: ArticleVote.all().count()) == 0


async def test_thanks_after_voting(client):
    response = await _vote(client, "yes")
    page = await client.get(response.headers["location"])
    assert "Danke für deine Rückmeldung!" in page.text


async def test_searches_without_answer_are_recorded_without_personal_data(client):
    await client.get("/faq/search", params={"q": "Arbeitet ihr mit max@example.org zusammen"})
    await client.get("/faq/search", params={"q": "Rücksendung kostenlos"})  # found: not recorded
    await client.get(
        "/api/v1/faq/search", params={"q": "Sperrmüll", "typeahead": "true"}
    )  # live suggestions: not recorded
    logged = []
    for _ in range(50):  # written in batches, once a second
        logged = await on_app(client, lambda: SearchLog.all().values_list("query", "outcome"))
        if logged:
            break
        await asyncio.sleep(0.1)
    assert logged == [("Arbeitet ihr mit [email] zusammen", "no_result")]


async def test_searches_noted_just_before_shutdown_are_written(settings):
    from litestar.testing import AsyncTestClient

    from portal.app import create_app
    from portal.db import close_database, open_database

    async with AsyncTestClient(app=create_app(settings)) as client:
        for n in range(3):
            await client.get("/api/v1/faq/search", params={"q": f"Finanzamt {n}"})
    await open_database(settings)
    try:
        queries = await SearchLog.all().order_by("id").values_list("query", flat=True)
    finally:
        await close_database()
    assert queries == ["Finanzamt 0", "Finanzamt 1", "Finanzamt 2"]


async def test_article_content_cannot_inject_html(client, settings):
    from faq.documents import ArticleDoc

    # seed through the app's own service, on the app's loop
    services = client.app.dependencies["services"].dependency()
    doc = ArticleDoc(
        "xss-probe", "de", "Probe", "Test", "<script>alert(1)</script>\n\n[x](javascript:alert(1))"
    )
    await on_app(client, services.faq.import_docs, [doc])
    html = (await client.get("/faq/de/xss-probe")).text
    assert "<script>alert(1)" not in html
    assert not re.search(r'href="javascript:', html)


async def test_cached_pages_carry_each_visitors_own_csrf_token(client) -> None:
    """FAQ pages are rendered once; the token in their forms must still be the visitor's."""

    first = await client.get("/faq/de/transportschaden")
    first_token, first_cookie = csrf_token(first.text), client.cookies.get("portal_csrf")
    client.cookies.clear()
    second = await client.get("/faq/de/transportschaden")
    second_token = csrf_token(second.text)
    assert first_token != second_token and "csrf-" not in second.text
    vote = {"helpful": "yes", "_csrf_token": first_token}
    refused = await client.post("/faq/de/transportschaden/vote", data=vote, follow_redirects=False)
    assert refused.status_code == 403  # the first visitor's token is no good with this cookie
    vote["_csrf_token"] = second_token
    accepted = await client.post("/faq/de/transportschaden/vote", data=vote, follow_redirects=False)
    assert accepted.status_code == 303
    assert first_cookie and first_cookie != client.cookies.get("portal_csrf")
