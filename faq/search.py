"""FAQ search: a Whoosh index plus a query pipeline tuned for how customers write.

Design in short
---------------
* One Whoosh index per language (``faq<V>_de``, ``faq<V>_en``) in ``index_dir``, so
  vocabulary, IDF and spelling never mix languages.
* Text is normalised by :mod:`faq.text` (tokenise, fold umlauts and ue/ae/oe, light
  stemming) and indexed as ready-made terms: ``tt`` (title + tags) and ``bt`` (body +
  category); ``sf`` holds the folded surface words (fuzzy matching), ``rev`` the
  German nouns for compound parts ("Etikett" finds "Rücksendeetikett", "Glasbehälter"
  is split), ``disp`` the display spelling for did-you-mean. Term counts are stored
  per article for re-ranking.
* User input never reaches Whoosh's query parser. The query is tokenised, stopwords
  and question/filler words are dropped, and each remaining word becomes a *concept*
  with weighted index terms: its stem, synonyms (``faq/synonyms.<lang>.txt``), near
  inflections, compound parts, words the query writes apart ("Pack Station"); only
  if the index lacks the word: a fuzzy correction (feeds ``did_you_mean``), a
  separable verb ("einlösen" -> "löse ... ein") or a split of an unknown compound.
  Concepts are weighted by IDF; unknown words keep a high weight (they are what the
  FAQ does not cover), less so in long pasted messages.
* Candidates come straight from the postings of the heaviest concepts (a document
  matching none of them could not pass the answer bar), then are ranked by
  IDF-weighted concept coverage, title/tag coverage and BM25F.
* "No answer": a top hit must cover enough of the query's concept weight; hits
  well below the best one are dropped, so result lists stay relevant.
"""

from __future__ import annotations

import functools
import heapq
import html
import logging
import math
import pathlib
import re
import threading
import time
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from whoosh import index as windex
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.fields import ID, STORED, TEXT, FieldType, Schema
from whoosh.formats import Existence
from whoosh.scoring import BM25F
from whoosh.writing import CLEAR

from faq import text as T
from faq.documents import ArticleDoc
from shared.regional import LANGUAGES

try:  # fast edit distance (C++); the pure-Python fallback is much slower on big indexes
    from rapidfuzz import process as _rf_process
    from rapidfuzz.distance import OSA as _OSA
except ImportError:  # pragma: no cover
    _rf_process = None
    _OSA = None

SCHEMA_VERSION = 2  # part of the index name: bump when _schema(), _doc_fields() or faq.text normalisation change
log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- public API


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    lang: str
    title: str
    category: str
    snippet: str  # HTML-safe: escaped text, matched terms in <mark>...</mark>
    score: float  # higher is better; comparable within one result list


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    hits: list[Hit]
    total: int
    did_you_mean: str | None


# --------------------------------------------------------------------------- tuning


@dataclass(frozen=True)
class Tuning:
    """Knobs of the pipeline (defaults set on bench/faq_quality.py, tuned on one
    half of the evaluation set and checked on the other)."""

    # input limits
    max_query_chars: int = 2000   # raw characters looked at
    max_words: int = 60           # words looked at
    # match weight of a term for its concept
    w_exact: float = 1.0
    w_syn: float = 0.9
    w_syn_phrase: float = 0.85    # multi-word synonym: all its words in the article
    w_hyper: float = 0.7          # one-way rules ("Mikrowelle => Gerät")
    w_inflect: float = 0.85       # inflections the stemmer missed, separable verbs
    w_tail: float = 0.8           # query word is the tail of a compound in the article
    w_head: float = 0.6           # query word is the head of a compound in the article
    w_fuzzy: float = 0.85         # factor for fuzzy-corrected words
    fuzzy2_min_len: int = 7       # words this long may have two typos
    max_expansions: int = 24      # compound expansions per concept and kind
    # concept weights (IDF times these factors)
    light_factor: float = 0.3     # question-framing words (Möglichkeit, way, finden)
    modifier_factor: float = 0.8  # unknown first part of a compound ("Glas" in Glasbehälter)
    product_factor: float = 0.5   # words with a one-way rule to a broader term (products)
    unknown_lower: float = 0.5    # German: unknown lower-case word in a query with capitals
    unknown_uncased: float = 0.75  # German: unknown word in an all-lower-case query
    long_query_concepts: int = 8  # from here on a query counts as long (pasted message)
    long_unknown_factor: float = 0.35  # unknown words in long queries
    unknown_ramp_from: int = 0    # from this many concepts on, unknown words weigh less (ramp to long)
    question_boost: float = 1.0   # long queries: words of the sentences ending in "?"
    bm25_concept_focus: bool = True  # BM25 term weights follow the concept re-weighting
    # candidates and ranking
    max_concepts: int = 24        # concepts whose postings are read
    first_stage_terms: int = 8    # strongest terms per concept used for candidates/BM25
    candidates: int = 30          # candidates ranked in full
    title_boost: float = 2.5      # BM25F weight of title/tags against body
    # rank = rank_cov * coverage + title_bonus * title coverage + bm25_weight * BM25/max
    rank_cov: float = 0.5
    title_bonus: float = 0.25
    bm25_weight: float = 0.3
    long_rank_cov: float = 0.5    # the same for long queries
    long_title_bonus: float = 0.0
    long_bm25_weight: float = 0.3
    body_once: float = 1.0        # a word the body mentions only once (passing mention)
    # answer decision
    min_coverage: float = 0.45    # one of the top 3 must cover this share of concept weight
    long_min_coverage: float = 0.15
    min_hit_coverage: float = 0.7  # every hit must reach this share of that bar
    hit_ratio: float = 0.6        # and this share of the best rank score


TUNING = Tuning()


# --------------------------------------------------------------------------- schema


def _schema() -> Schema:
    terms = SpaceSeparatedTokenizer()
    return Schema(
        key=ID(unique=True, stored=True),
        tt=TEXT(analyzer=terms, phrase=False),
        bt=TEXT(analyzer=terms, phrase=False),
        sf=FieldType(Existence(), SpaceSeparatedTokenizer()),
        rev=FieldType(Existence(), SpaceSeparatedTokenizer()),
        disp=FieldType(Existence(), SpaceSeparatedTokenizer()),
        title=STORED,
        category=STORED,
        text=STORED,
        tf_t=STORED,   # {term: count} of title + tags
        tf_b=STORED,   # {term: count} of body + category
    )


