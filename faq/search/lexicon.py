"""What the index knows about words: document frequencies, surface words, nouns,
fuzzy corrections, and the synonym rules of a language."""

from __future__ import annotations

import pathlib
import threading

from rapidfuzz import process as fuzzy_process
from rapidfuzz.distance import OSA

from faq import text
from faq.search.index import Vocabulary, decode_all, generation, is_content_word

LINKING_ENDINGS = ("s", "es", "n", "en", "e")
_LIGHT_ENDINGS = ("ern", "en", "er", "es", "e", "n", "s")


def light_strip(folded: str) -> str:
    """Drop one inflection ending, keeping at least five letters (Rechnungen -> Rechnung)."""
    for ending in _LIGHT_ENDINGS:
        if folded.endswith(ending) and len(folded) - len(ending) >= 5:
            return folded[: -len(ending)]
    return folded


class Synonyms:
    """Synonym groups of one language, normalised to index terms.

    ``a, b, c`` is a group: each entry stands for every other one.
    ``a, b => x, y`` is one-way: a and b also find x and y, not the reverse
    (used for hypernyms: "Mikrowelle => Gerät", not "Gerät => Mikrowelle").
    A multi-word entry is a phrase: as a source it fires when its words occur in
    that order in the query (at most one word between); as a target a document
    must contain all its content words.
    """

    def __init__(self, lang: str, path: pathlib.Path | None = None) -> None:
        # targets per group: single terms and multi-word term tuples
        self.groups: list[tuple[set[str], list[tuple[str, ...]]]] = []
        self.one_way: list[bool] = []
        self.single: dict[str, set[int]] = {}  # source term -> groups it expands to
        self.phrases: list[tuple[tuple[str, ...], int]] = []  # source phrase -> group
        for sources, targets in text.load_synonyms(lang, path):
            self.add_rule(sources, targets, lang, one_way=sources is not targets)

    def add_rule(self, sources: list[str], targets: list[str], lang: str, one_way: bool) -> None:
        singles: set[str] = set()
        multis: list[tuple[str, ...]] = []
        for entry in targets:
            tokens = text.tokenize(entry)
            if len(tokens) == 1:
                singles.add(text.word_forms(tokens[0], lang)[0])
            elif len(tokens) > 1:
                stems = tuple(text.norm(t, lang) for t in tokens if is_content_word(t, lang))
                if len(stems) >= 2:
                    multis.append(stems)
        group = len(self.groups)
        self.groups.append((singles, multis))
        self.one_way.append(one_way)
        for entry in sources:
            tokens = text.tokenize(entry)
            if len(tokens) == 1:
                self.single.setdefault(text.word_forms(tokens[0], lang)[0], set()).add(group)
            elif len(tokens) > 1:
                self.phrases.append((tuple(text.norm(t, lang) for t in tokens), group))

    def is_hyponym(self, term: str) -> bool:
        """A word with a one-way rule to a broader term (a product name)."""
        return any(self.one_way[group] for group in self.single.get(term, ()))

    @staticmethod
    def phrase_at(stems: tuple[str, ...], seq: list[str]) -> list[int] | None:
        """Positions of ``stems`` in ``seq`` in order with at most one word between."""
        for i, first in enumerate(seq):
            if first != stems[0]:
                continue
            positions = [i]
            j = i
            for stem in stems[1:]:
                if j + 1 < len(seq) and seq[j + 1] == stem:
                    j += 1
                elif j + 2 < len(seq) and seq[j + 2] == stem:
                    j += 2
                else:
                    break
                positions.append(j)
            if len(positions) == len(stems):
                return positions
        return None


