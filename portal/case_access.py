"""Which cases a browser may see, kept in the `portal_case` session.

One server-side session (`portal.sessions.case_session`, one lifetime:
PORTAL_CASE_SESSION_DAYS) serves the case form, the status pages, callbacks and ratings, so
the browser that filed a case, or opened it by link or lookup, may see it.
"""

from __future__ import annotations

from litestar import Request
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from tracking import status
from tracking.models import Case

FILED = "cases_filed"  # filed by this browser with the case form
GRANTED = "cases_granted"  # opened by personal link or lookup


def accessible(request: Request) -> list[str]:
    """Cases this browser may see: those it filed and those opened by link or lookup."""
    session = request.session or {}
    return [*(session.get(GRANTED) or []), *(session.get(FILED) or [])]


def grant(request: Request, tracking_id: str) -> None:
    """Let this browser see the case from now on (the 20 most recent are kept)."""
    session = request.session or {}
    granted = [t for t in session.get(GRANTED) or [] if t != tracking_id]
    request.set_session({**session, GRANTED: [*granted, tracking_id][-20:]})


async def opened_case(request: Request, tracking_id: str, key: str = "") -> Case | None:
    """The case of a status page: opened by its personal link (`key`, which grants this
    browser access) or one this browser may see; None for unknown and foreign cases alike."""
    case = await status.case_for_link(tracking_id, key) if key else None
    if case is not None:
        if case.tracking_id not in accessible(request):
            grant(request, case.tracking_id)
        return case
    case = await status.case_by_id(tracking_id)
    return case if case is not None and case.tracking_id in accessible(request) else None


async def own_case(request: Request, tracking_id: str) -> Case:
    """The case when this browser may see it; the same 404 for unknown and foreign cases."""
    case = await status.case_by_id(tracking_id)
    if case is None or case.tracking_id not in accessible(request):
        raise NotFoundException()
    return case


async def case_of_path(request: Request, tracking_id: FromPath[str]) -> Case:
    """`own_case` of the path's `{tracking_id}`, as a dependency (`Provide(case_of_path)`)."""
    return await own_case(request, tracking_id)
