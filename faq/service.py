"""FAQ use cases: import, search with knowledge-gap logging, article pages, votes.

The database is the source of truth; each process keeps its own Whoosh index in sync.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.functions import Count, Max
from tortoise.transactions import in_transaction

from faq.documents import ArticleDoc
from faq.models import Article, ArticleVote, SearchLog
from faq.privacy import redact
from faq.render import plain_text, render_markdown
from faq.search import FaqSearch, Hit, SearchResult
from shared.batches import Admit, RowBatch
from shared.refused import Refused
from shared.regional import LANGUAGES
from shared.text import printable
from webhooks.outbox import enqueue

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 500
MAX_COMMENT_CHARS = 2000


@dataclass(frozen=True, slots=True)
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    articles: list[Article]


@dataclass(frozen=True, slots=True)
class ArticlePage:
    """Everything an article page shows, rendered once per content version."""

    article: Article
    html: str
    description: str
    translations: list[str]
    related: list[Hit]


SEARCH_CACHE_SIZE = 2048
#: Searches that found nothing are written in batches this often (and at shutdown): one
#: insert per such search cost a fifth of the search API's throughput.
GAP_FLUSH_SECONDS = 1.0
#: While the semantic stage embeds articles in the background, cached results are
#: dropped this often (s) at most, and once when it is done.
EMBEDDING_REFRESH_SECONDS = 60.0
#: Unwritten gaps kept at most, should the database be away for long.
MAX_UNWRITTEN_GAPS = 10_000


class FaqService:
    """One per process; owns the process's search index."""

    def __init__(self, search: FaqSearch) -> None:
        self.search_index = search
        self._fingerprint: tuple[int, datetime | None] | None = None
        #: the search's embedding progress when caches were last dropped for it, and when
        self._embedded = (0, time.monotonic())
        #: Changes with every change of the content: callers key their caches with it.
        self.version = 0
        # FAQ content changes rarely and is read constantly: pages, categories and search
        # results are cached per process and dropped whenever the index changes.
        self._pages: dict[tuple[str, str], ArticlePage] = {}
        self._categories: dict[str, list[Category]] = {}
        self._results: OrderedDict[tuple[str, str, int, int, bool], SearchResult] = OrderedDict()
        self._gaps = RowBatch(
            SearchLog,
            MAX_UNWRITTEN_GAPS,
            "search log backlog full, a search without result is not recorded",
        )

    def _embedding_progress(self) -> None:
        progress, done = self.search_index.embedding_progress()
        now = time.monotonic()
        if progress != self._embedded[0] and (
            done or now - self._embedded[1] >= EMBEDDING_REFRESH_SECONDS
        ):
            self._embedded = (progress, now)
            self._content_changed()

    def _content_changed(self) -> None:
        self.version += 1
        self._pages.clear()
        self._categories.clear()
        self._results.clear()

    # -- content -------------------------------------------------------------------------
    async def import_docs(
        self,
        docs: Iterable[ArticleDoc],
        prune: bool = False,
        keep: set[tuple[str, str]] | None = None,
    ) -> ImportReport:
        """Upsert articles by (id, lang); unchanged ones are not written, so re-imports are no-ops.

        With `prune`, articles neither in `docs` nor in `keep` are deleted.
        """
        docs = list(docs)
        created = updated = unchanged = removed = 0
        async with in_transaction():
            existing = {(a.slug, a.lang): a for a in await Article.all()}
            for doc in docs:
                row = existing.get((doc.id, doc.lang))
                values = {
                    "title": printable(doc.title),
                    "category": printable(doc.category),
                    "tags": [printable(tag) for tag in doc.tags],
                    "body": printable(doc.body, multiline=True),
                }
                if row is None:
                    await Article.create(slug=doc.id, lang=doc.lang, **values)
                    created += 1
                elif any(getattr(row, key) != value for key, value in values.items()):
                    await row.update_from_dict(values).save()
                    updated += 1
                else:
                    unchanged += 1
            if prune:
                keep = (keep or set()) | {(doc.id, doc.lang) for doc in docs}
                stale = [row.id for key, row in existing.items() if key not in keep]
                if stale:
                    removed = await Article.filter(id__in=stale).delete()
        await self.sync_index()
        return ImportReport(created, updated, unchanged, removed)

    async def load_if_empty(self, docs: Iterable[ArticleDoc]) -> ImportReport | None:
        """Import `docs` into an empty FAQ; None when it has articles already.

        Processes starting together on an empty database race here: the loser's transaction
        meets the winner's articles (a unique violation) and is rolled back; it then reports
        nothing created, so its caller indexes what the winner wrote.
        """
        if await self.article_count():
            return None
        try:
            return await self.import_docs(docs)
        except IntegrityError:
            log.info("another process loaded the FAQ first")
            return ImportReport(0, 0, 0, 0)

    async def upsert(self, doc: ArticleDoc) -> bool:
        """Create or replace one article (the back-office API); True when it was new."""
        report = await self.import_docs([doc])
        return report.created == 1

    async def delete(self, slug: str, lang: str) -> bool:
        """Remove one article; every process drops it from its index on its next sync."""
        removed = await Article.filter(slug=slug, lang=lang).delete()
        await self.sync_index()
        return bool(removed)

    async def article_count(self) -> int:
        return await Article.all().count()

    async def rebuild_index(self) -> int:
        """Rebuild this process's index from the database."""
        rows = await Article.all()
        self.search_index.rebuild(row.to_doc() for row in rows)
        self._fingerprint = await self._current_fingerprint()
        self._content_changed()
        return len(rows)

    async def sync_index(self) -> bool:
        """Bring the index up to date with the database if another writer changed it.

        Cheap when nothing changed (one aggregate query), so it can be polled every few
        seconds; this is how edits made by other processes reach this process's index.
        Cached results are also dropped when the semantic stage's background embedding is
        done, or has made progress for EMBEDDING_REFRESH_SECONDS.
        """
        self._embedding_progress()
        current = await self._current_fingerprint()
        if current == self._fingerprint:
            return False
        previous = self._fingerprint
        if previous is None or current[0] < previous[0] or previous[1] is None:
            await self.rebuild_index()
            return True
        for row in await Article.filter(updated_at__gte=previous[1]):
            self.search_index.upsert(row.to_doc())
        self._fingerprint = current
        self._content_changed()
        return True

    async def set_learned(self, learned: dict[tuple[str, str], list[str]]) -> int:
        """Index the phrasings customers found articles with (per (slug, lang), worked out by
        `feedback.learning`); only articles whose phrasings changed are re-indexed."""
        changed = self.search_index.set_learned(learned)
        if not changed:
            return 0
        slugs = {slug for slug, _ in changed}
        for row in await Article.filter(slug__in=slugs):
            if (row.slug, row.lang) in changed:
                self.search_index.upsert(row.to_doc())
        self._content_changed()
        return len(changed)

    async def add_tag(self, slug: str, lang: str, tag: str) -> bool:
        """Add a tag to an article (an editor promoting a learned phrasing); False when there
        is no such article. Every process re-indexes it on its next sync."""
        article = await self.article(slug, lang)
        if article is None:
            return False
        tag = printable(tag).strip()
        if tag and tag.casefold() not in {t.casefold() for t in article.tags}:
            article.tags = [*article.tags, tag]
            await article.save()
            await self.sync_index()
        return True

    async def _current_fingerprint(self) -> tuple[int, datetime | None]:
        row = (
            await Article.all().annotate(n=Count("id"), last=Max("updated_at")).values("n", "last")
        )
        return (row[0]["n"], row[0]["last"]) if row else (0, None)

    async def touch_all(self) -> int:
        """Mark every article changed, so every running process re-indexes it."""
        from tortoise.timezone import now

        return await Article.all().update(updated_at=now())

    # -- reading -------------------------------------------------------------------------
    async def article(self, slug: str, lang: str) -> Article | None:
        return await Article.get_or_none(slug=slug, lang=lang)

    async def translations(self, slug: str) -> list[str]:
        langs = await Article.filter(slug=slug).values_list("lang", flat=True)
        return [lang for lang in LANGUAGES if lang in langs]

    async def categories(self, lang: str) -> list[Category]:
        if lang not in self._categories:
            grouped: dict[str, list[Article]] = defaultdict(list)
            for row in await Article.filter(lang=lang).order_by("category", "title"):
                grouped[row.category].append(row)
            self._categories[lang] = [Category(name, items) for name, items in grouped.items()]
        return self._categories[lang]

    async def page(self, slug: str, lang: str) -> ArticlePage | None:
        """The article page's content, or None when there is no such article."""
        key = (slug, lang)
        if key not in self._pages:
            article = await self.article(slug, lang)
            if article is None:  # not cached: random URLs must not grow the cache
                return None
            self._pages[key] = ArticlePage(
                article=article,
                html=render_markdown(article.body),
                description=plain_text(article.body, 160),
                translations=await self.translations(slug),
                related=self.related(slug, lang),
            )
        return self._pages[key]

    def related(self, slug: str, lang: str, limit: int = 5) -> list[Hit]:
        return self.search_index.related(slug, lang, limit)

    # -- searching -----------------------------------------------------------------------
    async def search(
        self,
        query: str,
        lang: str,
        limit: int = 10,
        offset: int = 0,
        record: bool = True,
        snippets: bool = True,
    ) -> SearchResult:
        """Search; a search without a sure answer (no hit better than "low") is recorded as a
        knowledge gap. Lists of titles (live suggestions) pass `snippets=False`: the same
        hits, without the snippets' cost."""
        query = " ".join(printable(query).split())[:MAX_QUERY_CHARS]
        key = (query.casefold(), lang, limit, offset, snippets)
        result = self._results.get(key)
        if result is None:
            result = self.search_index.search(
                query, lang, limit=limit, offset=offset, snippets=snippets
            )
            self._results[key] = result
            if len(self._results) > SEARCH_CACHE_SIZE:
                self._results.popitem(last=False)
        else:
            self._results.move_to_end(key)
        if record and query and offset == 0 and not result.answered:
            self.note_gap(query, lang)
        return result

    async def suggest(
        self,
        queries: Iterable[tuple[str, float]],
        lang: str,
        limit: int = 3,
        exclude: Iterable[str] = (),
        steer: Iterable[tuple[str, float]] = (),
    ) -> list[Hit]:
        """Answers for several things a customer told us at once (their own words, the chosen
        topic), each searched apart with its weight and the lists fused by rank: an answer that
        fits several comes first, and a heavier query outranks a lighter one. "Low" hits are no
        answers and are dropped; `exclude` holds articles the customer has already ruled out.
        `steer` queries (a kind of request) only reorder the answers the others found: found
        by them alone, an answer is about something else (another product's app problem for
        a coffee machine). Not recorded as searches: the customer is describing a case."""
        skip = set(exclude)
        scores: dict[str, float] = {}
        hits: dict[str, Hit] = {}
        steering = [(query, weight, True) for query, weight in steer]
        for query, weight, steers in [*((q, w, False) for q, w in queries), *steering]:
            if not query or not query.strip():
                continue
            result = await self.search(
                query[:300], lang, limit=limit * 2, record=False, snippets=False
            )
            for rank, hit in enumerate(result.hits):
                if hit.confidence == "low" or hit.id in skip or (steers and hit.id not in hits):
                    continue
                scores[hit.id] = scores.get(hit.id, 0.0) + weight / (rank + 1)
                hits.setdefault(hit.id, hit)
        best = sorted(scores, key=lambda id_: -scores[id_])
        return [hits[id_] for id_ in best[:limit]]

    def note_gap(self, query: str, lang: str, once_per: str | None = None) -> None:
        """Note a search without answer (`query` as `search` cleaned it: `SearchResult.query`);
        with `once_per` (a client) it is written only if `write_gaps`' `admit` lets its key,
        (query case-folded, language, client), through."""
        key = (query.casefold(), lang, once_per) if once_per is not None else None
        self._gaps.add(_log_entry(query, lang, 0, "no_result"), key)

    async def write_gaps(self, admit: Admit | None = None) -> int:
        """Write the searches without result noted so far; kept for the next try on failure."""
        return await self._gaps.write(admit)

    # -- feedback ------------------------------------------------------------------------
    async def vote_of(self, slug: str, lang: str, voter_token: str) -> bool | None:
        """This browser's current vote on the article: helpful, not helpful or none."""
        if not voter_token:
            return None
        voter = _voter(voter_token)
        found = await ArticleVote.filter(slug=slug, lang=lang, voter=voter).values_list(
            "helpful", flat=True
        )
        return bool(found[0]) if found else None

    async def not_helpful_comment(self, slug: str, lang: str, voter_token: str) -> str:
        """What this browser wrote with its "not helpful" vote on the article ("" if none):
        the request it opens next starts from those words instead of asking for them again."""
        if not voter_token:
            return ""
        voter = _voter(voter_token)
        found = await ArticleVote.filter(
            slug=slug, lang=lang, voter=voter, helpful=False
        ).values_list("comment", flat=True)
        return found[0] if found else ""

    async def vote(
        self, slug: str, lang: str, voter_token: str, helpful: bool, comment: str = ""
    ) -> ArticleVote:
        """Store or replace this browser's vote and tell the back office (`faq.feedback`).

        The cookie token is stored only as a hash.
        """
        if (length := len(comment.strip())) > MAX_COMMENT_CHARS:
            raise CommentTooLong(length=length, max=MAX_COMMENT_CHARS)
        voter = _voter(voter_token)
        comment = redact(printable(comment, multiline=True).strip())
        async with in_transaction():
            vote = await ArticleVote.filter(slug=slug, lang=lang, voter=voter).first()
            if vote is None:
                vote = await ArticleVote.create(
                    slug=slug, lang=lang, voter=voter, helpful=helpful, comment=comment
                )
            else:
                kept = vote.comment if helpful == vote.helpful else ""
                vote.helpful, vote.comment = helpful, comment or kept
                await vote.save()
            await enqueue(
                "faq.feedback",
                {
                    "article": {"id": slug, "lang": lang},
                    "helpful": vote.helpful,
                    "comment": vote.comment,
                    "vote_id": vote.id,
                    "voter": voter[:16],
                },
            )
            return vote


class CommentTooLong(Refused):
    """The vote's comment is longer than MAX_COMMENT_CHARS; nothing was stored."""

    topic = "faq"
    code = "too_long"


def _voter(token: str) -> str:
    """The stored form of a browser's voter cookie: its hash, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def _log_entry(query: str, lang: str, result_count: int, outcome: str) -> SearchLog:
    """A search log row, with personal data removed from the query."""
    return SearchLog(
        query=redact(query)[:MAX_QUERY_CHARS],
        lang=lang,
        result_count=result_count,
        outcome=outcome,
    )