class GenerationCache:
    """What the index says about words and articles, kept for one index generation and
    shared by every query of a language: document frequencies, surface words, nouns, term
    lists by prefix, fuzzy corrections and decoded stored fields. Customers' queries repeat
    their words, and live suggestions send every prefix typed; reading these from Whoosh
    (a lookup in a term table, or zlib and pickle for stored fields) cost over half of a
    search. A new generation starts empty; stored fields are bounded in number."""

    #: decoded stored fields kept at most (a few kB each)
    max_stored = 4096
    #: answers kept per kind at most: made-up words must not grow the cache without end
    max_words = 200_000

    def __init__(self, generation: int) -> None:
        self.generation = generation
        self.df: dict[str, int] = {}
        self.surface: dict[str, bool] = {}
        self.noun: dict[str, bool] = {}
        self.prefixed: dict[tuple[str, str, int], list[str]] = {}
        self.fuzzy: dict[tuple[str, int], str | None] = {}
        self.parts: dict[str, list[str] | None] = {}
        self.stored: dict[int, dict] = {}
        self.lengths: dict[int, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def bounded(self, cache: dict) -> dict:
        """``cache``, emptied when full (rare: a generation lasts minutes to days)."""
        if len(cache) >= self.max_words:
            cache.clear()
        return cache

    def keep_stored(self, docnum: int, fields: dict) -> None:
        with self._lock:
            if len(self.stored) >= self.max_stored:
                self.stored.pop(next(iter(self.stored)), None)  # the oldest
            self.stored[docnum] = fields


class LexiconCache:
    """The :class:`GenerationCache` of one language's latest index generation."""

    def __init__(self) -> None:
        self._current = GenerationCache(-3)
        self._lock = threading.Lock()

    def for_reader(self, reader) -> GenerationCache:
        gen = generation(reader)
        current = self._current
        if current.generation == gen:
            return current
        with self._lock:
            if self._current.generation == gen:
                return self._current
            fresh = GenerationCache(gen)
            if gen > self._current.generation:
                self._current = fresh
            return fresh  # an older reader (another thread's, until it refreshes): not kept


class Lexicon:
    """One searcher's view of the vocabulary; answers are cached per index generation."""

    def __init__(
        self, searcher, lang: str, vocabulary: Vocabulary, cache: LexiconCache | None = None
    ) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.lang = lang
        self._vocabulary = vocabulary
        self.n_docs = max(1, self.reader.doc_count())
        self._cache = (cache or LexiconCache()).for_reader(self.reader)

    def df(self, term: str) -> int:
        """Document frequency of an index term (title, body or learned phrasings, whichever
        is largest): a word only customers use is known once it has been learned."""
        cache = self._cache.df
        found = cache.get(term)
        if found is None:
            found = self._cache.bounded(cache)[term] = max(
                self.reader.doc_frequency("title_terms", term),
                self.reader.doc_frequency("body_terms", term),
                self.reader.doc_frequency("learned_terms", term),
            )
        return found

    def has_surface(self, folded: str) -> bool:
        cache = self._cache.surface
        found = cache.get(folded)
        if found is None:
            found = self._cache.bounded(cache)[folded] = (
                self.reader.doc_frequency("surfaces", folded) > 0
            )
        return found

    def known_word(self, word: str) -> bool:
        """A word the index has, as written (folded) or by its stem."""
        return self.has_surface(word) or bool(self.df(text.stem(word, self.lang)))

    def is_noun(self, folded: str) -> bool:
        cache = self._cache.noun
        found = cache.get(folded)
        if found is None:
            keys = "compound_keys"
            stripped = light_strip(folded)
            found = self._cache.bounded(cache)[folded] = self.reader.doc_frequency(
                keys, "n:" + folded
            ) > 0 or (stripped != folded and self.reader.doc_frequency(keys, "n:" + stripped) > 0)
        return found

    def stored(self, docnum: int) -> dict:
        """The stored fields of a document (read only: the dict is shared)."""
        found = self._cache.stored.get(docnum)
        if found is None:
            found = self.searcher.stored_fields(docnum)
            self._cache.keep_stored(docnum, found)
        return found

    def lengths(self, docnum: int, stored: dict) -> tuple[int, int]:
        """Terms in the title (with tags) and in the body of a document, from its stored
        fields: summed once per generation, not for every query that ranks it."""
        cache = self._cache.lengths
        found = cache.get(docnum)
        if found is None:
            found = self._cache.bounded(cache)[docnum] = (
                sum(stored["title_counts"].values()),
                sum(stored["body_counts"].values()),
            )
        return found

    def prefixed(self, fieldname: str, prefix: str, limit: int) -> list[str]:
        """Up to ``limit`` terms of a field starting with ``prefix`` (read only: the list
        is shared)."""
        key = (fieldname, prefix, limit)
        found = self._cache.prefixed.get(key)
        if found is None:
            found = self._cache.bounded(self._cache.prefixed)[key] = self._prefixed(
                fieldname, prefix, limit
            )
        return found

    def _prefixed(self, fieldname: str, prefix: str, limit: int) -> list[str]:
        out: list[str] = []
        try:
            for term in decode_all(self.reader.expand_prefix(fieldname, prefix)):
                out.append(term)
                if len(out) >= limit:
                    break
        except Exception:  # pragma: no cover - defensive: empty field etc.
            return out
        return out

    def vocabulary(self) -> Vocabulary:
        return self._vocabulary.ensure_current(self.reader)

    def fuzzy(self, folded: str, max_distance: int) -> str | None:
        """Closest known word within max_distance (OSA) sharing the first letter;
        surface words first, then stems; the more frequent wins ties."""
        if len(folded) < 4 or max_distance < 1 or not folded.isalpha():
            return None
        cache, key = self._cache.fuzzy, (folded, max_distance)
        found = cache.get(key, cache)  # the cache itself: not there yet (None is an answer)
        if found is cache:
            found = self._cache.bounded(cache)[key] = self._fuzzy(folded, max_distance)
        return found

    def compound_parts(self, folded: str, decompose) -> list[str] | None:
        """``decompose(folded)`` (the words of an unknown compound), kept per generation:
        customers repeat their words, and a split tries every cut (read only: shared)."""
        cache = self._cache.parts
        found = cache.get(folded, cache)
        if found is cache:
            found = self._cache.bounded(cache)[folded] = decompose(folded)
        return found

    def _fuzzy(self, folded: str, max_distance: int) -> str | None:
        vocabulary = self.vocabulary()
        stem = text.stem(folded, self.lang)
        pools = (
            (vocabulary.words.get(folded[0], ()), folded, False),
            (vocabulary.stems.get(folded[0], ()), stem, True),
        )
        for pool, word, is_stem in pools:
            if not pool or len(word) < 4:
                continue
            limit = max_distance
            if is_stem:  # stems are short and dense: only one edit, only longer stems
                if len(word) < 6:
                    continue
                limit = 1
            best = self._closest(word, pool, limit, is_stem)
            if best is not None:
                return best
        return None

    def _closest(self, word: str, pool, limit: int, is_stem: bool) -> str | None:
        short = len(word) == 4  # only two swapped letters ("lnog"): other edits make other words
        best: tuple[int, int, str] | None = None
        matches = fuzzy_process.extract(
            word, pool, scorer=OSA.distance, score_cutoff=limit, limit=None
        )
        for candidate, distance, _ in matches:
            distance = int(distance)
            if distance == 0 or distance > limit:
                continue
            if distance == 2 and len(word) < 9 and candidate[:3] != word[:3]:
                continue  # two edits in a short word: only with the same start
            if distance == 2 and len(word) < 8 and len(candidate) <= len(word):
                # and only when a letter was left out ("pasword"): two changed
                # letters in a 7-letter word mostly make another real word
                # ("Freibad" is not "Freitag", "geklaut" not "gekauft")
                continue
            if short and sorted(candidate) != sorted(word):
                continue
            stem = candidate if is_stem else text.stem(candidate, self.lang)
            freq = self.df(stem)
            if not freq:
                continue  # stale entry (deleted article)
            key = (distance, -freq, candidate)
            if best is None or key < best:
                best = key
        return best[2] if best else None
