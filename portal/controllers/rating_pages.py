"""Rate a resolved case: from the status page, or with the link from the resolution email.

The emailed link is single-purpose (it opens this form for this case, not the status page)
and expires. GET only shows the form, because mail scanners open links; the customer's POST
records. A wrong signature, an unknown case and another browser's case get the same page.
A refused POST redirects back to the form (`portal.refused_forms`), with the link's query.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Router, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from portal import i18n, rating_form, refused_forms
from portal.case_access import accessible
from portal.case_pages import note_change
from portal.dates import local_time
from portal.params import SIGNED_LINK
from portal.rating_form import FIRST_ANSWER, Rated
from portal.services import Services
from portal.sessions import case_session
from portal.settings import Settings
from tracking import status
from tracking.models import Case

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
NO_STORE = {"cache-control": "no-store", "referrer-policy": "no-referrer"}
#: The form's page and its part in `portal.refused_forms`.
PAGE, PART = "rate_case", "rating"


@get("/{tracking_id:str}", name="rate_case", dependencies=SIGNED_LINK)
async def rate_form(
    services: NamedDependency[Services],
    request: Request,
    tracking_id: FromPath[str],
    link: NamedDependency[dict[str, str]],
) -> Template:
    case = await _case(services, request, tracking_id, link)
    if case is None:
        return _page("rating/invalid.html", {}, 404)
    kept = refused_forms.take(request, case.tracking_id, route=PAGE).get(PART) or {}
    return await _form(
        services,
        case,
        link,
        errors=kept.get("errors"),
        values=kept.get("values"),
        refused=kept.get("refused"),
    )


@post("/{tracking_id:str}", name="rate_submit", status_code=200)
async def rate_submit(
    services: NamedDependency[Services], request: Request, tracking_id: FromPath[str], data: Form
) -> Template | Redirect:
    """Stores the rating; a low score offers the way back (reopen or callback)."""
    link = {"expires": str(data.get("expires") or "")[:20], "sig": str(data.get("sig") or "")[:100]}
    case = await _case(services, request, tracking_id, link)
    if case is None:
        return _page("rating/invalid.html", {}, 404)
    rated = await rating_form.submit(services.ratings, case, data)
    if rated.kept:
        return _back(request, case, link, **rated.kept)
    return await _thanks(services, request, case, rated)


async def _thanks(services: Services, request: Request, case: Case, rated: Rated) -> Template:
    """The form went through: the thanks page, with the way back after a low score."""
    refused_forms.sent(request, case.tracking_id, PART, route=PAGE)
    note_change(request)
    # the way back must work where the rating link was opened: a phone has no session
    way_back = (
        await services.tracking.personal_link(case)
        if rated.low and not _has_access(request, case)
        else ""
    )
    context = {"case": case, "low": rated.low, "rating": rated.rating, "way_back": way_back}
    return _page("rating/thanks.html", context, 200)


def _back(request: Request, case: Case, link: dict[str, str], **kept: Any) -> Redirect:
    """To the form again (post/redirect/get), by the signed link's query when it came by one."""
    anchor = "form-errors" if kept.get("errors") else ""
    query = link if link["sig"] else None
    return refused_forms.refused(
        request, case.tracking_id, anchor, route=PAGE, query=query, **{PART: kept}
    )


async def _case(services: Services, request: Request, tracking_id: str, link: dict[str, str]):
    case = await status.case_by_id(tracking_id)
    if case is None:
        return None
    if _has_access(request, case) or services.ratings.link_is_valid(case.tracking_id, **link):
        return case
    return None


def _has_access(request: Request, case: Case) -> bool:
    return case.tracking_id in accessible(request)


async def _form(
    services: Services,
    case: Case,
    link: dict[str, str],
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    refused: str | None = None,
) -> Template:
    state = await services.ratings.state(case)
    current = state.rating
    shown = values or (
        {
            "satisfaction": str(current.satisfaction),
            "effort": str(current.effort),
            "solved": "yes" if current.solved else "no",
            "comment": current.comment,
        }
        if current
        else {}
    )
    context = {
        "case": case,
        "state": state,
        "link": link,
        "errors": errors or {},
        "summary": [
            {"message": message, "anchor": f"f-{name}-{FIRST_ANSWER[name]}"}
            for name in FIRST_ANSWER
            if (message := (errors or {}).get(name))
        ]
        + [{"message": m, "anchor": "f-comment"} for m in [(errors or {}).get("comment")] if m],
        "values": {
            k: str(shown.get(k) or "") for k in ("satisfaction", "effort", "solved", "comment")
        },
        "refused": refused,
        "until": _local(services, state.changeable_until) if state.changeable_until else "",
    }
    return _page("rating/form.html", context, 200)


def _local(services: Services, when) -> str:
    tz = services.tracking.classification.business_hours.timezone
    return local_time(when, tz, i18n.current_language())


def _page(template: str, context: dict[str, Any], status_code: int) -> Template:
    return Template(template, context=context, status_code=status_code, headers=NO_STORE)


def router(settings: Settings) -> Router:
    return Router(
        "/rate",
        route_handlers=[rate_form, rate_submit],
        middleware=[case_session(settings)],
        include_in_schema=False,
    )
