"""Markdown to safe HTML for article pages.

Raw HTML in content is not rendered by markdown-it, and nh3 cleans the output again,
so neither an author nor an import can put script into a page.
"""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True}).enable(
    "table"
)
_ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
}
_HEADING = re.compile(r"<(/?)h([1-3])>")


def render_markdown(text: str) -> str:
    """Render Markdown and sanitise; headings shift one level down below the page's h1."""
    html = _md.render(text)
    html = _HEADING.sub(lambda m: f"<{m[1]}h{int(m[2]) + 1}>", html)
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"scope"}, "td": set()},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
    )


def plain_text(text: str, limit: int = 300) -> str:
    """Markdown stripped to text, for meta descriptions and search snippets."""
    stripped = re.sub(r"[#>*_`\[\]()|-]+", " ", text)
    stripped = re.sub(r"\s+", " ", stripped).strip()
    return stripped if len(stripped) <= limit else stripped[: limit - 1].rsplit(" ", 1)[0] + "…"
