"""The FAQ across its two languages: the language switch of an article, links to a
translation in that translation's language, and answers in the other language."""

import re

from faq.documents import ArticleDoc
from support.client import csrf_token, on_app

ENGLISH = {"accept-language": "en"}


async def switch(client, page, lang):
    """Press the header's language button of `page` as a browser without JavaScript would."""
    target = re.search(r'name="next" value="([^"]+)"', page.text).group(1)
    return await client.post(
        "/language", data={"lang": lang, "next": target, "_csrf_token": csrf_token(page.text)}
    )


async def test_the_language_switch_of_an_article_leads_to_its_translation(client):
    german = await client.get("/faq/de/geraet-defekt")
    english = await switch(client, german, "en")
    assert english.status_code == 200
    assert english.url.path == "/faq/en/geraet-defekt"
    assert '<html lang="en">' in english.text
    back = await switch(client, english, "de")
    assert back.url.path == "/faq/de/geraet-defekt"


async def test_an_article_without_translation_says_so_on_the_faq_start(client):
    services = client.app.dependencies["services"].dependency()
    doc = ArticleDoc("nur-deutsch", "de", "Nur auf Deutsch", "Test", "Dieser Text ist deutsch.")
    await on_app(client, services.faq.import_docs, [doc])
    page = await client.get("/faq/de/nur-deutsch")
    english = await switch(client, page, "en")
    assert english.url.path == "/faq" and english.url.query == b"missing=nur-deutsch"
    assert (
        "The article “Nur auf Deutsch” is not available in English yet. "
        "Here are all our questions in English."
    ) in english.text
    assert (
        'href="/faq/de/nur-deutsch" hreflang="de" lang="de">Auf Deutsch lesen</a>' in english.text
    )
    # an article that is translated, or none at all, gets no such note
    for slug in ("geraet-defekt", "gibt-es-nicht"):
        page = await client.get("/faq", params={"missing": slug}, headers=ENGLISH)
        assert "is not available in" not in page.text


async def test_a_link_to_a_translation_speaks_the_translations_language(client):
    german = (await client.get("/faq/de/geraet-defekt")).text
    assert 'href="/faq/en/geraet-defekt" hreflang="en" lang="en">Read in English</a>' in german
    english = (await client.get("/faq/en/geraet-defekt")).text
    assert 'href="/faq/de/geraet-defekt" hreflang="de" lang="de">Auf Deutsch lesen</a>' in english
    assert "Auf English" not in german and "Read in Deutsch" not in english


async def test_a_german_query_with_the_english_interface_finds_the_german_answers(client):
    response = await client.get("/faq/search", params={"q": "Gerät defekt"}, headers=ENGLISH)
    html = response.text
    assert "Answers in German" in html
    assert "We found no answer in English, but these articles in German may help." in html
    assert re.search(r'<li lang="de">\s*<h3><a href="/faq/de/geraet-defekt\?s=[\w-]{16,}"', html)
    assert 'lang="de">Seite auf Deutsch anzeigen</button>' in html
    assert "No answer found" not in html and "Did you mean" not in html


async def test_an_english_query_with_the_german_interface_finds_the_english_answers(client):
    html = (await client.get("/faq/search", params={"q": "return label lost"})).text
    assert "Antworten auf Englisch" in html
    assert re.search(r'<a href="/faq/en/ruecksendeetikett-verloren\?s=', html)


async def test_a_query_neither_language_answers_is_still_no_answer(client):
    html = (await client.get("/faq/search", params={"q": "Finanzamt"}, headers=ENGLISH)).text
    assert "No answer found for “Finanzamt”" in html
    assert "Answers in German" not in html


async def test_a_query_clearly_in_the_other_language_gets_that_languages_answers(client):
    """An English article that happens to contain the German words does not answer it."""
    services = client.app.dependencies["services"].dependency()
    doc = ArticleDoc(
        "descaling-words",
        "en",
        "Glossary: entkalken",
        "Test",
        "Some customers write *Kaffeemaschine entkalken*: that is descaling.",
    )
    await on_app(client, services.faq.import_docs, [doc])
    query = {"q": "meine Kaffeemaschine entkalken"}
    html = (await client.get("/faq/search", params=query, headers=ENGLISH)).text
    assert "Answers in German" in html
    assert "/faq/de/kaffeevollautomat-entkalken?s=" in html
    assert "/faq/en/descaling-words" not in html
    # a query not clearly in either language keeps the page language's answers
    html = (await client.get("/faq/search", params={"q": "entkalken"}, headers=ENGLISH)).text
    assert "/faq/en/descaling-words?s=" in html and "Answers in German" not in html
