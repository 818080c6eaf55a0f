"""FaqSearch: one Whoosh index per language, searchers per thread, writes, and the
search pipeline (analyzer -> ranking -> snippets) put together."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import pathlib
import threading
import time
from collections.abc import Iterable, Mapping, Sequence

from whoosh.scoring import BM25F
from whoosh.writing import CLEAR

from faq import text
from faq.documents import ArticleDoc
from faq.search import confidence, language, semantic
from faq.search.analyzer import Concept, QueryAnalyzer
from faq.search.expansion import ExpansionCache, TermExpander
from faq.search.index import PostingsCache, Vocabulary, document_fields, open_index
from faq.search.lexicon import Lexicon, LexiconCache, Synonyms
from faq.search.ranking import Ranker, Ranking
from faq.search.related import related_articles
from faq.search.results import Hit, SearchResult
from faq.search.snippets import make_snippet
from faq.search.tuning import TUNING, Tuning
from shared.regional import LANGUAGES

log = logging.getLogger(__name__)


class _SearcherSlot:
    __slots__ = ("searcher", "generation", "checked")

    def __init__(self, searcher, generation: int) -> None:
        self.searcher = searcher
        self.generation = generation
        self.checked = time.monotonic()


class FaqSearch:
    """Full-text FAQ search over one index directory (see the package docstring)."""

    #: how often (s) a searcher checks the disk for commits by other processes
    external_check_interval = 1.0
    #: postings cached in memory (document numbers, 4 bytes each)
    postings_cache_ids = 4_000_000

    def __init__(
        self,
        index_dir: pathlib.Path,
        tuning: Tuning | None = None,
        synonyms_dir: pathlib.Path | None = None,
        embeddings_dir: pathlib.Path | None = None,
    ) -> None:
        """``embeddings_dir`` (semantic stage only) defaults to ``embeddings`` beside the
        index directory, where the portal's processes share it."""
        self.index_dir = pathlib.Path(index_dir)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        self.tuning = tuning or TUNING
        self._indexes = {lang: open_index(self.index_dir, lang) for lang in LANGUAGES}
        self._synonyms = {
            lang: Synonyms(lang, (synonyms_dir / f"synonyms.{lang}.txt") if synonyms_dir else None)
            for lang in LANGUAGES
        }
        self._vocabularies = {lang: Vocabulary() for lang in LANGUAGES}
        self._expansions = {lang: ExpansionCache() for lang in LANGUAGES}
        self._lexicon_caches = {lang: LexiconCache() for lang in LANGUAGES}
        self._postings = PostingsCache(self.postings_cache_ids)
        self._write_lock = threading.Lock()
        self._generations = {lang: 0 for lang in LANGUAGES}
        self._local = threading.local()
        self._slots_lock = threading.Lock()
        self._all_slots: list[_SearcherSlot] = []
        self._closed = False
        #: phrasings learned from customers per (article id, language), see set_learned
        self._learned: dict[tuple[str, str], tuple[str, ...]] = {}
        #: article embeddings when the optional semantic stage is on and installed
        self._semantic = (
            semantic.SemanticIndex(
                self.tuning.semantic_chars,
                embeddings_dir or self.index_dir.parent / "embeddings",
                self.tuning.semantic_query_tokens,
            )
            if self.tuning.semantic and semantic.available()
            else None
        )

    # searchers ----------------------------------------------------------
    def _searcher(self, lang: str):
        if self._closed:
            raise RuntimeError("FaqSearch is closed")
        slots = getattr(self._local, "slots", None)
        if slots is None:
            slots = self._local.slots = {}
        slot = slots.get(lang)
        generation = self._generations[lang]
        if slot is None:
            slot = _SearcherSlot(self._indexes[lang].searcher(weighting=BM25F()), generation)
            slots[lang] = slot
            with self._slots_lock:
                self._all_slots.append(slot)
            return slot.searcher
        now = time.monotonic()
        if slot.generation != generation or now - slot.checked > self.external_check_interval:
            slot.checked = now
            slot.generation = generation
            if not slot.searcher.up_to_date():
                # a fresh searcher: Searcher.refresh() reuses segment readers and can
                # miss deletions made by update_document in a reused segment
                old = slot.searcher
                slot.searcher = self._indexes[lang].searcher(weighting=BM25F())
                old.close()
        return slot.searcher

    def _lexicon(self, lang: str) -> Lexicon:
        return Lexicon(
            self._searcher(lang), lang, self._vocabularies[lang], self._lexicon_caches[lang]
        )

    # writes -------------------------------------------------------------
    def _write(self, lang: str, change, **commit) -> None:
        """Run ``change(writer)`` and commit, or cancel on any error."""
        writer = self._indexes[lang].writer(timeout=30.0, limitmb=256)
        try:
            change(writer)
        except BaseException:
            writer.cancel()
            raise
        writer.commit(**commit)
        self._generations[lang] += 1

    def set_learned(self, learned: Mapping[tuple[str, str], Sequence[str]]) -> set[tuple[str, str]]:
        """Replace the phrasings learned per (article id, language); they are indexed from the
        next ``rebuild`` or ``upsert`` of the article. Returns the keys whose phrasings changed,
        which the caller upserts (the engine does not keep the articles' source)."""
        fresh = {key: tuple(phrases) for key, phrases in learned.items() if phrases}
        changed = {
            key
            for key in fresh.keys() | self._learned.keys()
            if fresh.get(key) != self._learned.get(key)
        }
        self._learned = fresh
        return changed

    def rebuild(self, docs: Iterable[ArticleDoc]) -> None:
        by_lang: dict[str, dict[str, ArticleDoc]] = {lang: {} for lang in LANGUAGES}
        for doc in docs:
            self._check_lang(doc.lang)
            by_lang[doc.lang][doc.id] = doc
        with self._write_lock:
            for lang in LANGUAGES:

                def add_all(writer, lang=lang):
                    for doc in by_lang[lang].values():
                        writer.add_document(
                            **document_fields(doc, self._learned.get((doc.id, lang), ()))
                        )

                self._write(lang, add_all, mergetype=CLEAR)
                self._vocabularies[lang].generation = -2  # rebuilt lazily
                if self._semantic is not None:
                    self._semantic.rebuild(lang, by_lang[lang].values())

    def upsert(self, doc: ArticleDoc) -> None:
        self._check_lang(doc.lang)
        fields = document_fields(doc, self._learned.get((doc.id, doc.lang), ()))
        with self._write_lock:
            self._write(doc.lang, lambda writer: writer.update_document(**fields))
            vocabulary = self._vocabularies[doc.lang]
            with vocabulary.lock:
                fresh = vocabulary.generation >= 0
                vocabulary.add(
                    fields["surfaces"].split(),
                    list(fields["title_counts"]) + list(fields["body_counts"]),
                )
                if fresh:
                    vocabulary.generation = self._indexes[doc.lang].latest_generation()
            if self._semantic is not None:
                self._semantic.upsert(doc)

    def delete(self, id: str, lang: str) -> None:
        self._check_lang(lang)
        with self._write_lock:
            self._write(lang, lambda writer: writer.delete_by_term("key", id))
            if self._semantic is not None:
                self._semantic.delete(id, lang)
            vocabulary = self._vocabularies[lang]
            with vocabulary.lock:
                if (
                    vocabulary.generation >= 0
                ):  # stale words are skipped by their document frequency
                    vocabulary.generation = self._indexes[lang].latest_generation()

    def wait_for_embeddings(self, timeout: float | None = None) -> bool:
        """Wait until the semantic stage has embedded every article (they are embedded in
        the background; until then searches use those done so far). False on timeout."""
        return self._semantic is None or self._semantic.wait(timeout)

    def embedding_progress(self) -> tuple[int, bool]:
        """How far the background embedding got (a number that grows with each step) and
        whether it is done: results cached before a step may differ after it."""
        if self._semantic is None:
            return 0, True
        return self._semantic.progress, self._semantic.wait(0)

    def close(self) -> None:
        self._closed = True
        if self._semantic is not None:
            self._semantic.close()
        with self._slots_lock:
            for slot in self._all_slots:
                with contextlib.suppress(Exception):
                    slot.searcher.close()
            self._all_slots.clear()
        for ix in self._indexes.values():
            with contextlib.suppress(Exception):
                ix.close()

    @staticmethod
    def _check_lang(lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language: {lang!r}")

    # search -------------------------------------------------------------
    def search(
        self, query: str, lang: str, limit: int = 10, offset: int = 0, snippets: bool = True
    ) -> SearchResult:
        """Ranked hits with confidence; ``snippets=False`` leaves each hit's snippet empty,
        for lists that show titles only (live suggestions), where making the snippets cost
        a fifth of the search."""
        self._check_lang(lang)
        query = query if isinstance(query, str) else ""
        limit = max(0, min(int(limit), 100))
        offset = max(0, int(offset))
        if not query.strip():
            return SearchResult(query, [], 0, None)
        lexicon = self._lexicon(lang)
        try:
            ranking = self._rank(lexicon, query)
            did_you_mean = self._did_you_mean(query, ranking.concepts, lexicon)
            if self._semantic is not None and not self._lexical_sure(lexicon, ranking):
                fused = self._fused(query, lexicon, ranking, offset, limit, snippets)
                if fused is not None:
                    return SearchResult(query, *fused, did_you_mean)
            end = min(len(ranking.hits), offset + limit)
            hits = [self._hit(lexicon, index, ranking, snippets) for index in range(offset, end)]
        except Exception:  # user input must never break the page; the bug is logged
            log.exception("FAQ search failed for %r (%s)", query[:200], lang)
            return SearchResult(query, [], 0, None)
        return SearchResult(query, hits, len(ranking.hits), did_you_mean)

    def explain(self, query: str, lang: str) -> dict:
        """Debug view of the pipeline (used by bench/faq_quality.py --verbose)."""
        self._check_lang(lang)
        lexicon = self._lexicon(lang)
        ranking = self._rank(lexicon, query, keep_all=True)
        stored = lexicon.stored
        gated = self._rank(lexicon, query)
        sure = [
            (
                stored(x.docnum)["key"],
                *confidence.assess(gated, i, stored(x.docnum), lexicon.n_docs, lang, self.tuning),
            )
            for i, x in enumerate(gated.hits[:3])
        ]
        return {
            "concepts": [
                (
                    c.word,
                    round(c.weight, 2),
                    c.correction,
                    sorted((str(k), round(v, 2)) for k, v in c.terms.items())[:12],
                )
                for c in ranking.concepts
            ],
            "ranked": [
                (stored(x.docnum)["key"], round(x.score, 3), x.features()) for x in ranking.hits[:5]
            ],
            "confidence": sure,
        }

    def _rank(self, lexicon: Lexicon, query: str, keep_all: bool = False) -> Ranking:
        lang = lexicon.lang
        expander = TermExpander(lexicon, self._synonyms[lang], self.tuning, self._expansions[lang])
        concepts = QueryAnalyzer(expander).analyze(query)
        ranker = Ranker(lexicon, self._postings, self.tuning)
        ranking = ranker.rank(concepts, keep_all=keep_all)
        # query relaxation: nothing passes the bar, so drop the weakest concept, one at a
        # time; hits found so are judged against the whole query (so mostly "maybe")
        relaxed = list(concepts)
        for _ in range(self.tuning.relaxations):
            if ranking.hits or keep_all or len(relaxed) < 2:
                break
            relaxed.remove(min(relaxed, key=lambda c: c.weight))
            found = ranker.rank(relaxed)
            ranking = Ranking(found.hits, concepts, found.stored, ranking.long_query)
        return ranking

    def _lexical_sure(self, lexicon: Lexicon, ranking: Ranking) -> bool:
        """Whether the best lexical hit is "the answer" (then the semantic stage is skipped)."""
        if not ranking.hits:
            return False
        stored = ranking.stored.get(ranking.hits[0].docnum) or lexicon.stored(
            ranking.hits[0].docnum
        )
        level, _ = confidence.assess(ranking, 0, stored, lexicon.n_docs, lexicon.lang, self.tuning)
        return level == "high"

    def _fused(
        self,
        query: str,
        lexicon: Lexicon,
        ranking: Ranking,
        offset: int,
        limit: int,
        snippets: bool,
    ) -> tuple[list[Hit], int] | None:
        """Lexical hits and the articles nearest to the query's embedding, merged by rank;
        hits keep their lexical confidence, those found only by embedding are "low".
        None while no article of the language is embedded yet (the search stays lexical)."""
        t = self.tuning
        nearest = self._semantic.nearest(query, lexicon.lang, t.semantic_candidates)
        if not nearest:
            return None
        lexical: dict[str, int] = {}
        for index, ranked in enumerate(ranking.hits[: max(offset + limit, t.semantic_lexical)]):
            stored = ranking.stored.get(ranked.docnum) or lexicon.stored(ranked.docnum)
            lexical[stored["key"]] = index
        fused = semantic.fuse(
            list(lexical), [id for id, _ in nearest], t.semantic_weight, t.semantic_rrf_k
        )
        hits = []
        for id, score in fused[offset : offset + limit]:
            if id in lexical:
                hit = self._hit(lexicon, lexical[id], ranking, snippets)
                hits.append(dataclasses.replace(hit, score=round(score, 4)))
            elif (hit := self._semantic.hit(id, lexicon.lang, score)) is not None:
                hits.append(hit)
        return hits, len(fused)

    def _did_you_mean(self, query: str, concepts: list[Concept], lexicon: Lexicon) -> str | None:
        """The query with its corrected words, if any; a word of general language is kept as
        typed: the search may still try a near word of the FAQ, but "my tv shows stripes"
        was not a misspelt "strips"."""
        general = language.word_frequencies(lexicon.lang)
        fixes = [
            (c.span, c.correction)
            for c in concepts
            if c.correction
            and c.span
            and general.get(text.fold(c.word, lexicon.lang), 0.0) < self.tuning.suggest_max_zipf
        ]
        if not fixes:
            return None
        out = query[: self.tuning.max_query_chars]
        for (start, end), correction in sorted(fixes, reverse=True):
            shown = correction
            for spelling in lexicon.prefixed("spellings", correction + "|", 1):
                shown = spelling.split("|", 1)[1]
            if out[start:end][:1].isupper():
                shown = shown[:1].upper() + shown[1:]
            out = out[:start] + shown + out[end:]
        return out.strip() or None

    def _hit(self, lexicon: Lexicon, index: int, ranking: Ranking, snippets: bool = True) -> Hit:
        ranked = ranking.hits[index]
        stored = ranking.stored.get(ranked.docnum) or lexicon.stored(ranked.docnum)
        level, _ = confidence.assess(
            ranking, index, stored, lexicon.n_docs, lexicon.lang, self.tuning
        )
        if not snippets:
            return Hit(
                stored["key"],
                lexicon.lang,
                stored["title"],
                stored["category"],
                "",
                round(ranked.score, 4),
                level,
            )
        term_to_concept: dict[str, int] = {}
        for i, c in enumerate(ranking.concepts):
            for term in c.terms:
                for x in term if isinstance(term, tuple) else (term,):
                    term_to_concept.setdefault(x, i)
        snippet = make_snippet(
            stored["text"], lexicon.lang, term_to_concept, [c.weight for c in ranking.concepts]
        )
        return Hit(
            stored["key"],
            lexicon.lang,
            stored["title"],
            stored["category"],
            snippet,
            round(ranked.score, 4),
            level,
        )

    # related ------------------------------------------------------------
    def related(self, id: str, lang: str, limit: int = 5) -> list[Hit]:
        """Articles sharing the rarer words of this one (title words count double)."""
        self._check_lang(lang)
        limit = max(0, min(int(limit), 50))
        if not limit:
            return []
        return related_articles(self._searcher(lang), self._postings, lang, id, limit)