def _index_terms(tokens: Iterable[str], lang: str) -> list[str]:
    out: list[str] = []
    for tok in tokens:
        if not _content_word(tok, lang):
            continue
        out.extend(T.word_forms(tok, lang))
    return out


def _content_word(tok: str, lang: str) -> bool:
    if len(tok) < 2 or tok.isdigit():
        return False
    return not T.is_stopword(tok, lang)


def _doc_fields(doc: ArticleDoc) -> dict:
    lang = doc.lang
    plain = T.markdown_to_text(doc.body)
    title_toks = T.tokenize(doc.title)
    tag_toks = [tok for tag in doc.tags for tok in T.tokenize(tag)]
    body_toks = T.tokenize(plain) + T.tokenize(doc.category)
    tt = _index_terms(title_toks + tag_toks, lang)
    bt = _index_terms(body_toks, lang)
    surfaces: set[str] = set()
    nouns: set[str] = set()  # German: capitalised in title/body
    disp: set[str] = set()
    n_title_body = len(title_toks)
    for i, tok in enumerate(title_toks + tag_toks + body_toks):
        if not _content_word(tok, lang):
            continue
        words = [tok]
        if "-" in tok:
            parts = [p for p in tok.split("-") if p]
            words = ["".join(parts)] + parts
        capital = tok[:1].isupper() and not (n_title_body <= i < n_title_body + len(tag_toks))
        for w in words:
            if len(w) < 3 or not w.isalpha():
                continue
            f = T.fold(w, lang)
            surfaces.add(f)
            if capital:
                nouns.add(f)
            low = w.lower()
            if low != f:
                disp.add(f"{f}|{low}")
    # German compound parts: only nouns are split (Rücksendeetikett, not abbestellen)
    rev: set[str] = set()
    if lang == "de":
        for f in nouns:
            rev.add("n:" + f)  # a noun: may be the tail of a query compound
            if len(f) >= 7:
                rev.add("s:" + f[::-1])
                rev.add("h:" + f)
                s = T.stem(f, lang)
                if len(s) >= 6:
                    rev.add("t:" + s[::-1])
    return dict(
        key=doc.id,
        tt=" ".join(tt),
        bt=" ".join(bt),
        sf=" ".join(sorted(surfaces)),
        rev=" ".join(sorted(rev)),
        disp=" ".join(sorted(disp)),
        title=doc.title,
        category=doc.category,
        text=plain,
        tf_t=dict(Counter(tt)),
        tf_b=dict(Counter(bt)),
    )


# --------------------------------------------------------------------------- synonyms


class _Synonyms:
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
        for sources, targets in T.load_synonyms(lang, path):
            singles: set[str] = set()
            multis: list[tuple[str, ...]] = []
            for entry in targets:
                toks = T.tokenize(entry)
                if len(toks) == 1:
                    singles.add(T.word_forms(toks[0], lang)[0])
                elif len(toks) > 1:
                    stems = tuple(T.norm(t, lang) for t in toks if _content_word(t, lang))
                    if len(stems) >= 2:
                        multis.append(stems)
            gi = len(self.groups)
            self.groups.append((singles, multis))
            self.one_way.append(sources is not targets)
            for entry in sources:
                toks = T.tokenize(entry)
                if len(toks) == 1:
                    self.single.setdefault(T.word_forms(toks[0], lang)[0], set()).add(gi)
                elif len(toks) > 1:
                    self.phrases.append((tuple(T.norm(t, lang) for t in toks), gi))

    def is_hyponym(self, term: str) -> bool:
        """A word with a one-way rule to a broader term (a product name)."""
        return any(self.one_way[gi] for gi in self.single.get(term, ()))

    @staticmethod
    def phrase_at(stems: tuple[str, ...], seq: list[str]) -> list[int] | None:
        """Positions of ``stems`` in ``seq`` in order with at most one word between."""
        for i, x in enumerate(seq):
            if x != stems[0]:
                continue
            pos = [i]
            j = i
            for st in stems[1:]:
                if j + 1 < len(seq) and seq[j + 1] == st:
                    j += 1
                elif j + 2 < len(seq) and seq[j + 2] == st:
                    j += 2
                else:
                    break
                pos.append(j)
            if len(pos) == len(stems):
                return pos
        return None


class _Vocab:
    """In-memory word lists of one index generation, bucketed by first letter,
    for fast fuzzy matching (surface words and stems)."""

    def __init__(self) -> None:
        self.gen = -2
        self.lock = threading.Lock()
        self.words: dict[str, list[str]] = {}
        self.stems: dict[str, list[str]] = {}
        self._seen: set[str] = set()

    def build(self, reader) -> None:
        self.words, self.stems, self._seen = {}, {}, set()
        self.add(_decode_all(reader.lexicon("sf")), ())
        self.add((), _decode_all(reader.lexicon("tt")))
        self.add((), _decode_all(reader.lexicon("bt")))
        self.gen = _generation(reader)

    def has_word(self, w: str) -> bool:
        return ("w" + w) in self._seen

    def add(self, words: Iterable[str], stems: Iterable[str]) -> None:
        for kind, items in (("w", words), ("s", stems)):
            target = self.words if kind == "w" else self.stems
            for w in items:
                key = kind + w
                if not w or key in self._seen:
                    continue
                self._seen.add(key)
                target.setdefault(w[0], []).append(w)


def _generation(reader) -> int:
    gen = reader.generation()
    return -1 if gen is None else gen


def _decode_all(items) -> list[str]:
    return [b.decode("utf-8") if isinstance(b, bytes) else b for b in items]


# --------------------------------------------------------------------------- query analysis


@dataclass
class _Concept:
    word: str                      # as typed (or a phrase / a compound part)
    span: tuple[int, int] | None   # where in the query (for did_you_mean)
    terms: dict = field(default_factory=dict)  # term (str or tuple of str) -> match weight
    df: int = 0
    weight: float = 0.0
    correction: str | None = None  # folded surface word it was corrected to
    modifier: bool = False         # unknown first part of a split compound


_LINKING = ("s", "es", "n", "en", "e")
_LIGHT_ENDINGS = ("ern", "en", "er", "es", "e", "n", "s")


def _light_strip(f: str) -> str:
    for e in _LIGHT_ENDINGS:
        if f.endswith(e) and len(f) - len(e) >= 5:
            return f[: -len(e)]
    return f


