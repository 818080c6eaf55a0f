"""Which cases a browser may see, kept in the `portal_case` session.

One server-side session (cookie `portal_case`, store `case_drafts`) serves the case form, the
status pages, callbacks and ratings, so the browser that filed a case, or opened it by link
or lookup, may see it. It is declared here once. Its lifetime is the only thing that differs:
a draft (with personal data) is kept for a day, while access to a case lasts 30 days, and the
first status page a browser sees renews the form's day to those 30 days.
"""

from __future__ import annotations

from litestar import Request
from litestar.exceptions import NotFoundException

from portal.sessions import QuietSessionConfig
from portal.settings import Settings
from tracking import status
from tracking.models import Case

COOKIE = "portal_case"
FILED = "cases_filed"  # filed by this browser with the case form
GRANTED = "cases_granted"  # opened by personal link or lookup
DRAFT_MAX_AGE = 24 * 3600
ACCESS_MAX_AGE = 30 * 24 * 3600


def case_session(settings: Settings, max_age: int = ACCESS_MAX_AGE) -> QuietSessionConfig:
    """The `portal_case` session; the case form passes DRAFT_MAX_AGE, every other page not."""
    return QuietSessionConfig(
        key=COOKIE,
        max_age=max_age,
        secure=settings.secure_cookies,
        httponly=True,
        samesite="lax",
        store="case_drafts",
    )


def accessible(request: Request) -> list[str]:
    """Cases this browser may see: those it filed and those opened by link or lookup."""
    session = request.session or {}
    return [*(session.get(GRANTED) or []), *(session.get(FILED) or [])]


def grant(request: Request, tracking_id: str) -> None:
    """Let this browser see the case from now on (the 20 most recent are kept)."""
    session = request.session or {}
    granted = [t for t in session.get(GRANTED) or [] if t != tracking_id]
    request.set_session({**session, GRANTED: [*granted, tracking_id][-20:]})


async def own_case(request: Request, tracking_id: str) -> Case:
    """The case when this browser may see it; the same 404 for unknown and foreign cases."""
    case = await status.case_by_id(tracking_id)
    if case is None or case.tracking_id not in accessible(request):
        raise NotFoundException()
    return case
