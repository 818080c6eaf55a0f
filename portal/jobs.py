"""A portal process's background jobs: each declared in one line at start-up, stopped together.

A round that fails (a database hiccup) is logged and the next round tries again, so one bad
moment never ends a job. Stopping cancels every job and waits a bounded time, so a shutdown
never hangs on one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

log = logging.getLogger("portal.jobs")

Job = Callable[[], Awaitable[object]]


async def every(seconds: float, job: Job, *, at_start: bool = False) -> None:
    """Run `job` every `seconds` until cancelled; with `at_start` the first round runs at once."""
    if not at_start:
        await asyncio.sleep(seconds)
    while True:
        try:
            await job()
        except Exception:  # the next round tries again
            log.warning("%s failed, retrying in %s s", _name(job), seconds, exc_info=True)
        await asyncio.sleep(seconds)


class BackgroundJobs:
    """The tasks of one app lifespan."""

    def __init__(self) -> None:
        self._tasks: list[asyncio.Task] = []

    def every(self, seconds: float, job: Job, *, at_start: bool = False) -> None:
        self.run(every(seconds, job, at_start=at_start))

    def run(self, loop: Coroutine[Any, Any, None]) -> None:
        """A job that paces itself (the live watcher waits on wake-ups, not a clock)."""
        self._tasks.append(asyncio.create_task(loop))

    async def stop(self, timeout: float) -> None:
        """Cancel every job; a job that does not end within `timeout` is left behind."""
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=timeout)
        self._tasks = []


def _name(job: Job) -> str:
    func = getattr(job, "func", job)  # functools.partial
    return getattr(func, "__qualname__", repr(func))
