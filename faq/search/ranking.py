"""Candidates from the postings of the heaviest concepts, re-ranked by IDF-weighted
concept coverage, title coverage and BM25F; then the answer bar.

rank = cov * coverage + title * title coverage + bm25 * BM25F / best BM25F
"""

from __future__ import annotations

import heapq
import math
import operator
from dataclasses import dataclass, field

from faq.search.analyzer import Concept
from faq.search.index import PostingsCache
from faq.search.lexicon import Lexicon
from faq.search.tuning import Tuning

_K1, _B = 1.2, 0.75  # BM25


def _strongest_first(item: tuple) -> tuple:
    """Terms by match weight; ties in a fixed order, so results do not depend on hashing."""
    term, weight = item
    return -weight, term if isinstance(term, str) else " ".join(term)


@dataclass
class Ranked:
    """One candidate with its rank score and the features it came from."""

    docnum: int
    score: float
    coverage: float  # share of the query's concept weight the article matches
    title_coverage: float  # the same, in title and tags only
    bm25: float  # BM25F relative to the best candidate

    def features(self) -> dict:
        return {
            "cov": round(self.coverage, 3),
            "tcov": round(self.title_coverage, 3),
            "bm": round(self.bm25, 3),
        }


@dataclass
class Ranking:
    hits: list[Ranked]
    concepts: list[Concept]
    stored: dict[int, dict] = field(default_factory=dict)  # stored fields read while ranking
    long_query: bool = False


def learned_match(concept: Concept, learned_counts: dict, factor: float) -> float:
    """The concept's best match weight in the article's learned phrasings, times ``factor``."""
    best = 0.0
    if learned_counts:
        for term, weight in concept.terms.items():
            words = term if isinstance(term, tuple) else (term,)
            if weight > best and all(x in learned_counts for x in words):
                best = weight
    return best * factor


def match_plan(concepts: list[Concept]) -> list[list[tuple]]:
    """Per concept, its terms in their own order as (term, weight, is a phrase, the largest
    weight from here on): once a match reaches that, no later term can change it, so
    :func:`concept_matches` stops early. Made once per query, used for every candidate."""
    plan = []
    for c in concepts:
        items = list(c.terms.items())
        rest, bound = [], 0.0
        for _, weight in reversed(items):
            bound = max(bound, weight)
            rest.append(bound)
        rest.reverse()
        plan.append(
            [
                (term, weight, isinstance(term, tuple), rest[i])
                for i, (term, weight) in enumerate(items)
            ]
        )
    return plan


def concept_matches(
    concepts: list[Concept],
    title_counts: dict,
    body_counts: dict,
    once: float = 1.0,
    learned_counts: dict | None = None,
    learned_weight: float = 0.0,
    plan: list[list[tuple]] | None = None,
) -> tuple[list[float], list[float]]:
    """Per concept: best match weight in title/tags, and anywhere in the article
    (a term the body mentions only once counts ``once`` as much: a passing mention;
    a term only in the learned phrasings ``learned_weight`` as much). ``plan``: the
    concepts' :func:`match_plan`, when several articles are matched against them."""
    title_m: list[float] = []
    any_m: list[float] = []
    for c, items in zip(concepts, plan or match_plan(concepts), strict=True):
        in_title, anywhere = 0.0, learned_match(c, learned_counts, learned_weight)
        for term, weight, phrase, bound in items:
            if bound <= in_title and bound <= anywhere:
                break  # no term from here on can raise either
            if phrase:
                if weight > anywhere and all(x in title_counts or x in body_counts for x in term):
                    anywhere = weight
                    if weight > in_title and all(x in title_counts for x in term):
                        in_title = weight
                continue
            if weight > in_title and term in title_counts:
                in_title = weight
            if weight > anywhere:
                count = body_counts.get(term, 0)
                if count:
                    anywhere = max(anywhere, weight if count > 1 else weight * once)
        title_m.append(in_title)
        any_m.append(max(in_title, anywhere))
    return title_m, any_m


