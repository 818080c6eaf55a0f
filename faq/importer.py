"""Reads FAQ articles from Markdown files with YAML front matter (`<id>.<lang>.md`).

Parsing is separate from storing so a broken file is reported by name and skipped
while the valid ones still load.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from faq.documents import ArticleDoc
from shared.regional import LANGUAGES

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,118}$")
FILENAME = re.compile(r"^(?P<id>[^.]+)\.(?P<lang>[a-z]{2})\.md$")
REQUIRED = ("id", "lang", "title", "category")


class ArticleFileError(ValueError):
    """A file that cannot become an article; the message says why."""


@dataclass
class ParsedDirectory:
    """What a directory holds: valid articles and the files that were skipped, with reasons."""

    docs: list[ArticleDoc] = field(default_factory=list)
    errors: list[tuple[Path, str]] = field(default_factory=list)

    def present_keys(self) -> set[tuple[str, str]]:
        """(id, lang) of every file, broken ones included, so a prune never deletes an
        article only because its file has a mistake today."""
        broken = {(m["id"], m["lang"]) for p, _ in self.errors if (m := FILENAME.match(p.name))}
        return keys(self.docs) | broken


def parse_text(text: str, name: str = "<text>") -> ArticleDoc:
    """Parse one article; raise ArticleFileError with a reader-friendly reason."""
    if not text.startswith("---"):
        raise ArticleFileError("missing YAML front matter (the file must start with ---)")
    parts = text.split("\n---", 1)
    if len(parts) != 2:
        raise ArticleFileError("front matter is not closed with ---")
    try:
        meta = yaml.safe_load(parts[0].removeprefix("---"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise ArticleFileError(f"bad YAML{where}: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(meta, dict):
        raise ArticleFileError("front matter must be a mapping of fields")
    missing = [key for key in REQUIRED if not str(meta.get(key) or "").strip()]
    if missing:
        raise ArticleFileError(f"missing field(s): {', '.join(missing)}")
    slug, lang = str(meta["id"]).strip(), str(meta["lang"]).strip()
    if not SLUG.match(slug):
        raise ArticleFileError(f"id {slug!r} is not a slug (a-z, 0-9, hyphens)")
    if lang not in LANGUAGES:
        raise ArticleFileError(f"unknown lang {lang!r} (expected one of {', '.join(LANGUAGES)})")
    tags = meta.get("tags") or []
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",")]
    if not isinstance(tags, list):
        raise ArticleFileError("tags must be a list")
    body = parts[1].split("\n", 1)[1] if "\n" in parts[1] else ""
    if not body.strip():
        raise ArticleFileError("the article has no text")
    return ArticleDoc(
        id=slug,
        lang=lang,
        title=str(meta["title"]).strip()[:300],
        category=str(meta["category"]).strip()[:120],
        body=body.strip() + "\n",
        tags=tuple(str(t).strip() for t in tags if str(t).strip()),
    )


def parse_directory(directory: Path) -> ParsedDirectory:
    """Parse every `*.md` file; duplicates of (id, lang) are errors, the first one wins."""
    result = ParsedDirectory()
    seen: dict[tuple[str, str], Path] = {}
    for path in sorted(directory.glob("*.md")):
        try:
            doc = parse_text(path.read_text(encoding="utf-8"), path.name)
            match = FILENAME.match(path.name)
            if not match or (match["id"], match["lang"]) != (doc.id, doc.lang):
                raise ArticleFileError(f"file name must be {doc.id}.{doc.lang}.md")
            if (doc.id, doc.lang) in seen:
                raise ArticleFileError(
                    f"duplicate id {doc.id!r} ({doc.lang}), already in {seen[doc.id, doc.lang].name}"
                )
        except UnicodeDecodeError:
            result.errors.append((path, "not UTF-8 text"))
            continue
        except ArticleFileError as exc:
            result.errors.append((path, str(exc)))
            continue
        seen[doc.id, doc.lang] = path
        result.docs.append(doc)
    return result


def keys(docs: Iterable[ArticleDoc]) -> set[tuple[str, str]]:
    return {(doc.id, doc.lang) for doc in docs}
