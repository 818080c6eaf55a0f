"""Live status pages: each process watches the case timeline and wakes the open pages.

The database is the source of truth, so a change committed by any process (portal,
`portal worker`, the CLI) reaches every page. One watcher per process reads new timeline
entries and publishes a wake-up per case through Litestar's channels (in-memory fan-out);
each page then reads its own case's entries after the last one it sent. So no event is lost
even if a wake-up is: Last-Event-ID and a slow safety poll cover the rest.

The watcher wakes at once on PostgreSQL (a trigger from tracking's migrations NOTIFYs every
new entry, LISTENed on a connection of its own that reconnects after a database restart) and
for writes made in this process (a Tortoise signal); otherwise it looks every `poll` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from urllib.parse import urlsplit, urlunsplit

from litestar.channels import ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.response.sse import ServerSentEventMessage
from tortoise.expressions import Q
from tortoise.signals import Signals

from tracking import status
from tracking.models import Case, CaseEvent
from tracking.status import PUBLIC_EVENTS

log = logging.getLogger("portal.live")

#: A trigger (tracking/migrations/0004_case_event_notify.py) NOTIFYs this channel.
NOTIFY_CHANNEL = "portal_case_event"
#: Ids skipped by a reader may belong to transactions still open; they are looked at again
#: for this long (a rolled-back id simply expires).
GAP_SECONDS = 30.0
#: After a wake-up the commit may still be under way: look again after these pauses.
FOLLOW_UP = (0.02, 0.05, 0.1, 0.2)


def channel_for(case_id: int) -> str:
    return f"case-{case_id}"


LIVE_MAX_SECONDS = 15 * 60  # the browser reconnects with Last-Event-ID after this
SAFETY_POLL_SECONDS = 15.0  # in case a wake-up was lost


async def timeline(
    channels: ChannelsPlugin, case: Case, after: int
) -> AsyncIterator[ServerSentEventMessage]:
    """An open status page's live updates: one event per public timeline entry after `after`,
    read again at each wake-up of the case's channel (and every SAFETY_POLL_SECONDS)."""
    yield ServerSentEventMessage(comment="connected", retry=2000)
    async with channels.start_subscription([channel_for(case.id)]) as subscriber:
        deadline = asyncio.get_running_loop().time() + LIVE_MAX_SECONDS
        while asyncio.get_running_loop().time() < deadline:
            for event in await status.public_events_after(case, after):
                after = event.id
                yield ServerSentEventMessage(data=event.kind, event="timeline", id=event.id)
            await _next_wake(subscriber, SAFETY_POLL_SECONDS)


async def _next_wake(subscriber, timeout: float) -> None:
    events = subscriber.iter_events()
    try:
        await asyncio.wait_for(anext(events), timeout)
    except TimeoutError:
        pass
    finally:
        await events.aclose()


def make_channels() -> ChannelsPlugin:
    """Wake-ups only: a page that lags drops the oldest, it re-reads the database anyway."""
    return ChannelsPlugin(
        backend=MemoryChannelsBackend(),
        arbitrary_channels_allowed=True,
        subscriber_max_backlog=20,
        subscriber_backlog_strategy="dropleft",
    )


class CaseWatcher:
    def __init__(
        self,
        channels: ChannelsPlugin,
        database_url: str,
        poll: float = 0.25,
        on_events: Callable[[list[tuple[int, str]]], None] | None = None,
        on_saved: Callable[[int, str], None] | None = None,
    ) -> None:
        self.channels = channels
        self.on_events = on_events  # told every new public entry as (case id, kind) first
        self.on_saved = on_saved  # told of a public entry of this process, not yet committed
        self.database_url = database_url
        self.poll = poll
        self._wake = asyncio.Event()
        self._last_id = 0
        self._gaps: dict[int, float] = {}

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        """Until cancelled; a database hiccup only delays pages."""
        CaseEvent.register_listener(Signals.post_save, self._saved)
        listener = asyncio.create_task(self._listen()) if self.is_postgres else None
        try:
            self._last_id = await _max_event_id()
            follow_ups: list[float] = []
            while True:
                timeout = follow_ups.pop(0) if follow_ups else self.poll
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout)
                woken = self._wake.is_set()
                self._wake.clear()
                try:
                    found = await self.scan()
                except Exception:
                    log.warning("reading the case timeline failed, retrying", exc_info=True)
                    await asyncio.sleep(1)
                    continue
                if woken and not found:  # the writer has not committed yet: look again soon
                    follow_ups = list(FOLLOW_UP)
                elif found:
                    follow_ups = []
        finally:
            with contextlib.suppress(ValueError):
                CaseEvent._listeners[Signals.post_save].get(CaseEvent, []).remove(self._saved)
            if listener:
                listener.cancel()

    async def scan(self) -> int:
        """Publish a wake-up for every case with new public entries; returns how many entries."""
        now = time.monotonic()
        self._gaps = {i: t for i, t in self._gaps.items() if now - t < GAP_SECONDS}
        query = Q(id__gt=self._last_id)
        if self._gaps:
            query |= Q(id__in=list(self._gaps))
        rows = await CaseEvent.filter(query).order_by("id").values_list("id", "case_id", "kind")
        public: list[tuple[int, str]] = []
        for event_id, case_id, kind in rows:
            self._gaps.pop(event_id, None)
            if event_id > self._last_id:
                self._gaps.update(dict.fromkeys(range(self._last_id + 1, event_id), now))
                self._last_id = event_id
            if kind in PUBLIC_EVENTS:
                public.append((case_id, kind))
        if self.on_events:
            self.on_events(public)
        for case_id in {case_id for case_id, _ in public}:
            self.channels.publish("wake", channels=[channel_for(case_id)])
        return len(rows)

    async def _saved(self, sender, instance: CaseEvent, *args, **kwargs) -> None:
        if self.on_saved and instance.kind in PUBLIC_EVENTS:
            self.on_saved(instance.case_id, instance.kind)
        self.wake()

    @property
    def is_postgres(self) -> bool:
        return urlsplit(self.database_url).scheme in ("postgres", "postgresql", "asyncpg")

    async def _listen(self) -> None:
        """LISTEN on a connection of its own; reconnect after a database restart."""
        import asyncpg

        parts = urlsplit(self.database_url)
        dsn = urlunsplit(("postgresql", *parts[1:]))
        while True:
            closed = asyncio.Event()
            try:
                conn = await asyncpg.connect(dsn, timeout=5)
            except (OSError, asyncpg.PostgresError, TimeoutError):
                await asyncio.sleep(2)
                continue
            try:
                conn.add_termination_listener(lambda _, closed=closed: closed.set())
                await conn.add_listener(NOTIFY_CHANNEL, lambda *_: self.wake())
                self.wake()  # something may have happened while we were not listening
                await closed.wait()
                log.warning("lost the database notification connection, reconnecting")
            except (OSError, asyncpg.PostgresError):
                await asyncio.sleep(2)
            finally:
                with contextlib.suppress(Exception):
                    await conn.close(timeout=1)


async def _max_event_id() -> int:
    last = await CaseEvent.all().order_by("-id").first()
    return last.id if last else 0
