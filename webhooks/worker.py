"""The delivery worker: claims due outbox rows, sends them signed, records the outcome.

Guarantees:
- at least once: a row stays `pending` until a 2xx is recorded; a claimed row carries a lease
  (`locked_until`), so the rows of a worker that died are claimed again after the lease;
- once per attempt among workers: PostgreSQL claims with `FOR UPDATE SKIP LOCKED`, and on
  both databases the claim itself is a conditional UPDATE that only takes unleased rows;
- in order per case and subscription: only the oldest pending row of a (subscription,
  case_key) is claimable, so the next is not sent before the previous is delivered or dead.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import logging
import random
import secrets
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from tortoise import connections
from tortoise.expressions import F, Q, Subquery
from tortoise.functions import Min
from tortoise.transactions import in_transaction

from webhooks import outbox
from webhooks.models import DEAD, DELIVERED, PENDING, OutboxEvent, WebhookSubscription
from webhooks.signing import signed_headers

log = logging.getLogger("portal.webhooks")

MAX_RETRY_AFTER = 24 * 3600.0
BRISK_SECONDS = 1.0  # after an enqueue, poll quickly this long (the commit may still be pending)
BRISK_INTERVAL = 0.01
#: A round of database work (record, claim) takes milliseconds; one that has not returned
#: after this long (a call on a connection the database dropped) is abandoned and retried.
#: Its claimed events are leased and go out again when the lease ends.
ROUND_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class Outcome:
    event: OutboxEvent
    lease: str
    status: int | None
    error: str = ""
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class DeliveryWorker:
    """One delivery loop; run several (threads of one process or processes) on PostgreSQL."""

    def __init__(
        self,
        *,
        retry_schedule: Sequence[float] = (5, 300, 1800, 7200, 18000, 36000, 36000),
        timeout: float = 10.0,
        lease_seconds: float = 60.0,
        poll_seconds: float = 0.25,
        max_in_flight: int = 64,
        user_agent: str = "lindenhof-portal-webhooks/1",
    ) -> None:
        self.retry_schedule = tuple(retry_schedule)
        self.timeout = timeout
        self.lease = timedelta(seconds=lease_seconds)
        self.poll_seconds = poll_seconds
        self.max_in_flight = max_in_flight
        self.user_agent = user_agent
        self._wake = asyncio.Event()
        self._brisk_until = 0.0
        self._results: list[Outcome] = []
        self._in_flight: set[asyncio.Task] = set()

    @classmethod
    def from_settings(cls, settings, **overrides) -> DeliveryWorker:
        options = dict(
            retry_schedule=settings.webhook_retry_schedule,
            timeout=settings.webhook_timeout,
            lease_seconds=settings.webhook_lease_seconds,
            poll_seconds=settings.webhook_poll_seconds,
        )
        return cls(**{**options, **overrides})

    # --- the loop -----------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def running(self, grace: float | None = None) -> AsyncIterator[DeliveryWorker]:
        """Run on this loop for the duration of the block. On leaving, stop and wait for the
        loop, at most `grace` seconds when given (then its leased events are retried later)."""
        stop = asyncio.Event()
        task = asyncio.create_task(self.run(stop))
        try:
            yield self
        finally:
            stop.set()
            if grace is None:
                await task
            else:
                with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                    await asyncio.wait_for(task, timeout=grace)

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set, then finish the requests in flight."""
        loop = asyncio.get_running_loop()
        outbox.register_waker(self._poked, loop)
        limits = httpx.Limits(max_connections=self.max_in_flight, max_keepalive_connections=32)
        try:
            async with httpx.AsyncClient(
                timeout=self.timeout,
                follow_redirects=False,
                limits=limits,
                headers={"user-agent": self.user_agent},
                trust_env=False,
            ) as http:
                while not stop.is_set():
                    self._wake.clear()
                    try:
                        claimed = await asyncio.wait_for(self._round(http), ROUND_SECONDS)
                    except Exception:  # a database hiccup must not end the loop
                        log.warning("webhook worker: database error, retrying", exc_info=True)
                        claimed = 0
                    if claimed and len(self._in_flight) < self.max_in_flight:
                        continue  # more may be due right away
                    brisk = time.monotonic() < self._brisk_until
                    await _wait_any(
                        self._wake, stop, BRISK_INTERVAL if brisk else self.poll_seconds
                    )
                if self._in_flight:
                    await asyncio.wait(self._in_flight, timeout=self.timeout + 1)
                await self._flush()
        finally:
            outbox.unregister_waker(self._poked)

    async def _round(self, http: httpx.AsyncClient) -> int:
        """Record what was sent, then claim and start what is due (database work only)."""
        await self._flush()
        return await self._claim_and_send(http)

    def _poked(self) -> None:
        self._brisk_until = time.monotonic() + BRISK_SECONDS
        self._wake.set()

    async def drain(self, *, until_idle: float = 0.0) -> None:
        """Deliver everything due now (tests, CLI): returns when nothing is due or in flight."""
        stop = asyncio.Event()
        task = asyncio.create_task(self.run(stop))
        try:
            while True:
                await asyncio.sleep(0.05)
                if not self._in_flight and not await self.due_count():
                    break
            await asyncio.sleep(until_idle)
        finally:
            stop.set()
            await task

    async def due_count(self) -> int:
        return await OutboxEvent.filter(
            status=PENDING, next_attempt_at__lte=datetime.now(UTC)
        ).count()

    # --- claiming -----------------------------------------------------------------------

    async def _claim_and_send(self, http: httpx.AsyncClient) -> int:
        room = self.max_in_flight - len(self._in_flight)
        if room <= 0:
            return 0
        subscriptions = {s.id: s for s in await WebhookSubscription.filter(active=True)}
        if not subscriptions:
            return 0
        lease, events = await self.claim(list(subscriptions), room)
        for event in events:
            task = asyncio.create_task(
                self._send(http, subscriptions[event.subscription_id], event, lease)
            )
            self._in_flight.add(task)
            task.add_done_callback(self._sent)
        return len(events)

    async def claim(self, subscription_ids: list[int], limit: int) -> tuple[str, list[OutboxEvent]]:
        """Lease up to `limit` due rows that are first in line for their case."""
        now = datetime.now(UTC)
        lease = secrets.token_hex(16)
        first_of_case = (
            OutboxEvent.filter(status=PENDING, case_key__isnull=False)
            .group_by("subscription_id", "case_key")
            .annotate(first=Min("id"))
            .values("first")
        )
        unleased = Q(locked_until__isnull=True) | Q(locked_until__lt=now)
        due = (
            OutboxEvent.filter(
                unleased,
                Q(case_key__isnull=True) | Q(id__in=Subquery(first_of_case)),
                status=PENDING,
                next_attempt_at__lte=now,
                subscription_id__in=subscription_ids,
            )
            .order_by("id")
            .limit(limit)
        )
        if connections.get("default").capabilities.dialect == "sqlite":
            # One UPDATE is atomic in SQLite; a SELECT-then-UPDATE transaction would have to
            # upgrade its lock and fail at once while another process writes.
            await OutboxEvent.filter(id__in=Subquery(due.values("id"))).update(
                locked_until=now + self.lease, lease=lease
            )
            return lease, await OutboxEvent.filter(lease=lease).order_by("id")
        async with in_transaction():
            rows = await due.select_for_update(skip_locked=True).only("id")
            ids = [row.id for row in rows]
            if not ids:
                return lease, []
            await OutboxEvent.filter(id__in=ids).update(locked_until=now + self.lease, lease=lease)
        return lease, await OutboxEvent.filter(lease=lease).order_by("id")

    # --- sending ------------------------------------------------------------------------

    async def _send(
        self,
        http: httpx.AsyncClient,
        subscription: WebhookSubscription,
        event: OutboxEvent,
        lease: str,
    ) -> Outcome:
        body = event.payload.encode()
        headers = signed_headers(subscription.secrets, event.webhook_id, int(time.time()), body)
        try:
            response = await http.post(subscription.url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return Outcome(event, lease, None, f"{type(exc).__name__}: {exc}"[:500])
        except Exception as exc:  # e.g. an invalid URL: a failed attempt, not a dead worker
            return Outcome(event, lease, None, f"{type(exc).__name__}: {exc}"[:500])
        retry_after = None
        if response.status_code in (429, 503):
            retry_after = parse_retry_after(response.headers.get("retry-after"))
        error = "" if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
        if 300 <= response.status_code < 400:
            error += " (redirects are not followed)"
        return Outcome(event, lease, response.status_code, error, retry_after)

    def _sent(self, task: asyncio.Task) -> None:
        self._in_flight.discard(task)
        if not task.cancelled() and task.exception() is None:
            self._results.append(task.result())
        self._wake.set()

    # --- recording ----------------------------------------------------------------------

    async def _flush(self) -> None:
        if not self._results:
            return
        results, self._results = self._results, []
        try:
            await self.record(results)
        except Exception:
            self._results[:0] = results  # keep them for the next round
            raise

    async def record(self, results: list[Outcome]) -> None:
        now = datetime.now(UTC)
        delivered: dict[str, list[int]] = {}
        for result in results:
            if result.ok:
                delivered.setdefault(result.lease, []).append(result.event.id)
        for lease, ids in delivered.items():
            await OutboxEvent.filter(id__in=ids, lease=lease).update(
                status=DELIVERED,
                delivered_at=now,
                attempts=F("attempts") + 1,
                locked_until=None,
                lease=None,
                last_status=200,
                last_error="",
            )
        for result in results:
            if not result.ok:
                await self._record_failure(result, now)

    async def _record_failure(self, result: Outcome, now: datetime) -> None:
        event = result.event
        attempts = event.attempts + 1
        if result.status == 410:
            await WebhookSubscription.filter(id=event.subscription_id).update(
                active=False,
                disabled_reason=f"receiver answered 410 Gone at {now:%Y-%m-%d %H:%M} UTC",
            )
            log.warning("webhook subscription %s disabled: 410 Gone", event.subscription_id)
        changes: dict = dict(
            attempts=attempts,
            locked_until=None,
            lease=None,
            last_status=result.status,
            last_error=result.error,
        )
        if attempts > len(self.retry_schedule):
            changes["status"] = DEAD
            log.warning(
                "webhook %s to subscription %s is dead after %s attempts: %s",
                event.webhook_id,
                event.subscription_id,
                attempts,
                result.error,
            )
        else:
            delay = self.retry_schedule[attempts - 1] * random.uniform(1.0, 1.25)  # jitter
            if result.retry_after is not None:
                delay = max(delay, result.retry_after)
            changes["next_attempt_at"] = now + timedelta(seconds=delay)
        await OutboxEvent.filter(id=event.id, lease=result.lease).update(**changes)


def parse_retry_after(value: str | None) -> float | None:
    """`Retry-After` as seconds (delta-seconds or an HTTP date), capped at a day."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


async def _wait_any(event: asyncio.Event, stop: asyncio.Event, timeout: float) -> None:
    waits = [asyncio.ensure_future(event.wait()), asyncio.ensure_future(stop.wait())]
    try:
        await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waits:
            waiter.cancel()


@contextlib.asynccontextmanager
async def in_process_worker(settings) -> AsyncIterator[DeliveryWorker | None]:
    """The app lifespan's worker, when PORTAL_WORKER_IN_PROCESS is on."""
    if not settings.worker_in_process:
        yield None
        return
    # requests in flight get their timeout; a worker stuck beyond that (a database that does
    # not answer) must not hang the shutdown
    async with DeliveryWorker.from_settings(settings).running(
        grace=settings.webhook_timeout + 5
    ) as worker:
        yield worker
