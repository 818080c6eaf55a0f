"""Database records of the FAQ: articles, votes and the searches that found nothing."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from faq.documents import ArticleDoc


class Article(Model):
    """One article in one language, identified in public by (slug, lang)."""

    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=120)
    lang = fields.CharField(max_length=2)
    title = fields.CharField(max_length=300)
    category = fields.CharField(max_length=120)
    tags = fields.JSONField(default=list)
    body = fields.TextField()
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "faq_article"
        unique_together = (("slug", "lang"),)

    def to_doc(self) -> ArticleDoc:
        return ArticleDoc(
            id=self.slug,
            lang=self.lang,
            title=self.title,
            category=self.category,
            body=self.body,
            tags=tuple(self.tags or ()),
        )


class ArticleVote(Model):
    """A "was this helpful?" answer, one per browser and article (a later vote replaces it)."""

    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=120)
    lang = fields.CharField(max_length=2)
    voter = fields.CharField(max_length=64, description="hash of the browser's voter cookie")
    helpful = fields.BooleanField()
    comment = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "faq_vote"
        unique_together = (("slug", "lang", "voter"),)


class SearchLog(Model):
    """A search that found nothing or led to a case: the knowledge gaps of level 0."""

    id = fields.IntField(primary_key=True)
    query = fields.CharField(max_length=500, description="personal data removed")
    lang = fields.CharField(max_length=2)
    result_count = fields.IntField()
    outcome = fields.CharField(max_length=20, description="no_result or case_opened")
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "faq_search_log"
