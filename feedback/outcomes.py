"""What customers did after an FAQ search: opened an answer, voted on it, filed a case anyway.

A search gets a random id (`new_search_id`) that the results page carries in its links
(`?s=`), so the steps of one search can be put together later without knowing who searched:
no visitor id, no session, no address is stored, and the query is normalised
(personal data removed, case folded). `feedback.reports.knowledge_gaps` turns the steps into
knowledge gaps, `feedback.learning` into phrasings learned per article.

So that one person cannot teach the search alone, a shown search carries a `visitor` bucket:
16 bits of a keyed hash of the client's network and the day (`visitor_bucket`). Some 65,000
IPv4 addresses share each bucket and the key changes daily, so it identifies nobody and links
no two days, yet one client repeating a search on one day stays in one bucket.

Results pages and article pages are read far more often than anything is written, so steps
are noted in memory and written in batches (`write`, every FLUSH_SECONDS), like the search log.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from faq.privacy import redact
from feedback.models import SearchOutcome
from shared.batches import RowBatch
from shared.text import printable

SHOWN, OPENED, HELPFUL, NOT_HELPFUL, CASE = "shown", "opened", "helpful", "not_helpful", "case"
MAX_QUERY_CHARS = 500
FLUSH_SECONDS = 1.0
#: Unwritten steps kept at most, should the database be away for long.
MAX_UNWRITTEN = 10_000
_SEARCH_ID = re.compile(r"^[A-Za-z0-9_-]{16,32}$")


def new_search_id() -> str:
    return secrets.token_urlsafe(16)


def valid_search_id(value: str | None) -> str | None:
    """The id as given when it looks like one of ours, else None (never trust a URL)."""
    return value if value and _SEARCH_ID.match(value) else None


def visitor_bucket(address: str, secret: str, day: date) -> str:
    """4 hex digits of HMAC(secret, day + network); IPv6 by its /64, where one household's
    devices rotate their addresses. Empty without an address or a secret."""
    if not address or not secret:
        return ""
    try:
        ip = ipaddress.ip_address(address)
        network = (
            str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)
        )
    except ValueError:
        network = address
    digest = hmac.new(secret.encode(), f"{day.isoformat()}|{network}".encode(), "sha256")
    return digest.hexdigest()[:4]


def normalise(query: str) -> str:
    """The form a query is kept in: printable, personal data removed, one space, case folded."""
    return " ".join(redact(printable(query)).split()).casefold()[:MAX_QUERY_CHARS]


class OutcomeLog:
    """One per process: notes the steps of searches and writes them in batches."""

    def __init__(self, secret: str = "") -> None:
        self._unwritten = RowBatch(
            SearchOutcome, MAX_UNWRITTEN, "search outcome backlog full, a step is not recorded"
        )
        self._secret = secret

    def shown(
        self, search: str, query: str, lang: str, result_count: int, client: str = ""
    ) -> None:
        """A results page with answers was shown for `query` to `client` (an address, kept
        only as a `visitor_bucket`)."""
        visitor = visitor_bucket(client, self._secret, datetime.now(UTC).date())
        self._note(
            search, SHOWN, lang, query=normalise(query), result_count=result_count, visitor=visitor
        )

    def opened(self, search: str, slug: str, lang: str) -> None:
        self._note(search, OPENED, lang, article=slug)

    def voted(self, search: str, slug: str, lang: str, helpful: bool) -> None:
        self._note(search, HELPFUL if helpful else NOT_HELPFUL, lang, article=slug)

    def case_filed(self, search: str | None, query: str, lang: str, result_count: int) -> None:
        """A case was filed after searching `query` (under a new id when none came along)."""
        search = valid_search_id(search) or new_search_id()
        self._note(search, CASE, lang, query=normalise(query), result_count=result_count)

    def _note(self, search: str, step: str, lang: str, **values: object) -> None:
        self._unwritten.add(SearchOutcome(search=search, step=step, lang=lang, **values))

    async def write(self) -> int:
        """Write the steps noted so far; on failure they are kept for the next try."""
        return await self._unwritten.write()


# -- reading: which searches left the customer without an answer --------------------------------
#: Kinds of knowledge gap a search with answers can end in (a search without any answer is
#: the search log's `no_result`).
NOT_OPENED, VOTED_NOT_HELPFUL, CASE_FILED = "not_opened", "not_helpful", "case_filed"
#: Steps are looked for this long after the end of a period, so a search late on its last
#: day still counts with what followed it.
SETTLE = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Gap:
    """A search whose answers did not help. `article`: the answer that was wrong, if known."""

    query: str
    lang: str
    kind: str
    article: str = ""


def judge(steps: Sequence[dict]) -> Gap | None:
    """The gap one search's steps (oldest first) show, or None when it found its answer or is
    not a search with answers (steps with a made-up id, a search that found nothing).

    A case filed counts over everything; else the last vote; else whether anything was opened.
    An article opened without a vote tells nothing either way and is no gap.
    """
    origin = next((s for s in steps if s["step"] == SHOWN), None) or next(
        (s for s in steps if s["step"] == CASE), None
    )
    if origin is None or origin["result_count"] == 0:
        return None
    votes = [s for s in steps if s["step"] in (HELPFUL, NOT_HELPFUL)]
    opened = [s for s in steps if s["step"] == OPENED]
    disliked = [s["article"] for s in votes if s["step"] == NOT_HELPFUL]
    if any(s["step"] == CASE for s in steps):
        article = (disliked or [s["article"] for s in opened] or [""])[-1]
        return Gap(origin["query"], origin["lang"], CASE_FILED, article)
    if votes and votes[-1]["step"] == NOT_HELPFUL:
        return Gap(origin["query"], origin["lang"], VOTED_NOT_HELPFUL, votes[-1]["article"])
    if not votes and not opened:
        return Gap(origin["query"], origin["lang"], NOT_OPENED)
    return None


async def gaps(start: datetime, end: datetime) -> list[Gap]:
    """The gaps of the searches whose results were shown from `start` to before `end`, with
    what followed them up to SETTLE later."""
    rows = (
        await SearchOutcome.filter(created_at__gte=start, created_at__lt=end + SETTLE)
        .order_by("created_at", "id")
        .values("search", "step", "query", "lang", "result_count", "article", "created_at")
    )
    searches: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        searches[row["search"]].append(row)
    found = []
    for steps in searches.values():
        origin = next((s for s in steps if s["step"] in (SHOWN, CASE)), None)
        if origin is not None and origin["created_at"] < end and (gap := judge(steps)):
            found.append(gap)
    return found
