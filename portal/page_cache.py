"""Rendered FAQ pages, kept per address, language and FAQ content version.

Every visitor sees these pages alike except for the CSRF token of their forms, so the HTML
is rendered once with a placeholder and the visitor's token is put in per response. Jinja
rendering (translations, URL building) was most of the cost of serving an FAQ page.
"""

from __future__ import annotations

import html
import secrets
from collections import OrderedDict
from typing import Any

from litestar import MediaType, Request, Response
from litestar.utils.empty import value_or_default
from litestar.utils.scope.state import ScopeState

from portal import i18n

MAX_PAGES = 1024


class PageCache:
    def __init__(self, max_pages: int = MAX_PAGES) -> None:
        self.max_pages = max_pages
        self._pages: OrderedDict[tuple, str] = OrderedDict()
        self._placeholder = "csrf-" + secrets.token_hex(16)  # never guessable from outside

    def respond(
        self, request: Request, template: str, context: dict[str, Any], version: object
    ) -> Response:
        """`version` changes whenever what the page shows changes (the FAQ content)."""
        key = (template, i18n.current_language(), request.url.path, request.url.query, version)
        page = self._pages.get(key)
        if page is None:
            input_ = f'<input type="hidden" name="_csrf_token" value="{self._placeholder}" />'
            page = request.app.template_engine.get_template(template).render(
                **context, request=request, csrf_input=input_
            )
            self._pages[key] = page
            if len(self._pages) > self.max_pages:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(key)
        token = html.escape(value_or_default(ScopeState.from_scope(request.scope).csrf_token, ""))
        return Response(page.replace(self._placeholder, token), media_type=MediaType.HTML)