def _osa_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (Levenshtein plus adjacent swaps)."""
    if _OSA is not None:
        return _OSA.distance(a, b, score_cutoff=limit)
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] | None = None
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        best = cur[0]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if prev2 is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
            best = min(best, v)
        if best > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _fuzzy_candidates(word: str, pool: list[str], maxdist: int) -> list[tuple[str, int]]:
    if _rf_process is not None:
        return [(c, int(d)) for c, d, _ in
                _rf_process.extract(word, pool, scorer=_OSA.distance, score_cutoff=maxdist, limit=None)]
    out = []
    for c in pool:
        if abs(len(c) - len(word)) <= maxdist:
            d = _osa_distance(word, c, maxdist)
            if d <= maxdist:
                out.append((c, d))
    return out


class _Analyzer:
    """Turns a query into weighted concepts against one searcher's vocabulary."""

    def __init__(self, searcher, lang: str, syn: _Synonyms, vocab: _Vocab, tun: Tuning) -> None:
        self.s = searcher
        self.r = searcher.reader()
        self.lang = lang
        self.syn = syn
        self.vocab = vocab
        self.tun = tun
        self.n_docs = max(1, self.r.doc_count())
        self._df_cache: dict[str, int] = {}
        self.stored: dict[int, dict] = {}  # stored fields read while ranking

    # vocabulary helpers -------------------------------------------------
    def df(self, term: str) -> int:
        d = self._df_cache.get(term)
        if d is None:
            d = max(self.r.doc_frequency("tt", term), self.r.doc_frequency("bt", term))
            self._df_cache[term] = d
        return d

    def has_surface(self, f: str) -> bool:
        return self.r.doc_frequency("sf", f) > 0

    def known_word(self, w: str) -> bool:
        """A word the index has, as written (folded) or by its stem."""
        return self.has_surface(w) or bool(self.df(T.stem(w, self.lang)))

    def _prefix(self, fieldname: str, prefix: str, limit: int) -> list[str]:
        out = []
        try:
            for b in self.r.expand_prefix(fieldname, prefix):
                out.append(b.decode("utf-8") if isinstance(b, bytes) else b)
                if len(out) >= limit:
                    break
        except Exception:  # pragma: no cover - defensive: empty field etc.
            return out
        return out

    # expansion ---------------------------------------------------------
    def expand(self, f: str, s: str, factor: float = 1.0) -> dict:
        """Index terms for a folded word f with stem s (only terms in the index)."""
        tun = self.tun
        terms: dict = {}

        def add(t, w):
            w *= factor
            if terms.get(t, 0.0) < w:
                terms[t] = w

        if self.df(s):
            add(s, tun.w_exact)
        for gi in self.syn.single.get(s, ()):
            singles, multis = self.syn.groups[gi]
            w1 = tun.w_hyper if self.syn.one_way[gi] else tun.w_syn
            for t in singles:
                if t != s and self.df(t):
                    add(t, w1)
            for ph in multis:
                if all(self.df(t) for t in ph):
                    add(ph, min(w1, tun.w_syn_phrase))
        # near inflections the stemmer did not merge (deliver/deliveri)
        if len(s) >= 5:
            for fld in ("tt", "bt"):
                for t in self._prefix(fld, s, 40):
                    if 0 < len(t) - len(s) <= 2:
                        add(t, tun.w_inflect)
        if self.lang == "de":
            self._compound(f, s, add)
        return terms

    def _compound(self, f: str, s: str, add) -> None:
        tun = self.tun
        lim = tun.max_expansions
        # query word is the tail of a longer doc word: Etikett -> Rücksendeetikett
        if len(f) >= 4:
            for rv in self._prefix("rev", "s:" + f[::-1], lim):
                w = rv[2:][::-1]
                if len(w) - len(f) >= (3 if len(f) >= 5 else 4):
                    add(T.stem(w, "de"), tun.w_tail)
        if len(s) >= 5 and s != f:
            for rv in self._prefix("rev", "t:" + s[::-1], lim):
                t = rv[2:][::-1]
                if len(t) - len(s) >= 3:
                    add(t, tun.w_tail)
        # query word is the head of a longer doc word: Rechnung -> Rechnungskauf
        roots = {f}
        lf = _light_strip(f)
        if lf != f and self.has_surface(lf):  # Rechnungen -> Rechnung -> Rechnungskauf
            roots.add(lf)
        if len(s) >= 5:
            roots.add(s)
        for root in roots:
            if len(root) < 5:
                continue
            for h in self._prefix("rev", "h:" + root, lim):
                w = h[2:]
                if len(w) - len(root) >= 3 and len(w) - len(f) >= 2:
                    add(T.stem(w, "de"), tun.w_head)

    def ensure_vocab(self) -> _Vocab:
        v = self.vocab
        if v.gen != _generation(self.r):
            with v.lock:
                if v.gen != _generation(self.r):
                    v.build(self.r)
        return v

    def compounds(self, words: list[tuple[int, str]]) -> list[str]:
        """Compounds the articles use that the query writes as separate words,
        in either order: "Verlängerung der Garantie" -> garantieverlangerung."""
        v = self.ensure_vocab()
        out: list[str] = []
        for a in range(len(words)):
            for b in range(len(words)):
                ia, fa = words[a]
                ib, fb = words[b]
                if a == b or abs(ia - ib) > 4:
                    continue
                for head in dict.fromkeys((fa, T.stem(fa, self.lang))):
                    if len(head) < 3:
                        continue
                    for link in ("", "s", "n", "en", "e", "es"):
                        cand = head + link + fb
                        if len(cand) >= 8 and v.has_word(cand) and cand not in out:
                            out.append(cand)
                            break
        return out

    def turned_compound(self, f: str) -> str | None:
        v = self.ensure_vocab()
        for i in range(4, len(f) - 3):
            a, b = f[:i], f[i:]
            for head in dict.fromkeys((b, T.stem(b, self.lang), _light_strip(b))):
                if len(head) < 3:
                    continue
                for link in ("", "s", "n", "en", "e", "es"):
                    cand = head + link + a
                    if v.has_word(cand):
                        return cand
        return None

    def fuzzy(self, f: str, maxdist: int) -> str | None:
        """Closest known word within maxdist (OSA) sharing the first letter;
        surface words first, then stems; the more frequent wins ties."""
        if len(f) < 4 or maxdist < 1 or not f.isalpha():
            return None
        short = len(f) == 4  # only two swapped letters ("lnog"): other edits make other words
        v = self.ensure_vocab()
        best: tuple[int, int, str] | None = None
        st = T.stem(f, self.lang)
        for pool, word, is_stem in ((v.words.get(f[0], ()), f, False),
                                    (v.stems.get(f[0], ()), st, True)):
            if not pool or len(word) < 4:
                continue
            dmax = maxdist
            if is_stem:  # stems are short and dense: only one edit, only longer stems
                if len(word) < 6:
                    continue
                dmax = 1
            for c, d in _fuzzy_candidates(word, pool, dmax):
                if d == 0 or d > dmax:
                    continue
                if d == 2 and len(word) < 9 and c[:3] != word[:3]:
                    continue  # two edits in a short word: only with the same start
                if d == 2 and len(word) < 8 and len(c) <= len(word):
                    # and only when a letter was left out ("pasword"): two changed
                    # letters in a 7-letter word mostly make another real word
                    # ("Freibad" is not "Freitag", "geklaut" not "gekauft")
                    continue
                if short and sorted(c) != sorted(word):
                    continue
                st = c if is_stem else T.stem(c, self.lang)
                freq = self.df(st)
                if not freq:
                    continue  # stale entry (deleted article)
                key = (d, -freq, c)
                if best is None or key < best:
                    best = key
            if best is not None:
                break
        return best[2] if best else None

    def is_noun(self, f: str) -> bool:
        return self.r.doc_frequency("rev", "n:" + f) > 0 or (
            _light_strip(f) != f and self.r.doc_frequency("rev", "n:" + _light_strip(f)) > 0)

    def split(self, f: str) -> tuple[str, str | None] | None:
        """Split an unknown folded compound into (tail, head or None).

        The tail must be a known word of >= 5 letters (German: a noun of the
        articles, "Glasbehälter" -> Behälter); the head is returned when it is
        known too (after removing a linking s/n/e).
        """
        best = None
        min_tail = 5 if self.lang == "de" else 4
        for i in range(3 if self.lang == "de" else 2, len(f) - min_tail + 1):
            head, tail = f[:i], f[i:]
            if self.lang == "de":
                if not self.is_noun(tail):
                    continue
            elif not self.known_word(tail):
                continue
            heads = [head] + [head[: -len(l)] for l in _LINKING if head.endswith(l) and len(head) - len(l) >= 4]
            ok_head = next((h for h in heads if len(h) >= 4 and self.known_word(h)), None)
            if self.lang != "de" and ok_head is None and len(head) >= 5:
                # English closed compounds are rare: "giftcard" and "restock" yes,
                # "apprentice|ship" (an unknown word before a short tail) no
                continue
            score = (ok_head is not None, len(tail))
            if best is None or score > best[0]:
                best = (score, tail, ok_head)
        return (best[1], best[2]) if best else None

    # main ---------------------------------------------------------------
    def analyze(self, query: str) -> list[_Concept]:
        tun, lang = self.tun, self.lang
        spans = T.tokenize_spans(query[: tun.max_query_chars])[: tun.max_words]
        seq = [T.norm(w, lang) for _, _, w in spans]
        concepts: list[_Concept] = []
        consumed: set[int] = set()  # token positions used up by a phrase
        # multi-word synonym entries ("geht nicht", "kaputt angekommen")
        present = set(seq)
        by_phrase: dict[tuple[str, ...], _Concept] = {}  # a phrase in several groups: one concept
        for stems, gi in self.syn.phrases:
            if stems[0] not in present:
                continue
            pos = _Synonyms.phrase_at(stems, seq)
            if pos is None:
                continue
            singles, multis = self.syn.groups[gi]
            c = by_phrase.get(stems)
            merged = c is not None
            if c is None:
                c = _Concept(word=" ".join(stems), span=None)
            w1 = tun.w_hyper if self.syn.one_way[gi] else tun.w_syn
            for t in singles:
                if self.df(t) and c.terms.get(t, 0.0) < w1:
                    c.terms[t] = w1
            for ph in multis:
                if all(self.df(t) for t in ph) and c.terms.get(ph, 0.0) < min(w1, tun.w_syn_phrase):
                    c.terms[ph] = min(w1, tun.w_syn_phrase)
            # the phrase's own words still count as themselves
            own = tuple(seq[i] for i in pos if _content_word(spans[i][2], lang))
            if len(own) == 1 and self.df(own[0]):
                c.terms[own[0]] = tun.w_exact
            elif len(own) > 1 and all(self.df(t) for t in own):
                c.terms[own] = tun.w_exact
            if c.terms:
                if not merged:
                    by_phrase[stems] = c
                    concepts.append(c)
                consumed.update(pos)
        # two words written apart that the articles write as one ("Pack Station")
        joined_at: dict[int, str] = {}
        for i in range(len(spans) - 1):
            if i in consumed or i + 1 in consumed or i in joined_at or (i - 1) in joined_at:
                continue
            a, b = spans[i][2], spans[i + 1][2]
            if not (a.isalpha() and b.isalpha()) or len(a) < 3 or len(b) < 3:
                continue
            if not (_content_word(a, lang) or _content_word(b, lang)):
                continue
            if self.has_surface(T.fold(a + b, lang)):
                joined_at[i] = a + b
        seen: set[str] = set()
        for idx, (start, end, tok) in enumerate(spans):
            if idx in consumed or (idx - 1) in joined_at:
                continue
            if idx in joined_at:
                tok, end = joined_at[idx], spans[idx + 1][1]
            elif not _content_word(tok, lang):
                continue
            pieces: list[tuple[str, tuple[int, int]]] = []
            if "-" in tok:
                joined = "".join(p for p in tok.split("-"))
                if self.df(T.norm(joined, lang)):
                    pieces = [(joined, (start, end))]
                else:
                    pieces = [(p, (start, end)) for p in tok.split("-") if p and _content_word(p, lang)]
            else:
                pieces = [(tok, (start, end))]
            for word, span in pieces:
                f = T.fold(word, lang)
                s = T.stem(f, lang)
                if s in seen:
                    continue
                seen.add(s)
                concepts.extend(self._concept(word, f, s, span))
        # compounds written apart or turned round (German; short queries only)
        if lang == "de":
            words = [(i, T.fold(tok, lang)) for i, (_, _, tok) in enumerate(spans)
                     if i not in consumed and tok.isalpha() and len(tok) >= 3 and _content_word(tok, lang)]
            if 2 <= len(words) <= 6:
                for comp in self.compounds(words):
                    st = T.stem(comp, lang)
                    if st not in seen:
                        seen.add(st)
                        terms = self.expand(comp, st)
                        if terms:
                            concepts.append(_Concept(comp, None, terms))
        # dedupe concepts created by splits
        out: list[_Concept] = []
        keys: set = set()
        for c in concepts:
            k = frozenset(c.terms) if c.terms else ("?", c.word)
            if k in keys:
                continue
            keys.add(k)
            out.append(c)
        n = self.n_docs
        unknown_factor = 1.0
        if len(out) > tun.long_query_concepts:
            # in a long message, words the FAQ never uses are mostly narrative
            unknown_factor = tun.long_unknown_factor
        elif tun.unknown_ramp_from and len(out) > tun.unknown_ramp_from:
            # the more the query says in words the FAQ knows, the less one unknown
            # side word ("in der Garage", "seit Mitte des Monats") should veto it
            share = (len(out) - tun.unknown_ramp_from) / max(1, tun.long_query_concepts - tun.unknown_ramp_from)
            unknown_factor = 1.0 - (1.0 - tun.long_unknown_factor) * min(1.0, share)
        # German nouns are capitalised: in a query written with capitals, an unknown
        # lower-case word (verb, adjective, slang) says less about the topic than an
        # unknown noun ("Finanzamt", "Pfandflaschen").
        cased = lang == "de" and any(tok[:1].isupper() for _, _, tok in spans[1:])
        # in a long message the sentences asking something carry the request
        asked: list[tuple[int, int]] = []
        if len(out) > tun.long_query_concepts:
            start = 0
            for m in re.finditer(r"[.!?]+(?=\s|$)", query[: tun.max_query_chars]):
                if "?" in m.group():
                    asked.append((start, m.end()))
                start = m.end()
        for c in out:
            dfs = [self.df(t) for t, w in c.terms.items() if isinstance(t, str) and w >= 0.84]
            if not dfs:
                dfs = [self.df(t) for t in c.terms if isinstance(t, str)]
            c.df = max(dfs) if dfs else 0
            c.weight = math.log(1.0 + (n - c.df + 0.5) / (c.df + 0.5))
            if not c.terms:
                c.weight *= unknown_factor
                if c.modifier:
                    c.weight *= tun.modifier_factor
                if lang == "de" and c.span is not None:
                    if not cased:
                        c.weight *= tun.unknown_uncased
                    elif not c.word[:1].isupper():
                        c.weight *= tun.unknown_lower
            if c.span is not None and T.is_light_word(c.word, lang):
                c.weight *= tun.light_factor
            if c.span is not None and self.syn.is_hyponym(T.norm(c.word, lang)):
                c.weight *= tun.product_factor  # "Toaster", "blender": rarely the question
            if asked and c.span is not None and any(a <= c.span[0] < b for a, b in asked):
                c.weight *= tun.question_boost
        return out

    def _concept(self, word: str, f: str, s: str, span) -> list[_Concept]:
        tun = self.tun
        terms = self.expand(f, s)
        strong = any(w >= tun.w_syn for w in terms.values())
        if strong or not f.isalpha():
            return [_Concept(word, span, terms)]
        # not in the index as such (maybe as a compound part): a typo of a known word?
        corr = self.fuzzy(f, 1)
        if corr is None and len(f) >= tun.fuzzy2_min_len:
            corr = self.fuzzy(f, 2)
        if corr:
            fixed = self.expand(corr, T.stem(corr, self.lang), tun.w_fuzzy)
            if fixed:
                for t, w in terms.items():
                    if fixed.get(t, 0.0) < w:
                        fixed[t] = w
                return [_Concept(word, span, fixed, correction=corr)]
        if terms:
            return [_Concept(word, span, terms)]
        # separable verb written together: "einlösen" -> lösen ("löse ... ein")
        if self.lang == "de":
            for pre in T.SEP_PREFIXES:
                rest = f[len(pre):]
                if f.startswith(pre) and len(rest) >= 4 and self.known_word(rest):
                    terms = self.expand(rest, T.stem(rest, self.lang), tun.w_inflect)
                    if terms:
                        return [_Concept(word, span, terms)]
                    break
        # compound with its parts the other way round: "Robotersauger" -> Saugroboter
        if self.lang == "de" and len(f) >= 8:
            turned = self.turned_compound(f)
            if turned:
                terms = self.expand(turned, T.stem(turned, self.lang), tun.w_inflect)
                if terms:
                    return [_Concept(word, span, terms)]
        # unknown compound ending in a known word? ("Jackenrückgabe", "giftcard")
        if len(f) >= (8 if self.lang == "de" else 7):
            parts = self.split(f)
            if parts:
                tail, head = parts
                out = [_Concept(tail, None, self.expand(tail, T.stem(tail, self.lang)))]
                rest = f[: len(f) - len(tail)]
                if head:
                    out.append(_Concept(head, None, self.expand(head, T.stem(head, self.lang))))
                elif len(rest) > 3 and not (self.lang == "de" and rest.startswith(T.SEP_PREFIXES)):
                    out.append(_Concept(rest, None, {}, modifier=True))  # unknown modifier still counts
                return out
        return [_Concept(word, span, {})]


