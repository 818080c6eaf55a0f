"""How sure the engine is that a hit answers the query: ``high`` (the answer),
``medium`` (maybe) or ``low`` (not an answer).

Made from general features of the match, not from the rank score alone:

* **support**: the share of the query's concept weight (IDF-weighted, so rare words
  count most) that the hit matches, counting only informative concepts: framing
  words ("Möglichkeit", "way") and words in more than half of the articles count for
  nothing, and a word found only inside a longer compound of the article counts half
  ("Streifen" in "Teststreifen" is weak evidence that the article is about stripes);
* **breadth**: a query naming two or more things is not answered with certainty by a
  hit that matches only one of them (a single matching word);
* **title support**: the same, in the title and tags only; a short query whose words the
  article mentions only in passing in its body (none in its title, which states the
  question it answers) is at most "maybe";
* **margin**: the top hit's lead over the next one; two near-equal hits are both "maybe".

Only the top hit can be ``high``.
"""

from __future__ import annotations

from dataclasses import dataclass

from faq import text
from faq.search.analyzer import Concept
from faq.search.ranking import Ranking, learned_match
from faq.search.tuning import Tuning

HIGH, MEDIUM, LOW = "high", "medium", "low"
LEVELS = (HIGH, MEDIUM, LOW)


@dataclass(frozen=True, slots=True)
class Evidence:
    support: float  # see the module docstring
    title_support: float
    matched: int  # informative concepts the hit matches
    asked: int  # informative concepts in the query (known to the index or not)
    margin: float  # (score - next score) / score; 1.0 without a next hit


def _informative(concept: Concept, n_docs: int, lang: str, tuning: Tuning) -> bool:
    if concept.span is not None and text.is_light_word(concept.word, lang):
        return False
    return not concept.terms or concept.df <= tuning.frequent_share * n_docs


def _match(
    concept: Concept,
    title_counts: dict,
    body_counts: dict,
    loose_factor: float,
    learned: float = 0.0,
) -> tuple[float, float]:
    """The concept's best match weight in the article (at least ``learned``, its match in the
    learned phrasings) and in its title and tags; compound-part matches discounted."""
    loose = concept.loose_terms()
    best, in_title = learned, 0.0
    for term, weight in concept.terms.items():
        words = term if isinstance(term, tuple) else (term,)
        if isinstance(term, str) and term in loose:
            weight *= loose_factor
        if weight > best and all(x in title_counts or x in body_counts for x in words):
            best = weight
        if weight > in_title and all(x in title_counts for x in words):
            in_title = weight
    return best, in_title


def evidence(
    concepts: list[Concept], stored: dict, n_docs: int, lang: str, tuning: Tuning, margin: float
) -> Evidence:
    title_counts, body_counts = stored["title_counts"], stored["body_counts"]
    total = sum(c.weight for c in concepts) or 1.0
    support = title_support = 0.0
    matched = asked = 0
    for c in concepts:
        if not _informative(c, n_docs, lang, tuning):
            continue
        asked += 1
        learned = learned_match(c, stored.get("learned_counts"), tuning.learned_weight)
        anywhere, in_title = _match(c, title_counts, body_counts, tuning.loose_factor, learned)
        if anywhere:
            matched += 1
            support += c.weight * anywhere
            title_support += c.weight * in_title
    return Evidence(support / total, title_support / total, matched, asked, margin)


def level(ev: Evidence, long_query: bool, top: bool, tuning: Tuning) -> str:
    if long_query:
        high, medium, titled = tuning.long_high_support, tuning.long_medium_support, 0.0
    else:
        high, medium, titled = tuning.high_support, tuning.medium_support, tuning.high_title_support
    broad = ev.matched >= min(2, ev.asked)
    if (
        top
        and broad
        and ev.support >= high
        and ev.title_support >= titled
        and ev.margin >= tuning.high_margin
    ):
        return HIGH
    if ev.support >= medium and ev.matched:
        return MEDIUM
    return LOW


def assess(
    ranking: Ranking, index: int, stored: dict, n_docs: int, lang: str, tuning: Tuning
) -> tuple[str, Evidence]:
    """Confidence of the hit at ``index`` of the ranking."""
    hits = ranking.hits
    score = hits[index].score
    following = hits[index + 1].score if index + 1 < len(hits) else 0.0
    margin = (score - following) / score if score > 0 else 0.0
    ev = evidence(ranking.concepts, stored, n_docs, lang, tuning, margin)
    return level(ev, ranking.long_query, index == 0, tuning), ev
