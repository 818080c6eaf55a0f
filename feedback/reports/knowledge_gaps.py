"""Knowledge gaps: the queries the FAQ did not answer, or answered wrongly, in a period.

Searches that found nothing come from the search log (`faq.models.SearchLog`); searches
whose answers were never opened, voted "not helpful" or followed by a case come from the
search outcomes (`feedback.outcomes`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from faq.models import SearchLog
from feedback import outcomes
from feedback.reports.articles import article_titles
from feedback.reports.period import Period


@dataclass(frozen=True, slots=True)
class KnowledgeGap:
    """A query the FAQ did not answer, or answered wrongly; spellings differing only in case
    count together.

    `searches` is the sum of: searches that found nothing (`no_result`), whose results were
    never opened (`not_opened`), whose answer was voted "not helpful" (`not_helpful`), and
    after which a case was filed although answers were shown (`case_filed`).
    `wrong_article` is the answer most often voted "not helpful" or read before a case.
    """

    query: str
    lang: str
    searches: int
    no_result: int = 0
    not_opened: int = 0
    not_helpful: int = 0
    case_filed: int = 0
    wrong_article: str = ""
    wrong_article_title: str = ""


def _key(query: str) -> str:
    return " ".join(query.split()).casefold()


async def knowledge_gaps(period: Period, limit: int) -> list[KnowledgeGap]:
    """The queries most often left without a (right) answer, in their most frequent spelling.

    Searches that found nothing come from the search log; searches with answers that were
    never opened, voted "not helpful" or followed by a case from the search outcomes.
    """
    spellings: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    kinds: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    wrong: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    rows = await SearchLog.filter(
        outcome="no_result", created_at__gte=period.start, created_at__lt=period.end
    ).values_list("query", "lang")
    for query, lang in rows:
        spellings[(_key(query), lang)][query] += 1
        kinds[(_key(query), lang)]["no_result"] += 1
    for gap in await outcomes.gaps(period.start, period.end):
        key = (_key(gap.query), gap.lang)
        kinds[key][gap.kind] += 1
        if gap.article:
            wrong[key][gap.article] += 1
    articles = {
        (min(found, key=lambda slug: (-found[slug], slug)), lang)
        for (_, lang), found in wrong.items()
    }
    titles = await article_titles(articles)
    gaps = []
    for key, counted in kinds.items():
        found, lang = spellings.get(key), key[1]
        slug = min(wrong[key], key=lambda s: (-wrong[key][s], s)) if wrong.get(key) else ""
        gaps.append(
            KnowledgeGap(
                query=min(found, key=lambda q: (-found[q], q)) if found else key[0],
                lang=lang,
                searches=counted.total(),
                no_result=counted["no_result"],
                not_opened=counted[outcomes.NOT_OPENED],
                not_helpful=counted[outcomes.VOTED_NOT_HELPFUL],
                case_filed=counted[outcomes.CASE_FILED],
                wrong_article=slug,
                wrong_article_title=titles.get((slug, lang), ""),
            )
        )
    gaps.sort(key=lambda gap: (-gap.searches, gap.query.casefold(), gap.lang))
    return gaps[:limit]