def _concept_matches(concepts: list[_Concept], tts: dict, bts: dict,
                     once: float = 1.0) -> tuple[list[float], list[float]]:
    """Per concept: best match weight in title/tags, and anywhere in the article
    (a term the body mentions only once counts ``once`` as much: a passing mention)."""
    title_m: list[float] = []
    any_m: list[float] = []
    for c in concepts:
        mt = mb = 0.0
        for t, w in c.terms.items():
            if isinstance(t, tuple):
                if w > mb and all(x in tts or x in bts for x in t):
                    mb = w
                    if w > mt and all(x in tts for x in t):
                        mt = w
                continue
            if w > mt and t in tts:
                mt = w
            if w > mb:
                tf = bts.get(t, 0)
                if tf:
                    mb = max(mb, w if tf > 1 else w * once)
        title_m.append(mt)
        any_m.append(max(mt, mb))
    return title_m, any_m


# --------------------------------------------------------------------------- snippets

_SENT_START_RE = re.compile(r"(?:^|(?<=[.!?:;])\s+)(?=\S)")


@functools.lru_cache(maxsize=2048)
def _snippet_index(text: str, lang: str) -> tuple[array, array, tuple[str, ...], array]:
    """Token offsets, their index terms (space-joined) and sentence starts of a body
    text; flat arrays and strings, so the cache adds little work for the garbage
    collector."""
    spans = T.tokenize_spans(text)
    starts = array("i", (a for a, _, _ in spans))
    ends = array("i", (b for _, b, _ in spans))
    forms = tuple(" ".join(T.word_forms(tok, lang)) for _, _, tok in spans)
    sents = array("i", (m.start() for m in _SENT_START_RE.finditer(text))) or array("i", [0])
    return starts, ends, forms, sents


