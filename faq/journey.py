"""The customer's way through the FAQ pages: search, read, vote; each step noted as an outcome.

The pages call this, not FaqService and OutcomeLog one by one, so that every search a
customer sees is linked by its search id to what they did next.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from faq.language import clear_language
from faq.models import Article
from faq.search import SearchResult
from faq.service import ArticlePage, FaqService
from feedback.outcomes import OutcomeLog, new_search_id, valid_search_id
from shared.regional import LANGUAGES


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One results page. `other` holds answers in `other_lang` when the page's own language
    has none for the query, or the query is clearly written in `other_lang` (a German query
    with the English interface); `result` then has no hits."""

    query: str
    result: SearchResult
    page: int
    pages: int
    search_id: str
    other: SearchResult | None = None
    other_lang: str | None = None


@dataclass(frozen=True, slots=True)
class ArticleView:
    page: ArticlePage
    #: This browser's recorded vote: True helpful, False not helpful, None none.
    vote: bool | None


class FaqJourney:
    def __init__(self, faq: FaqService, outcomes: OutcomeLog, page_size: int = 10) -> None:
        self.faq = faq
        self.outcomes = outcomes
        self.page_size = page_size

    async def search(
        self, query: str, lang: str, page: int = 1, search_id: str | None = None, client: str = ""
    ) -> SearchPage:
        """A results page; a new search (no id given) with answers is noted as shown (with the
        `client` address reduced to a visitor bucket, see `feedback.outcomes`).

        Nothing is logged as a search without answer here: the page does that per client.
        """
        size, offset = self.page_size, (page - 1) * self.page_size
        result = await self.faq.search(query, lang, limit=size, offset=offset, record=False)
        other = other_lang = None
        if page == 1 and result.query:
            written_in = clear_language(result.query)
            if not result.answered or written_in not in (None, lang):
                other, other_lang = await self._other_language(query, lang, written_in)
            if other is not None:
                # what matched here (or the spelling offered) matched by chance
                result = replace(result, hits=[], total=0, did_you_mean=None)
        known = valid_search_id(search_id)
        search_id = known or new_search_id()
        shown = other or result
        if not known and shown.total and page == 1:
            self.outcomes.shown(search_id, result.query, other_lang or lang, shown.total, client)
        pages = max(1, -(-result.total // size))
        return SearchPage(result.query, result, page, pages, search_id, other, other_lang)

    async def _other_language(
        self, query: str, lang: str, written_in: str | None
    ) -> tuple[SearchResult | None, str | None]:
        """Answers in the query's own language, else in any other that has some."""
        if written_in and written_in != lang:
            candidates = [written_in]
        else:
            candidates = [c for c in LANGUAGES if c != lang]
        for candidate in candidates:
            found = await self.faq.search(query, candidate, limit=self.page_size, record=False)
            if found.answered:
                return found, candidate
        return None, None

    async def article(
        self,
        slug: str,
        lang: str,
        voter_token: str = "",
        search_id: str | None = None,
        opened: bool = True,
    ) -> ArticleView | None:
        """The article page; opening it from a results page (`search_id`) is noted unless
        this is the page shown again after a vote (`opened` false)."""
        page = await self.faq.page(slug, lang) if lang in LANGUAGES else None
        if page is None:
            return None
        if opened and (known := valid_search_id(search_id)):
            self.outcomes.opened(known, slug, lang)
        return ArticleView(page, await self.faq.vote_of(slug, lang, voter_token))

    async def vote(
        self,
        slug: str,
        lang: str,
        voter_token: str,
        helpful: bool,
        comment: str = "",
        search_id: str | None = None,
    ) -> bool:
        """Store the vote (False: no such article); a vote after a search is noted too.
        Raises CommentTooLong, storing nothing, for a comment over MAX_COMMENT_CHARS."""
        if lang not in LANGUAGES or await self.faq.article(slug, lang) is None:
            return False
        await self.faq.vote(slug, lang, voter_token, helpful, comment)
        if known := valid_search_id(search_id):
            self.outcomes.voted(known, slug, lang, helpful)
        return True

    async def translation(self, slug: str, lang: str) -> str | None:
        """Where the language switch of an article leads: its slug in `lang`, if translated."""
        return slug if lang in await self.faq.translations(slug) else None

    async def untranslated(self, slug: str, lang: str) -> Article | None:
        """The article `slug` in another language when it has no translation in `lang`."""
        translations = await self.faq.translations(slug)
        if not translations or lang in translations:
            return None
        return await self.faq.article(slug, translations[0])
