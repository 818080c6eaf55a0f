"""A refused form of the status page, carried from its POST to the page's GET (post/redirect/
get) in the case session: the page shows the errors once and what was typed until it is sent,
so a reload neither asks to send the form again nor loses the text.

One entry per case with a part per form, `actions` (reply, reopen) and `callback`: the keyword
arguments of `status_view.status_page` for that form.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.response import Redirect

KEY = "refused_forms"
#: The parts of an entry that are shown once (the rest, what was typed, stays until sent).
SHOWN_ONCE = ("reply_errors", "reopen_errors", "errors", "notice")


def refused(request: Request, tracking_id: str, anchor: str, **page: dict[str, Any]) -> Redirect:
    """Keep the refused form (`actions=` or `callback=`) and send the browser to the page."""
    forms = dict((request.session or {}).get(KEY) or {})
    forms[tracking_id] = {**(forms.pop(tracking_id, None) or {}), **page}
    request.set_session({**(request.session or {}), KEY: dict(list(forms.items())[-10:])})
    url = request.app.route_reverse("track_case", tracking_id=tracking_id)
    return Redirect(f"{url}#{anchor}", status_code=303)


def pending(request: Request, tracking_id: str) -> bool:
    return tracking_id in ((request.session or {}).get(KEY) or {})


def take(request: Request, tracking_id: str, live: bool = False) -> dict[str, Any]:
    """The kept form for this page; its errors are dropped unless this is a live fetch."""
    forms = dict((request.session or {}).get(KEY) or {})
    page = forms.get(tracking_id) or {}
    if page and not live:
        typed = {
            part: rest
            for part, values in page.items()
            if (rest := {k: v for k, v in values.items() if k not in SHOWN_ONCE})
        }
        if typed:
            forms[tracking_id] = typed
        else:
            del forms[tracking_id]
        request.set_session({**(request.session or {}), KEY: forms})
    return page


def sent(request: Request, tracking_id: str, part: str) -> None:
    """The case's form (`actions` or `callback`) went through: nothing of it is shown again."""
    forms = dict((request.session or {}).get(KEY) or {})
    page = dict(forms.get(tracking_id) or {})
    if page.pop(part, None) is None:
        return
    if page:
        forms[tracking_id] = page
    else:
        del forms[tracking_id]
    request.set_session({**(request.session or {}), KEY: forms})
