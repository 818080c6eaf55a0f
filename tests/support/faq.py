"""Hand-made FAQ articles and a search index of them, for tests of the search alone."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from faq.documents import ArticleDoc
from faq.search import FaqSearch


def article(
    id: str,
    title: str,
    body: str,
    tags: tuple[str, ...] = (),
    lang: str = "de",
    category: str = "Hilfe",
) -> ArticleDoc:
    return ArticleDoc(id=id, lang=lang, title=title, category=category, body=body, tags=tags)


@contextlib.contextmanager
def indexed(directory: Path, docs: Iterable[ArticleDoc], **options) -> Iterator[FaqSearch]:
    """A search over `docs` alone, in a fresh index in `directory` (options go to FaqSearch)."""
    search = FaqSearch(directory, **options)
    search.rebuild(list(docs))
    try:
        yield search
    finally:
        search.close()
