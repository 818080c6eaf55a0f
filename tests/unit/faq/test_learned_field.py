"""The engine's learned field: phrasings given through `set_learned` find their article
after the next upsert or rebuild, with a small weight ("maybe", never "the answer")."""

from __future__ import annotations

from faq.documents import ArticleDoc
from faq.search import FaqSearch

DOCS = [
    ArticleDoc(
        "transportschaden",
        "de",
        "Paket beschädigt angekommen",
        "Versand",
        "Fotografieren Sie die Verpackung und melden Sie den Schaden.",
    ),
    ArticleDoc(
        "ruecksendung",
        "de",
        "Rücksendung anmelden",
        "Retoure",
        "So senden Sie einen Artikel kostenlos zurück.",
    ),
]


def ids(engine: FaqSearch, query: str) -> list[tuple[str, str]]:
    return [(h.id, h.confidence) for h in engine.search(query, "de").hits]


def test_learned_phrasings_find_their_article_with_a_small_weight(tmp_path):
    engine = FaqSearch(tmp_path)
    engine.rebuild(DOCS)
    assert ids(engine, "zerdeppert") == []
    changed = engine.set_learned({("transportschaden", "de"): ["paket zerdeppert"]})
    assert changed == {("transportschaden", "de")}
    engine.upsert(DOCS[0])
    assert ids(engine, "zerdeppert") == [("transportschaden", "medium")]
    assert engine.set_learned({("transportschaden", "de"): ["paket zerdeppert"]}) == set()
    assert engine.set_learned({}) == {("transportschaden", "de")}
    engine.rebuild(DOCS)
    assert ids(engine, "zerdeppert") == []
    engine.close()
