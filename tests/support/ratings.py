"""A resolved case with its rating link, and posting the rating form as a browser does."""

from __future__ import annotations

import re

from support.backoffice import back_office
from support.cases import file_case
from support.client import csrf_token, on_app
from tracking.models import OutgoingMail


async def resolved_case(client) -> tuple[str, str]:
    """A resolved case and the rating link from its resolution email (path and query)."""
    tid = await file_case(client, form=True)
    await back_office(client, tid, {"kind": "resolve", "text": "Ersatzteil ist eingebaut."})
    mail = await on_app(client, lambda: OutgoingMail.get(case__tracking_id=tid, kind="resolved"))
    [link] = re.findall(r"http://testserver\.local(/rate/\S+)", mail.body)
    return tid, link


async def post_rating(client, page_url: str, fields: dict) -> object:
    page = await client.get(page_url)
    assert page.status_code == 200, page.text
    hidden = dict(re.findall(r'name="(expires|sig)" value="([^"]*)"', page.text))
    form = {**fields, **hidden, "_csrf_token": csrf_token(page.text)}
    return await client.post(page_url.split("?")[0], data=form)


def shown_again(response) -> object:
    """A refused rating: redirected (post/redirect/get) to the form, which the client followed."""
    assert [r.status_code for r in response.history] == [303], response.history
    assert response.history[0].headers["location"].startswith("/rate/")
    assert response.status_code == 200
    return response
