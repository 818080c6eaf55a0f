"""Related articles: those sharing the rarer words of an article, title words counting more.

Read straight from the index (stored term counts and postings), so it costs no query analysis.
"""

from __future__ import annotations

import heapq
import math

from faq.search.index import PostingsCache
from faq.search.results import Hit
from faq.search.snippets import make_snippet


def related_articles(
    searcher, postings: PostingsCache, lang: str, id: str, limit: int
) -> list[Hit]:
    """Up to `limit` articles like `id`, best first; none scoring under 30 % of the best."""
    docnum = searcher.document_number(key=id)
    if docnum is None:
        return []
    weights = _terms(searcher, searcher.stored_fields(docnum))
    if not weights:
        return []
    reader = searcher.reader()
    total = sum(w for _, w in weights)
    score: dict[int, float] = {}
    for term, weight in weights:
        found = dict.fromkeys(postings.get(reader, lang, "body_terms", term), weight)
        found.update(dict.fromkeys(postings.get(reader, lang, "title_terms", term), weight * 1.5))
        get = score.get
        for d, v in found.items():
            score[d] = get(d, 0.0) + v
    score.pop(docnum, None)
    out: list[Hit] = []
    best = None
    for d in heapq.nlargest(limit * 2 + 2, score, key=score.__getitem__):
        if reader.is_deleted(d):
            continue
        relative = score[d] / total
        best = best or relative
        if relative < 0.3 * best:
            break
        fields = searcher.stored_fields(d)
        snippet = make_snippet(fields["text"], lang, {}, [])
        out.append(
            Hit(
                fields["key"],
                lang,
                fields["title"],
                fields["category"],
                snippet,
                round(relative, 4),
            )
        )
        if len(out) >= limit:
            break
    return out


def _terms(searcher, stored: dict) -> list[tuple[str, float]]:
    reader = searcher.reader()
    n = max(1, reader.doc_count())
    title_counts, body_counts = stored["title_counts"], stored["body_counts"]
    weights: dict[str, float] = {}
    for term in set(title_counts) | set(body_counts):
        df = max(
            reader.doc_frequency("title_terms", term), reader.doc_frequency("body_terms", term)
        )
        if df <= 1 or (n >= 50 and df > 0.2 * n):
            continue  # only in this article, or in too many to say anything
        idf = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
        weights[term] = idf * (2.0 if term in title_counts else 1.0)
    return sorted(weights.items(), key=lambda kv: -kv[1])[:12]
