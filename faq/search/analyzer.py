"""From a customer's query to weighted *concepts*: one per thing the query names,
each with the index terms that stand for it (see :mod:`faq.search.expansion`)
and a weight (IDF, lowered for unknown side words, framing words and products)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from faq import text
from faq.search import language
from faq.search.expansion import TermExpander, Terms
from faq.search.index import is_content_word
from faq.search.lexicon import Synonyms


@dataclass
class Concept:
    word: str  # as typed (or a phrase / a compound part)
    span: tuple[int, int] | None  # where in the query (for did_you_mean)
    terms: dict = field(default_factory=Terms)  # term (str or tuple of str) -> match weight
    df: int = 0
    weight: float = 0.0
    correction: str | None = None  # folded surface word it was corrected to
    modifier: bool = False  # unknown first part of a split compound
    partial: bool = False  # a part of a query word the index lacks ("Glas|behälter")

    def loose_terms(self) -> set[str]:
        """Terms that stand for the word only loosely (compound part, thesaurus)."""
        return getattr(self.terms, "loose", set())


class QueryAnalyzer:
    """Turns a query into weighted concepts against one searcher's vocabulary."""

    def __init__(self, expander: TermExpander) -> None:
        self.expander = expander
        # the vocabulary, synonyms and knobs are the expander's
        self.lexicon, self.synonyms = expander.lexicon, expander.synonyms
        self.tuning, self.lang = expander.tuning, expander.lang

    def analyze(self, query: str) -> list[Concept]:
        tuning, lang = self.tuning, self.lang
        spans = text.tokenize_spans(query[: tuning.max_query_chars])[: tuning.max_words]
        stems = [text.norm(w, lang) for _, _, w in spans]
        consumed: set[int] = set()  # token positions used up by a phrase
        concepts = self._phrase_concepts(spans, stems, consumed)
        seen: set[str] = set()
        concepts += self._word_concepts(spans, consumed, seen)
        if lang == "de":
            concepts += self._compounds_written_apart(spans, consumed, seen)
        concepts = _deduplicated(concepts)
        self._weigh(concepts, query, spans)
        return concepts

    # concepts ----------------------------------------------------------------
    def _phrase_concepts(self, spans, stems: list[str], consumed: set[int]) -> list[Concept]:
        """Multi-word synonym entries ("geht nicht", "kaputt angekommen")."""
        tuning, df, lang = self.tuning, self.lexicon.df, self.lang
        present = set(stems)
        concepts: list[Concept] = []
        by_phrase: dict[tuple[str, ...], Concept] = {}  # a phrase in several groups: one concept
        for phrase, group in self.synonyms.phrases:
            if phrase[0] not in present:
                continue
            positions = Synonyms.phrase_at(phrase, stems)
            if positions is None:
                continue
            singles, multis = self.synonyms.groups[group]
            concept = by_phrase.get(phrase)
            merged = concept is not None
            if concept is None:
                concept = Concept(word=" ".join(phrase), span=None)
            weight = tuning.w_hyper if self.synonyms.one_way[group] else tuning.w_syn
            for term in singles:
                if df(term) and concept.terms.get(term, 0.0) < weight:
                    concept.terms[term] = weight
            for target in multis:
                if all(df(t) for t in target) and concept.terms.get(target, 0.0) < min(
                    weight, tuning.w_syn_phrase
                ):
                    concept.terms[target] = min(weight, tuning.w_syn_phrase)
            # the phrase's own words still count as themselves
            own = tuple(stems[i] for i in positions if is_content_word(spans[i][2], lang))
            if len(own) == 1 and df(own[0]):
                concept.terms[own[0]] = tuning.w_exact
            elif len(own) > 1 and all(df(t) for t in own):
                concept.terms[own] = tuning.w_exact
            if concept.terms:
                if not merged:
                    by_phrase[phrase] = concept
                    concepts.append(concept)
                consumed.update(positions)
        return concepts

    def _joined_pairs(self, spans, consumed: set[int]) -> dict[int, str]:
        """Two words written apart that the articles write as one ("Pack Station")."""
        joined: dict[int, str] = {}
        for i in range(len(spans) - 1):
            if i in consumed or i + 1 in consumed or i in joined or (i - 1) in joined:
                continue
            first, second = spans[i][2], spans[i + 1][2]
            if not (first.isalpha() and second.isalpha()) or len(first) < 3 or len(second) < 3:
                continue
            if not (is_content_word(first, self.lang) or is_content_word(second, self.lang)):
                continue
            if self.lexicon.has_surface(text.fold(first + second, self.lang)):
                joined[i] = first + second
        return joined

    def _word_concepts(self, spans, consumed: set[int], seen: set[str]) -> list[Concept]:
        lang = self.lang
        joined = self._joined_pairs(spans, consumed)
        concepts: list[Concept] = []
        for idx, (start, end, token) in enumerate(spans):
            if idx in consumed or (idx - 1) in joined:
                continue
            if idx in joined:
                token, end = joined[idx], spans[idx + 1][1]
            elif not is_content_word(token, lang):
                continue
            if "-" in token:
                whole = "".join(token.split("-"))
                if self.lexicon.df(text.norm(whole, lang)):
                    pieces = [whole]
                else:
                    pieces = [p for p in token.split("-") if p and is_content_word(p, lang)]
            else:
                pieces = [token]
            for word in pieces:
                folded = text.fold(word, lang)
                stem = text.stem(folded, lang)
                if stem in seen:
                    continue
                seen.add(stem)
                concepts.extend(self._concepts_of_word(word, folded, stem, (start, end)))
        return concepts

    def _compounds_written_apart(self, spans, consumed: set[int], seen: set[str]) -> list[Concept]:
        """Compounds written apart or turned round (German; short queries only)."""
        lang = self.lang
        words = [
            (i, text.fold(token, lang))
            for i, (_, _, token) in enumerate(spans)
            if i not in consumed
            and token.isalpha()
            and len(token) >= 3
            and is_content_word(token, lang)
        ]
        concepts: list[Concept] = []
        if not 2 <= len(words) <= 6:
            return concepts
        for compound in self.expander.written_apart(words):
            stem = text.stem(compound, lang)
            if stem not in seen:
                seen.add(stem)
                terms = self.expander.expand(compound, stem)
                if terms:
                    concepts.append(Concept(compound, None, terms))
        return concepts

    def _concepts_of_word(self, word: str, folded: str, stem: str, span) -> list[Concept]:
        tuning, lang, expander = self.tuning, self.lang, self.expander
        terms = expander.expand(folded, stem)
        strong = any(w >= tuning.w_syn for w in terms.values())
        if strong or not folded.isalpha():
            return [Concept(word, span, terms)]
        # not in the index as such (maybe as a compound part): a typo of a known word?
        correction = self.lexicon.fuzzy(folded, 1)
        if correction is None and len(folded) >= tuning.fuzzy2_min_len:
            correction = self.lexicon.fuzzy(folded, 2)
        if correction:
            fixed = expander.expand(correction, text.stem(correction, lang), tuning.w_fuzzy)
            if fixed:
                for term, weight in terms.items():
                    fixed.put(term, weight, term in terms.loose)
                return [Concept(word, span, fixed, correction=correction)]
        if terms:
            return [Concept(word, span, terms)]
        return self._unknown_word(word, folded, span)

    def _unknown_word(self, word: str, folded: str, span) -> list[Concept]:
        """A word the index lacks: a separable verb, a turned or a split compound?"""
        tuning, lang, expander = self.tuning, self.lang, self.expander
        # separable verb written together: "einlösen" -> lösen ("löse ... ein")
        if lang == "de":
            for prefix in text.SEP_PREFIXES:
                rest = folded[len(prefix) :]
                if folded.startswith(prefix) and len(rest) >= 4 and self.lexicon.known_word(rest):
                    terms = expander.expand(rest, text.stem(rest, lang), tuning.w_inflect)
                    if terms:
                        return [Concept(word, span, terms)]
                    break
        # compound with its parts the other way round: "Robotersauger" -> Saugroboter
        if lang == "de" and len(folded) >= 8:
            turned = expander.turned_round(folded)
            if turned:
                terms = expander.expand(turned, text.stem(turned, lang), tuning.w_inflect)
                if terms:
                    return [Concept(word, span, terms)]
        # unknown compound ending in a known word? ("Jackenrückgabe", "giftcard")
        if len(folded) >= (8 if lang == "de" else 7):
            parts = expander.split(folded)
            if parts and parts[1]:
                return [self._part(parts[0]), self._part(parts[1])]
            # or made of two to four words of the FAQ or of general German?
            # ("Technikerterminverschiebung", "Newsletterabmeldung")
            words = None
            if lang == "de" and tuning.general_split:
                words = self.lexicon.compound_parts(folded, expander.decompose)
            if words:
                out = [self._part(w, near=True) for w in words]
                if sum(bool(c.terms) for c in out) >= max(2, len(out) - 1):
                    for c in out:
                        c.modifier = not c.terms  # an unknown part still counts
                    return out
            if parts:
                tail = parts[0]
                out = [self._part(tail)]
                rest = folded[: len(folded) - len(tail)]
                if len(rest) > 3 and not (lang == "de" and rest.startswith(text.SEP_PREFIXES)):
                    out.append(
                        Concept(rest, None, Terms(), modifier=True, partial=True)
                    )  # unknown modifier still counts
                return out
        return [Concept(word, span, Terms())]

    def _part(self, word: str, near: bool = False) -> Concept:
        """A concept for one word of a split query compound; with ``near``, a word the FAQ
        lacks may stand for one a letter away ("Eingabe" for eingeben, "Mitnahme" for
        mitnehmen: German nouns of strong verbs change a vowel)."""
        lang, expander = self.lang, self.expander
        terms = expander.expand(word, text.stem(word, lang))
        if near and not terms and len(word) >= 5:
            correction = self.lexicon.fuzzy(word, 1)
            if correction:
                terms = expander.expand(
                    correction, text.stem(correction, lang), self.tuning.w_fuzzy
                )
        return Concept(word, None, terms, partial=True)

    # weights -----------------------------------------------------------------
    def _weigh(self, concepts: list[Concept], query: str, spans) -> None:
        tuning, lang, df = self.tuning, self.lang, self.lexicon.df
        n = self.lexicon.n_docs
        unknown_factor = self._unknown_factor(len(concepts))
        # German nouns are capitalised: in a query written with capitals, an unknown
        # lower-case word (verb, adjective, slang) says less about the topic than an
        # unknown noun ("Finanzamt", "Pfandflaschen").
        cased = lang == "de" and any(token[:1].isupper() for _, _, token in spans[1:])
        long_query = len(concepts) > tuning.long_query_concepts
        asked = self._asking_sentences(query) if long_query else []
        for c in concepts:
            dfs = [df(t) for t, w in c.terms.items() if isinstance(t, str) and w >= 0.84]
            if not dfs:
                dfs = [df(t) for t in c.terms if isinstance(t, str)]
            c.df = max(dfs) if dfs else 0
            c.weight = math.log(1.0 + (n - c.df + 0.5) / (c.df + 0.5))
            if not c.terms:
                c.weight *= unknown_factor
                if c.modifier:
                    c.weight *= tuning.modifier_factor
                if lang == "de" and c.span is not None:
                    if not cased:
                        c.weight *= tuning.unknown_uncased
                    elif not c.word[:1].isupper():
                        c.weight *= tuning.unknown_lower
            if c.span is not None and text.is_light_word(c.word, lang):
                c.weight *= tuning.light_factor
            if c.span is not None and self.synonyms.is_hyponym(text.norm(c.word, lang)):
                c.weight *= tuning.product_factor  # "Toaster", "blender": rarely the question
            if asked and c.span is not None and any(a <= c.span[0] < b for a, b in asked):
                c.weight *= tuning.question_boost
            if long_query and c.span is not None:
                c.weight *= self._commonness_factor(c.word)

    def _commonness_factor(self, word: str) -> float:
        """In a long message, words common in general language ("heute", "Woche") are
        mostly narrative; rare ones carry the request."""
        tuning = self.tuning
        if tuning.long_common_factor == 1.0:
            return 1.0
        zipf = language.word_frequencies(self.lang).get(text.fold(word, self.lang), 0.0)
        share = (zipf - tuning.rare_zipf) / (tuning.common_zipf - tuning.rare_zipf)
        return 1.0 - (1.0 - tuning.long_common_factor) * min(1.0, max(0.0, share))

    def _unknown_factor(self, n_concepts: int) -> float:
        tuning = self.tuning
        if n_concepts > tuning.long_query_concepts:
            # in a long message, words the FAQ never uses are mostly narrative
            return tuning.long_unknown_factor
        if tuning.unknown_ramp_from and n_concepts > tuning.unknown_ramp_from:
            # the more the query says in words the FAQ knows, the less one unknown
            # side word ("in der Garage", "seit Mitte des Monats") should veto it
            share = (n_concepts - tuning.unknown_ramp_from) / max(
                1, tuning.long_query_concepts - tuning.unknown_ramp_from
            )
            return 1.0 - (1.0 - tuning.long_unknown_factor) * min(1.0, share)
        return 1.0

    def _asking_sentences(self, query: str) -> list[tuple[int, int]]:
        """In a long message the sentences asking something carry the request."""
        asked: list[tuple[int, int]] = []
        start = 0
        for m in re.finditer(r"[.!?]+(?=\s|$)", query[: self.tuning.max_query_chars]):
            if "?" in m.group():
                asked.append((start, m.end()))
            start = m.end()
        return asked


def _deduplicated(concepts: list[Concept]) -> list[Concept]:
    """Concepts created by splits can repeat one another."""
    out: list[Concept] = []
    keys: set = set()
    for c in concepts:
        key = frozenset(c.terms) if c.terms else ("?", c.word)
        if key in keys:
            continue
        keys.add(key)
        out.append(c)
    return out
