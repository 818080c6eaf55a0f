"""The portal with the semantic stage: it starts and answers lexically at once, and the
paraphrases its background worker makes findable appear once the articles are embedded."""

from __future__ import annotations

import asyncio

import pytest
from litestar.testing import AsyncTestClient

from faq.search.semantic import available
from portal.app import create_app
from portal.settings import Settings

pytestmark = pytest.mark.skipif(not available(), reason='the "semantic" extra is not installed')

ARTICLES = {
    "packstation": (
        "Kann ich an eine Packstation liefern lassen?",
        "Ja. Gib als Lieferadresse die Packstation-Nummer und deine Postnummer an.",
    ),
    "rechnung": (
        "Wo finde ich meine Rechnung?",
        "Die Rechnung liegt als PDF im Kundenkonto unter Bestellungen.",
    ),
    "newsletter": (
        "Wie melde ich mich vom Newsletter ab?",
        "Über den Link am Ende jeder Mail kannst du dich jederzeit abmelden.",
    ),
}
#: shares no word with any article: only its embedding finds the Packstation article
PARAPHRASE = "Kann mein Päckchen zu einem DHL-Automaten geschickt werden"


@pytest.fixture
def semantic_settings(env, tmp_path) -> Settings:
    content = tmp_path / "content"
    content.mkdir()
    for id, (title, body) in ARTICLES.items():
        front = f"---\nid: {id}\nlang: de\ntitle: {title}\ncategory: Hilfe\ntags: []\n---\n"
        (content / f"{id}.de.md").write_text(front + body + "\n", encoding="utf-8")
    return Settings.from_env(
        {**env, "PORTAL_FAQ_SEMANTIC": "true", "PORTAL_FAQ_CONTENT_DIR": str(content)}
    )


async def ids(client, q: str) -> list[str]:
    response = await client.get("/api/v1/faq/search", params={"q": q, "lang": "de"})
    assert response.status_code == 200, response.text
    return [hit["id"] for hit in response.json()["results"]]


async def test_search_answers_at_once_and_finds_paraphrases_once_embedded(semantic_settings):
    app = create_app(semantic_settings)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        # nothing embedded yet (an empty embedding cache): the lexical answer is there
        assert (await ids(client, "Newsletter abmelden"))[:1] == ["newsletter"]
        found = await ids(client, PARAPHRASE)
        for _ in range(600):  # the worker embeds three articles: seconds, on a busy machine more
            if found:
                break
            await asyncio.sleep(0.5)
            found = await ids(client, PARAPHRASE)
        assert found[:1] == ["packstation"]
