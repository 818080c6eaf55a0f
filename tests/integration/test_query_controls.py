"""Control characters in a search query (a NUL, an escape) are not content: the pages that
read `q` drop them before they show, search or keep it."""

from __future__ import annotations

import re

from support import case_form

QUERY = "Rücksendeetikett\x00 verloren\x1b[31m\x07"


def title(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1)


async def test_the_search_page_shows_the_query_without_them(client):
    response = await client.get("/faq/search", params={"q": QUERY})
    assert response.status_code == 200
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", response.text)
    assert title(response.text).startswith("Suche: Rücksendeetikett verloren[31m")
    assert 'value="Rücksendeetikett verloren[31m"' in response.text
    assert "/faq/de/ruecksendeetikett-verloren" in response.text, "the words are still found"


async def test_the_case_form_keeps_the_query_without_them(client):
    _, token = await case_form.start(client, "Drucker\x00 druckt\x1b nicht")
    details = await case_form.post_step(client, 1, token, case_form.STEP1)
    assert details.url.path == "/case/new/2"
    assert re.search(r"<textarea[^>]*>\s*Drucker druckt nicht</textarea>", details.text)
