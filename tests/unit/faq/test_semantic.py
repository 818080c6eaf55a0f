"""The optional semantic stage (faq/search/semantic.py): lexical without it, fused with it."""

from __future__ import annotations

import dataclasses

import pytest

from faq.documents import ArticleDoc
from faq.search import TUNING, FaqSearch
from faq.search.semantic import available, fuse

DOCS = [
    ArticleDoc(id=id, lang="de", title=title, category="Hilfe", body=body)
    for id, title, body in (
        (
            "packstation",
            "Kann ich an eine Packstation liefern lassen?",
            "Ja. Gib als **Lieferadresse** die Packstation-Nummer und deine Postnummer an.",
        ),
        (
            "rechnung",
            "Wo finde ich meine Rechnung?",
            "Die Rechnung liegt als PDF im Kundenkonto unter Bestellungen.",
        ),
        (
            "newsletter",
            "Wie melde ich mich vom Newsletter ab?",
            "Über den Link am Ende jeder Mail kannst du dich jederzeit abmelden.",
        ),
    )
]

#: shares no word with any article: a lexical engine finds nothing
PARAPHRASE = "Kann mein Päckchen zu einem DHL-Automaten geschickt werden"


def engine(tmp_path, **knobs) -> FaqSearch:
    search = FaqSearch(tmp_path / "idx", tuning=dataclasses.replace(TUNING, **knobs))
    search.rebuild(DOCS)
    return search


def test_fusion_adds_reciprocal_ranks_and_keeps_the_lexical_order_on_ties():
    fused = fuse(["a", "b"], ["c", "b"], weight=1.0, k=60)
    assert [id for id, _ in fused] == ["b", "a", "c"]
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 62)
    assert [id for id, _ in fuse(["a"], ["b"], weight=2.0, k=60)] == ["b", "a"]


@pytest.mark.parametrize("switched_on", [False, True])
def test_switched_off_or_not_installed_the_search_is_lexical(tmp_path, switched_on):
    if switched_on and available():
        pytest.skip('the "semantic" extra is installed: see the next test')
    search = engine(tmp_path, semantic=switched_on)
    assert search.search(PARAPHRASE, "de").hits == []
    hits = search.search("Newsletter abmelden", "de").hits
    assert [h.id for h in hits][:1] == ["newsletter"] and hits[0].confidence == "high"


@pytest.mark.skipif(not available(), reason='the "semantic" extra is not installed')
def test_a_paraphrase_without_shared_words_is_found_by_its_embedding_but_never_the_answer(
    tmp_path,
):
    search = engine(tmp_path, semantic=True)
    hits = search.search(PARAPHRASE, "de").hits
    assert hits[0].id == "packstation"
    assert {h.confidence for h in hits} == {"low"}
    assert "Postnummer" in hits[0].snippet and "**" not in hits[0].snippet  # plain text
    # a confident lexical answer is left as it is
    sure = search.search("Newsletter abmelden", "de").hits
    assert sure[0].id == "newsletter" and sure[0].confidence == "high"
    # the embeddings follow upserts and deletes
    search.delete("packstation", "de")
    assert "packstation" not in [h.id for h in search.search(PARAPHRASE, "de").hits]
    search.upsert(DOCS[0])
    assert search.search(PARAPHRASE, "de").hits[0].id == "packstation"


@pytest.mark.skipif(not available(), reason='the "semantic" extra is not installed')
def test_article_embeddings_are_kept_on_disk_and_reused_by_the_next_start(tmp_path):
    from faq.search.semantic import EmbeddingCache, passage_text

    first = engine(tmp_path, semantic=True)
    cache = EmbeddingCache(tmp_path / "embeddings")  # beside the index directory
    assert len(list(cache.directory.glob("*/*.npy"))) == len(DOCS)
    chars = TUNING.semantic_chars
    # the next start reads them instead of embedding again: planted vectors are what it uses
    packstation, newsletter = (passage_text(d, chars) for d in (DOCS[0], DOCS[2]))
    swapped = cache.get(newsletter), cache.get(packstation)
    cache.put(packstation, swapped[0])
    cache.put(newsletter, swapped[1])
    assert first.search(PARAPHRASE, "de").hits[0].id == "packstation"  # memory unchanged
    assert engine(tmp_path, semantic=True).search(PARAPHRASE, "de").hits[0].id == "newsletter"
