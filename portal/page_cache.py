"""Rendered FAQ pages, kept per address, language and FAQ content version.

Every visitor sees these pages alike except for the CSRF token of their forms, so the HTML
is rendered once with a placeholder and the visitor's token is put in per response. Jinja
rendering (translations, URL building) was most of the cost of serving an FAQ page.
Other per-response text (a search id in the result links) is put in the same way: the
template writes `fill.<name>` where it belongs and the caller passes the text in `fills`.
"""

from __future__ import annotations

import html
import secrets
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from typing import Any

from litestar import MediaType, Request, Response
from litestar.template.base import csrf_token

from portal import i18n

MAX_PAGES = 1024


def new_placeholder() -> str:
    """Stands for the CSRF token in a kept page; never guessable from outside."""
    return "csrf-" + secrets.token_hex(16)


def token_input(placeholder: str) -> str:
    return f'<input type="hidden" name="_csrf_token" value="{placeholder}" />'


def split_at(page: str, placeholder: str) -> list[bytes]:
    """The encoded page in parts, so each response only joins them around its token."""
    return [part.encode() for part in page.split(placeholder)]


def with_token(request: Request, parts: list[bytes]) -> bytes:
    """The page with this request's CSRF token, read as Litestar's `csrf_token()` in a
    template reads it."""
    token = csrf_token({"request": request})
    return html.escape(token).encode().join(parts)


class PageCache:
    def __init__(self, max_pages: int = MAX_PAGES) -> None:
        self.max_pages = max_pages
        self._pages: OrderedDict[tuple, list[bytes]] = OrderedDict()
        self._placeholder = new_placeholder()
        self._fill_mark = "fill-" + secrets.token_hex(16) + "-"

    def respond(
        self,
        request: Request,
        template: str,
        context: dict[str, Any],
        version: object,
        fills: Mapping[str, str] | None = None,
        vary: Hashable | None = None,
    ) -> Response:
        """`version` changes whenever what the page shows changes (the FAQ content).

        `vary` is what else the page depends on (default: the query string); `fills` are
        texts put in per response, HTML-escaped, at `fill.<name>` in the template.
        """
        fills = fills or {}
        vary = request.url.query if vary is None else vary
        key = (template, i18n.current_language(), request.url.path, vary, version, *fills)
        parts = self._pages.get(key)
        if parts is None:
            marks = {name: f"{self._fill_mark}{name}." for name in fills}
            page = request.app.template_engine.get_template(template).render(
                **context, request=request, csrf_input=token_input(self._placeholder), fill=marks
            )
            parts = self._pages[key] = split_at(page, self._placeholder)
            if len(self._pages) > self.max_pages:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(key)
        body = with_token(request, parts)
        for name, text in fills.items():
            body = body.replace(f"{self._fill_mark}{name}.".encode(), html.escape(text).encode())
        return Response(body, media_type=MediaType.HTML)
