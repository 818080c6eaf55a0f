"""What the Whoosh index holds per article, and the in-memory views built from it.

Fields (the terms are made by :mod:`faq.text`, so index and query meet on the same forms):

* ``title_terms`` / ``body_terms``: index terms of title + tags and of body + category
* ``surfaces``: folded surface words, for fuzzy matching and "is this a word of the FAQ"
* ``compound_keys``: German nouns keyed for compound matching (``n:`` the noun, ``s:``
  the reversed noun and ``t:`` its reversed stem for "query word is the tail",
  ``h:`` the noun for "query word is the head")
* ``spellings``: ``folded|display`` pairs, so did-you-mean shows umlauts
* ``learned_terms``: index terms of the phrasings customers found this article with
  (given by the caller, see ``FaqSearch.set_learned``); they match with a small weight
* stored: title, category, plain text, and the term counts used for re-ranking
"""

from __future__ import annotations

import pathlib
import threading
from array import array
from collections import Counter
from collections.abc import Iterable

from whoosh import index as whoosh_index
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.fields import ID, STORED, TEXT, FieldType, Schema
from whoosh.formats import Existence

from faq import text
from faq.documents import ArticleDoc

#: Part of the index name: bump when schema(), document_fields() or faq.text change.
SCHEMA_VERSION = 4


def schema() -> Schema:
    terms = SpaceSeparatedTokenizer()
    return Schema(
        key=ID(unique=True, stored=True),
        title_terms=TEXT(analyzer=terms, phrase=False),
        body_terms=TEXT(analyzer=terms, phrase=False),
        surfaces=FieldType(Existence(), SpaceSeparatedTokenizer()),
        compound_keys=FieldType(Existence(), SpaceSeparatedTokenizer()),
        spellings=FieldType(Existence(), SpaceSeparatedTokenizer()),
        learned_terms=TEXT(analyzer=terms, phrase=False),
        title=STORED,
        category=STORED,
        text=STORED,
        title_counts=STORED,  # {term: count} of title + tags
        body_counts=STORED,  # {term: count} of body + category
        learned_counts=STORED,  # {term: count} of the learned phrasings
    )


def open_index(directory: pathlib.Path, lang: str):
    """Open (or create) the index of one language; safe when processes start together."""
    name = f"faq{SCHEMA_VERSION}_{lang}"
    if whoosh_index.exists_in(str(directory), indexname=name):
        return whoosh_index.open_dir(str(directory), indexname=name)
    try:
        return whoosh_index.create_in(str(directory), schema(), indexname=name)
    except Exception:
        if whoosh_index.exists_in(str(directory), indexname=name):  # created concurrently
            return whoosh_index.open_dir(str(directory), indexname=name)
        raise


def is_content_word(token: str, lang: str) -> bool:
    if len(token) < 2 or token.isdigit():
        return False
    return not text.is_stopword(token, lang)


def index_terms(tokens: Iterable[str], lang: str) -> list[str]:
    out: list[str] = []
    for token in tokens:
        if is_content_word(token, lang):
            out.extend(text.word_forms(token, lang))
    return out


def document_fields(doc: ArticleDoc, learned: Iterable[str] = ()) -> dict:
    """The Whoosh fields of one article, with the phrasings learned for it."""
    lang = doc.lang
    plain = text.markdown_to_text(doc.body)
    title_tokens = text.tokenize(doc.title)
    tag_tokens = [token for tag in doc.tags for token in text.tokenize(tag)]
    body_tokens = text.tokenize(plain) + text.tokenize(doc.category)
    title_terms = index_terms(title_tokens + tag_tokens, lang)
    body_terms = index_terms(body_tokens, lang)
    surfaces, nouns, spellings = _surface_words(title_tokens, tag_tokens, body_tokens, lang)
    learned_terms = index_terms(
        [token for phrase in learned for token in text.tokenize(phrase)], lang
    )
    return dict(
        key=doc.id,
        title_terms=" ".join(title_terms),
        body_terms=" ".join(body_terms),
        surfaces=" ".join(sorted(surfaces)),
        compound_keys=" ".join(sorted(_compound_keys(nouns, lang))),
        spellings=" ".join(sorted(spellings)),
        learned_terms=" ".join(learned_terms),
        title=doc.title,
        category=doc.category,
        text=plain,
        title_counts=dict(Counter(title_terms)),
        body_counts=dict(Counter(body_terms)),
        learned_counts=dict(Counter(learned_terms)),
    )


