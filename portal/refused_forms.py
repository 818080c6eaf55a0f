"""A refused form, carried from its POST to its page's GET (post/redirect/get) in the case
session: the page shows the errors once and what was typed until it is sent, so a reload
neither asks to send the form again nor loses the text.

One entry per page and case (`route`: the status page `track_case`, the rating page
`rate_case`) with a part per form: on the status page `actions` (reply, reopen) and
`callback`, the keyword arguments of `status_view.status_page`; on the rating page `rating`.
The session is the browser's own: a rating link opened on a phone without one gets it here,
and the redirect keeps the link's query, which grants the page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Request
from litestar.response import Redirect

KEY = "refused_forms"
#: The parts of an entry that are shown once (the rest, what was typed, stays until sent).
SHOWN_ONCE = ("reply_errors", "reopen_errors", "errors", "notice", "refused")
STATUS_PAGE = "track_case"


def _key(route: str, tracking_id: str) -> str:
    return f"{route}:{tracking_id}"


def refused(
    request: Request,
    tracking_id: str,
    anchor: str,
    *,
    route: str = STATUS_PAGE,
    query: dict[str, str] | None = None,
    **page: dict[str, Any],
) -> Redirect:
    """Keep the refused form (`actions=`, `callback=`, `rating=`) and send the browser to
    the `route` page of the case (with `query`, e.g. a signed link's, and `#anchor`)."""
    forms = dict((request.session or {}).get(KEY) or {})
    key = _key(route, tracking_id)
    forms[key] = {**(forms.pop(key, None) or {}), **page}
    request.set_session({**(request.session or {}), KEY: dict(list(forms.items())[-10:])})
    url = request.app.route_reverse(route, tracking_id=tracking_id)
    search = f"?{urlencode(query)}" if query else ""
    return Redirect(f"{url}{search}#{anchor}" if anchor else url + search, status_code=303)


def pending(request: Request, tracking_id: str, route: str = STATUS_PAGE) -> bool:
    return _key(route, tracking_id) in ((request.session or {}).get(KEY) or {})


def take(
    request: Request, tracking_id: str, live: bool = False, route: str = STATUS_PAGE
) -> dict[str, Any]:
    """The kept form for this page; its errors are dropped unless this is a live fetch."""
    forms = dict((request.session or {}).get(KEY) or {})
    key = _key(route, tracking_id)
    page = forms.get(key) or {}
    if page and not live:
        typed = {
            part: rest
            for part, values in page.items()
            if (rest := {k: v for k, v in values.items() if k not in SHOWN_ONCE})
        }
        if typed:
            forms[key] = typed
        else:
            del forms[key]
        request.set_session({**(request.session or {}), KEY: forms})
    return page


def sent(request: Request, tracking_id: str, part: str, route: str = STATUS_PAGE) -> None:
    """The case's form (`actions`, `callback`, `rating`) went through: nothing of it is shown
    again."""
    forms = dict((request.session or {}).get(KEY) or {})
    key = _key(route, tracking_id)
    page = dict(forms.get(key) or {})
    if page.pop(part, None) is None:
        return
    if page:
        forms[key] = page
    else:
        del forms[key]
    request.set_session({**(request.session or {}), KEY: forms})
