"""The optional semantic stage (faq/search/semantic.py): lexical without it, fused with it."""

from __future__ import annotations

import dataclasses

import pytest

from faq.documents import ArticleDoc
from faq.search import TUNING, FaqSearch
from faq.search.semantic import available, fuse, truncate

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


def engine(tmp_path, wait: bool = True, **knobs) -> FaqSearch:
    """An engine over DOCS; with ``wait``, once its background worker embedded them all."""
    search = FaqSearch(tmp_path / "idx", tuning=dataclasses.replace(TUNING, **knobs))
    search.rebuild(DOCS)
    if wait:
        assert search.wait_for_embeddings(timeout=300)
    return search


def test_a_query_is_cut_to_its_first_words_within_the_token_budget():
    chars = len  # one token per character keeps the test exact

    assert truncate("short query", 64, chars) == "short query"
    assert truncate("one two three four", 9, chars) == "one two"  # 7 characters
    assert truncate("one two three four", 0, chars) == "one two three four"  # no budget
    assert truncate("overlong", 3, chars) == "overlong"  # at least the first word


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
    assert search.wait_for_embeddings(timeout=300)  # from the cache: the text is unchanged
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


@pytest.mark.skipif(not available(), reason='the "semantic" extra is not installed')
def test_the_index_is_searchable_before_the_articles_are_embedded(tmp_path):
    # embedding the three articles takes the background worker about a second of CPU;
    # the rebuild returns at once and the first search is lexical, without waiting
    search = engine(tmp_path, wait=False, semantic=True)
    assert search.embedding_progress() == (0, False)  # nothing embedded yet
    sure = search.search("Newsletter abmelden", "de").hits
    assert sure[0].id == "newsletter" and sure[0].confidence == "high"
    assert search.search(PARAPHRASE, "de").hits == []  # lexical: no shared word
    # once the worker is done, the same search finds the paraphrase by its embedding
    assert search.wait_for_embeddings(timeout=300)
    assert search.embedding_progress()[1]  # done
    assert search.search(PARAPHRASE, "de").hits[0].id == "packstation"
    search.close()


def _write_repeatedly(directory, passage, seed, rounds):
    import numpy as np

    from faq.search.semantic import DIM, EmbeddingCache

    cache = EmbeddingCache(directory)
    vector = np.full(DIM, float(seed), dtype=np.float32)
    for _ in range(rounds):
        cache.put(passage, vector)


@pytest.mark.skipif(not available(), reason='the "semantic" extra is not installed')
def test_processes_sharing_the_cache_never_read_a_half_written_file(tmp_path):
    import multiprocessing

    import numpy as np

    from faq.search.semantic import DIM, EmbeddingCache

    cache, passage = EmbeddingCache(tmp_path), "Wo finde ich meine Rechnung?"
    path = cache.path(passage)  # read raw: get() would hide a torn file
    context = multiprocessing.get_context("spawn")
    writers = [
        context.Process(target=_write_repeatedly, args=(tmp_path, passage, seed, 300))
        for seed in (1, 2)
    ]
    for writer in writers:
        writer.start()
    seen = set()
    while any(w.is_alive() for w in writers) or not seen:
        try:
            vector = np.load(path)  # raises on a partly written file
        except FileNotFoundError:
            continue
        assert vector.shape == (DIM,) and len(set(vector.tolist())) == 1
        seen.add(float(vector[0]))
    for writer in writers:
        writer.join()
        assert writer.exitcode == 0
    assert seen <= {1.0, 2.0}
    assert not list(tmp_path.rglob("*.tmp"))  # no temporary file left behind
