"""Parameter types shared by controllers."""

from __future__ import annotations

from typing import Annotated

from litestar.di import Provide
from litestar.params import FromQuery, HeaderParameter, PathParameter

from shared.text import clean_text

#: The most of a search query a page shows, keeps and passes on.
MAX_QUERY = 500

#: A database row id in a path: PostgreSQL's integer columns end at 2**31 - 1, and a larger
#: number must be "not found", not a database error.
RowId = Annotated[int, PathParameter(ge=1, le=2**31 - 1)]

#: The `Idempotency-Key` header of the JSON API's writes.
IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        max_length=200,
        description="Retry with the same key to get the first answer back, changing nothing again",
    ),
]


def search_query(q: FromQuery[str] = "") -> str:
    """The `q` a customer searched for, as pages show and pass it on: without control
    characters (a NUL was echoed into the title), spaces collapsed, at most `MAX_QUERY`."""
    return clean_text(q)[:MAX_QUERY]


#: The `searched` dependency of the pages that take a search (`searched: NamedDependency[str]`).
QUERY = {"searched": Provide(search_query, sync_to_thread=False)}


def signed_link(expires: FromQuery[str] = "", sig: FromQuery[str] = "") -> dict[str, str]:
    """The query of a signed link from an email (`tracking.links`): `expires` and `sig`, as the
    page checks them and passes them on (hidden fields, the redirect after a refused form)."""
    return {"expires": expires, "sig": sig}


#: The `link` dependency of the pages an emailed signed link opens
#: (`link: NamedDependency[dict[str, str]]`): the rating form, callback rebooking.
SIGNED_LINK = {"link": Provide(signed_link, sync_to_thread=False)}

#: The random cookie that keeps one FAQ vote per browser (stored only as a hash); the case
#: form reads it to start from the comment of a "not helpful" vote.
VOTER_COOKIE = "portal_voter"
