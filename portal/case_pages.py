"""Rendered status pages, kept per case and language until the case changes.

A status page costs four queries and a large template (about 5 ms); a customer waiting for an
answer reloads it. So each process keeps the page it rendered and serves it again while it is
still right:

- Any new timeline entry of the case drops it. Every change a customer can see writes one, and
  the live watcher (portal.live) sees them all once committed, from any process: at once on
  PostgreSQL (NOTIFY), within its poll on SQLite. An entry written by this process drops the
  page as it is saved, and the case is not kept again until the watcher has seen the entry
  committed, so a reload right after a back-office update never shows the old state.
- A booked, moved or cancelled callback of any case drops every page, as free times change.
- A page is never older than MAX_AGE seconds: the SLA light and the offered times move with
  the clock.
- Requests that miss while the same page is being rendered wait for that render instead of
  rendering it too (fifty reloads at the moment a page expires cost one render, not fifty).
- The browser's own change (a reply, a callback, a rating) marks its session; a page rendered
  before that mark is not served to it, so the page after the redirect shows the change even
  when another process answers before its watcher has seen it.

Live updates fetch the page with a query string, which is never cached. As on the FAQ pages,
the CSRF token is put in per response.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass

from litestar import MediaType, Request, Response

from portal.page_cache import new_placeholder, split_at, token_input, with_token

MAX_AGE = 10.0
#: How long a case saved here stays unkept if the watcher never sees its entry (rolled back).
PENDING_SECONDS = 30.0
MAX_PAGES = 2048
#: Session key: wall-clock time of this browser's last change to one of its cases.
CHANGED_AT = "changed_at"
#: Timeline entries that change which callback times are free, for every case.
CAPACITY_EVENTS = frozenset({"callback_scheduled", "callback_moved", "callback_cancelled"})


@dataclass(slots=True)
class _Page:
    parts: list[bytes]  # the encoded page split at the CSRF placeholder
    case_id: int
    rendered_at: float  # wall clock when rendering began, compared with CHANGED_AT
    expires: float  # monotonic


class CasePages:
    def __init__(self, max_age: float = MAX_AGE, max_pages: int = MAX_PAGES) -> None:
        self.max_age = max_age
        self.max_pages = max_pages
        self.placeholder = new_placeholder()
        self._pages: OrderedDict[tuple[str, str], _Page] = OrderedDict()
        self._changes = 0  # counts drops, so a render that overlapped one is not kept
        self._dropped: dict[int, int] = {}  # case id -> _changes at its last drop
        self._all_dropped = 0
        self._pending: dict[int, float] = {}  # case id -> monotonic deadline
        #: Renders under way: (tracking id, language) -> (wall clock begun, result)
        self._flights: dict[tuple[str, str], tuple[float, asyncio.Future]] = {}

    @property
    def csrf_input(self) -> str:
        return token_input(self.placeholder)

    def get(self, tracking_id: str, lang: str, changed_at: float) -> list[bytes] | None:
        page = self._pages.get((tracking_id, lang))
        if page is None or page.expires < time.monotonic() or page.rendered_at <= changed_at:
            return None
        return None if self._is_pending(page.case_id) else page.parts

    async def join(self, tracking_id: str, lang: str, changed_at: float) -> list[bytes] | None:
        """The page a render under way will give, if it began after this browser's change."""
        flight = self._flights.get((tracking_id, lang))
        if flight is None or flight[0] <= changed_at:
            return None
        return await asyncio.shield(flight[1])

    async def fresh(self, tracking_id: str, lang: str, changed_at: float) -> list[bytes] | None:
        """A kept page newer than this browser's last change, or the one a render under way
        will give; None: render it."""
        return self.get(tracking_id, lang, changed_at) or await self.join(
            tracking_id, lang, changed_at
        )

    @contextlib.contextmanager
    def flight(self, tracking_id: str, lang: str, begun: tuple[int, float]) -> Iterator[list]:
        """Announce a render; append the kept parts to the yielded list for those who wait."""
        key = (tracking_id, lang)
        result: asyncio.Future = asyncio.get_running_loop().create_future()
        self._flights[key] = (begun[1], result)
        landed: list[list[bytes]] = []
        try:
            yield landed
        finally:
            if self._flights.get(key, (0.0, None))[1] is result:
                del self._flights[key]
            result.set_result(landed[0] if landed else None)

    def begin(self) -> tuple[int, float]:
        """Call before reading the case; pass the result to `keep`."""
        return self._changes, time.time()

    def keep(
        self, tracking_id: str, case_id: int, lang: str, page: str, begun: tuple[int, float]
    ) -> list[bytes]:
        """Keep the page unless its case changed while it was being rendered."""
        parts = split_at(page, self.placeholder)
        changes, rendered_at = begun
        if self._dropped.get(case_id, 0) > changes or self._all_dropped > changes:
            return parts
        if self._is_pending(case_id):
            return parts
        key = (tracking_id, lang)
        self._pages[key] = _Page(parts, case_id, rendered_at, time.monotonic() + self.max_age)
        self._pages.move_to_end(key)
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
        return parts

    def saving(self, case_id: int, kind: str) -> None:
        """A timeline entry saved by this process, maybe not yet committed."""
        self._pending[case_id] = time.monotonic() + PENDING_SECONDS
        self.changed([(case_id, kind)], committed=False)

    def changed(self, events: list[tuple[int, str]], committed: bool = True) -> None:
        """New committed timeline entries, as (case id, kind); called by the live watcher."""
        if not events:
            return
        if committed:
            for case_id, _ in events:
                self._pending.pop(case_id, None)
        self._flights.clear()  # renders under way may predate the change: nobody new joins
        self._changes += 1
        if any(kind in CAPACITY_EVENTS for _, kind in events):
            self._all_dropped = self._changes
            self._pages.clear()
            self._dropped.clear()
            return
        cases = {case_id for case_id, _ in events}
        for case_id in cases:
            self._dropped[case_id] = self._changes
        for key in [k for k, page in self._pages.items() if page.case_id in cases]:
            del self._pages[key]
        if len(self._dropped) > 4 * self.max_pages:  # old drops no longer matter to any render
            self._all_dropped = self._changes
            self._dropped.clear()

    def _is_pending(self, case_id: int) -> bool:
        deadline = self._pending.get(case_id)
        if deadline is None:
            return False
        if deadline < time.monotonic():
            del self._pending[case_id]
            return False
        return True

    def respond(self, request: Request, parts: list[bytes]) -> Response:
        return Response(
            with_token(request, parts),
            media_type=MediaType.HTML,
            headers={"cache-control": "no-store", "referrer-policy": "no-referrer"},
        )


def note_change(request: Request) -> None:
    """After a committed change by this browser: its next status page is rendered afresh."""
    request.set_session({**(request.session or {}), CHANGED_AT: time.time()})


def changed_at(request: Request) -> float:
    value = (request.session or {}).get(CHANGED_AT)
    return value if isinstance(value, float) else 0.0
