"""The knobs of the search pipeline, in one frozen dataclass."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tuning:
    """Knobs of the pipeline (defaults set on bench/faq_quality.py, tuned on one
    half of the evaluation set and checked on the other)."""

    # input limits
    max_query_chars: int = 2000  # raw characters looked at
    max_words: int = 60  # words looked at
    # match weight of a term for its concept
    w_exact: float = 1.0
    w_syn: float = 0.9
    w_syn_phrase: float = 0.85  # multi-word synonym: all its words in the article
    w_hyper: float = 0.7  # one-way rules ("Mikrowelle => Gerät")
    w_inflect: float = 0.85  # inflections the stemmer missed, separable verbs
    w_tail: float = 0.8  # query word is the tail of a compound in the article
    w_head: float = 0.6  # query word is the head of a compound in the article
    w_fuzzy: float = 0.85  # factor for fuzzy-corrected words
    w_thesaurus: float = 0.0  # general thesaurus (faq/search/data), any sense of the word
    thesaurus_unknown_only: bool = True  # ... only for words the index lacks
    w_colloquial: float = 0.8  # colloquial word the index lacks -> standard words (faq/search/data)
    general_split: bool = True  # split unknown compounds against a general word list
    max_parts: int = 4  # ... into at most this many words
    split_min_zipf: float = 3.0  # ... words of general German this common (Zipf)
    fuzzy2_min_len: int = 7  # words this long may have two typos
    suggest_max_zipf: float = 3.0  # no "did you mean" for a word this common (no typo)
    max_expansions: int = 24  # compound expansions per concept and kind
    # concept weights (IDF times these factors)
    light_factor: float = 0.3  # question-framing words (Möglichkeit, way, finden)
    modifier_factor: float = 0.8  # unknown first part of a compound ("Glas" in Glasbehälter)
    product_factor: float = 0.5  # words with a one-way rule to a broader term (products)
    unknown_lower: float = 0.5  # German: unknown lower-case word in a query with capitals
    unknown_uncased: float = 0.75  # German: unknown word in an all-lower-case query
    long_query_concepts: int = 8  # from here on a query counts as long (pasted message)
    long_unknown_factor: float = 0.35  # unknown words in long queries
    unknown_ramp_from: int = (
        0  # from this many concepts on, unknown words weigh less (ramp to long)
    )
    question_boost: float = 1.0  # long queries: words of the sentences ending in "?"
    long_common_factor: float = 0.5  # long queries: weight of words common in general language
    common_zipf: float = 5.5  # ... from this Zipf frequency on (linear from rare_zipf)
    rare_zipf: float = 3.5
    bm25_concept_focus: bool = True  # BM25 term weights follow the concept re-weighting
    # candidates and ranking
    max_concepts: int = 24  # concepts whose postings are read
    first_stage_terms: int = 8  # strongest terms per concept used for candidates/BM25
    candidates: int = 30  # candidates ranked in full
    title_boost: float = 2.5  # BM25F weight of title/tags against body
    # rank = rank_cov * coverage + title_bonus * title coverage + bm25_weight * BM25/max
    rank_cov: float = 0.5
    title_bonus: float = 0.25
    bm25_weight: float = 0.3
    long_rank_cov: float = 0.5  # the same for long queries
    long_title_bonus: float = 0.0
    long_bm25_weight: float = 0.3
    body_once: float = 1.0  # a word the body mentions only once (passing mention)
    learned_weight: float = 0.5  # a word matched only in the phrasings learned from customers
    #                               (set a priori, not tuned: learned evidence alone is "maybe")
    # answer decision
    min_coverage: float = 0.25  # one of the top 3 must cover this share of concept weight (below:
    #                               no hit at all; above, the confidence decides what is an answer)
    long_min_coverage: float = 0.15
    min_hit_coverage: float = 0.7  # every hit must reach this share of that bar
    hit_ratio: float = 0.6  # and this share of the best rank score
    relaxations: int = 2  # without a hit, drop the weakest concept up to this often
    # answer confidence (faq.search.confidence): support is the share of the query's
    # concept weight a hit matches with whole words of informative concepts
    frequent_share: float = 0.5  # a concept in more than this share of articles says little
    loose_factor: float = (
        0.5  # a word matched only loosely (compound part, thesaurus) counts this much
    )
    high_support: float = 0.7  # "the answer": this much support ...
    high_margin: float = 0.15  # ... and this lead over the next hit (share of its score)
    high_title_support: float = 0.2  # ... and (short queries) this much support in title/tags
    medium_support: float = 0.45  # "maybe"; below: low, not an answer
    long_high_support: float = 0.5  # the same for long queries (pasted messages)
    long_medium_support: float = 0.3
    # optional semantic stage (faq.search.semantic; needs the "semantic" extra): when the
    # best lexical hit is not "high", fuse the lexical hits with the articles nearest to
    # the query's embedding (reciprocal-rank fusion; chosen on the tuned sets). Off unless
    # asked for: articles are embedded in the background, but a query costs about 1.5 ms of
    # CPU per token (10,000 articles: p99 117 ms per search against a budget of 25 ms)
    semantic: bool = False
    semantic_weight: float = 1.0  # the dense list's weight in the fusion (lexical: 1)
    semantic_rrf_k: int = 60  # 1 / (k + rank)
    semantic_lexical: int = 10  # lexical hits taken into the fusion (at least)
    semantic_candidates: int = 20  # nearest articles taken into the fusion
    semantic_chars: int = 1000  # characters of title, tags and body embedded per article
    semantic_query_tokens: int = 64  # tokens of a query embedded at most (0: all; chosen on
    #                                 the tuned sets: 64 lost nothing there, 48 and 32 did)


TUNING = Tuning()
