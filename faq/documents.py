"""Plain article records shared by the importer, the database layer and the search index.

The search index takes these rather than ORM objects so it can be built and
benchmarked without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ArticleDoc:
    """One FAQ article in one language, as written in `<id>.<lang>.md`."""

    id: str
    lang: str
    title: str
    category: str
    body: str
    tags: tuple[str, ...] = field(default_factory=tuple)
