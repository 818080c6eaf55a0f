"""From one query word to the weighted index terms that stand for it: its stem,
synonyms, near inflections and (German) compounds that contain it, plus the
compound handling of words the index lacks (split, turned round, written apart)."""

from __future__ import annotations

import threading
from collections import OrderedDict

from faq import text
from faq.search import language
from faq.search.index import generation
from faq.search.lexicon import LINKING_ENDINGS, Lexicon, Synonyms, light_strip
from faq.search.tuning import Tuning

#: Joints tried between two parts when gluing a compound together.
_JOINTS = ("", "s", "n", "en", "e", "es")


class Terms(dict):
    """Index term (str, or a tuple of str for a phrase) -> match weight; ``loose`` are the
    terms that stand for the word only loosely: it is a part of a longer compound
    ("Streifen" in "Teststreifen"), or a general thesaurus lists it for some sense of the
    word. Both are weaker evidence that the article means the same."""

    __slots__ = ("loose",)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.loose: set[str] = set()

    def put(self, term, weight: float, loose: bool = False) -> None:
        """Keep the strongest weight per term, and whether that one is loose."""
        if self.get(term, 0.0) < weight:
            self[term] = weight
            if loose:
                self.loose.add(term)
            else:
                self.loose.discard(term)

    def copy(self) -> Terms:
        out = Terms(self)
        out.loose = set(self.loose)
        return out


class ExpansionCache:
    """Expansions per index generation and word, shared by the queries of one language:
    customers' queries repeat their words, and live suggestions send every prefix. An
    expansion reads the index's term lists (prefixes, compound parts), which costs more
    than the rest of a word's analysis."""

    def __init__(self, size: int = 50_000) -> None:
        self.size = size
        self._items: OrderedDict[tuple, Terms] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Terms | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
        return found.copy() if found is not None else None

    def put(self, key: tuple, terms: Terms) -> None:
        with self._lock:
            self._items[key] = terms.copy()
            if len(self._items) > self.size:
                self._items.popitem(last=False)