class Ranker:
    def __init__(self, lexicon: Lexicon, postings: PostingsCache, tuning: Tuning) -> None:
        self.lexicon = lexicon
        self.postings = postings
        self.tuning = tuning

    def rank(self, concepts: list[Concept], keep_all: bool = False) -> Ranking:
        """Candidates ranked by concept coverage and BM25F; gated by the answer bar
        unless ``keep_all``."""
        tuning = self.tuning
        ranking = Ranking([], concepts)
        usable = [c for c in concepts if c.terms]
        if not usable:
            return ranking
        total_weight = sum(c.weight for c in concepts) or 1.0
        ranking.long_query = long_query = len(concepts) >= tuning.long_query_concepts
        if long_query:  # pasted messages: many side words, so trust BM25 more
            w_cov, w_title, w_bm, bar = (
                tuning.long_rank_cov,
                tuning.long_title_bonus,
                tuning.long_bm25_weight,
                tuning.long_min_coverage,
            )
        else:
            w_cov, w_title, w_bm, bar = (
                tuning.rank_cov,
                tuning.title_bonus,
                tuning.bm25_weight,
                tuning.min_coverage,
            )
        candidates = self._candidates(concepts, total_weight, 0.0 if keep_all else bar)
        rows = self._score(candidates, concepts, usable, total_weight, ranking.stored)
        if not rows:
            return ranking
        bm_max = max(row[3] for row in rows) or 1.0
        scored = []
        for docnum, cov, tcov, bm in rows:
            bm /= bm_max
            scored.append(Ranked(docnum, w_cov * cov + w_title * tcov + w_bm * bm, cov, tcov, bm))
        scored.sort(key=lambda x: -x.score)
        if keep_all:
            ranking.hits = scored
            return ranking
        # features are compared rounded, as they always were
        if max(round(x.coverage, 3) for x in scored[:3]) < bar:
            return ranking
        top = scored[0].score
        ranking.hits = [
            x
            for x in scored
            if x.score >= tuning.hit_ratio * top
            and round(x.coverage, 3) >= tuning.min_hit_coverage * bar
        ]
        return ranking

    def _candidates(self, concepts: list[Concept], total_weight: float, bar: float) -> list[int]:
        """Documents that can reach the answer bar, best partial coverage first.

        A document matching none of the heaviest concepts whose weight exceeds
        (1 - min_hit_coverage * bar) of the query cannot be returned, so only
        their postings are read; rare (heavy) terms have short postings.
        """
        tuning, lexicon = self.tuning, self.lexicon
        reader, lang = lexicon.reader, lexicon.lang
        order = sorted((c for c in concepts if c.terms), key=lambda c: -c.weight)
        slack = tuning.min_hit_coverage * bar * total_weight
        rest = sum(c.weight for c in order)
        used: list[Concept] = []
        for c in order:
            if rest < slack or len(used) >= tuning.max_concepts:
                break
            used.append(c)
            rest -= c.weight
        score: dict[int, float] = {}
        for c in used:
            levels: dict[float, list[str]] = {}
            for term, weight in sorted(c.terms.items(), key=_strongest_first)[
                : tuning.first_stage_terms
            ]:
                if isinstance(term, tuple):  # a phrase: read its rarest word
                    term = min(
                        term,
                        key=lambda x: (
                            reader.doc_frequency("body_terms", x)
                            + reader.doc_frequency("title_terms", x)
                        ),
                    )
                levels.setdefault(weight, []).append(term)
            best: dict[int, float] = {}
            learned: dict[int, float] = {}
            for weight in sorted(levels):  # ascending: stronger matches overwrite weaker
                for term in levels[weight]:
                    learned.update(
                        dict.fromkeys(
                            self.postings.get(reader, lang, "learned_terms", term),
                            weight * tuning.learned_weight,
                        )
                    )
                    best.update(
                        dict.fromkeys(self.postings.get(reader, lang, "body_terms", term), weight)
                    )
                    best.update(
                        dict.fromkeys(
                            self.postings.get(reader, lang, "title_terms", term), weight * 1.0001
                        )
                    )
            for docnum, match in learned.items():
                if best.get(docnum, 0.0) < match:
                    best[docnum] = match
            concept_weight = c.weight
            if not score:  # the first concept: nothing to add to (0.0 + x is x)
                score = {docnum: concept_weight * match for docnum, match in best.items()}
                continue
            get = score.get
            for docnum, match in best.items():
                score[docnum] = get(docnum, 0.0) + concept_weight * match
        if len(score) > tuning.candidates:
            return heapq.nlargest(tuning.candidates, score, key=score.__getitem__)
        return sorted(score, key=score.__getitem__, reverse=True)

    def _query_term_weights(self, usable: list[Concept]) -> dict[str, float]:
        """BM25F query weights: a term's match weight times its concept's weight when
        that concept was re-weighted (question sentence, framing word, product),
        relative to the concept's plain IDF; so the sentence that asks steers BM25 too."""
        tuning, n = self.tuning, self.lexicon.n_docs
        weights: dict[str, float] = {}
        for c in usable:
            plain = math.log(1.0 + (n - c.df + 0.5) / (c.df + 0.5)) or 1.0
            focus = c.weight / plain if tuning.bm25_concept_focus else 1.0
            for term, weight in sorted(c.terms.items(), key=_strongest_first)[
                : tuning.first_stage_terms
            ]:
                for x in term if isinstance(term, tuple) else (term,):
                    if weights.get(x, 0.0) < weight * focus:
                        weights[x] = weight * focus
        return weights

    def _score(
        self,
        candidates: list[int],
        concepts: list[Concept],
        usable: list[Concept],
        total_weight: float,
        stored_by_doc: dict[int, dict],
    ) -> list[tuple[int, float, float, float]]:
        """(docnum, coverage, title coverage, BM25F) per live candidate, from stored term counts."""
        if not candidates:
            return []
        tuning, lexicon = self.tuning, self.lexicon
        reader, n = lexicon.reader, lexicon.n_docs
        query_weights = self._query_term_weights(usable)
        idf = {
            t: math.log(1.0 + (n - lexicon.df(t) + 0.5) / (lexicon.df(t) + 0.5))
            for t in query_weights
        }
        avg_title = max(1.0, reader.field_length("title_terms") / n)
        avg_body = max(1.0, reader.field_length("body_terms") / n)
        plan = match_plan(concepts)
        weights = [c.weight for c in concepts]
        # per query term: its weight times its IDF (the product BM25 starts from, in the
        # same order of operations as before, so scores stay the same to the last bit)
        terms = [(term, weight * idf[term]) for term, weight in query_weights.items()]
        title_boost, body_once, learned_weight = (
            tuning.title_boost,
            tuning.body_once,
            tuning.learned_weight,
        )
        k1_plus_1 = _K1 + 1
        rows = []
        for docnum in candidates:
            if reader.is_deleted(docnum):
                continue
            stored = lexicon.stored(docnum)
            stored_by_doc[docnum] = stored
            title_counts, body_counts = stored["title_counts"], stored["body_counts"]
            title_m, any_m = concept_matches(
                concepts,
                title_counts,
                body_counts,
                body_once,
                stored.get("learned_counts"),
                learned_weight,
                plan,
            )
            cov = sum(map(operator.mul, weights, any_m)) / total_weight
            tcov = sum(map(operator.mul, weights, title_m)) / total_weight
            title_length, body_length = lexicon.lengths(docnum, stored)
            norm_title = 1.0 - _B + _B * title_length / avg_title
            norm_body = 1.0 - _B + _B * body_length / avg_body
            title_get, body_get = title_counts.get, body_counts.get
            bm = 0.0
            for term, weighted_idf in terms:
                in_title, in_body = title_get(term, 0), body_get(term, 0)
                if in_title or in_body:
                    bm += weighted_idf * (
                        title_boost * in_title * k1_plus_1 / (in_title + _K1 * norm_title)
                        + in_body * k1_plus_1 / (in_body + _K1 * norm_body)
                    )
            rows.append((docnum, cov, tcov, bm))
        return rows