def _make_snippet(text: str, lang: str, term_to_concept: dict[str, int], weights: list[float],
                  width: int = 200) -> str:
    tok_starts, tok_ends, tok_forms, starts = _snippet_index(text, lang)
    marks: list[tuple[int, int, int]] = []  # start, end, concept
    if term_to_concept:
        get = term_to_concept.get
        for i, forms in enumerate(tok_forms):
            ci = get(forms)
            if ci is None and " " in forms:
                ci = next((get(f) for f in forms.split(" ") if get(f) is not None), None)
            if ci is not None:
                marks.append((tok_starts[i], tok_ends[i], ci))
    if len(text) <= width:
        lo, hi = 0, len(text)
    else:
        best = (-1.0, 0)
        for st in starts:
            if st > len(text) - 40:
                break
            got: set[int] = set()
            n = 0
            for ms, me, ci in marks:
                if st <= ms and me <= st + width:
                    got.add(ci)
                    n += 1
            sc = sum(weights[c] for c in got) + 0.01 * n - 0.0001 * st
            if sc > best[0]:
                best = (sc, st)
        lo = best[1]
        hi = min(len(text), lo + width)
        if hi < len(text):
            cut = text.rfind(" ", lo + width // 2, hi)
            if cut > 0:
                hi = cut
    out: list[str] = []
    if lo > 0:
        out.append("… ")
    pos = lo
    for ms, me, _ in marks:
        if ms < lo or me > hi:
            continue
        out.append(html.escape(text[pos:ms], quote=True))
        out.append("<mark>" + html.escape(text[ms:me], quote=True) + "</mark>")
        pos = me
    out.append(html.escape(text[pos:hi], quote=True))
    if hi < len(text):
        out.append(" …")
    return "".join(out).strip()


# --------------------------------------------------------------------------- engine


class _SearcherSlot:
    __slots__ = ("searcher", "gen", "checked")

    def __init__(self, searcher, gen: int) -> None:
        self.searcher = searcher
        self.gen = gen
        self.checked = time.monotonic()


class FaqSearch:
    """Full-text FAQ search over one index directory (see module docstring)."""

    #: how often (s) a searcher checks the disk for commits by other processes
    external_check_interval = 1.0
    #: postings cached in memory (document numbers, 4 bytes each)
    postings_cache_ids = 4_000_000

    def __init__(self, index_dir: pathlib.Path, tuning: Tuning | None = None,
                 synonyms_dir: pathlib.Path | None = None) -> None:
        self.index_dir = pathlib.Path(index_dir)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        self.tuning = tuning or TUNING
        self._schema = _schema()
        self._ix = {lang: self._open(lang) for lang in LANGUAGES}
        self._syn = {
            lang: _Synonyms(lang, (synonyms_dir / f"synonyms.{lang}.txt") if synonyms_dir else None)
            for lang in LANGUAGES
        }
        self._vocab = {lang: _Vocab() for lang in LANGUAGES}
        self._post_cache: dict = {}
        self._post_cache_ids = 0
        self._post_gen: dict[str, int | None] = {}
        self._write_lock = threading.Lock()
        self._gen = {lang: 0 for lang in LANGUAGES}
        self._local = threading.local()
        self._slots_lock = threading.Lock()
        self._all_slots: list[_SearcherSlot] = []
        self._closed = False

    def _open(self, lang: str):
        name = f"faq{SCHEMA_VERSION}_{lang}"
        if windex.exists_in(str(self.index_dir), indexname=name):
            return windex.open_dir(str(self.index_dir), indexname=name)
        try:
            return windex.create_in(str(self.index_dir), self._schema, indexname=name)
        except Exception:
            if windex.exists_in(str(self.index_dir), indexname=name):  # created concurrently
                return windex.open_dir(str(self.index_dir), indexname=name)
            raise

    # searchers ----------------------------------------------------------
    def _searcher(self, lang: str):
        if self._closed:
            raise RuntimeError("FaqSearch is closed")
        slots = getattr(self._local, "slots", None)
        if slots is None:
            slots = self._local.slots = {}
        slot = slots.get(lang)
        gen = self._gen[lang]
        if slot is None:
            slot = _SearcherSlot(self._ix[lang].searcher(weighting=BM25F()), gen)
            slots[lang] = slot
            with self._slots_lock:
                self._all_slots.append(slot)
            return slot.searcher
        now = time.monotonic()
        if slot.gen != gen or now - slot.checked > self.external_check_interval:
            slot.checked = now
            slot.gen = gen
            if not slot.searcher.up_to_date():
                # a fresh searcher: Searcher.refresh() reuses segment readers and can
                # miss deletions made by update_document in a reused segment
                old = slot.searcher
                slot.searcher = self._ix[lang].searcher(weighting=BM25F())
                old.close()
        return slot.searcher

    # writes -------------------------------------------------------------
    def _writer(self, lang: str):
        return self._ix[lang].writer(timeout=30.0, limitmb=256)

    def rebuild(self, docs: Iterable[ArticleDoc]) -> None:
        by_lang: dict[str, dict[str, ArticleDoc]] = {lang: {} for lang in LANGUAGES}
        for d in docs:
            self._check_lang(d.lang)
            by_lang[d.lang][d.id] = d
        with self._write_lock:
            for lang in LANGUAGES:
                w = self._writer(lang)
                try:
                    for d in by_lang[lang].values():
                        w.add_document(**_doc_fields(d))
                except BaseException:
                    w.cancel()
                    raise
                w.commit(mergetype=CLEAR)
                self._gen[lang] += 1
                self._vocab[lang].gen = -2  # rebuilt lazily

    def upsert(self, doc: ArticleDoc) -> None:
        self._check_lang(doc.lang)
        fields = _doc_fields(doc)
        with self._write_lock:
            w = self._writer(doc.lang)
            try:
                w.update_document(**fields)
            except BaseException:
                w.cancel()
                raise
            w.commit()
            self._gen[doc.lang] += 1
            v = self._vocab[doc.lang]
            with v.lock:
                fresh = v.gen >= 0
                v.add(fields["sf"].split(), list(fields["tf_t"]) + list(fields["tf_b"]))
                if fresh:
                    v.gen = self._ix[doc.lang].latest_generation()

    def delete(self, id: str, lang: str) -> None:
        self._check_lang(lang)
        with self._write_lock:
            w = self._writer(lang)
            try:
                w.delete_by_term("key", id)
            except BaseException:
                w.cancel()
                raise
            w.commit()
            self._gen[lang] += 1
            v = self._vocab[lang]
            with v.lock:
                if v.gen >= 0:  # stale words are skipped by their document frequency
                    v.gen = self._ix[lang].latest_generation()

    def close(self) -> None:
        self._closed = True
        with self._slots_lock:
            for slot in self._all_slots:
                try:
                    slot.searcher.close()
                except Exception:
                    pass
            self._all_slots.clear()
        for ix in self._ix.values():
            try:
                ix.close()
            except Exception:
                pass

    @staticmethod
    def _check_lang(lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language: {lang!r}")

    # search -------------------------------------------------------------
    def search(self, query: str, lang: str, limit: int = 10, offset: int = 0) -> SearchResult:
        self._check_lang(lang)
        query = query if isinstance(query, str) else ""
        limit = max(0, min(int(limit), 100))
        offset = max(0, int(offset))
        if not query.strip():
            return SearchResult(query, [], 0, None)
        s = self._searcher(lang)
        try:
            ranked, concepts, an = self._rank(s, query, lang)
            dym = self._did_you_mean(query, concepts, an)
            page = ranked[offset: offset + limit]
            hits = [self._hit(s, lang, docnum, score, concepts, an) for docnum, score, _ in page]
        except Exception:  # user input must never break the page; the bug is logged
            log.exception("FAQ search failed for %r (%s)", query[:200], lang)
            return SearchResult(query, [], 0, None)
        return SearchResult(query, hits, len(ranked), dym)

    def explain(self, query: str, lang: str) -> dict:
        """Debug view of the pipeline (used by bench/faq_quality.py --verbose)."""
        self._check_lang(lang)
        s = self._searcher(lang)
        ranked, concepts, an = self._rank(s, query, lang, keep_all=True)
        return {
            "concepts": [(c.word, round(c.weight, 2), c.correction,
                          sorted((str(k), round(v, 2)) for k, v in c.terms.items())[:12]) for c in concepts],
            "ranked": [(s.stored_fields(d)["key"], round(sc, 3), info) for d, sc, info in ranked[:5]],
        }

    def _postings(self, r, lang: str, fieldname: str, term: str) -> array:
        """Document numbers of a term (cached per index generation)."""
        cache = self._post_cache
        gen = r.generation()
        key = (lang, gen, fieldname, term)
        ids = cache.get(key)
        if ids is None:
            if self._post_gen.get(lang) != gen:  # index changed: drop the old postings
                self._post_gen[lang] = gen
                for k in [k for k in list(cache) if k[0] == lang and k[1] != gen]:
                    self._post_cache_ids -= len(cache.pop(k, ())) + 8
            try:
                ids = array("i", r.postings(fieldname, term).all_ids()) if r.doc_frequency(fieldname, term) else array("i")
            except Exception:  # term missing in a segment
                ids = array("i")
            self._post_cache_ids += len(ids) + 8
            if self._post_cache_ids > self.postings_cache_ids:
                cache.clear()  # crude, but keeps memory bounded (4 bytes an id)
                self._post_cache_ids = len(ids) + 8
            cache[key] = ids
        return ids

    def _candidates(self, r, lang: str, concepts: list[_Concept], total_w: float, bar: float) -> list[int]:
        """Documents that can reach the answer bar, best partial coverage first.

        A document matching none of the heaviest concepts whose weight exceeds
        (1 - min_hit_coverage * bar) of the query cannot be returned, so only
        their postings are read; rare (heavy) terms have short postings.
        """
        tun = self.tuning
        order = sorted((c for c in concepts if c.terms), key=lambda c: -c.weight)
        slack = tun.min_hit_coverage * bar * total_w
        rest = sum(c.weight for c in order)
        used: list[_Concept] = []
        for c in order:
            if rest < slack or len(used) >= tun.max_concepts:
                break
            used.append(c)
            rest -= c.weight
        score: dict[int, float] = {}
        for c in used:
            levels: dict[float, list[str]] = {}
            top = sorted(c.terms.items(), key=lambda kv: -kv[1])[: tun.first_stage_terms]
            for t, w in top:
                if isinstance(t, tuple):  # a phrase: read its rarest word
                    t = min(t, key=lambda x: r.doc_frequency("bt", x) + r.doc_frequency("tt", x))
                levels.setdefault(w, []).append(t)
            best: dict[int, float] = {}
            for w in sorted(levels):  # ascending: stronger matches overwrite weaker
                for t in levels[w]:
                    best.update(dict.fromkeys(self._postings(r, lang, "bt", t), w))
                    best.update(dict.fromkeys(self._postings(r, lang, "tt", t), w * 1.0001))
            wc = c.weight
            get = score.get
            for d, m in best.items():
                score[d] = get(d, 0.0) + wc * m
        if len(score) > tun.candidates:
            return heapq.nlargest(tun.candidates, score, key=score.__getitem__)
        return sorted(score, key=score.__getitem__, reverse=True)

    def _rank(self, s, query: str, lang: str, keep_all: bool = False):
        """Candidates from the postings, re-ranked by concept coverage; gated.

        Returns (ranked [(docnum, score, features)], concepts, analyzer).
        """
        tun = self.tuning
        an = _Analyzer(s, lang, self._syn[lang], self._vocab[lang], tun)
        concepts = an.analyze(query)
        usable = [c for c in concepts if c.terms]
        if not usable:
            return [], concepts, an
        total_w = sum(c.weight for c in concepts) or 1.0
        long_query = len(concepts) >= tun.long_query_concepts
        if long_query:  # pasted messages: many side words, so trust BM25 more
            w_cov, w_title, w_bm, bar = tun.long_rank_cov, tun.long_title_bonus, tun.long_bm25_weight, tun.long_min_coverage
        else:
            w_cov, w_title, w_bm, bar = tun.rank_cov, tun.title_bonus, tun.bm25_weight, tun.min_coverage
        r = s.reader()
        cands = self._candidates(r, lang, concepts, total_w, 0.0 if keep_all else bar)
        if not cands:
            return [], concepts, an
        # BM25F over the query's terms, computed from the stored term counts
        # A term's query weight is its match weight times its concept's weight when
        # that concept was re-weighted (question sentence, framing word, product),
        # relative to the concept's plain IDF; so the sentence that asks steers BM25 too.
        qterms: dict[str, float] = {}
        n = an.n_docs
        for c in usable:
            plain = math.log(1.0 + (n - c.df + 0.5) / (c.df + 0.5)) or 1.0
            focus = c.weight / plain if tun.bm25_concept_focus else 1.0
            for t, w in sorted(c.terms.items(), key=lambda kv: -kv[1])[: tun.first_stage_terms]:
                for x in (t if isinstance(t, tuple) else (t,)):
                    if qterms.get(x, 0.0) < w * focus:
                        qterms[x] = w * focus
        idf = {t: math.log(1.0 + (n - an.df(t) + 0.5) / (an.df(t) + 0.5)) for t in qterms}
        avg_t = max(1.0, r.field_length("tt") / n)
        avg_b = max(1.0, r.field_length("bt") / n)
        k1, b = 1.2, 0.75
        rows = []
        for docnum in cands:
            if r.is_deleted(docnum):
                continue
            stored = s.stored_fields(docnum)
            an.stored[docnum] = stored
            tf_t, tf_b = stored["tf_t"], stored["tf_b"]
            title_m, any_m = _concept_matches(concepts, tf_t, tf_b, tun.body_once)
            cov = sum(c.weight * m for c, m in zip(concepts, any_m)) / total_w
            tcov = sum(c.weight * m for c, m in zip(concepts, title_m)) / total_w
            nt = 1.0 - b + b * sum(tf_t.values()) / avg_t
            nb = 1.0 - b + b * sum(tf_b.values()) / avg_b
            bm = 0.0
            for t, qw in qterms.items():
                ft, fb = tf_t.get(t, 0), tf_b.get(t, 0)
                if ft or fb:
                    bm += qw * idf[t] * (tun.title_boost * ft * (k1 + 1) / (ft + k1 * nt)
                                         + fb * (k1 + 1) / (fb + k1 * nb))
            rows.append((docnum, cov, tcov, bm))
        if not rows:
            return [], concepts, an
        bm_max = max(x[3] for x in rows) or 1.0
        scored = []
        for docnum, cov, tcov, bm in rows:
            bm /= bm_max
            rank = w_cov * cov + w_title * tcov + w_bm * bm
            scored.append((docnum, rank, {"cov": round(cov, 3), "tcov": round(tcov, 3), "bm": round(bm, 3)}))
        scored.sort(key=lambda x: -x[1])
        if keep_all:
            return scored, concepts, an
        if max(x[2]["cov"] for x in scored[:3]) < bar:
            return [], concepts, an
        top = scored[0][1]
        keep = [x for x in scored if x[1] >= tun.hit_ratio * top and x[2]["cov"] >= tun.min_hit_coverage * bar]
        return keep, concepts, an

    def _did_you_mean(self, query: str, concepts: list[_Concept], an: _Analyzer) -> str | None:
        fixes = [(c.span, c.correction) for c in concepts if c.correction and c.span]
        if not fixes:
            return None
        out = query[: self.tuning.max_query_chars]
        for (start, end), corr in sorted(fixes, reverse=True):
            shown = corr
            for d in an._prefix("disp", corr + "|", 1):
                shown = d.split("|", 1)[1]
            orig = out[start:end]
            if orig[:1].isupper():
                shown = shown[:1].upper() + shown[1:]
            out = out[:start] + shown + out[end:]
        return out.strip() or None

    def _hit(self, s, lang: str, docnum: int, score: float, concepts: list[_Concept], an) -> Hit:
        stored = an.stored.get(docnum) or s.stored_fields(docnum)
        t2c: dict[str, int] = {}
        for i, c in enumerate(concepts):
            for t in c.terms:
                for x in (t if isinstance(t, tuple) else (t,)):
                    t2c.setdefault(x, i)
        snippet = _make_snippet(stored["text"], lang, t2c, [c.weight for c in concepts])
        return Hit(stored["key"], lang, stored["title"], stored["category"], snippet, round(score, 4))

    # related ------------------------------------------------------------
    def related(self, id: str, lang: str, limit: int = 5) -> list[Hit]:
        self._check_lang(lang)
        limit = max(0, min(int(limit), 50))
        if not limit:
            return []
        s = self._searcher(lang)
        docnum = s.document_number(key=id)
        if docnum is None:
            return []
        stored = s.stored_fields(docnum)
        r = s.reader()
        n = max(1, r.doc_count())
        tts = stored["tf_t"]
        bts = stored["tf_b"]
        weights: dict[str, float] = {}
        for t in set(tts) | set(bts):
            df = max(r.doc_frequency("tt", t), r.doc_frequency("bt", t))
            if df <= 1 or (n >= 50 and df > 0.2 * n):
                continue  # only in this article, or in too many to say anything
            idf = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
            weights[t] = idf * (2.0 if t in tts else 1.0)
        top = sorted(weights.items(), key=lambda kv: -kv[1])[:12]
        if not top:
            return []
        total = sum(w for _, w in top)
        score: dict[int, float] = {}
        for t, w in top:
            hits = dict.fromkeys(self._postings(r, lang, "bt", t), w)
            hits.update(dict.fromkeys(self._postings(r, lang, "tt", t), w * 1.5))
            get = score.get
            for d, v in hits.items():
                score[d] = get(d, 0.0) + v
        score.pop(docnum, None)
        out: list[Hit] = []
        best = None
        for d in heapq.nlargest(limit * 2 + 2, score, key=score.__getitem__):
            if r.is_deleted(d):
                continue
            sc = score[d] / total
            best = best or sc
            if sc < 0.3 * best:
                break
            f = s.stored_fields(d)
            snippet = _make_snippet(f["text"], lang, {}, [])
            out.append(Hit(f["key"], lang, f["title"], f["category"], snippet, round(sc, 4)))
            if len(out) >= limit:
                break
        return out