class TermExpander:
    """Expands words against one lexicon; all terms returned exist in the index."""

    def __init__(
        self,
        lexicon: Lexicon,
        synonyms: Synonyms,
        tuning: Tuning,
        cache: ExpansionCache | None = None,
    ) -> None:
        self.lexicon = lexicon
        self.synonyms = synonyms
        self.tuning = tuning
        self.lang = lexicon.lang
        self.cache = cache
        self._generation = generation(lexicon.reader)

    def expand(self, folded: str, stem: str, factor: float = 1.0) -> Terms:
        """Index terms (term -> match weight) for a folded word with its stem."""
        if self.cache is None:
            return self._expand(folded, stem, factor)
        key = (self._generation, folded, stem, factor)
        terms = self.cache.get(key)
        if terms is None:
            terms = self._expand(folded, stem, factor)
            self.cache.put(key, terms)
        return terms

    def _expand(self, folded: str, stem: str, factor: float) -> Terms:
        tuning, df = self.tuning, self.lexicon.df
        terms = Terms()

        def add(term, weight, loose=False):
            terms.put(term, weight * factor, loose)

        if df(stem):
            add(stem, tuning.w_exact)
        for group in self.synonyms.single.get(stem, ()):
            singles, multis = self.synonyms.groups[group]
            weight = tuning.w_hyper if self.synonyms.one_way[group] else tuning.w_syn
            for term in singles:
                if term != stem and df(term):
                    add(term, weight)
            for phrase in multis:
                if all(df(t) for t in phrase):
                    add(phrase, min(weight, tuning.w_syn_phrase))
        if tuning.w_thesaurus and not (tuning.thesaurus_unknown_only and df(stem)):
            for term in language.thesaurus(self.lang).get(stem, ()):
                if df(term):
                    add(term, tuning.w_thesaurus, True)
        if tuning.w_colloquial and not df(stem):  # colloquial word the FAQ lacks: "Kohle"
            for term in language.colloquial(self.lang).get(stem, ()):
                if df(term):
                    add(term, tuning.w_colloquial, True)
        # near inflections the stemmer did not merge (deliver/deliveri)
        if len(stem) >= 5:
            for fieldname in ("title_terms", "body_terms"):
                for term in self.lexicon.prefixed(fieldname, stem, 40):
                    if 0 < len(term) - len(stem) <= 2:
                        add(term, tuning.w_inflect)
        if self.lang == "de":
            self._compounds_containing(folded, stem, add)
        return terms

    def _compounds_containing(self, folded: str, stem: str, add) -> None:
        """Nouns of the articles of which the word is the tail or the head."""
        tuning, lexicon = self.tuning, self.lexicon
        limit = tuning.max_expansions
        # query word is the tail of a longer doc word: Etikett -> Rücksendeetikett
        if len(folded) >= 4:
            for key in lexicon.prefixed("compound_keys", "s:" + folded[::-1], limit):
                word = key[2:][::-1]
                if len(word) - len(folded) >= (3 if len(folded) >= 5 else 4):
                    add(text.stem(word, "de"), tuning.w_tail, True)
        if len(stem) >= 5 and stem != folded:
            for key in lexicon.prefixed("compound_keys", "t:" + stem[::-1], limit):
                term = key[2:][::-1]
                if len(term) - len(stem) >= 3:
                    add(term, tuning.w_tail, True)
        # query word is the head of a longer doc word: Rechnung -> Rechnungskauf
        roots = {folded}
        stripped = light_strip(folded)
        if stripped != folded and lexicon.has_surface(stripped):  # Rechnungen -> Rechnungskauf
            roots.add(stripped)
        if len(stem) >= 5:
            roots.add(stem)
        for root in sorted(roots):
            if len(root) < 5:
                continue
            for key in lexicon.prefixed("compound_keys", "h:" + root, limit):
                word = key[2:]
                if len(word) - len(root) >= 3 and len(word) - len(folded) >= 2:
                    add(text.stem(word, "de"), tuning.w_head, True)

    def written_apart(self, words: list[tuple[int, str]]) -> list[str]:
        """Compounds the articles use that the query writes as separate words,
        in either order: "Verlängerung der Garantie" -> garantieverlangerung."""
        vocabulary = self.lexicon.vocabulary()
        out: list[str] = []
        for a, (pos_a, first) in enumerate(words):
            for b, (pos_b, second) in enumerate(words):
                if a == b or abs(pos_a - pos_b) > 4:
                    continue
                for head in dict.fromkeys((first, text.stem(first, self.lang))):
                    if len(head) < 3:
                        continue
                    for joint in _JOINTS:
                        candidate = head + joint + second
                        if (
                            len(candidate) >= 8
                            and vocabulary.has_word(candidate)
                            and candidate not in out
                        ):
                            out.append(candidate)
                            break
        return out

    def turned_round(self, folded: str) -> str | None:
        """A compound of the articles with the parts the other way round
        ("Robotersauger" -> "saugroboter")."""
        vocabulary = self.lexicon.vocabulary()
        for i in range(4, len(folded) - 3):
            first, second = folded[:i], folded[i:]
            for head in dict.fromkeys((second, text.stem(second, self.lang), light_strip(second))):
                if len(head) < 3:
                    continue
                for joint in _JOINTS:
                    candidate = head + joint + first
                    if vocabulary.has_word(candidate):
                        return candidate
        return None

    def decompose(self, folded: str) -> list[str] | None:
        """Split an unknown German compound into two to ``Tuning.max_parts`` words, each a
        word of the FAQ (as written or by its stem) or of general German, the linking
        morphemes (-s-, -es-, -n-, -en-, -e-) dropped: "Zählerstandsmeldung" -> zahlerstand
        + meldung, "Technikerterminverschiebung" -> techniker + termin + verschiebung.
        Fewest parts win, then more parts the FAQ knows, then the longer last part."""
        tuning, n = self.tuning, len(folded)
        best: dict[int, tuple[tuple, list[str]] | None] = {n: ((0, 0, 0), [])}

        def rest_from(start: int) -> tuple[tuple, list[str]] | None:
            if start not in best:
                found = None
                for end in range(start + 3, n + 1):
                    if n - end in (1, 2):  # a one- or two-letter rest is no word
                        continue
                    for word in self._words_ending_at(folded, start, end, end == n):
                        rest = rest_from(end)
                        if rest is None:
                            continue
                        (parts, unknown, last), words = rest
                        key = (parts + 1, unknown + (word[1] == 0), last or -len(word[0]))
                        if parts + 1 <= tuning.max_parts and (found is None or key < found[0]):
                            found = (key, [word[0], *words])
                best[start] = found
            return best[start]

        found = rest_from(0)
        return found[1] if found and len(found[1]) >= 2 else None

    def _words_ending_at(self, folded: str, start: int, end: int, last: bool):
        """(word, 1 if the FAQ knows it else 0) for ``folded[start:end]``, a part of a
        compound, as written and (not the last part) without a linking morpheme."""
        piece = folded[start:end]
        forms = [piece]
        if not last:
            forms += [piece[: -len(e)] for e in LINKING_ENDINGS if piece.endswith(e)]
        general = language.word_frequencies(self.lang)
        for form in forms:
            if len(form) < 3:
                continue
            # a three-letter part only as a noun of the FAQ ("App")
            known = self.lexicon.known_word(form) if len(form) >= 4 else self.lexicon.is_noun(form)
            if known:
                yield form, 1
            elif len(form) >= 4 and general.get(form, 0.0) >= self.tuning.split_min_zipf:
                yield form, 0

    def split(self, folded: str) -> tuple[str, str | None] | None:
        """Split an unknown folded compound into (tail, head or None).

        The tail must be a known word of >= 5 letters (German: a noun of the
        articles, "Glasbehälter" -> Behälter); the head is returned when it is
        known too (after removing a linking s/n/e).
        """
        lexicon, german = self.lexicon, self.lang == "de"
        best = None
        min_tail = 5 if german else 4
        for i in range(3 if german else 2, len(folded) - min_tail + 1):
            head, tail = folded[:i], folded[i:]
            if german:
                if not lexicon.is_noun(tail):
                    continue
            elif not lexicon.known_word(tail):
                continue
            heads = [head] + [
                head[: -len(end)]
                for end in LINKING_ENDINGS
                if head.endswith(end) and len(head) - len(end) >= 4
            ]
            known_head = next((h for h in heads if len(h) >= 4 and lexicon.known_word(h)), None)
            if not german and known_head is None and len(head) >= 5:
                # English closed compounds are rare: "giftcard" and "restock" yes,
                # "apprentice|ship" (an unknown word before a short tail) no
                continue
            score = (known_head is not None, len(tail))
            if best is None or score > best[0]:
                best = (score, tail, known_head)
        return (best[1], best[2]) if best else None
