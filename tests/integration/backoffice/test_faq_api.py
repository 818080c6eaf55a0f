"""The back office writes FAQ articles through the API; search finds them at once."""

from __future__ import annotations

from support.backoffice import bearer

ARTICLE = {
    "title": "Zollgebühren bei Lieferungen in die Schweiz",
    "category": "Versand",
    "body": "Bei Lieferungen in die Schweiz fallen Zollgebühren an, die der Paketdienst einzieht.",
    "tags": ["Zoll", "Schweiz"],
}
URL = "/api/v1/backoffice/faq/de/zoll-schweiz"


async def hits(client, q: str) -> list[str]:
    response = await client.get("/api/v1/faq/search", params={"q": q, "lang": "de"})
    return [hit["id"] for hit in response.json()["results"]]


async def test_upsert_search_update_delete(client) -> None:
    auth = await bearer(client, "faq:write")
    assert "zoll-schweiz" not in await hits(client, "Zollgebuehren Schweiz")
    created = await client.put(URL, json=ARTICLE, headers=auth)
    assert created.status_code == 201, created.text
    assert created.json()["created"] is True and created.json()["url"].endswith(
        "/faq/de/zoll-schweiz"
    )
    assert (await hits(client, "Zollgebuehren Schweiz"))[0] == "zoll-schweiz"
    page = await client.get("/faq/de/zoll-schweiz")
    assert page.status_code == 200 and "Paketdienst" in page.text

    again = await client.put(URL, json=ARTICLE, headers=auth)
    assert again.status_code == 200 and again.json()["created"] is False
    changed = {**ARTICLE, "body": "Die Einfuhrumsatzsteuer übernehmen wir für dich."}
    assert (await client.put(URL, json=changed, headers=auth)).status_code == 200
    assert "Einfuhrumsatzsteuer" in (await client.get("/faq/de/zoll-schweiz")).text

    assert (await client.delete(URL, headers=auth)).status_code == 204
    assert (await client.get("/faq/de/zoll-schweiz")).status_code == 404
    assert "zoll-schweiz" not in await hits(client, "Zollgebuehren Schweiz")
    gone = await client.delete(URL, headers=auth)
    assert gone.status_code == 404 and gone.headers["content-type"].startswith(
        "application/problem+json"
    )


async def test_scope_and_validation(client) -> None:
    reader = await bearer(client, "cases:read")
    assert (await client.put(URL, json=ARTICLE)).status_code == 401
    assert (await client.put(URL, json=ARTICLE, headers=reader)).status_code == 403
    auth = await bearer(client, "faq:write")
    for url, body in (
        ("/api/v1/backoffice/faq/de/Zoll_Schweiz", ARTICLE),
        ("/api/v1/backoffice/faq/fr/zoll", ARTICLE),
        (URL, {**ARTICLE, "title": ""}),
        (URL, {**ARTICLE, "unknown": 1}),
        (URL, {k: v for k, v in ARTICLE.items() if k != "body"}),
    ):
        response = await client.put(url, json=body, headers=auth)
        assert response.status_code in (400, 422), (url, body, response.status_code)
        assert response.headers["content-type"].startswith("application/problem+json")
    assert "zoll-schweiz" not in await hits(client, "Zollgebuehren Schweiz")


async def test_control_characters_are_dropped_not_fatal(client) -> None:
    """PostgreSQL refuses NUL in text; found by the fuzzer."""
    auth = await bearer(client, "faq:write")
    body = {**ARTICLE, "title": "Zoll\u0000gebühren", "tags": ["Zoll\u0000", ""]}
    assert (await client.put(URL, json=body, headers=auth)).status_code == 201
    page = await client.get("/faq/de/zoll-schweiz")
    assert "Zoll gebühren" in page.text
    search = await client.get(
        "/api/v1/faq/search", params={"q": "ß\u0000® Zollgebuehren", "lang": "de"}
    )
    assert search.status_code == 200
