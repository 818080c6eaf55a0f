"""How the FAQ's articles fared in a period: the most "not helpful" votes and the newest
comments left with them, as the votes stand (a changed vote counts once)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.functions import Count

from faq.models import Article, ArticleVote
from feedback.reports.period import Period


@dataclass(frozen=True, slots=True)
class ArticleFeedback:
    """An article's votes in the period (a changed vote counts once, as it stands)."""

    slug: str
    lang: str
    title: str
    not_helpful: int
    helpful: int
    votes: int


@dataclass(frozen=True, slots=True)
class VoteComment:
    """What a customer wrote with a "not helpful" vote (personal data removed when stored)."""

    slug: str
    lang: str
    title: str
    comment: str
    updated_at: datetime


async def not_helpful_articles(period: Period, limit: int) -> list[ArticleFeedback]:
    """The articles with the most "not helpful" votes (as the votes stand, by last change)."""
    window = {"updated_at__gte": period.start, "updated_at__lt": period.end}
    top = (
        await ArticleVote.filter(**window, helpful=False)
        .annotate(votes=Count("id"))
        .group_by("slug", "lang")
        .order_by("-votes", "slug", "lang")
        .limit(limit)
        .values("slug", "lang", "votes")
    )
    if not top:
        return []
    slugs = list({row["slug"] for row in top})
    helpful = {
        (row["slug"], row["lang"]): row["votes"]
        for row in await ArticleVote.filter(**window, helpful=True, slug__in=slugs)
        .annotate(votes=Count("id"))
        .group_by("slug", "lang")
        .values("slug", "lang", "votes")
    }
    titles = await article_titles({(row["slug"], row["lang"]) for row in top})
    return [
        ArticleFeedback(
            slug=row["slug"],
            lang=row["lang"],
            title=titles.get((row["slug"], row["lang"]), ""),
            not_helpful=row["votes"],
            helpful=helpful.get((row["slug"], row["lang"]), 0),
            votes=row["votes"] + helpful.get((row["slug"], row["lang"]), 0),
        )
        for row in top
    ]


async def not_helpful_comments(period: Period, limit: int) -> list[VoteComment]:
    """The newest comments left with a "not helpful" vote (as the votes stand)."""
    rows = (
        await ArticleVote.filter(
            updated_at__gte=period.start, updated_at__lt=period.end, helpful=False
        )
        .exclude(comment="")
        .order_by("-updated_at", "-id")
        .limit(limit)
        .values("slug", "lang", "comment", "updated_at")
    )
    titles = await article_titles({(row["slug"], row["lang"]) for row in rows})
    return [VoteComment(title=titles.get((row["slug"], row["lang"]), ""), **row) for row in rows]


async def article_titles(articles: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The titles of these (slug, lang) articles; a deleted article has none."""
    if not articles:
        return {}
    rows = await Article.filter(slug__in={slug for slug, _ in articles}).values_list(
        "slug", "lang", "title"
    )
    return {(slug, lang): title for slug, lang, title in rows if (slug, lang) in articles}