def _surface_words(
    title_tokens: list[str], tag_tokens: list[str], body_tokens: list[str], lang: str
) -> tuple[set[str], set[str], set[str]]:
    """Folded words, the German nouns among them (capitalised outside the tags), spellings."""
    surfaces: set[str] = set()
    nouns: set[str] = set()
    spellings: set[str] = set()
    n_title = len(title_tokens)
    for i, token in enumerate(title_tokens + tag_tokens + body_tokens):
        if not is_content_word(token, lang):
            continue
        words = [token]
        if "-" in token:
            parts = [p for p in token.split("-") if p]
            words = ["".join(parts)] + parts
        capital = token[:1].isupper() and not (n_title <= i < n_title + len(tag_tokens))
        for word in words:
            if len(word) < 3 or not word.isalpha():
                continue
            folded = text.fold(word, lang)
            surfaces.add(folded)
            if capital:
                nouns.add(folded)
            low = word.lower()
            if low != folded:
                spellings.add(f"{folded}|{low}")
    return surfaces, nouns, spellings


def _compound_keys(nouns: set[str], lang: str) -> set[str]:
    """German compound parts: only nouns are split (Rücksendeetikett, not abbestellen)."""
    keys: set[str] = set()
    if lang != "de":
        return keys
    for noun in nouns:
        keys.add("n:" + noun)  # a noun: may be the tail of a query compound
        if len(noun) >= 7:
            keys.add("s:" + noun[::-1])
            keys.add("h:" + noun)
            stem = text.stem(noun, lang)
            if len(stem) >= 6:
                keys.add("t:" + stem[::-1])
    return keys


def generation(reader) -> int:
    found = reader.generation()
    return -1 if found is None else found


def decode_all(items) -> list[str]:
    return [b.decode("utf-8") if isinstance(b, bytes) else b for b in items]


class Vocabulary:
    """Word lists of one index generation, bucketed by first letter, for fuzzy
    matching (surface words and stems) and fast "is this a word of the FAQ"."""

    def __init__(self) -> None:
        self.generation = -2
        self.lock = threading.Lock()
        self.words: dict[str, list[str]] = {}
        self.stems: dict[str, list[str]] = {}
        self._seen: set[str] = set()

    def build(self, reader) -> None:
        self.words, self.stems, self._seen = {}, {}, set()
        self.add(decode_all(reader.lexicon("surfaces")), ())
        self.add((), decode_all(reader.lexicon("title_terms")))
        self.add((), decode_all(reader.lexicon("body_terms")))
        self.generation = generation(reader)

    def ensure_current(self, reader) -> Vocabulary:
        if self.generation != generation(reader):
            with self.lock:
                if self.generation != generation(reader):
                    self.build(reader)
        return self

    def has_word(self, word: str) -> bool:
        return ("w" + word) in self._seen

    def add(self, words: Iterable[str], stems: Iterable[str]) -> None:
        for kind, items in (("w", words), ("s", stems)):
            target = self.words if kind == "w" else self.stems
            for word in items:
                key = kind + word
                if not word or key in self._seen:
                    continue
                self._seen.add(key)
                target.setdefault(word[0], []).append(word)


class PostingsCache:
    """Document numbers per (language, generation, field, term), bounded in size."""

    def __init__(self, max_ids: int) -> None:
        self.max_ids = max_ids
        self._cache: dict[tuple, array] = {}
        self._ids = 0
        self._generation: dict[str, int | None] = {}

    def get(self, reader, lang: str, fieldname: str, term: str) -> array:
        cache = self._cache
        gen = reader.generation()
        key = (lang, gen, fieldname, term)
        ids = cache.get(key)
        if ids is not None:
            return ids
        if self._generation.get(lang) != gen:  # index changed: drop the old postings
            self._generation[lang] = gen
            for old in [k for k in list(cache) if k[0] == lang and k[1] != gen]:
                self._ids -= len(cache.pop(old, ())) + 8
        try:
            if reader.doc_frequency(fieldname, term):
                ids = array("i", reader.postings(fieldname, term).all_ids())
            else:
                ids = array("i")
        except Exception:  # term missing in a segment
            ids = array("i")
        self._ids += len(ids) + 8
        if self._ids > self.max_ids:
            cache.clear()  # crude, but keeps memory bounded (4 bytes an id)
            self._ids = len(ids) + 8
        cache[key] = ids
        return ids
